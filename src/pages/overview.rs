//! Overview tab: KPI cards, the daily trend, the top five domains and the breakdowns by
//! technician and by client.

use crate::{
    compare::{rate_change, Better, Change},
    components::{
        async_view::AsyncView,
        bar_list::{Bar, BarList},
        breakdown_table::BreakdownTable,
        chart::Chart,
        daily_table::DailyTable,
        export_link::ExportLink,
        metric_card::{or_dash, percent, MetricCard},
    },
    data_cache::use_tab_data,
    error::AppError,
    model::{Charted, DomainCount, OverviewResponse, PageContext},
    page_state::use_sessions_link,
    routes::DataSource,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::{lazy_route, LazyRoute};

/// `period` is the raw query value ("" for the default); it is validated on the server.
#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "overview")]
pub async fn get_overview(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] technician: String,
    #[server(default)] client: String,
) -> Result<Charted<OverviewResponse>, AppError> {
    use crate::server::{charts, queries::overview::overview, server_fns::load_tab};
    let window = crate::model::ViewParams { period, from, to, technician, client };
    let data = load_tab(DataSource::Overview, window, |pool, account, w| async move {
        overview(&pool, account, w).await
    })
    .await?;
    Ok(Charted { chart: charts::overview_trend(&data.daily_trend), data })
}

/// The Overview tab as a lazy route: its code is a `.wasm` chunk of its own (`app.rs`).
pub struct OverviewRoute;

#[lazy_route]
impl LazyRoute for OverviewRoute {
    fn data() -> Self {
        Self
    }

    fn view(_route: Self) -> AnyView {
        view! { <OverviewTab /> }.into_any()
    }
}

#[component]
pub fn OverviewTab() -> impl IntoView {
    let resource = use_tab_data(DataSource::Overview, |w| {
        get_overview(w.period, w.from, w.to, w.technician, w.client)
    });
    view! { <AsyncView resource ready=overview_view /> }
}

fn overview_view(Charted { data, chart }: Charted<OverviewResponse>, _: PageContext) -> AnyView {
    let sessions = use_sessions_link();
    let minutes = |m: f64| format!("{m:.1} min");
    // Each card's change against the previous window, and which way is better for it.
    let p = data.previous.as_deref();
    // Judged better or worse only between two large-enough samples (SPEC §7).
    let n = data.total_sessions;
    let rate = |now: f64, then: fn(&OverviewResponse) -> f64, better| {
        rate_change((now, n), p.map(|p| (then(p), p.total_sessions)), better)
    };
    let judged = |change: Option<Change>, before: &OverviewResponse| {
        change.map(|c| c.over_samples(n, before.total_sessions))
    };
    let sessions_change =
        p.map(|p| Change::count(data.total_sessions, p.total_sessions, Better::Neither));
    let resolution_change = rate(data.resolution_rate, |p| p.resolution_rate, Better::Up);
    let escalation_change = rate(data.escalation_rate, |p| p.escalation_rate, Better::Down);
    let guided_change = rate(data.guided_rate, |p| p.guided_rate, Better::Up);
    let matched_change = rate(data.matched_flow_rate, |p| p.matched_flow_rate, Better::Up);
    let confidence_change = p.and_then(|p| {
        judged(Change::value(data.avg_confidence, p.avg_confidence, 2, "", Better::Up), p)
    });
    let minutes_change = p.and_then(|p| {
        let minutes = (data.avg_resolution_minutes, p.avg_resolution_minutes);
        judged(Change::value(minutes.0, minutes.1, 1, " min", Better::Down), p)
    });
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
    let daily_links: Vec<String> =
        data.daily_trend.iter().map(|d| sessions(&[("day", &d.date)])).collect();
    view! {
        <section aria-label="Overview" class="space-y-6">
            <div class="grid grid-cols-2 gap-4 md:grid-cols-4">
                <MetricCard
                    label="Sessions"
                    value=data.total_sessions.to_string()
                    change=sessions_change
                    href=Some(sessions(&[]))
                />
                <MetricCard
                    label="Resolution rate"
                    value=percent(data.resolution_rate)
                    hint=format!("{} resolved", data.resolved_sessions)
                    change=resolution_change
                    href=Some(sessions(&[("status", "resolved")]))
                />
                <MetricCard
                    label="Escalation rate"
                    value=percent(data.escalation_rate)
                    hint=format!("{} escalated", data.escalated_sessions)
                    change=escalation_change
                    href=Some(sessions(&[("status", "escalated")]))
                />
                <MetricCard
                    label="Guided rate"
                    value=percent(data.guided_rate)
                    change=guided_change
                    href=Some(sessions(&[("tier", "guided")]))
                />
                <MetricCard
                    label="Avg confidence"
                    value=or_dash(data.avg_confidence, |c| format!("{c:.2}"))
                    change=confidence_change
                />
                <MetricCard
                    label="Avg resolution time"
                    value=or_dash(data.avg_resolution_minutes, minutes)
                    change=minutes_change
                />
                <MetricCard
                    label="Matched-flow rate"
                    value=percent(data.matched_flow_rate)
                    change=matched_change
                />
            </div>
            <div class="grid gap-4 lg:grid-cols-3">
                <div class="glass-card-static min-w-0 p-4 lg:col-span-2">
                    <div class="mb-2 flex items-baseline justify-between">
                        <h2 class="text-sm font-semibold">"Sessions by day"</h2>
                        <ExportLink path=DataSource::Overview.csv_path() what="sessions by day" />
                    </div>
                    <Chart
                        id="overview-trend-chart"
                        label="Daily sessions, resolved and escalated"
                        option=chart
                        hrefs=daily_links.clone()
                    />
                    <DailyTable
                        caption="Sessions by day"
                        headers=&["Date", "Sessions", "Resolved", "Escalated"]
                        rows=daily_rows
                        hrefs=daily_links
                    />
                </div>
                <TopDomains domains=data.top_domains />
            </div>
            <div class="grid gap-4 lg:grid-cols-2">
                <BreakdownTable
                    caption="By technician"
                    name="Technician"
                    param="technician"
                    rows=data.by_technician
                />
                <BreakdownTable caption="By client" name="Client" param="client" rows=data.by_client />
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn TopDomains(domains: Vec<DomainCount>) -> impl IntoView {
    let sessions = use_sessions_link();
    let max = domains.iter().map(|d| d.session_count).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = domains
        .into_iter()
        .map(|d| Bar {
            href: Some(sessions(&[("domain", &d.domain)])),
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
