//! The sessions behind a number (SPEC §8): `/analytics/sessions` lists a view's sessions narrowed
//! by the drill parameters, newest first, 50 a page with "Newer"/"Older" links (keyset: plain
//! links, so paging works without JavaScript), the total, and a chip per drill parameter that
//! removes it; `/analytics/sessions/{id}` shows one session and its PSA activity.

use crate::{
    components::{async_view::AsyncView, error_view::ErrorView, export_link::ExportLink},
    data_cache::Loaded,
    drill::DrillParams,
    error::AppError,
    href::query_string,
    model::{PageContext, SessionDetail, SessionRow, SessionsResponse, ViewParams},
    page_state::use_link,
    routes,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::{
    hooks::{use_params_map, use_query_map},
    lazy_route, LazyRoute,
};

/// A page of the view's drilled sessions: after `cursor` (older) or before `before` (newer).
#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "sessions")]
pub async fn get_sessions(
    #[server(default)] view: ViewParams,
    #[server(default)] drill: DrillParams,
    #[server(default)] cursor: String,
    #[server(default)] before: String,
) -> Result<SessionsResponse, AppError> {
    use crate::server::{
        queries::sessions::{list, PageAsk},
        rate_limit,
        server_fns::as_admin,
    };
    let ask = PageAsk { cursor, before, limit: String::new() };
    as_admin(|state, admin| async move {
        rate_limit::spend_analytics(&state, admin.user_id, rate_limit::SESSIONS).await?;
        list(&state.pool, admin.account_id, &view, &drill, &ask).await
    })
    .await
}

/// One session of the account with its PSA activity.
#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "session")]
pub async fn get_session(id: String) -> Result<SessionDetail, AppError> {
    use crate::server::{queries::sessions::one, rate_limit, server_fns::as_admin};
    as_admin(|state, admin| async move {
        rate_limit::spend_analytics(&state, admin.user_id, rate_limit::SESSION).await?;
        one(&state.pool, admin.account_id, &id).await
    })
    .await
}

/// What the list's URL asks for: the view, the drill and the page.
#[derive(Debug, Clone, PartialEq)]
struct ListAsk {
    view: ViewParams,
    drill: DrillParams,
    cursor: String,
    before: String,
}

/// The sessions list as a lazy route: its code is a `.wasm` chunk of its own (`app.rs`).
pub struct SessionsRoute;

#[lazy_route]
impl LazyRoute for SessionsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_route: Self) -> AnyView {
        view! { <SessionsPage /> }.into_any()
    }
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    let query = use_query_map();
    let resource = Resource::new(
        move || {
            let query = query.read();
            let value = |name: &str| query.get(name);
            ListAsk {
                view: ViewParams::read(value),
                drill: DrillParams::read(value),
                cursor: value("cursor").unwrap_or_default(),
                before: value("before").unwrap_or_default(),
            }
        },
        |ask| async move {
            let key = format!(
                "sessions?{}&{}&cursor={}&before={}",
                query_string(ask.view.pairs()),
                query_string(ask.drill.pairs()),
                ask.cursor,
                ask.before
            );
            let result = get_sessions(ask.view, ask.drill, ask.cursor, ask.before).await;
            Loaded { key, result }
        },
    );
    view! {
        <section aria-label="Sessions" class="space-y-4">
            <DrillChips />
            <AsyncView resource ready=|data: SessionsResponse, context: PageContext| {
                view! { <SessionsTable data context /> }
            } />
        </section>
    }
}

/// A label for each drill parameter, as its chip says it.
fn drill_label(param: &str) -> &'static str {
    match param {
        "domain" => "Domain",
        "unmapped" => "Unmapped",
        "flow" => "Flow",
        "status" => "Status",
        "tier" => "Tier",
        "step" => "Funnel step",
        _ => "Day",
    }
}

/// A chip for each drill parameter in force, each with a link that removes it.
#[component]
fn DrillChips() -> impl IntoView {
    let query = use_query_map();
    let link = use_link();
    move || {
        let drill = DrillParams::read(|name| query.read().get(name));
        drill
            .pairs()
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(param, value)| {
                let (label, value) = (drill_label(param), value.to_owned());
                let remove = link(routes::SESSIONS_PAGE, &[(param, "")]);
                view! {
                    <span class="filter-chip mr-2 inline-flex items-center gap-1 rounded-full bg-primary/10 px-3 py-1 text-sm">
                        <span class="text-muted-foreground">{label}": "</span>
                        <span>{value.clone()}</span>
                        <a
                            href=remove
                            class="ml-1 text-muted-foreground hover:text-foreground"
                            aria-label=format!("Remove the {} filter ({value})", label.to_lowercase())
                        >
                            "×"
                        </a>
                    </span>
                }
            })
            .collect_view()
    }
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_owned())
}

