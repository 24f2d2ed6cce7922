//! Every limit of the service, counted in PostgreSQL (`rate_limit_buckets`), so any number of
//! server instances on one database enforce one limit (SPEC §10). A bucket counts hits in a
//! fixed window; past the limit the answer is 429 with `Retry-After` (the window's end).
//!
//! The buckets: each user's loads of each data source (REST, server fn and page alike — a page
//! view counts once), each API key's ingest requests, and sign-in failures per email and per
//! client IP.

use super::{metrics, state::AppState};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    pub fn per_minute(max: u32) -> Self {
        Limit { max, window: Duration::from_secs(60) }
    }
}

/// The filter pickers' read, beside the four data sources (its own budget).
pub const FILTERS: &str = "filters";
/// The sessions list's pages and one session's page (drill-down, SPEC §8), each its own budget.
pub const SESSIONS: &str = "sessions";
pub const SESSION: &str = "session";

/// A user's bucket for one analytics read: a data source by its name, or the filter pickers.
pub fn analytics_bucket(user_id: Uuid, read: &str) -> String {
    format!("analytics:{user_id}:{read}")
}

/// The start of every API key's ingest bucket name: the key's id follows.
pub const INGEST_PREFIX: &str = "ingest:";

pub fn ingest_bucket(api_key_id: Uuid) -> String {
    format!("{INGEST_PREFIX}{api_key_id}")
}

/// A bucket's window as `rate_limit_add` takes it.
pub fn window_millis(limit: Limit) -> f64 {
    limit.window.as_secs_f64() * 1000.0
}

/// Counts `cost` hits on the bucket and returns its hits in the window and when it resets
/// (the window's rule is `rate_limit_add`'s, migration 20261207000001).
async fn add(
    pool: &PgPool,
    bucket: &str,
    limit: Limit,
    cost: i32,
) -> Result<(i32, DateTime<Utc>), AppError> {
    Ok(sqlx::query_as("SELECT hits, resets_at FROM rate_limit_add($1, $2, $3)")
        .bind(bucket)
        .bind(window_millis(limit))
        .bind(cost)
        .fetch_one(pool)
        .await?)
}

/// 429 for `bucket`, counted by the bucket's kind (the part before its first `:`).
fn limited(bucket: &str, resets_at: DateTime<Utc>) -> AppError {
    metrics::rate_limit_rejection(match bucket.split(':').next() {
        Some("analytics") => "analytics",
        Some("ingest") => "ingest",
        Some("signin-email") => "signin-email",
        Some("signin-ip") => "signin-ip",
        _ => "other",
    });
    let wait = (resets_at - Utc::now()).num_milliseconds().max(0) as f64 / 1000.0;
    AppError::RateLimited { retry_after_secs: wait.ceil().max(1.0) as u64 }
}

/// Spends one hit of the bucket, or answers 429 when the window's hits are spent.
pub async fn hit(pool: &PgPool, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let (hits, resets_at) = add(pool, bucket, limit, 1).await?;
    judge(bucket, limit, hits, resets_at)
}

/// The verdict on a hit just counted: 429 once the window holds more than `limit.max`.
pub fn judge(
    bucket: &str,
    limit: Limit,
    hits: i32,
    resets_at: DateTime<Utc>,
) -> Result<(), AppError> {
    if hits > limit.max as i32 {
        return Err(limited(bucket, resets_at));
    }
    Ok(())
}

/// 429 when the bucket already holds `limit.max` hits in its window; spends nothing.
pub async fn check(pool: &PgPool, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let counted: Option<(i32, DateTime<Utc>)> = sqlx::query_as(
        "SELECT hits, resets_at FROM rate_limit_buckets WHERE bucket = $1 AND resets_at > now()",
    )
    .bind(bucket)
    .fetch_optional(pool)
    .await?;
    match counted {
        Some((hits, resets_at)) if hits >= limit.max as i32 => Err(limited(bucket, resets_at)),
        _ => Ok(()),
    }
}

/// Counts one hit without judging it (a sign-in failure).
pub async fn record(pool: &PgPool, bucket: &str, limit: Limit) -> Result<(), AppError> {
    add(pool, bucket, limit, 1).await.map(drop)
}

/// Empties the bucket (a successful sign-in resets its email's failures).
pub async fn reset(pool: &PgPool, bucket: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM rate_limit_buckets WHERE bucket = $1")
        .bind(bucket)
        .execute(pool)
        .await?;
    Ok(())
}

/// Spends one of the user's loads of `read` (a data source's name, or [`FILTERS`]):
/// `FLOWPILOT_RATE_LIMIT_PER_MINUTE` each (SPEC §6: 15).
pub async fn spend_analytics(state: &AppState, user_id: Uuid, read: &str) -> Result<(), AppError> {
    let limit = Limit::per_minute(state.config.rate_limit_per_minute);
    hit(&state.pool, &analytics_bucket(user_id, read), limit).await
}

/// Removes buckets whose window has ended; housekeeping.
pub async fn expire(pool: &PgPool) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM rate_limit_buckets WHERE resets_at <= now()")
        .execute(pool)
        .await?
        .rows_affected())
}
