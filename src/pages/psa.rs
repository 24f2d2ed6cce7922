//! PSA tab: time entries, hours, the push funnel and a dual-axis trend.

use crate::{
    compare::{Better, Change},
    components::{
        async_view::AsyncView,
        bar_list::{Bar, BarList},
        chart::Chart,
        daily_table::DailyTable,
        export_link::ExportLink,
        metric_card::{percent, MetricCard},
    },
    data_cache::use_tab_data,
    error::AppError,
    model::{conversion, Charted, EnhancedPsaMetrics, PageContext, PsaFunnel},
    page_state::use_sessions_link,
    routes::DataSource,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::{lazy_route, LazyRoute};

#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "psa-metrics")]
pub async fn get_psa_metrics(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] technician: String,
    #[server(default)] client: String,
) -> Result<Charted<EnhancedPsaMetrics>, AppError> {
    use crate::server::{charts, queries::psa::psa_metrics, server_fns::load_tab};
    let window = crate::model::ViewParams { period, from, to, technician, client };
    let data = load_tab(DataSource::Psa, window, |pool, account, w| async move {
        psa_metrics(&pool, account, w).await
    })
    .await?;
    Ok(Charted { chart: charts::psa_trend(&data.daily_trend), data })
}

/// The PSA tab as a lazy route: its code is a `.wasm` chunk of its own (`app.rs`).
pub struct PsaRoute;

#[lazy_route]
impl LazyRoute for PsaRoute {
    fn data() -> Self {
        Self
    }

    fn view(_route: Self) -> AnyView {
        view! { <PsaTab /> }.into_any()
    }
}

#[component]
pub fn PsaTab() -> impl IntoView {
    let resource = use_tab_data(DataSource::Psa, |w| {
        get_psa_metrics(w.period, w.from, w.to, w.technician, w.client)
    });
    view! { <AsyncView resource ready=psa_view /> }
}

fn psa_view(Charted { data, chart }: Charted<EnhancedPsaMetrics>, _: PageContext) -> AnyView {
    // Each card's change against the previous window; more time logged is neither good nor bad.
    let p = data.previous.as_deref();
    let entries_change =
        p.map(|p| Change::count(data.total_time_entries, p.total_time_entries, Better::Neither));
    let hours = |value: fn(&EnhancedPsaMetrics) -> f64| {
        p.and_then(|p| Change::value(Some(value(&data)), Some(value(p)), 2, " h", Better::Neither))
    };
    let hours_change = hours(|m| m.total_hours_logged);
    let per_session_change = hours(|m| m.avg_hours_per_session);
    let daily_rows = data
        .daily_trend
        .iter()
        .map(|d| vec![d.date.clone(), d.entries.to_string(), format!("{:.2}", d.hours)])
        .collect();
    view! {
        <section aria-label="PSA" class="space-y-6">
            <div class="grid grid-cols-1 gap-4 sm:grid-cols-3">
                <MetricCard
                    label="Total time entries"
                    value=data.total_time_entries.to_string()
                    change=entries_change
                />
                <MetricCard
                    label="Total hours logged"
                    value=format!("{:.2}", data.total_hours_logged)
                    change=hours_change
                />
                <MetricCard
                    label="Avg hours/session"
                    value=format!("{:.2}", data.avg_hours_per_session)
                    hint="Over sessions with a time entry"
                    change=per_session_change
                />
            </div>
            <div class="grid gap-4 lg:grid-cols-3">
                <div class="glass-card-static p-4">
                    <h2 class="mb-3 text-sm font-semibold">"Push funnel"</h2>
                    <BarList label="Push funnel" bars=funnel_bars(&data.push_funnel, use_sessions_link()) />
                </div>
                <div class="glass-card-static min-w-0 p-4 lg:col-span-2">
                    <div class="mb-2 flex items-baseline justify-between">
                        <h2 class="text-sm font-semibold">"Time entries and hours by day"</h2>
                        <ExportLink path=DataSource::Psa.csv_path() what="time entries and hours by day" />
                    </div>
                    <Chart
                        id="psa-trend-chart"
                        label="Time entries and hours logged per day"
                        option=chart
                    />
                    <DailyTable
                        caption="Time entries by day"
                        headers=&["Date", "Time entries", "Hours"]
                        rows=daily_rows
                    />
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// The sessions list's `step` for each funnel step ("" for all sessions).
const FUNNEL_STEPS: [&str; 4] = ["", "linked", "note_pushed", "time_entry"];

/// Each step as wide as its share of all sessions, with the conversion from the step before
/// ("—" when nothing entered that step), its count leading to its sessions.
fn funnel_bars(funnel: &PsaFunnel, sessions: impl Fn(&[(&str, &str)]) -> String) -> Vec<Bar> {
    let steps = funnel.steps();
    let total = funnel.total_sessions.max(1) as f64;
    steps
        .iter()
        .enumerate()
        .map(|(index, &(label, count))| Bar {
            label: label.to_owned(),
            count,
            conversion: index.checked_sub(1).map(|previous| {
                conversion(steps[previous].1, count).map(percent).unwrap_or_else(|| "—".into())
            }),
            share: count as f64 / total,
            href: Some(sessions(&[("step", FUNNEL_STEPS[index])])),
        })
        .collect()
}
