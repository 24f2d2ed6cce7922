//! The time window (and filters) every analytics statement is asked for, how a request's
//! window is resolved in the account's time zone (with the window before it, for comparisons)
//! and its filters checked, and how it is bound.

use crate::{
    error::AppError,
    model::{Filters, Period, ViewParams, WindowInfo, WindowSpec, Windowed},
};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use sqlx::{
    postgres::{PgArguments, PgRow},
    query::QueryAs,
    FromRow, PgPool, Postgres,
};
use std::future::Future;
use uuid::Uuid;

/// The half-open-at-the-start window `(since, until]` a statement reads, and the filters that
/// restrict its sessions (checked to be the account's).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub filters: Filters,
}

impl Window {
    /// The window `(now - N days, now]` a period covers, unfiltered.
    pub fn ending_at(period: Period, now: DateTime<Utc>) -> Self {
        Window {
            since: now - Duration::days(i64::from(period.days())),
            until: now,
            filters: Filters::default(),
        }
    }

    pub fn filtered(self, filters: Filters) -> Self {
        Window { filters, ..self }
    }
}

/// A request's window for one account, and the window of equal length that ends where it
/// starts.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub window: Window,
    pub info: WindowInfo,
    pub previous: Window,
    pub previous_info: WindowInfo,
}

/// Resolves a window in the account's zone, in one round trip. A period is `(now − N days,
/// now]`. Days `from..=to` are `[from 00:00, to+1 00:00)` local, clipped at now — bound as
/// `(from 00:00 − 1 µs, to+1 00:00 − 1 µs]`, the same instants at PostgreSQL's microsecond
/// precision, so both kinds share one half-open form. The previous window ends where this one
/// starts and is as long: for a period the same duration, for days the same number of whole
/// local days (DST-proof; a range ending today, cut at now, compares with whole days).
/// `$5`/`$6`, the filters, must name the account's technician (a user) and client.
const RESOLVE_SQL: &str = "
WITH account AS (
    SELECT timezone AS tz, now() AS now,
           $5::uuid IS NULL OR EXISTS (SELECT FROM users u
                                       WHERE u.account_id = $1 AND u.id = $5) AS technician_found,
           $6::uuid IS NULL OR EXISTS (SELECT FROM clients c
                                       WHERE c.account_id = $1 AND c.id = $6) AS client_found
    FROM accounts WHERE id = $1
), bounds AS (
    SELECT tz, now, technician_found, client_found,
           CASE WHEN $2::int IS NOT NULL THEN now - make_interval(days => $2::int)
                ELSE ($3::date::timestamp AT TIME ZONE tz) - interval '1 microsecond' END AS since,
           CASE WHEN $2::int IS NOT NULL THEN now
                ELSE least(now, (($4::date + 1)::timestamp AT TIME ZONE tz)
                                - interval '1 microsecond') END AS until,
           CASE WHEN $2::int IS NOT NULL THEN now - make_interval(days => 2 * $2::int)
                ELSE (($3::date - ($4::date - $3::date + 1))::timestamp AT TIME ZONE tz)
                     - interval '1 microsecond' END AS previous_since
    FROM account
)
SELECT tz, now, technician_found, client_found, (now AT TIME ZONE tz)::date AS today, since, until, previous_since,
       ((since + interval '1 microsecond') AT TIME ZONE tz)::date AS first_day,
       (until AT TIME ZONE tz)::date AS last_day,
       ((previous_since + interval '1 microsecond') AT TIME ZONE tz)::date AS previous_first_day,
       (since AT TIME ZONE tz)::date AS previous_last_day
FROM bounds";

#[derive(FromRow)]
struct ResolvedRow {
    tz: String,
    now: DateTime<Utc>,
    technician_found: bool,
    client_found: bool,
    today: NaiveDate,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    previous_since: DateTime<Utc>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    previous_first_day: NaiveDate,
    previous_last_day: NaiveDate,
}

pub async fn resolve(
    pool: &PgPool,
    account_id: Uuid,
    params: &ViewParams,
) -> Result<Resolved, AppError> {
    let spec = params.spec()?;
    let filters = params.filters()?;
    let (days, from, to) = match spec {
        WindowSpec::Period(period) => (Some(period.days()), None, None),
        WindowSpec::Days { from, to } => (None, Some(from), Some(to)),
    };
    let row: ResolvedRow = sqlx::query_as(RESOLVE_SQL)
        .bind(account_id)
        .bind(days)
        .bind(from)
        .bind(to)
        .bind(filters.technician)
        .bind(filters.client)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::forbidden("No account"))?;
    // Another account's id is as unknown as one that never existed.
    if !row.technician_found {
        return Err(AppError::not_found("No such technician in this account."));
    }
    if !row.client_found {
        return Err(AppError::not_found("No such client in this account."));
    }
    if let Some(to) = to.filter(|to| *to > row.today) {
        return Err(AppError::validation(format!(
            "`to` ({to}) must not be after today ({} in {}).",
            row.today, row.tz
        )));
    }
    let info = |from: NaiveDate, to: NaiveDate| WindowInfo {
        from: from.to_string(),
        to: to.to_string(),
        timezone: row.tz.clone(),
        as_of: row.now.to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    Ok(Resolved {
        window: Window { since: row.since, until: row.until, filters },
        info: info(row.first_day, row.last_day),
        previous: Window { since: row.previous_since, until: row.since, filters },
        previous_info: info(row.previous_first_day, row.previous_last_day),
    })
}

/// A data source's answer for the requested window, carrying it, and — when `compare` — the
/// answer for the window before (the two computed at once).
pub async fn compared<T, F, Fut>(
    pool: &PgPool,
    account_id: Uuid,
    params: &ViewParams,
    compare: bool,
    answer: F,
) -> Result<T, AppError>
where
    T: Windowed,
    F: Fn(Window) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let resolved = resolve(pool, account_id, params).await?;
    let previous = async {
        if !compare {
            return Ok(None);
        }
        let mut previous = answer(resolved.previous).await?;
        previous.set_window(resolved.previous_info.clone(), None);
        Ok(Some(previous))
    };
    let (mut current, previous) = tokio::try_join!(answer(resolved.window), previous)?;
    current.set_window(resolved.info, previous);
    Ok(current)
}

/// A statement bound the way every analytics statement is: `$1` account, `$2`–`$3` window,
/// `$4` technician and `$5` client (NULL: not filtered).
pub fn windowed<'q, T>(
    sql: &'q str,
    account_id: Uuid,
    window: Window,
) -> QueryAs<'q, Postgres, T, PgArguments>
where
    T: for<'r> FromRow<'r, PgRow>,
{
    sqlx::query_as(sql)
        .bind(account_id)
        .bind(window.since)
        .bind(window.until)
        .bind(window.filters.technician)
        .bind(window.filters.client)
}
