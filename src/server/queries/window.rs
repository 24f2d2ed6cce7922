//! The time window every analytics statement is asked for, and how it is bound.

use crate::{error::AppError, model::Period};
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

    /// The window of a raw `period` query value ("" is the default) ending now; 422 naming
    /// the allowed values for anything else.
    pub fn from_period_param(period: &str) -> Result<Self, AppError> {
        Ok(Window::ending_at(Period::parse_param(Some(period))?, Utc::now()))
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
