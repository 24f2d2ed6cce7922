//! The record of every push (`psa_pushes`): claimed and committed before the PSA is called,
//! each request to the PSA counted before it leaves, the outcome written after — each step its
//! own short transaction, so nothing is held while the PSA is waited on. A confirmed push writes
//! its `psa_activity_logs` row in the same transaction that marks it confirmed, once (the
//! database holds one row per push).

use super::{connection, PsaError, PsaProvider, Push, PushKind, PushPolicy};
use crate::{error::AppError, server::secret_box::SecretBox};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A confirmed push as the push endpoints answer it (201), the same for every retry of its key:
/// the activity log row it wrote and the record the PSA holds.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PushOut<'a> {
    /// The `psa_activity_logs` row.
    pub id: Uuid,
    pub push_id: Uuid,
    pub session_id: Option<Uuid>,
    /// `note_posted`, `time_entry_posted` or `status_updated`.
    pub activity_type: &'static str,
    /// A time entry's hours; none for the others.
    pub hours_logged: Option<f64>,
    pub psa_ticket_id: &'a str,
    /// The PSA's own id of the note or time entry, where it gives one.
    pub psa_record_id: Option<&'a str>,
    pub created_at: DateTime<Utc>,
}

/// A push asked for by a request: which account, key, session and record.
pub struct NewPush<'a> {
    pub account_id: Uuid,
    pub key: &'a str,
    pub fingerprint: &'a [u8],
    pub session_id: Uuid,
    pub kind: PushKind,
}

/// A push held by its deliverer until its lease runs out.
pub struct Claimed {
    pub account_id: Uuid,
    pub session_id: Option<Uuid>,
    pub push: Push,
    /// Requests that may have reached the PSA before this holder.
    pub sends: i32,
    pub last_sent_at: Option<DateTime<Utc>>,
    /// The push was left pending (not failed): its last request may still be being applied.
    pub unsettled: bool,
    pub provider: Box<dyn PsaProvider>,
}

pub enum Claim {
    /// The key's push is confirmed: its answer, for every retry.
    Done(Value),
    /// Ours to deliver.
    Go(Claimed),
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    request_hash: Vec<u8>,
    state: String,
    session_id: Option<Uuid>,
    psa_ticket_id: String,
    payload: Value,
    sends: i32,
    last_sent_at: Option<DateTime<Utc>>,
    leased: bool,
    answer: Option<Value>,
}

const ROW: &str =
    "id, request_hash, state, session_id, psa_ticket_id, payload, sends, last_sent_at,
                   coalesce(lease_until > now(), false) AS leased, answer";

/// Serialises the claims of one account, so its count of pushes in flight holds.
async fn lock_account(conn: &mut PgConnection, account_id: Uuid) -> Result<(), AppError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('psa_pushes:' || $1::text, 0))")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes the key's push for this request: replays a confirmed one, refuses a key reused for a
/// different request (422) or one another request is delivering right now (502
/// `psa_unconfirmed`), bounds the account's pushes in flight (429), and records a new push —
/// after checking the session's ticket and the account's PSA connection — as pending.
pub async fn claim(
    pool: &PgPool,
    secrets: Option<&SecretBox>,
    policy: &PushPolicy,
    new: NewPush<'_>,
) -> Result<Claim, AppError> {
    let mut tx = pool.begin().await?;
    lock_account(&mut tx, new.account_id).await?;
    let existing: Option<Row> = sqlx::query_as(&format!(
        "SELECT {ROW} FROM psa_pushes WHERE account_id = $1 AND idempotency_key = $2"
    ))
    .bind(new.account_id)
    .bind(new.key)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = &existing {
        if row.request_hash != new.fingerprint {
            return Err(AppError::validation(
                "This Idempotency-Key was used for a different request.",
            ));
        }
        if let (Some(answer), "confirmed") = (&row.answer, row.state.as_str()) {
            return Ok(Claim::Done(answer.clone()));
        }
        if row.leased {
            return Err(under_way());
        }
    }
    let (in_flight,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM psa_pushes
         WHERE account_id = $1 AND state = 'pending' AND lease_until > now()",
    )
    .bind(new.account_id)
    .fetch_one(&mut *tx)
    .await?;
    if in_flight >= i64::from(policy.max_concurrent) {
        return Err(AppError::RateLimited { retry_after_secs: 1 });
    }
    let unsettled = existing.as_ref().is_some_and(|row| row.state == "pending");
    let (row, provider) = match existing {
        Some(row) => {
            let provider =
                connection::load(&mut tx, secrets, new.account_id, policy.timeout).await?;
            // Under the account's lock nobody can take the lease between the read and here;
            // if that ever changed, the push is someone else's: never deliver without a lease.
            let leased = lease(&mut tx, policy, new.account_id, row.id).await?;
            (leased.ok_or_else(under_way)?, provider)
        }
        None => {
            let ticket = session_ticket(&mut tx, new.account_id, new.session_id).await?;
            let provider =
                connection::load(&mut tx, secrets, new.account_id, policy.timeout).await?;
            provider.check_ticket_id(&ticket).map_err(AppError::validation)?;
            let row = sqlx::query_as(&format!(
                "INSERT INTO psa_pushes (account_id, idempotency_key, request_hash, session_id,
                                         kind, psa_ticket_id, payload, lease_until)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 millisecond')
                 RETURNING {ROW}"
            ))
            .bind(new.account_id)
            .bind(new.key)
            .bind(new.fingerprint)
            .bind(new.session_id)
            .bind(new.kind.name())
            .bind(&ticket)
            .bind(json!(new.kind))
            .bind(lease_millis(policy))
            .fetch_one(&mut *tx)
            .await?;
            (row, provider)
        }
    };
    tx.commit().await?;
    Ok(Claim::Go(claimed(new.account_id, row, provider, unsettled)?))
}

