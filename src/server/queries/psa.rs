//! PSA tab (`EnhancedPsaMetrics`): three statements — time-entry totals, the push
//! funnel over the window's sessions, and the zero-filled daily trend.

use super::{windowed, Window};
use crate::{
    error::AppError,
    model::{round2, EnhancedPsaMetrics, PsaDailyTrend, PsaFunnel},
};
use sqlx::PgPool;
use uuid::Uuid;

pub const TOTALS_SQL: &str = statement!("time_entry_facts.sql", "psa_totals.sql");
pub const FUNNEL_SQL: &str = statement!("raw_sessions.sql", "session_facts.sql", "psa_funnel.sql");
pub const DAILY_SQL: &str = statement!("time_entry_facts.sql", "psa_daily.sql");
/// Every statement a request runs, each bound to (account, since, until).
pub const STATEMENTS: &[&str] = &[TOTALS_SQL, FUNNEL_SQL, DAILY_SQL];

#[derive(sqlx::FromRow)]
struct Totals {
    entries: i64,
    hours: f64,
    sessions: i64,
}

#[derive(sqlx::FromRow)]
struct Funnel {
    total_sessions: i64,
    linked_to_ticket: i64,
    doc_pushed: i64,
    time_entry_logged: i64,
}

#[derive(sqlx::FromRow)]
struct Day {
    date: String,
    entries: i64,
    hours: f64,
}

pub async fn psa_metrics(
    pool: &PgPool,
    account_id: Uuid,
    window: Window,
) -> Result<EnhancedPsaMetrics, AppError> {
    // Independent statements, each on its own connection, at once (as Overview's).
    let (totals, funnel, days): (Totals, Funnel, Vec<Day>) = tokio::try_join!(
        windowed(TOTALS_SQL, account_id, window).fetch_one(pool),
        windowed(FUNNEL_SQL, account_id, window).fetch_one(pool),
        windowed(DAILY_SQL, account_id, window).fetch_all(pool),
    )?;

    let avg = if totals.sessions > 0 { totals.hours / totals.sessions as f64 } else { 0.0 };
    Ok(EnhancedPsaMetrics {
        window: Default::default(),
        previous: None,
        total_time_entries: totals.entries,
        total_hours_logged: round2(totals.hours),
        avg_hours_per_session: round2(avg),
        push_funnel: PsaFunnel {
            total_sessions: funnel.total_sessions,
            linked_to_ticket: funnel.linked_to_ticket,
            doc_pushed: funnel.doc_pushed,
            time_entry_logged: funnel.time_entry_logged,
        },
        daily_trend: days
            .into_iter()
            .map(|d| PsaDailyTrend { date: d.date, entries: d.entries, hours: round2(d.hours) })
            .collect(),
    })
}
