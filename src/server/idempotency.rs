//! `Idempotency-Key` on every ingest POST. The key's record is written in the same transaction
//! as the request's effect: a retry after success replays the stored answer (nothing happens
//! twice), a retry after a failure runs again (the failed attempt left nothing behind), and a
//! concurrent duplicate waits on the key's row until the first attempt ends.

use crate::error::AppError;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

pub const HEADER: &str = "idempotency-key";

/// The answer of an ingest request: status and JSON body.
pub type Answer = (StatusCode, Value);

pub fn key_from(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(HEADER) else { return Ok(None) };
    let key = value
        .to_str()
        .map_err(|_| AppError::bad_request("Idempotency-Key must be visible ASCII."))?
        .trim();
    if key.is_empty() || key.len() > 200 {
        return Err(AppError::bad_request("Idempotency-Key must have 1 to 200 characters."));
    }
    Ok(Some(key.to_owned()))
}

/// What a request is, for telling a retry from a different request reusing the key.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update([0]);
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher.finalize().to_vec()
}

/// Claims `key` inside `tx`. `Some(answer)` is the stored answer of an earlier success: return
/// it and do nothing else. `None`: go ahead, then [`record`] the answer before committing.
pub async fn claim(
    tx: &mut Transaction<'_, Postgres>,
    account_id: Uuid,
    key: &str,
    fingerprint: &[u8],
) -> Result<Option<Answer>, AppError> {
    // Waits for a concurrent holder of the key to finish, then reads what it left
    // (`idempotency_claim`, migration 20261207000001: the lock and the read in one round trip).
    let stored: Option<(Vec<u8>, i32, Value)> = sqlx::query_as(
        "SELECT request_hash, status_code, response_body FROM idempotency_claim($1, $2)",
    )
    .bind(account_id)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    match stored {
        None => Ok(None),
        Some((hash, _, _)) if hash != fingerprint => {
            Err(AppError::validation("This Idempotency-Key was used for a different request."))
        }
        Some((_, status, body)) => Ok(Some((
            StatusCode::from_u16(u16::try_from(status).unwrap_or(200)).unwrap_or(StatusCode::OK),
            body,
        ))),
    }
}

pub async fn record(
    conn: &mut PgConnection,
    account_id: Uuid,
    key: &str,
    fingerprint: &[u8],
    answer: &Answer,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response_body)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account_id)
    .bind(key)
    .bind(fingerprint)
    .bind(i32::from(answer.0.as_u16()))
    .bind(&answer.1)
    .execute(conn)
    .await?;
    Ok(())
}
