//! Flow quality tab: every flow scored, the best and the ones that need attention. Fetched
//! once per period; sorting happens on the page, from the URL (`?sort=<column>&dir=asc|desc`),
//! so header links work without JavaScript and instantly with it.

use crate::{
    compare::{rate_change, Better},
    components::{
        async_view::AsyncView,
        export_link::ExportLink,
        levels::score_level,
        metric_card::{or_dash, percent},
        number_link::NumberLink,
        rate_cell::SampledRate,
    },
    data_cache::use_tab_data,
    error::AppError,
    flow_quality::{row_marks, sort_rows, Column},
    model::{FlowQualityResponse, FlowQualityRow, PageContext},
    page_state::{use_link, use_sessions_link},
    routes::DataSource,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::{hooks::use_query_map, lazy_route, LazyRoute};
use std::collections::HashSet;

#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "flow-quality")]
pub async fn get_flow_quality(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] technician: String,
    #[server(default)] client: String,
    #[server(default)] sort: String,
) -> Result<FlowQualityResponse, AppError> {
    use crate::{
        flow_quality::FlowSort,
        server::{queries::flow_quality::flow_quality, server_fns::load_tab},
    };
    let window = crate::model::ViewParams { period, from, to, technician, client };
    load_tab(DataSource::FlowQuality, window, |pool, account, w| {
        let sort = FlowSort::parse_param(Some(&sort));
        async move { flow_quality(&pool, account, w, sort?).await }
    })
    .await
}

/// The Flow quality tab as a lazy route: its code is a `.wasm` chunk of its own (`app.rs`).
pub struct FlowQualityRoute;

#[lazy_route]
impl LazyRoute for FlowQualityRoute {
    fn data() -> Self {
        Self
    }

    fn view(_route: Self) -> AnyView {
        view! { <FlowQualityTab /> }.into_any()
    }
}

#[component]
pub fn FlowQualityTab() -> impl IntoView {
    let resource = use_tab_data(DataSource::FlowQuality, |w| {
        get_flow_quality(w.period, w.from, w.to, w.technician, w.client, String::new())
    });
    view! { <AsyncView resource ready=flow_quality_view /> }
}

/// The table's sort, read from the URL.
#[derive(Clone, Copy, PartialEq)]
struct TableSort {
    column: Column,
    descending: bool,
}

fn use_table_sort() -> Memo<TableSort> {
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        let column = Column::from_key(&query.get("sort").unwrap_or_default());
        let descending = match query.get("dir").as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => column.default_descending(),
        };
        TableSort { column, descending }
    })
}

