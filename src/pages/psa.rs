//! PSA tab: time entries, hours, the push funnel and a dual-axis trend (SPEC §3 "PSA").

use crate::{
    components::{
        async_view::AsyncView,
        chart::{Chart, ChartSpec},
        metric_card::{percent, MetricCard},
    },
    error::AppError,
    model::{conversion, EnhancedPsaMetrics, PageContext, PsaDailyTrend, PsaFunnel},
    pages::analytics::use_period_param,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};

#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "psa-metrics")]
pub async fn get_psa_metrics(
    #[server(default)] period: String,
) -> Result<EnhancedPsaMetrics, AppError> {
    use crate::server::{
        api::{as_admin, AnalyticsQuery},
        queries::psa::psa_metrics,
    };
    as_admin(|state, admin| async move {
        psa_metrics(&state.pool, admin.account_id, AnalyticsQuery::window_for(&period)?).await
    })
    .await
}

#[component]
pub fn PsaTab() -> impl IntoView {
    let period = use_period_param();
    let resource = Resource::new(move || period.get(), get_psa_metrics);
    view! { <AsyncView resource ready=psa_view /> }
}

fn psa_view(data: EnhancedPsaMetrics, _: PageContext) -> AnyView {
    view! {
        <section aria-label="PSA" class="space-y-6">
            <div class="grid grid-cols-1 gap-4 sm:grid-cols-3">
                <MetricCard label="Total time entries" value=data.total_time_entries.to_string() />
                <MetricCard
                    label="Total hours logged"
                    value=format!("{:.2}", data.total_hours_logged)
                />
                <MetricCard
                    label="Avg hours/session"
                    value=format!("{:.2}", data.avg_hours_per_session)
                    hint="Over sessions with a time entry"
                />
            </div>
            <div class="grid gap-4 lg:grid-cols-3">
                <Funnel funnel=data.push_funnel />
                <div class="glass-card-static min-w-0 p-4 lg:col-span-2">
                    <h2 class="mb-2 text-sm font-semibold">"Time entries and hours by day"</h2>
                    <Chart
                        id="psa-trend-chart"
                        label="Time entries and hours logged per day"
                        spec=ChartSpec::PsaTrend(data.daily_trend.clone())
                    />
                    <TrendTable days=data.daily_trend />
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// Horizontal bars, each as wide as its share of all sessions, with the conversion from the
/// step before.
#[component]
fn Funnel(funnel: PsaFunnel) -> impl IntoView {
    let steps = funnel.steps();
    let total = funnel.total_sessions.max(1);
    view! {
        <div class="glass-card-static p-4">
            <h2 class="mb-3 text-sm font-semibold">"Push funnel"</h2>
            <ol class="space-y-3" aria-label="Push funnel">
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(index, (label, count))| {
                        let from_previous = index
                            .checked_sub(1)
                            .map(|previous| conversion(steps[previous].1, count));
                        let width = format!("width: {:.1}%", count as f64 * 100.0 / total as f64);
                        view! {
                            <li data-step=label>
                                <div class="flex justify-between text-sm">
                                    <span>{label}</span>
                                    <span class="tabular-nums">
                                        <span data-count="">{count}</span>
                                        {from_previous
                                            .map(|rate| {
                                                view! {
                                                    <span
                                                        class="ml-2 text-muted-foreground"
                                                        data-conversion=""
                                                    >
                                                        {rate.map(percent).unwrap_or_else(|| "—".into())}
                                                    </span>
                                                }
                                            })}
                                    </span>
                                </div>
                                <div class="mt-1 h-2 rounded bg-muted">
                                    <div class="h-2 rounded bg-primary" style=width></div>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}

#[component]
fn TrendTable(days: Vec<PsaDailyTrend>) -> impl IntoView {
    view! {
        <details class="mt-2 text-sm">
            <summary class="cursor-pointer text-muted-foreground">"Daily numbers"</summary>
            <table class="mt-2 w-full tabular-nums">
                <caption class="sr-only">"Time entries by day"</caption>
                <thead class="text-left text-muted-foreground">
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Time entries"</th>
                        <th scope="col">"Hours"</th>
                    </tr>
                </thead>
                <tbody>
                    {days
                        .into_iter()
                        .map(|d| {
                            view! {
                                <tr>
                                    <td>{d.date}</td>
                                    <td>{d.entries}</td>
                                    <td>{format!("{:.2}", d.hours)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}