/// "2026-03-29 03:30" from an RFC 3339 time on the account's clock.
fn wall_clock(at: &str) -> String {
    at.get(..16).map(|t| t.replace('T', " ")).unwrap_or_else(|| at.to_owned())
}

#[component]
fn SessionsTable(data: SessionsResponse, context: PageContext) -> impl IntoView {
    let link = use_link();
    let page = |param: &'static str, cursor: Option<String>, label: &'static str| {
        cursor.map(|cursor| {
            let (cursor_value, before_value) =
                if param == "cursor" { (cursor, String::new()) } else { (String::new(), cursor) };
            let href = link(
                routes::SESSIONS_PAGE,
                &[("cursor", &cursor_value), ("before", &before_value)],
            );
            view! {
                <a href=href rel=if param == "cursor" { "next" } else { "prev" } class="rounded-md bg-primary/10 px-3 py-1 hover:bg-primary/20">
                    {label}
                </a>
            }
        })
    };
    let total = data.total;
    let rows = data
        .sessions
        .into_iter()
        .map(|row| view! { <SessionLine row context=context.clone() /> })
        .collect_view();
    view! {
        <div class="flex items-baseline justify-between">
            <p class="text-sm text-muted-foreground">
                <span data-total=total.to_string() class="font-semibold text-foreground">{total.to_string()}</span>
                {if total == 1 { " session" } else { " sessions" }}
                ", newest first"
            </p>
            <ExportLink path=routes::API_SESSIONS_CSV what="these sessions" />
        </div>
        <div class="glass-card-static overflow-x-auto">
            <table aria-label="Sessions" class="w-full text-left text-sm">
                <thead class="text-xs text-muted-foreground">
                    <tr>
                        {["Started", "Technician", "Client", "Domain", "Flow", "Status", "Tier", "Confidence", "Minutes to resolve", "Ticket", "PSA activity"]
                            .into_iter()
                            .map(|h| view! { <th scope="col" class="px-3 py-2 font-medium">{h}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav aria-label="Pages" class="flex gap-2 text-sm">
            {page("before", data.prev_cursor, "Newer")}
            {page("cursor", data.next_cursor, "Older")}
        </nav>
    }
}

#[component]
fn SessionLine(row: SessionRow, context: PageContext) -> impl IntoView {
    let link = use_link();
    let detail = link(&format!("{}/{}", routes::SESSIONS_PAGE, row.id), &[]);
    let name = |named: Option<crate::model::Named>| or_dash(named.map(|n| n.name));
    let flow = row.flow.map(|f| {
        let href = context.flow_editor(&f.id.to_string());
        view! { <a href=href class="hover:underline">{f.name}</a> }
    });
    let ticket = ticket_view(row.ticket, row.ticket_url);
    view! {
        <tr class="border-t border-border" data-session-id=row.id.to_string()>
            <th scope="row" class="whitespace-nowrap px-3 py-2 font-normal">
                <a href=detail class="hover:underline">{wall_clock(&row.started_at)}</a>
            </th>
            <td class="px-3 py-2">{name(row.technician)}</td>
            <td class="px-3 py-2">{name(row.client)}</td>
            <td class="px-3 py-2">{or_dash(row.domain)}</td>
            <td class="px-3 py-2">{flow.map(IntoAny::into_any).unwrap_or_else(|| "—".into_any())}</td>
            <td class="px-3 py-2">{row.status}</td>
            <td class="px-3 py-2">{or_dash(row.tier)}</td>
            <td class="px-3 py-2 tabular-nums">{or_dash(row.confidence.map(|c| format!("{c:.2}")))}</td>
            <td class="px-3 py-2 tabular-nums">{or_dash(row.minutes_to_resolve.map(|m| format!("{m:.1}")))}</td>
            <td class="px-3 py-2">{ticket}</td>
            <td class="px-3 py-2 tabular-nums">{row.psa_activity_count.to_string()}</td>
        </tr>
    }
}

/// The ticket id, a link into the account's ConnectWise when it has one.
fn ticket_view(ticket: Option<String>, url: Option<String>) -> AnyView {
    match (ticket, url) {
        (Some(ticket), Some(url)) => view! {
            <a href=url rel="noopener noreferrer" target="_blank" class="hover:underline">{ticket}</a>
        }
        .into_any(),
        (Some(ticket), None) => ticket.into_any(),
        _ => "—".into_any(),
    }
}

/// One session as a lazy route: its code is a `.wasm` chunk of its own (`app.rs`).
pub struct SessionRoute;

#[lazy_route]
impl LazyRoute for SessionRoute {
    fn data() -> Self {
        Self
    }

    fn view(_route: Self) -> AnyView {
        view! { <SessionPage /> }.into_any()
    }
}

#[component]
pub fn SessionPage() -> impl IntoView {
    let params = use_params_map();
    let resource = Resource::new(move || params.read().get("id").unwrap_or_default(), get_session);
    let link = use_link();
    view! {
        <section aria-label="Session" class="space-y-4">
            <a href=move || link(routes::SESSIONS_PAGE, &[]) class="text-sm text-muted-foreground hover:text-foreground">
                "← Sessions"
            </a>
            <Suspense fallback=|| view! { <p class="text-sm text-muted-foreground">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match resource.await {
                        Ok(detail) => view! { <SessionDetailView detail /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SessionDetailView(detail: SessionDetail) -> impl IntoView {
    let s = detail.session;
    let name = |named: Option<crate::model::Named>| or_dash(named.map(|n| n.name));
    let facts = [
        ("Started", wall_clock(&s.started_at)),
        ("Resolved", or_dash(detail.resolved_at.as_deref().map(wall_clock))),
        ("Technician", name(s.technician)),
        ("Client", name(s.client)),
        ("Domain", or_dash(s.domain)),
        ("Flow", name(s.flow)),
        ("Status", s.status),
        ("Tier", or_dash(s.tier)),
        ("Confidence", or_dash(s.confidence.map(|c| format!("{c:.2}")))),
        ("Minutes to resolve", or_dash(s.minutes_to_resolve.map(|m| format!("{m:.1}")))),
    ];
    let activity = detail
        .psa_activity
        .into_iter()
        .map(|a| {
            view! {
                <tr class="border-t border-border">
                    <td class="px-3 py-2 whitespace-nowrap">{wall_clock(&a.at)}</td>
                    <td class="px-3 py-2">{activity_label(&a.kind)}</td>
                    <td class="px-3 py-2 tabular-nums">{or_dash(a.hours.map(|h| format!("{h:.2}")))}</td>
                    <td class="px-3 py-2">{or_dash(a.ticket)}</td>
                    <td class="px-3 py-2">{a.push_state.unwrap_or_else(|| "—".to_owned())}</td>
                </tr>
            }
        })
        .collect_view();
    let pending = detail
        .pending_pushes
        .into_iter()
        .map(|p| {
            view! {
                <li>
                    {format!(
                        "{} — {} {} ({} send{}){}",
                        wall_clock(&p.at),
                        p.kind.replace('_', " "),
                        p.state,
                        p.sends,
                        if p.sends == 1 { "" } else { "s" },
                        p.last_error.map(|e| format!(": {e}")).unwrap_or_default(),
                    )}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="glass-card-static p-4">
            <h1 class="mb-3 text-lg font-semibold">"Session"</h1>
            <dl class="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
                {facts
                    .into_iter()
                    .map(|(term, value)| view! {
                        <div>
                            <dt class="text-muted-foreground">{term}</dt>
                            <dd>{value}</dd>
                        </div>
                    })
                    .collect_view()}
                <div>
                    <dt class="text-muted-foreground">"Ticket"</dt>
                    <dd>{ticket_view(s.ticket, s.ticket_url)}</dd>
                </div>
            </dl>
        </div>
        <div class="glass-card-static overflow-x-auto p-4">
            <h2 class="mb-2 text-sm font-semibold">"PSA activity"</h2>
            <table aria-label="PSA activity" class="w-full text-left text-sm">
                <thead class="text-xs text-muted-foreground">
                    <tr>
                        <th scope="col" class="px-3 py-2 font-medium">"When"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"What"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Hours"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Ticket"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Push"</th>
                    </tr>
                </thead>
                <tbody>{activity}</tbody>
            </table>
            <ul aria-label="Pushes not in the PSA log" class="mt-3 list-disc pl-5 text-sm text-muted-foreground">
                {pending}
            </ul>
        </div>
    }
}

fn activity_label(kind: &str) -> &'static str {
    match kind {
        "note_posted" => "Note pushed",
        "time_entry_posted" => "Time entry logged",
        "status_updated" => "Status updated",
        _ => "Other",
    }
}
