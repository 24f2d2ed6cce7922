//! Per-account API keys for the FlowPilot engine: `Authorization: Bearer fpk_…`. Only a
//! SHA-256 of a key is stored; a key is shown once, when created, and can be revoked.

use super::{rate_limit, state::AppState};
use crate::error::AppError;
use axum::{extract::FromRequestParts, http::request::Parts};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

const KEY_PREFIX: &str = "fpk_";

/// The account an API request acts for.
#[derive(Debug, Clone, Copy)]
pub struct ApiClient {
    pub account_id: Uuid,
    pub key_id: Uuid,
}

pub struct CreatedKey {
    pub id: Uuid,
    pub key: String,
}

fn hash(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

pub async fn create(pool: &PgPool, account_name: &str, name: &str) -> Result<CreatedKey, AppError> {
    let account: Option<(Uuid,)> = sqlx::query_as("SELECT id FROM accounts WHERE name = $1")
        .bind(account_name)
        .fetch_optional(pool)
        .await?;
    let (account_id,) = account
        .ok_or_else(|| AppError::validation(format!("No account named \"{account_name}\".")))?;
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    let key = format!("{KEY_PREFIX}{}", hex::encode(bytes));
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO api_keys (account_id, name, key_hash, prefix) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(hash(&key))
    .bind(&key[..KEY_PREFIX.len() + 8])
    .fetch_one(pool)
    .await?;
    Ok(CreatedKey { id, key })
}

/// Revokes by id or by the printed prefix; true when a live key was revoked.
pub async fn revoke(pool: &PgPool, id_or_prefix: &str) -> Result<bool, AppError> {
    let id = Uuid::parse_str(id_or_prefix).ok();
    let revoked = sqlx::query(
        "UPDATE api_keys SET revoked_at = now()
         WHERE revoked_at IS NULL AND (id = $1 OR prefix = $2)",
    )
    .bind(id)
    .bind(id_or_prefix)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(revoked > 0)
}

/// The account of `key`, with one hit spent from the key's ingest budget (SPEC §10, shared by
/// every instance): one round trip for both. An unknown or revoked key spends nothing.
pub async fn authenticate_and_spend(
    pool: &PgPool,
    key: &str,
    limit: rate_limit::Limit,
) -> Result<ApiClient, AppError> {
    let row: Option<(Uuid, Uuid, i32, DateTime<Utc>)> = sqlx::query_as(
        "SELECT k.id, k.account_id, h.hits, h.resets_at
         FROM api_key_principal($1) k CROSS JOIN LATERAL rate_limit_add($2 || k.id::text, $3, 1) h",
    )
    .bind(hash(key))
    .bind(rate_limit::INGEST_PREFIX)
    .bind(rate_limit::window_millis(limit))
    .fetch_optional(pool)
    .await?;
    let (key_id, account_id, hits, resets_at) =
        row.ok_or(AppError::unauthorized("Invalid or revoked API key."))?;
    rate_limit::judge(&rate_limit::ingest_bucket(key_id), limit, hits, resets_at)?;
    Ok(ApiClient { account_id, key_id })
}

impl FromRequestParts<AppState> for ApiClient {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let key = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                AppError::unauthorized("Send the API key as `Authorization: Bearer <key>`.")
            })?;
        let limit = rate_limit::Limit::per_minute(state.config.ingest_rate_per_minute);
        authenticate_and_spend(&state.pool, key, limit).await
    }
}
