//! Coverage tab: the per-domain heatmap that shows where flows are missing.

use crate::{
    compare::{rate_change, Better, Change},
    components::{
        async_view::AsyncView,
        export_link::ExportLink,
        levels::{escalation_level, flows_level, guided_level, resolution_level, Level},
        metric_card::{or_dash, MetricCard},
        number_link::NumberLink,
        rate_cell::RateCell,
    },
    data_cache::use_tab_data,
    error::AppError,
    model::{CoverageDomainRow, CoverageResponse, PageContext},
    page_state::use_sessions_link,
    routes::DataSource,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::{lazy_route, LazyRoute};

#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "coverage")]
pub async fn get_coverage(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] technician: String,
    #[server(default)] client: String,
) -> Result<CoverageResponse, AppError> {
    use crate::server::{queries::coverage::coverage, server_fns::load_tab};
    let window = crate::model::ViewParams { period, from, to, technician, client };
    load_tab(DataSource::Coverage, window, |pool, account, w| async move {
        coverage(&pool, account, w).await
    })
    .await
}

/// The Coverage tab as a lazy route: its code is a `.wasm` chunk of its own (`app.rs`).
pub struct CoverageRoute;

#[lazy_route]
impl LazyRoute for CoverageRoute {
    fn data() -> Self {
        Self
    }

    fn view(_route: Self) -> AnyView {
        view! { <CoverageTab /> }.into_any()
    }
}

#[component]
pub fn CoverageTab() -> impl IntoView {
    let resource = use_tab_data(DataSource::Coverage, |w| {
        get_coverage(w.period, w.from, w.to, w.technician, w.client)
    });
    view! { <AsyncView resource ready=coverage_view /> }
}

const HEADERS: [&str; 7] =
    ["Domain", "Flows", "Sessions", "Resolution %", "Escalation %", "Guided %", "Avg resolution"];

fn coverage_view(data: CoverageResponse, context: PageContext) -> AnyView {
    let sessions = use_sessions_link();
    let p = data.previous.as_deref();
    let domains_change =
        p.map(|p| Change::count(data.total_domains, p.total_domains, Better::Neither));
    // Fewer sessions without a domain is better: more of the work is classified.
    let unmapped_change = p.map(|p| {
        Change::count(data.unmapped_session_count, p.unmapped_session_count, Better::Down)
    });
    let previous = p.map(|p| p.domains.clone()).unwrap_or_default();
    let summary = view! {
        <div class="grid grid-cols-2 gap-4 md:grid-cols-4">
            <MetricCard label="Domains" value=data.total_domains.to_string() change=domains_change />
            <MetricCard
                label="Unmapped sessions"
                value=data.unmapped_session_count.to_string()
                hint="No problem domain"
                change=unmapped_change
                href=Some(sessions(&[("unmapped", "true")]))
            />
        </div>
    };
    let body = if data.domains.is_empty() {
        view! {
            <p class="p-6 text-center text-sm text-muted-foreground">
                "No classified sessions in this period."
            </p>
        }
        .into_any()
    } else {
        view! {
            <div class="overflow-x-auto">
                // On the page's own background: the red cells' text (SPEC's text-rose-500 on
                // bg-rose-500/10) reaches the 4.5:1 contrast there, not over the card's lighter
                // shade (Lighthouse's color-contrast audit).
                <table class="w-full min-w-[44rem] bg-background text-sm tabular-nums">
                    <caption class="sr-only">"Coverage by problem domain"</caption>
                    <thead class="text-left text-xs uppercase tracking-wide text-muted-foreground">
                        <tr>
                            {HEADERS
                                .into_iter()
                                .map(|h| view! { <th scope="col" class="px-3 py-2 font-medium">{h}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {data
                            .domains
                            .into_iter()
                            .map(|row| {
                                let before = previous
                                    .iter()
                                    .find(|p| p.domain == row.domain)
                                    .cloned();
                                view! { <DomainRow row before context=context.clone() /> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-label="Coverage" class="space-y-4">
            {summary}
            <div class="flex justify-end">
                <ExportLink path=DataSource::Coverage.csv_path() what="the coverage table" />
            </div>
            <div class="glass-card-static">{body}</div>
        </section>
    }
    .into_any()
}

/// A domain's heatmap row; `before` is the same domain in the previous window, if it was there.
#[component]
fn DomainRow(
    row: CoverageDomainRow,
    before: Option<CoverageDomainRow>,
    context: PageContext,
) -> impl IntoView {
    let create_flow = (row.flow_count == 0).then(|| {
        view! {
            <a
                class="ml-2 underline decoration-dotted hover:text-foreground"
                href=context.new_flow(&row.domain)
            >
                "Create flow"
            </a>
        }
    });
    let n = row.session_count;
    let change = |rate: fn(&CoverageDomainRow) -> f64, better| {
        rate_change((rate(&row), n), before.as_ref().map(|b| (rate(b), b.session_count)), better)
    };
    let resolution_change = change(|r| r.resolution_rate, Better::Up);
    let escalation_change = change(|r| r.escalation_rate, Better::Down);
    let guided_change = change(|r| r.guided_rate, Better::Up);
    // Each cell leads to the domain's sessions it counts.
    let sessions = use_sessions_link();
    let cell = |drill: Option<(&str, &str)>| {
        let mut set = vec![("domain", row.domain.as_str())];
        set.extend(drill);
        Some(sessions(&set))
    };
    view! {
        <tr class="border-t border-border">
            <th scope="row" class="px-3 py-2 text-left font-medium">{row.domain.clone()}</th>
            <Cell level=flows_level(row.flow_count)>{row.flow_count}{create_flow}</Cell>
            <td class="px-3 py-2">
                <NumberLink href=cell(None)>{row.session_count}</NumberLink>
            </td>
            <RateCell
                rate=row.resolution_rate
                sessions=n
                level=resolution_level
                change=resolution_change
                href=cell(Some(("status", "resolved")))
            />
            <RateCell
                rate=row.escalation_rate
                sessions=n
                level=escalation_level
                change=escalation_change
                href=cell(Some(("status", "escalated")))
            />
            <RateCell
                rate=row.guided_rate
                sessions=n
                level=guided_level
                change=guided_change
                href=cell(Some(("tier", "guided")))
            />
            <td class="px-3 py-2">
                {or_dash(row.avg_resolution_minutes, |m| format!("{m:.1} min"))}
            </td>
        </tr>
    }
}

/// A heatmap cell: coloured by its level, and always showing its value as text.
#[component]
fn Cell(level: Level, children: Children) -> impl IntoView {
    view! {
        <td class=format!("px-3 py-2 {}", level.classes()) data-level=level.name()>
            {children()}
        </td>
    }
}
