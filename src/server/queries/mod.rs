//! The SQL behind each metric family, one file each. Every query takes the account id first
//! and filters by it.
//!
//! A statement is assembled from parts: `window.sql` (the window in the account's local days),
//! a facts part (`session_facts.sql`, `flow_facts.sql`, `time_entry_facts.sql`: the daily
//! rollups for the inner days plus the raw rows of the two edge days) and the metric's own
//! query over those facts. See `migrations/…_daily_rollups.sql` for how the rollups are kept.

/// One analytics statement: the window prefix, then the given parts in order.
macro_rules! statement {
    ($($part:literal),+ $(,)?) => {
        concat!(include_str!("window.sql"), $(include_str!($part)),+)
    };
}

pub mod account;
pub mod coverage;
pub mod flow_quality;
pub mod overview;
pub mod psa;

use crate::model::Period;
use chrono::{DateTime, Duration, Utc};
use sqlx::{
    postgres::{PgArguments, PgRow},
    query::QueryAs,
    FromRow, Postgres,
};
use uuid::Uuid;

/// The half-open-at-the-start window `(now - N days, now]` that a period covers.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Window {
    pub fn ending_at(period: Period, now: DateTime<Utc>) -> Self {
        Window { since: now - Duration::days(i64::from(period.days())), until: now }
    }
}

/// A statement bound the way every analytics statement is: `$1` account, `$2`–`$3` window.
pub fn windowed<'q, T>(
    sql: &'q str,
    account_id: Uuid,
    window: Window,
) -> QueryAs<'q, Postgres, T, PgArguments>
where
    T: for<'r> FromRow<'r, PgRow>,
{
    sqlx::query_as(sql).bind(account_id).bind(window.since).bind(window.until)
}