/// The session's ticket: 404 for a session not in the account, 409 when it has none.
async fn session_ticket(
    conn: &mut PgConnection,
    account_id: Uuid,
    session_id: Uuid,
) -> Result<String, AppError> {
    let ticket: Option<(Option<String>,)> =
        sqlx::query_as("SELECT psa_ticket_id FROM ai_sessions WHERE account_id = $1 AND id = $2")
            .bind(account_id)
            .bind(session_id)
            .fetch_optional(conn)
            .await?;
    ticket.ok_or_else(|| AppError::not_found("No such session."))?.0.ok_or_else(|| {
        AppError::conflict("Link the session to a PSA ticket first (POST …/ticket).")
    })
}

/// Another request (or the sweep) holds the push: retry with the same key.
fn under_way() -> AppError {
    AppError::PsaUnconfirmed {
        message: "A push with this Idempotency-Key is under way; retry with the same key \
                  shortly — it will not be sent twice."
            .into(),
        retry_after_secs: 1,
    }
}

fn lease_millis(policy: &PushPolicy) -> f64 {
    policy.lease().as_secs_f64() * 1000.0
}

/// Leases a pending or failed push that nobody holds; `None` when someone does.
async fn lease(
    conn: &mut PgConnection,
    policy: &PushPolicy,
    account_id: Uuid,
    id: Uuid,
) -> Result<Option<Row>, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE psa_pushes SET state = 'pending', updated_at = now(),
                lease_until = now() + $3 * interval '1 millisecond'
         WHERE account_id = $1 AND id = $2 AND state <> 'confirmed'
           AND (lease_until IS NULL OR lease_until <= now())
         RETURNING {ROW}"
    ))
    .bind(account_id)
    .bind(id)
    .bind(lease_millis(policy))
    .fetch_optional(conn)
    .await?)
}

fn claimed(
    account_id: Uuid,
    row: Row,
    provider: Box<dyn PsaProvider>,
    unsettled: bool,
) -> Result<Claimed, AppError> {
    let kind: PushKind = serde_json::from_value(row.payload)
        .map_err(|e| AppError::internal(format_args!("psa_pushes.payload of {}: {e}", row.id)))?;
    Ok(Claimed {
        account_id,
        session_id: row.session_id,
        push: Push { id: row.id, ticket: row.psa_ticket_id, kind },
        sends: row.sends,
        last_sent_at: row.last_sent_at,
        unsettled,
        provider,
    })
}

/// Pending pushes nobody holds whose last request (if any) has had time to settle: what a
/// crash, a shutdown or an unconfirmed delivery left behind. Oldest first.
pub async fn stale(
    pool: &PgPool,
    policy: &PushPolicy,
    limit: i64,
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    Ok(sqlx::query_as("SELECT * FROM psa_pushes_stale($1, $2)")
        .bind(policy.settle.as_secs_f64() * 1000.0)
        .bind(limit)
        .fetch_all(pool)
        .await?)
}