fn flow_quality_view(data: FlowQualityResponse, context: PageContext) -> AnyView {
    if data.flows.is_empty() {
        return view! {
            <section aria-label="Flow quality" class="glass-card-static p-6 text-center">
                <p class="text-sm text-muted-foreground">"This account has no active flows yet."</p>
            </section>
        }
        .into_any();
    }
    let previous =
        StoredValue::new(data.previous.as_ref().map(|p| p.flows.clone()).unwrap_or_default());
    let marks = row_marks(&data.flows);
    let top: HashSet<String> = marks.top.into_iter().collect();
    let bottom: HashSet<String> = marks.bottom.into_iter().collect();
    let flagged: HashSet<String> = data.needs_attention.iter().map(|f| f.flow_id.clone()).collect();
    let marks = StoredValue::new(TableMarks { top, bottom, flagged });
    let flows = StoredValue::new(data.flows);
    let context = StoredValue::new(context);
    let sort = use_table_sort();

    view! {
        <section aria-label="Flow quality" class="space-y-4">
            <div class="grid gap-4 md:grid-cols-2">
                <FlowList
                    title="Top performers"
                    flows=data.top_performers
                    context=context.get_value()
                    empty="No flow was used in this period."
                />
                <FlowList
                    title="Needs attention"
                    flows=data.needs_attention
                    context=context.get_value()
                    empty="Every flow is doing fine."
                />
            </div>
            <div class="flex justify-end">
                <ExportLink path=DataSource::FlowQuality.csv_path() what="the flow quality table" />
            </div>
            <div class="glass-card-static overflow-x-auto">
                <table class="w-full min-w-[48rem] text-sm tabular-nums">
                    <caption class="sr-only">"Flow quality"</caption>
                    <thead class="text-left text-xs uppercase tracking-wide text-muted-foreground">
                        <tr>
                            {Column::ALL
                                .into_iter()
                                .map(|column| view! { <SortHeader column sort /> })
                                .collect_view()}
                        </tr>
                    </thead>
                    // Separators on the cells, so a row's own border colour marks only its edge.
                    <tbody class="[&_td]:border-t [&_td]:border-border [&_th]:border-t [&_th]:border-border">
                        {move || {
                            let TableSort { column, descending } = sort.get();
                            let mut rows = flows.get_value();
                            sort_rows(&mut rows, column, descending);
                            rows.into_iter()
                                .map(|row| {
                                    view! {
                                        <FlowRow
                                            row
                                            marks=marks
                                            previous=previous
                                            context=context.get_value()
                                        />
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// What each row of the table carries beside its numbers: a green or red edge, a badge.
struct TableMarks {
    top: HashSet<String>,
    bottom: HashSet<String>,
    flagged: HashSet<String>,
}

#[component]
fn SortHeader(column: Column, sort: Memo<TableSort>) -> impl IntoView {
    let link = use_link();
    let state = move || {
        let current = sort.get();
        (current.column == column).then_some(current.descending)
    };
    let href = move || {
        let descending = match state() {
            Some(descending) => !descending,
            None => column.default_descending(),
        };
        let dir = if descending { "desc" } else { "asc" };
        link(DataSource::FlowQuality.page(), &[("sort", column.key()), ("dir", dir)])
    };
    let aria_sort = move || match state() {
        Some(true) => "descending",
        Some(false) => "ascending",
        None => "none",
    };
    let arrow = move || match state() {
        Some(true) => " ↓",
        Some(false) => " ↑",
        None => "",
    };
    view! {
        <th scope="col" class="px-3 py-2 font-medium" aria-sort=aria_sort>
            <a href=href class="hover:text-foreground">
                {column.label()}
                <span aria-hidden="true">{arrow}</span>
            </a>
        </th>
    }
}

#[component]
fn FlowRow(
    row: FlowQualityRow,
    marks: StoredValue<TableMarks>,
    /// The flows of the previous window, for each row's change.
    previous: StoredValue<Vec<FlowQualityRow>>,
    context: PageContext,
) -> impl IntoView {
    let success_change = previous.with_value(|flows| {
        let before = flows.iter().find(|f| f.flow_id == row.flow_id)?;
        let (now, then) = (row.success_rate?, before.success_rate?);
        rate_change((now, row.usage_count), Some((then, before.usage_count)), Better::Up)
    });
    let (edge, flagged) = marks.with_value(|m| {
        let edge = if m.top.contains(&row.flow_id) {
            "border-l-2 border-emerald-400"
        } else if m.bottom.contains(&row.flow_id) {
            "border-l-2 border-rose-500"
        } else {
            "border-l-2 border-transparent"
        };
        (edge, m.flagged.contains(&row.flow_id))
    });
    let level = score_level(row.quality_score);
    let width = format!("width: {:.1}%", row.quality_score.clamp(0.0, 1.0) * 100.0);
    view! {
        <tr class=edge data-flow-id=row.flow_id.clone()>
            <th scope="row" class="px-3 py-2 text-left font-medium">
                <a class="hover:underline" href=context.flow_editor(&row.flow_id)>
                    {row.name.clone()}
                </a>
                {flagged
                    .then(|| {
                        view! {
                            <span class="ml-2 rounded bg-amber-400/10 px-1.5 py-0.5 font-label text-[0.625rem] uppercase tracking-wide text-amber-400">
                                "Needs attention"
                            </span>
                        }
                    })}
            </th>
            <td class="px-3 py-2">
                <NumberLink href=Some(use_sessions_link()(&[("flow", &row.flow_id)]))>
                    {row.usage_count}
                </NumberLink>
            </td>
            <SampledRate rate=row.success_rate sessions=row.usage_count change=success_change />
            <td class="px-3 py-2">
                {row
                    .last_matched_at
                    .map(|at| at.date_naive().to_string())
                    .unwrap_or_else(|| "Never".to_owned())}
            </td>
            <td class="px-3 py-2">{or_dash(row.avg_confidence, |c| format!("{c:.2}"))}</td>
            <td class="px-3 py-2">
                <div class="flex items-center gap-2">
                    <div class="h-1.5 w-24 rounded bg-muted">
                        <div
                            class=format!("h-1.5 rounded {}", level.bar())
                            style=width
                            data-level=level.name()
                        ></div>
                    </div>
                    <span>{percent(row.quality_score)}</span>
                </div>
            </td>
        </tr>
    }
}

#[component]
fn FlowList(
    title: &'static str,
    flows: Vec<FlowQualityRow>,
    context: PageContext,
    empty: &'static str,
) -> impl IntoView {
    view! {
        <div class="glass-card-static p-4">
            <h2 class="mb-2 text-sm font-semibold">{title}</h2>
            {if flows.is_empty() {
                view! { <p class="text-sm text-muted-foreground">{empty}</p> }.into_any()
            } else {
                view! {
                    <ol class="space-y-1 text-sm" aria-label=title>
                        {flows
                            .into_iter()
                            .map(|f| {
                                view! {
                                    <li class="flex justify-between gap-2">
                                        <a class="hover:underline" href=context.flow_editor(&f.flow_id)>
                                            {f.name}
                                        </a>
                                        <span class="tabular-nums text-muted-foreground">
                                            {percent(f.quality_score)}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </div>
    }
}
