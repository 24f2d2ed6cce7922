//! Overview tab: KPI cards, the daily trend and the top five domains.

use crate::{
    components::{
        async_view::AsyncView,
        bar_list::{Bar, BarList},
        chart::{Chart, ChartSpec},
        daily_table::DailyTable,
        metric_card::{or_dash, percent, MetricCard},
    },
    data_cache::use_tab_data,
    error::AppError,
    model::{DomainCount, OverviewResponse, PageContext},
    routes::DataSource,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};

/// `period` is the raw query value ("" for the default); it is validated on the server.
#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "overview")]
pub async fn get_overview(#[server(default)] period: String) -> Result<OverviewResponse, AppError> {
    use crate::server::{queries::overview::overview, queries::Window, server_fns::load_as_admin};
    load_as_admin(DataSource::Overview, |state, admin| async move {
        overview(&state.pool, admin.account_id, Window::from_period_param(&period)?).await
    })
    .await
}

#[component]
pub fn OverviewTab() -> impl IntoView {
    let resource = use_tab_data(DataSource::Overview, get_overview);
    view! { <AsyncView resource ready=overview_view /> }
}

fn overview_view(data: OverviewResponse, _: PageContext) -> AnyView {
    let minutes = |m: f64| format!("{m:.1} min");
    let daily_rows = data
        .daily_trend
        .iter()
        .map(|d| {
            vec![
                d.date.clone(),
                d.sessions.to_string(),
                d.resolved.to_string(),
                d.escalated.to_string(),
            ]
        })
        .collect();
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
                        spec=ChartSpec::OverviewTrend(data.daily_trend)
                    />
                    <DailyTable
                        caption="Sessions by day"
                        headers=&["Date", "Sessions", "Resolved", "Escalated"]
                        rows=daily_rows
                    />
                </div>
                <TopDomains domains=data.top_domains />
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn TopDomains(domains: Vec<DomainCount>) -> impl IntoView {
    let max = domains.iter().map(|d| d.session_count).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = domains
        .into_iter()
        .map(|d| Bar {
            label: d.domain,
            count: d.session_count,
            conversion: None,
            share: d.session_count as f64 / max as f64,
        })
        .collect();
    view! {
        <div class="glass-card-static p-4">
            <h2 class="mb-3 text-sm font-semibold">"Top domains"</h2>
            {if bars.is_empty() {
                view! { <p class="text-sm text-muted-foreground">"No sessions in this period."</p> }
                    .into_any()
            } else {
                view! { <BarList label="Top domains" bars /> }.into_any()
            }}
        </div>
    }
}