/// Takes a stale push for the sweep; `None` when a request took it first.
pub async fn take(
    pool: &PgPool,
    secrets: Option<&SecretBox>,
    policy: &PushPolicy,
    account_id: Uuid,
    id: Uuid,
) -> Result<Option<Claimed>, AppError> {
    let mut tx = pool.begin().await?;
    lock_account(&mut tx, account_id).await?;
    let Some(row) = lease(&mut tx, policy, account_id, id).await? else { return Ok(None) };
    let provider = connection::load(&mut tx, secrets, account_id, policy.timeout).await?;
    tx.commit().await?;
    // Only pending pushes are stale: the last request may still be being applied.
    Ok(Some(claimed(account_id, row, provider, true)?))
}

/// Counts a request to the PSA, committed before the request leaves: from now on the record
/// may exist in the PSA, and nobody sends it again without looking first.
pub async fn mark_sent(pool: &PgPool, claimed: &Claimed) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE psa_pushes SET sends = sends + 1, last_sent_at = now(), updated_at = now()
         WHERE account_id = $1 AND id = $2",
    )
    .bind(claimed.account_id)
    .bind(claimed.push.id)
    .execute(pool)
    .await?;
    Ok(())
}

/// The PSA has the record: the push becomes confirmed and its one log row is written, in one
/// transaction. Confirming twice returns the first answer and writes nothing.
pub async fn confirm(
    pool: &PgPool,
    claimed: &Claimed,
    psa_record_id: Option<&str>,
) -> Result<Value, AppError> {
    let mut tx = pool.begin().await?;
    let (state, answer): (String, Option<Value>) = sqlx::query_as(
        "SELECT state, answer FROM psa_pushes WHERE account_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(claimed.account_id)
    .bind(claimed.push.id)
    .fetch_one(&mut *tx)
    .await?;
    if let (Some(answer), "confirmed") = (answer, state.as_str()) {
        return Ok(answer);
    }
    let kind = &claimed.push.kind;
    let (log_id, created_at): (Uuid, DateTime<Utc>) = sqlx::query_as(
        "INSERT INTO psa_activity_logs (account_id, session_id, activity_type, hours_logged,
                                        psa_ticket_id, push_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at",
    )
    .bind(claimed.account_id)
    .bind(claimed.session_id)
    .bind(kind.activity_type())
    .bind(kind.hours())
    .bind(&claimed.push.ticket)
    .bind(claimed.push.id)
    .fetch_one(&mut *tx)
    .await?;
    let answer = json!(PushOut {
        id: log_id,
        push_id: claimed.push.id,
        session_id: claimed.session_id,
        activity_type: kind.activity_type(),
        hours_logged: kind.hours(),
        psa_ticket_id: &claimed.push.ticket,
        psa_record_id,
        created_at,
    });
    sqlx::query(
        "UPDATE psa_pushes SET state = 'confirmed', psa_record_id = $3, answer = $4,
                lease_until = NULL, last_error = NULL, updated_at = now()
         WHERE account_id = $1 AND id = $2",
    )
    .bind(claimed.account_id)
    .bind(claimed.push.id)
    .bind(psa_record_id)
    .bind(&answer)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(answer)
}

/// The PSA certainly has no record of it: failed, and a retry with the key may send it again.
pub async fn fail(pool: &PgPool, claimed: &Claimed, reason: &PsaError) -> Result<(), AppError> {
    finish(pool, claimed, "failed", reason).await
}

/// Not known either way: stays pending, free for a retry or the sweep to resolve.
pub async fn release(pool: &PgPool, claimed: &Claimed, reason: &PsaError) -> Result<(), AppError> {
    finish(pool, claimed, "pending", reason).await
}

async fn finish(
    pool: &PgPool,
    claimed: &Claimed,
    state: &str,
    reason: &PsaError,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE psa_pushes SET state = $3, last_error = $4, lease_until = NULL, updated_at = now()
         WHERE account_id = $1 AND id = $2 AND state <> 'confirmed'",
    )
    .bind(claimed.account_id)
    .bind(claimed.push.id)
    .bind(state)
    .bind(&reason.0)
    .execute(pool)
    .await?;
    Ok(())
}

/// How long idempotency records and resolved pushes are kept (SPEC §9). Pending pushes stay
/// until resolved: they may exist in the customer's PSA.
pub const RETENTION_DAYS: i32 = 7;

/// Removes idempotency records and resolved pushes older than [`RETENTION_DAYS`]; how many.
pub async fn expire(pool: &PgPool) -> Result<u64, AppError> {
    let (expired,): (i64,) = sqlx::query_as("SELECT write_records_expire($1)")
        .bind(RETENTION_DAYS)
        .fetch_one(pool)
        .await?;
    Ok(expired.unsigned_abs())
}
