//! Overview tab (`OverviewResponse`): four statements over the account's sessions in the
//! window — totals, the zero-filled day series, the top five domains, the breakdowns by
//! technician and by client.

use super::{windowed, Window};
use crate::{
    error::AppError,
    model::{
        rate, round1, round2, round3, BreakdownRow, DomainCount, OverviewDay, OverviewResponse,
    },
};
use sqlx::PgPool;
use uuid::Uuid;

pub const TOTALS_SQL: &str =
    statement!("raw_sessions.sql", "session_facts.sql", "overview_totals.sql");
pub const DAILY_SQL: &str =
    statement!("raw_sessions.sql", "session_facts.sql", "daily_sessions.sql");
pub const TOP_DOMAINS_SQL: &str =
    statement!("raw_sessions.sql", "session_facts.sql", "top_domains.sql");
pub const BREAKDOWNS_SQL: &str =
    statement!("raw_sessions.sql", "time_entry_facts.sql", "owner_facts.sql", "breakdowns.sql");
/// Every statement a request runs, each bound to (account, window, filters).
pub const STATEMENTS: &[&str] = &[TOTALS_SQL, DAILY_SQL, TOP_DOMAINS_SQL, BREAKDOWNS_SQL];

#[derive(sqlx::FromRow)]
struct Totals {
    total_sessions: i64,
    resolved_sessions: i64,
    escalated_sessions: i64,
    guided_sessions: i64,
    matched_sessions: i64,
    avg_confidence: Option<f64>,
    avg_resolution_minutes: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct DayRow {
    date: String,
    sessions: i64,
    resolved: i64,
    escalated: i64,
}

#[derive(sqlx::FromRow)]
struct OwnerRow {
    dimension: String,
    id: Uuid,
    name: String,
    sessions: i64,
    resolved: i64,
    escalated: i64,
    avg_resolution_minutes: Option<f64>,
    hours_logged: f64,
}

impl From<OwnerRow> for BreakdownRow {
    fn from(row: OwnerRow) -> Self {
        BreakdownRow {
            id: row.id,
            name: row.name,
            sessions: row.sessions,
            resolution_rate: rate(row.resolved, row.sessions),
            escalation_rate: rate(row.escalated, row.sessions),
            avg_resolution_minutes: row.avg_resolution_minutes.map(round1),
            hours_logged: round2(row.hours_logged),
        }
    }
}

#[derive(sqlx::FromRow)]
struct DomainRow {
    domain: String,
    session_count: i64,
}

pub async fn overview(
    pool: &PgPool,
    account_id: Uuid,
    window: Window,
) -> Result<OverviewResponse, AppError> {
    // The four statements are independent: each on its own connection, at once (a request's
    // time is its slowest statement's, not their sum — see docs/BENCHMARKS.md).
    let (totals, days, domains, owners) = tokio::try_join!(
        windowed::<Totals>(TOTALS_SQL, account_id, window).fetch_one(pool),
        windowed::<DayRow>(DAILY_SQL, account_id, window).fetch_all(pool),
        windowed::<DomainRow>(TOP_DOMAINS_SQL, account_id, window).fetch_all(pool),
        windowed::<OwnerRow>(BREAKDOWNS_SQL, account_id, window).fetch_all(pool),
    )?;
    let (technicians, clients): (Vec<OwnerRow>, Vec<OwnerRow>) =
        owners.into_iter().partition(|row| row.dimension == "technician");

    let total = totals.total_sessions;
    Ok(OverviewResponse {
        window: Default::default(),
        previous: None,
        total_sessions: total,
        resolved_sessions: totals.resolved_sessions,
        escalated_sessions: totals.escalated_sessions,
        resolution_rate: rate(totals.resolved_sessions, total),
        escalation_rate: rate(totals.escalated_sessions, total),
        guided_rate: rate(totals.guided_sessions, total),
        avg_confidence: totals.avg_confidence.map(round3),
        avg_resolution_minutes: totals.avg_resolution_minutes.map(round1),
        matched_flow_rate: rate(totals.matched_sessions, total),
        daily_trend: days
            .into_iter()
            .map(|d| OverviewDay {
                date: d.date,
                sessions: d.sessions,
                resolved: d.resolved,
                escalated: d.escalated,
            })
            .collect(),
        top_domains: domains
            .into_iter()
            .map(|d| DomainCount { domain: d.domain, session_count: d.session_count })
            .collect(),
        by_technician: technicians.into_iter().map(Into::into).collect(),
        by_client: clients.into_iter().map(Into::into).collect(),
    })
}
