//! The CSV exports (SPEC §8): `…/{coverage,flow-quality,psa-metrics,sessions}.csv` with the
//! same parameters as their JSON, in the same per-user budgets. The tabs' tables are written
//! from their answers; the sessions list streams every row from the database (constant memory,
//! no row cap). Parameters are checked before the first byte, so a bad one is still a 4xx JSON
//! error.

use super::{
    api::AnalyticsQuery,
    csv,
    identity::Admin,
    queries::{self, sessions::Export, SourceAnswer},
    rate_limit,
    state::AppState,
    tenant,
};
use crate::{
    drill::DrillParams,
    error::AppError,
    flow_quality::FlowSort,
    model::{round2, ViewParams},
    routes::DataSource,
};
use axum::{
    extract::{RawQuery, State},
    response::Response,
    routing::{get, MethodRouter},
};

/// `GET …/sessions.csv`: every session of the view's drill, newest first, streamed.
pub async fn sessions(
    State(state): State<AppState>,
    admin: Admin,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    rate_limit::spend_analytics(&state, admin.user_id, rate_limit::SESSIONS).await?;
    let query = AnalyticsQuery::parse(raw.as_deref())?;
    let (view, drill) =
        (ViewParams::read(|n| query.value(n)), DrillParams::read(|n| query.value(n)));
    let export = Export::prepare(&state.pool, admin.account_id, &view, &drill).await?;
    let name = csv::filename(&export.account_name, "sessions", &export.info);
    let (pool, account) = (state.pool.clone(), admin.account_id);
    Ok(csv::stream(&name, &queries::sessions::CSV_HEADER, move |writer| {
        // The reader runs on a task of its own: it takes the request's tenant with it.
        tenant::scoped(account, export.write(pool, writer))
    }))
}

/// `GET` of a tab's table as CSV: the Overview's days, coverage's domains, flow quality's flows
/// (by quality score), PSA's days.
pub fn tab(source: DataSource) -> MethodRouter<AppState> {
    get(move |State(state): State<AppState>, admin: Admin, RawQuery(raw): RawQuery| async move {
        tab_csv(&state, admin, source, raw.as_deref()).await
    })
}

async fn tab_csv(
    state: &AppState,
    admin: Admin,
    source: DataSource,
    raw: Option<&str>,
) -> Result<Response, AppError> {
    rate_limit::spend_analytics(state, admin.user_id, source.name()).await?;
    let query = AnalyticsQuery::parse(raw)?;
    let view = ViewParams::read(|n| query.value(n));
    let sort = FlowSort::parse_param(query.get("sort"))?;
    let (pool, account) = (&state.pool, admin.account_id);
    let answer = queries::requested(pool, account, source, &view, false, sort).await?;
    let account_name: String = sqlx::query_scalar("SELECT name FROM accounts WHERE id = $1")
        .bind(account)
        .fetch_one(pool)
        .await?;
    let text = |value: f64| value.to_string();
    let (window, header, rows): (_, &[&str], Vec<Vec<String>>) = match answer {
        SourceAnswer::Coverage(c) => (
            c.window,
            &[
                "domain",
                "flow_count",
                "session_count",
                "resolution_rate",
                "escalation_rate",
                "guided_rate",
                "avg_resolution_minutes",
            ],
            c.domains
                .into_iter()
                .map(|d| {
                    vec![
                        d.domain,
                        d.flow_count.to_string(),
                        d.session_count.to_string(),
                        text(d.resolution_rate),
                        text(d.escalation_rate),
                        text(d.guided_rate),
                        csv::number(d.avg_resolution_minutes),
                    ]
                })
                .collect(),
        ),
        SourceAnswer::FlowQuality(q) => {
            let used: Vec<_> = q.flows.iter().filter_map(|f| f.last_matched_at).collect();
            let mut local = queries::sessions::local_times(pool, account, &used).await?.into_iter();
            (
                q.window,
                &[
                    "flow_id",
                    "name",
                    "tree_type",
                    "usage_count",
                    "success_rate",
                    "last_matched_at",
                    "avg_confidence",
                    "quality_score",
                ],
                q.flows
                    .into_iter()
                    .map(|f| {
                        let last = f.last_matched_at.and_then(|_| local.next()).unwrap_or_default();
                        vec![
                            f.flow_id,
                            f.name,
                            f.tree_type,
                            f.usage_count.to_string(),
                            csv::number(f.success_rate),
                            last,
                            csv::number(f.avg_confidence),
                            text(f.quality_score),
                        ]
                    })
                    .collect(),
            )
        }
        SourceAnswer::Psa(p) => (
            p.window,
            &["date", "time_entries", "hours_logged"],
            p.daily_trend
                .into_iter()
                .map(|d| vec![d.date, d.entries.to_string(), text(round2(d.hours))])
                .collect(),
        ),
        SourceAnswer::Overview(o) => (
            o.window,
            &["date", "sessions", "resolved", "escalated"],
            o.daily_trend
                .into_iter()
                .map(|d| {
                    vec![
                        d.date,
                        d.sessions.to_string(),
                        d.resolved.to_string(),
                        d.escalated.to_string(),
                    ]
                })
                .collect(),
        ),
    };
    let name = csv::filename(&account_name, source.name(), &window);
    Ok(csv::download(&name, header, rows))
}
