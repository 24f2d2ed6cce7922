//! Overview tab (`OverviewResponse`): two statements over the account's sessions in the
//! window — the totals, the zero-filled day series and the top five domains in one
//! (overview_facts.sql), the breakdowns by technician and by client in the other.

use super::{windowed, Window};
use crate::{
    error::AppError,
    model::{
        rate, round1, round2, round3, BreakdownRow, DomainCount, OverviewDay, OverviewResponse,
    },
};
use sqlx::PgPool;
use uuid::Uuid;

pub const FACTS_SQL: &str =
    statement!("raw_sessions.sql", "session_facts.sql", "overview_facts.sql");
pub const BREAKDOWNS_SQL: &str =
    statement!("raw_sessions.sql", "time_entry_facts.sql", "owner_facts.sql", "breakdowns.sql");
/// Every statement a request runs, each bound to (account, window, filters).
pub const STATEMENTS: &[&str] = &[FACTS_SQL, BREAKDOWNS_SQL];

/// A row of overview_facts.sql: the window's sessions summed on one day (`date`), in one domain
/// (`domain`) or, with neither, as a whole.
#[derive(sqlx::FromRow)]
struct FactRow {
    date: Option<String>,
    domain: Option<String>,
    sessions: i64,
    resolved: i64,
    escalated: i64,
    guided: i64,
    matched: i64,
    avg_confidence: Option<f64>,
    avg_resolution_minutes: Option<f64>,
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

pub async fn overview(
    pool: &PgPool,
    account_id: Uuid,
    window: Window,
) -> Result<OverviewResponse, AppError> {
    // The two statements are independent: each on its own connection, at once (a request's
    // time is its slower statement's, not their sum — see docs/BENCHMARKS.md).
    let (facts, owners) = tokio::try_join!(
        windowed::<FactRow>(FACTS_SQL, account_id, window).fetch_all(pool),
        windowed::<OwnerRow>(BREAKDOWNS_SQL, account_id, window).fetch_all(pool),
    )?;
    let (technicians, clients): (Vec<OwnerRow>, Vec<OwnerRow>) =
        owners.into_iter().partition(|row| row.dimension == "technician");

    // The statement orders its rows: the days in date order, the domains busiest first, the
    // one total last.
    let mut daily_trend = Vec::new();
    let mut top_domains = Vec::new();
    let mut totals = None;
    for mut row in facts {
        match (row.date.take(), row.domain.take()) {
            (Some(date), _) => daily_trend.push(OverviewDay {
                date,
                sessions: row.sessions,
                resolved: row.resolved,
                escalated: row.escalated,
            }),
            (None, Some(domain)) => {
                top_domains.push(DomainCount { domain, session_count: row.sessions })
            }
            (None, None) => totals = Some(row),
        }
    }
    let totals =
        totals.ok_or_else(|| AppError::internal("overview: the statement gave no total"))?;

    let total = totals.sessions;
    Ok(OverviewResponse {
        window: Default::default(),
        previous: None,
        total_sessions: total,
        resolved_sessions: totals.resolved,
        escalated_sessions: totals.escalated,
        resolution_rate: rate(totals.resolved, total),
        escalation_rate: rate(totals.escalated, total),
        guided_rate: rate(totals.guided, total),
        avg_confidence: totals.avg_confidence.map(round3),
        avg_resolution_minutes: totals.avg_resolution_minutes.map(round1),
        matched_flow_rate: rate(totals.matched, total),
        daily_trend,
        top_domains,
        by_technician: technicians.into_iter().map(Into::into).collect(),
        by_client: clients.into_iter().map(Into::into).collect(),
    })
}
