//! The push endpoints: notes, time entries and status updates for a session's ticket. Each
//! needs an `Idempotency-Key`, and one key has exactly one effect in the PSA and at most one log
//! row (SPEC §9) — the guarantee lives in [`psa::ledger`] and [`psa::delivery`]; this module
//! reads the request and says the outcome. No database connection is held while the PSA is
//! waited on.

use super::{Request, SessionId};
use crate::{
    error::AppError,
    server::{
        idempotency::{self, Answer},
        metrics,
        psa::{
            self,
            delivery::{self, Delivery},
            ledger::{self, Claim, NewPush},
            PushKind,
        },
        tenant,
    },
};
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;

/// A note for the session's ticket.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// 1 to 10,000 characters.
    text: String,
}

/// A time entry on the session's ticket, starting now.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeEntryBody {
    /// From 0.01 to 24.
    hours: f64,
    /// At most 10,000 characters.
    #[serde(default)]
    notes: String,
}

/// A new status for the session's ticket.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// The PSA's status name, 1 to 100 characters.
    status: String,
}

fn text(value: String, field: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim().to_owned();
    if value.is_empty() || value.chars().count() > max {
        return Err(AppError::validation(format!("{field} must have 1 to {max} characters.")));
    }
    Ok(value)
}

/// `POST /api/v1/sessions/{id}/psa/notes` — `{text}`
pub async fn note(id: SessionId, request: Request) -> Response {
    push(id, request, |r| {
        Ok(PushKind::Note { text: text(r.json::<NoteBody>()?.text, "text", 10_000)? })
    })
    .await
}

/// The smallest time entry: hours are kept to a hundredth.
const MIN_HOURS: f64 = 0.01;

/// `POST /api/v1/sessions/{id}/psa/time-entries` — `{hours, notes}`
pub async fn time_entry(id: SessionId, request: Request) -> Response {
    push(id, request, |r| {
        let body: TimeEntryBody = r.json()?;
        if !(body.hours.is_finite() && (MIN_HOURS..=24.0).contains(&body.hours)) {
            return Err(AppError::validation("hours must be from 0.01 to 24."));
        }
        if body.notes.chars().count() > 10_000 {
            return Err(AppError::validation("notes has at most 10000 characters."));
        }
        // The entry starts now: fixed with the push, so a re-send is the same entry.
        Ok(PushKind::TimeEntry {
            hours: body.hours,
            notes: body.notes,
            time_start: chrono::Utc::now(),
        })
    })
    .await
}

/// `POST /api/v1/sessions/{id}/psa/status` — `{status}` (the PSA's status name)
pub async fn status(id: SessionId, request: Request) -> Response {
    push(id, request, |r| {
        Ok(PushKind::Status { status: text(r.json::<StatusBody>()?.status, "status", 100)? })
    })
    .await
}

async fn push(
    SessionId(session_id): SessionId,
    request: Request,
    read: fn(&Request) -> Result<PushKind, AppError>,
) -> Response {
    let account = request.client.account_id;
    match tenant::scoped(account, execute(session_id, &request, read)).await {
        Ok((status, body)) => (status, Json(body)).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn execute(
    session_id: uuid::Uuid,
    request: &Request,
    read: fn(&Request) -> Result<PushKind, AppError>,
) -> Result<Answer, AppError> {
    let key = idempotency::key_from(&request.headers)?.ok_or_else(|| {
        AppError::bad_request(
            "Pushes need an Idempotency-Key header (one per push, the same on every retry).",
        )
    })?;
    let kind = read(request)?;
    let (state, policy) = (&request.state, &request.state.config.push_policy);
    let new = NewPush {
        account_id: request.client.account_id,
        key: &key,
        fingerprint: &request.fingerprint(),
        session_id,
        kind,
    };
    let claimed =
        match ledger::claim(&state.pool, state.config.secrets.as_ref(), policy, new).await? {
            Claim::Done(answer) => return Ok((StatusCode::CREATED, answer)),
            Claim::Go(claimed) => claimed,
        };
    // A new push is recorded (a replayed key is answered above and writes nothing).
    metrics::ingest_write(request.event());
    match delivery::deliver(&state.pool, policy, claimed).await? {
        Delivery::Confirmed(answer) => Ok((StatusCode::CREATED, answer)),
        Delivery::Failed(reason) => {
            Err(AppError::PsaError { message: format!("The PSA push failed: {reason}") })
        }
        Delivery::Unconfirmed(reason) => Err(unconfirmed(&reason, policy)),
    }
}

fn unconfirmed(reason: &psa::PsaError, policy: &psa::PushPolicy) -> AppError {
    AppError::PsaUnconfirmed {
        message: format!(
            "The PSA has not confirmed the push ({reason}). Retry with the same \
             Idempotency-Key: the push is looked up before anything is sent again, so it \
             takes effect once."
        ),
        retry_after_secs: policy.settle.as_secs().max(1),
    }
}
