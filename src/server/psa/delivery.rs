//! Exactly one effect per push. A delivery sends the push's record to the PSA and decides what
//! each answer means:
//!
//! - success → confirmed (its log row written once, by [`ledger::confirm`]);
//! - a refusal (4xx) → failed, nothing in the PSA; a retry with the key may send it again;
//! - 429 or no connection → not applied: wait and send again;
//! - a server error → the PSA is done with the request but may have applied it: look it up —
//!   found is confirmed, not found may be sent again;
//! - no answer (timeout, connection dropped after sending) → look it up; found is confirmed,
//!   not found stays **pending**: the PSA may still be applying it, so it is not sent again
//!   until [`PushPolicy::settle`] has passed since the last send, and then only after another
//!   lookup (by a retry with the same key, or by the [`sweep`]).
//!
//! A push that was sent before (by an earlier request, or a process that crashed) is always
//! looked up before anything is sent. Status updates (PATCH) are idempotent: they are sent
//! again instead of looked up. Every request is counted in the ledger before it leaves, so a
//! crash at any point leaves the push pending with what is needed to resolve it.

use super::{
    ledger::{self, Claimed},
    Attempt, PsaError, PushPolicy,
};
use crate::{
    error::AppError,
    server::{metrics, secret_box::SecretBox, tenant},
};
use serde_json::Value;
use sqlx::PgPool;

pub enum Delivery {
    /// In the PSA and logged once: the answer every retry of the key gets.
    Confirmed(Value),
    /// Certainly not in the PSA.
    Failed(PsaError),
    /// Not known yet; pending, to be resolved by a retry with the key or by the sweep.
    Unconfirmed(PsaError),
}

enum Outcome {
    Applied(Option<String>),
    Refused(PsaError),
    Unknown(PsaError),
}

impl Outcome {
    /// The metrics' name for it: what the push becomes.
    fn name(&self) -> &'static str {
        match self {
            Outcome::Applied(_) => "confirmed",
            Outcome::Refused(_) => "failed",
            Outcome::Unknown(_) => "unconfirmed",
        }
    }
}

/// Delivers a claimed push within the policy's deadline and records the outcome.
pub async fn deliver(
    pool: &PgPool,
    policy: &PushPolicy,
    claimed: Claimed,
) -> Result<Delivery, AppError> {
    let started = std::time::Instant::now();
    let outcome = match tokio::time::timeout(policy.deadline, run(pool, policy, &claimed)).await {
        Ok(outcome) => outcome?,
        Err(_) => Outcome::Unknown(PsaError(format!(
            "the push did not finish within its {} s deadline",
            policy.deadline.as_secs_f64()
        ))),
    };
    metrics::psa_push(outcome.name(), started.elapsed());
    Ok(match outcome {
        Outcome::Applied(record_id) => {
            Delivery::Confirmed(ledger::confirm(pool, &claimed, record_id.as_deref()).await?)
        }
        Outcome::Refused(reason) => {
            ledger::fail(pool, &claimed, &reason).await?;
            Delivery::Failed(reason)
        }
        Outcome::Unknown(reason) => {
            tracing::warn!(push_id = %claimed.push.id, "PSA push unconfirmed: {reason}");
            ledger::release(pool, &claimed, &reason).await?;
            Delivery::Unconfirmed(reason)
        }
    })
}

async fn run(pool: &PgPool, policy: &PushPolicy, claimed: &Claimed) -> Result<Outcome, AppError> {
    let (push, psa) = (&claimed.push, claimed.provider.as_ref());
    let idempotent = push.kind.is_idempotent();
    if claimed.sends > 0 && !idempotent {
        match psa.find(push).await {
            Ok(Some(record)) => return Ok(Outcome::Applied(Some(record))),
            Ok(None) => {}
            Err(reason) => return Ok(Outcome::Unknown(reason)),
        }
        let settled = !claimed.unsettled
            || claimed.last_sent_at.is_none_or(|sent| {
                chrono::Utc::now() - sent
                    >= chrono::TimeDelta::from_std(policy.settle).unwrap_or_default()
            });
        if !settled {
            return Ok(Outcome::Unknown(PsaError(
                "an earlier request went unanswered and the record is not in the PSA yet".into(),
            )));
        }
    }
    let mut attempt: u32 = 1;
    loop {
        ledger::mark_sent(pool, claimed).await?;
        let last = match psa.send(push).await {
            Attempt::Applied { record_id } => return Ok(Outcome::Applied(record_id)),
            Attempt::NotApplied { reason, retry: false } => return Ok(Outcome::Refused(reason)),
            Attempt::NotApplied { reason, retry: true } => Outcome::Refused(reason),
            Attempt::Failed { reason } if idempotent => Outcome::Refused(reason),
            Attempt::NoAnswer { reason } if idempotent => Outcome::Unknown(reason),
            Attempt::Failed { reason } => match psa.find(push).await {
                Ok(Some(record)) => return Ok(Outcome::Applied(Some(record))),
                Ok(None) => Outcome::Refused(reason),
                Err(lookup) => {
                    return Ok(Outcome::Unknown(PsaError(format!("{reason}; {lookup}"))))
                }
            },
            Attempt::NoAnswer { reason } => {
                return Ok(match psa.find(push).await {
                    Ok(Some(record)) => Outcome::Applied(Some(record)),
                    Ok(None) => Outcome::Unknown(reason),
                    Err(lookup) => Outcome::Unknown(PsaError(format!("{reason}; {lookup}"))),
                })
            }
        };
        if attempt >= policy.max_attempts {
            return Ok(last);
        }
        tracing::warn!(push_id = %push.id, attempt, "retrying a PSA push");
        tokio::time::sleep(policy.backoff * 2u32.saturating_pow(attempt - 1)).await;
        attempt += 1;
    }
}

/// Pushes resolved per sweep at most (oldest first); the rest wait for the next one.
const SWEEP_BATCH: i64 = 50;

/// Resolves the pending pushes nobody holds (left by a crash, a shutdown or an unconfirmed
/// delivery): each is looked up, confirmed if found, sent once if not. Returns how many it
/// delivered; one push's trouble does not stop the others.
pub async fn sweep(
    pool: &PgPool,
    secrets: Option<&SecretBox>,
    policy: &PushPolicy,
) -> Result<usize, AppError> {
    let mut delivered = 0;
    for (account_id, id) in ledger::stale(pool, policy, SWEEP_BATCH).await? {
        let result = tenant::scoped(account_id, async {
            match ledger::take(pool, secrets, policy, account_id, id).await? {
                Some(claimed) => deliver(pool, policy, claimed).await.map(Some),
                None => Ok(None),
            }
        })
        .await;
        match result {
            Ok(Some(_)) => delivered += 1,
            Ok(None) => {}
            Err(error) => tracing::warn!(push_id = %id, "sweeping a pending push: {error}"),
        }
    }
    Ok(delivered)
}
