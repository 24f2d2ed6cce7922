//! PSA tab (`EnhancedPsaMetrics`): two statements — the time entries (their totals and the
//! zero-filled daily trend, psa_entries.sql) and the push funnel over the window's sessions.

use super::{windowed, Window};
use crate::{
    error::AppError,
    model::{round2, EnhancedPsaMetrics, PsaDailyTrend, PsaFunnel},
};
use sqlx::PgPool;
use uuid::Uuid;

pub const ENTRIES_SQL: &str = statement!("time_entry_facts.sql", "psa_entries.sql");
pub const FUNNEL_SQL: &str = statement!("raw_sessions.sql", "session_facts.sql", "psa_funnel.sql");
/// Every statement a request runs, each bound to (account, window, filters).
pub const STATEMENTS: &[&str] = &[ENTRIES_SQL, FUNNEL_SQL];

/// A row of psa_entries.sql: the whole window's time entries (`date` NULL, first) or a day's.
#[derive(sqlx::FromRow)]
struct Entries {
    date: Option<String>,
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

pub async fn psa_metrics(
    pool: &PgPool,
    account_id: Uuid,
    window: Window,
) -> Result<EnhancedPsaMetrics, AppError> {
    // Independent statements, each on its own connection, at once (as Overview's).
    let (entries, funnel): (Vec<Entries>, Funnel) = tokio::try_join!(
        windowed(ENTRIES_SQL, account_id, window).fetch_all(pool),
        windowed(FUNNEL_SQL, account_id, window).fetch_one(pool),
    )?;
    let mut entries = entries.into_iter();
    let totals = entries
        .next()
        .filter(|row| row.date.is_none())
        .ok_or_else(|| AppError::internal("psa: the statement gave no total first"))?;

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
        daily_trend: entries
            .map(|d| PsaDailyTrend {
                date: d.date.unwrap_or_default(),
                entries: d.entries,
                hours: round2(d.hours),
            })
            .collect(),
    })
}
