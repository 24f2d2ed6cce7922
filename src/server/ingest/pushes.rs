//! Pushes to the PSA: only after the PSA confirms is a `psa_activity_logs` row
//! written; a failed or timed-out push writes nothing and answers 502 with the PSA's reason.

use super::{sessions::lock_session, Request, SessionId};
use crate::{
    error::AppError,
    server::psa::{connection, PsaProvider},
};
use axum::{http::StatusCode, response::Response};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

enum Push {
    Note { text: String },
    TimeEntry { hours: f64, notes: String },
    Status { status: String },
}

impl Push {
    fn activity_type(&self) -> &'static str {
        match self {
            Push::Note { .. } => "note_posted",
            Push::TimeEntry { .. } => "time_entry_posted",
            Push::Status { .. } => "status_updated",
        }
    }

    fn hours(&self) -> Option<f64> {
        match self {
            Push::TimeEntry { hours, .. } => Some(*hours),
            _ => None,
        }
    }

    async fn send(&self, psa: &dyn PsaProvider, ticket: &str) -> Result<(), AppError> {
        let sent = match self {
            Push::Note { text } => psa.post_note(ticket, text).await,
            Push::TimeEntry { hours, notes } => psa.post_time_entry(ticket, *hours, notes).await,
            Push::Status { status } => psa.update_status(ticket, status).await,
        };
        sent.map_err(|e| AppError::PsaError { message: format!("The PSA push failed: {e}") })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteBody {
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeEntryBody {
    hours: f64,
    #[serde(default)]
    notes: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusBody {
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
        Ok(Push::Note { text: text(r.json::<NoteBody>()?.text, "text", 10_000)? })
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
        Ok(Push::TimeEntry { hours: body.hours, notes: body.notes })
    })
    .await
}

/// `POST /api/v1/sessions/{id}/psa/status` — `{status}` (the PSA's status name)
pub async fn status(id: SessionId, request: Request) -> Response {
    push(id, request, |r| {
        Ok(Push::Status { status: text(r.json::<StatusBody>()?.status, "status", 100)? })
    })
    .await
}

async fn push(
    SessionId(id): SessionId,
    request: Request,
    read: fn(&Request) -> Result<Push, AppError>,
) -> Response {
    request
        .run(move |tx, request| {
            Box::pin(async move {
                let push = read(request)?;
                let account = request.client.account_id;
                let session = lock_session(tx, account, id).await?;
                let ticket = session.psa_ticket_id.ok_or_else(|| {
                    AppError::conflict("Link the session to a PSA ticket first (POST …/ticket).")
                })?;
                let state = &request.state;
                let psa = connection::load(
                    &state.pool,
                    state.config.secrets.as_ref(),
                    account,
                    state.config.psa_policy,
                )
                .await?;
                psa.check_ticket_id(&ticket).map_err(AppError::validation)?;
                push.send(psa.as_ref(), &ticket).await?;
                let (log_id, created_at): (Uuid, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
                    "INSERT INTO psa_activity_logs (account_id, session_id, activity_type,
                                                    hours_logged, psa_ticket_id)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at",
                )
                .bind(account)
                .bind(id)
                .bind(push.activity_type())
                .bind(push.hours())
                .bind(&ticket)
                .fetch_one(&mut **tx)
                .await?;
                Ok((
                    StatusCode::CREATED,
                    json!({
                        "id": log_id,
                        "session_id": id,
                        "activity_type": push.activity_type(),
                        "hours_logged": push.hours(),
                        "psa_ticket_id": ticket,
                        "created_at": created_at,
                    }),
                ))
            })
        })
        .await
}
