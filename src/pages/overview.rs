//! Overview tab: KPI cards, the daily trend and the top five domains (SPEC §3 "Overview").

use crate::{
    components::{
        async_view::AsyncView,
        chart::{Chart, ChartSpec},
        metric_card::{or_dash, percent, MetricCard},
    },
    error::AppError,
    model::{OverviewResponse, PageContext},
    pages::analytics::use_period_param,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};

/// `period` is the raw query value ("" for the default); it is validated on the server.
#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "overview")]
pub async fn get_overview(#[server(default)] period: String) -> Result<OverviewResponse, AppError> {
    use crate::server::{api::as_admin, queries::overview::overview};
    as_admin(|state, admin| async move {
        let window = crate::server::api::AnalyticsQuery::window_for(&period)?;
        overview(&state.pool, admin.account_id, window).await
    })
    .await
}

#[component]
pub fn OverviewTab() -> impl IntoView {
    let period = use_period_param();
    let resource = Resource::new(move || period.get(), get_overview);
    view! { <AsyncView resource ready=overview_view /> }
}

fn overview_view(data: OverviewResponse, _: PageContext) -> AnyView {
    let minutes = |m: f64| format!("{m:.1} min");
    view! {
        <section aria-label="Overview" class="space-y-6">
            <div class="grid grid-cols-2 gap-4 md:grid-cols-4">
                <MetricCard label="Sessions" value=data.total_sessions.to_string() />
                <MetricCard
                    label="Resolution rate"
                    value=percent(data.resolution_rate)
                    hint=format!("{} resolved", data.resolved_sessions)
                />
                <MetricCard
                    label="Escalation rate"
                    value=percent(data.escalation_rate)
                    hint=format!("{} escalated", data.escalated_sessions)
                />
                <MetricCard label="Guided rate" value=percent(data.guided_rate) />
                <MetricCard
                    label="Avg confidence"
                    value=or_dash(data.avg_confidence, |c| format!("{c:.2}"))
                />
                <MetricCard
                    label="Avg resolution time"
                    value=or_dash(data.avg_resolution_minutes, minutes)
                />
                <MetricCard label="Matched-flow rate" value=percent(data.matched_flow_rate) />
            </div>
            <div class="grid gap-4 lg:grid-cols-3">
                <div class="glass-card-static min-w-0 p-4 lg:col-span-2">
                    <h2 class="mb-2 text-sm font-semibold">"Sessions by day"</h2>
                    <Chart
                        id="overview-trend-chart"
                        label="Daily sessions, resolved and escalated"
                        spec=ChartSpec::OverviewTrend(data.daily_trend.clone())
                    />
                    <DailyTable days=data.daily_trend />
                </div>
                <TopDomains domains=data.top_domains />
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn DailyTable(days: Vec<crate::model::OverviewDay>) -> impl IntoView {
    view! {
        <details class="mt-2 text-sm">
            <summary class="cursor-pointer text-muted-foreground">"Daily numbers"</summary>
            <table class="mt-2 w-full tabular-nums">
                <caption class="sr-only">"Sessions by day"</caption>
                <thead class="text-left text-muted-foreground">
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Sessions"</th>
                        <th scope="col">"Resolved"</th>
                        <th scope="col">"Escalated"</th>
                    </tr>
                </thead>
                <tbody>
                    {days
                        .into_iter()
                        .map(|d| {
                            view! {
                                <tr>
                                    <td>{d.date}</td>
                                    <td>{d.sessions}</td>
                                    <td>{d.resolved}</td>
                                    <td>{d.escalated}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}

#[component]
fn TopDomains(domains: Vec<crate::model::DomainCount>) -> impl IntoView {
    let max = domains.iter().map(|d| d.session_count).max().unwrap_or(0).max(1);
    view! {
        <div class="glass-card-static p-4">
            <h2 class="mb-3 text-sm font-semibold">"Top domains"</h2>
            {if domains.is_empty() {
                view! { <p class="text-sm text-muted-foreground">"No sessions in this period."</p> }
                    .into_any()
            } else {
                view! {
                    <ol class="space-y-3" aria-label="Top domains">
                        {domains
                            .into_iter()
                            .map(|d| {
                                let width = format!("width: {}%", d.session_count * 100 / max);
                                view! {
                                    <li>
                                        <div class="flex justify-between text-sm">
                                            <span>{d.domain}</span>
                                            <span class="tabular-nums text-muted-foreground">
                                                {d.session_count}
                                            </span>
                                        </div>
                                        <div class="mt-1 h-1.5 rounded bg-muted">
                                            <div class="h-1.5 rounded bg-primary" style=width></div>
                                        </div>
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
