//! The ingest API the FlowPilot engine calls: open, match, outcome, ticket link and
//! PSA pushes. Every request acts for the account of its API key, every id is looked up in that
//! account, and every POST honours `Idempotency-Key`.

mod pushes;
mod sessions;

// What the ingest API reads and answers, for its OpenAPI description.
pub use pushes::{NoteBody, StatusBody, TimeEntryBody};
pub use sessions::{MatchFlow, OpenSession, Outcome, SessionOut, Ticket};

use super::{
    api_keys::ApiClient,
    config::MAX_BODY_BYTES,
    errors,
    idempotency::{self, Answer},
    metrics,
    state::AppState,
    tenant,
};
use crate::{error::AppError, routes};
use axum::{
    body::Bytes,
    extract::Path,
    http::{HeaderMap, Method, Uri},
    response::{IntoResponse, Response},
    routing::{post, MethodRouter},
    Json,
};
use serde::de::DeserializeOwned;
use sqlx::{Postgres, Transaction};
use std::{future::Future, pin::Pin};
use uuid::Uuid;

/// The ingest routes, every one a POST: (path, handler).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        (routes::API_SESSIONS, post(sessions::open)),
        (routes::API_SESSION_MATCH, post(sessions::matched)),
        (routes::API_SESSION_OUTCOME, post(sessions::outcome)),
        (routes::API_SESSION_TICKET, post(sessions::ticket)),
        (routes::API_PSA_NOTES, post(pushes::note)),
        (routes::API_PSA_TIME_ENTRIES, post(pushes::time_entry)),
        (routes::API_PSA_STATUS, post(pushes::status)),
    ]
}

type Effect<'t> = Pin<Box<dyn Future<Output = Result<Answer, AppError>> + Send + 't>>;

/// One ingest request: everything it changes happens in one transaction together with its
/// idempotency record, so it takes effect once or not at all.
pub(crate) struct Request {
    pub state: AppState,
    pub client: ApiClient,
    pub headers: HeaderMap,
    pub method: Method,
    pub uri: Uri,
    pub body: Bytes,
}

impl Request {
    pub async fn run<F>(self, effect: F) -> Response
    where
        F: for<'t> FnOnce(&'t mut Transaction<'static, Postgres>, &'t Request) -> Effect<'t>,
    {
        match tenant::scoped(self.client.account_id, self.execute(effect)).await {
            Ok((status, body)) => (status, Json(body)).into_response(),
            Err(error) => error.into_response(),
        }
    }

    async fn execute<F>(&self, effect: F) -> Result<Answer, AppError>
    where
        F: for<'t> FnOnce(&'t mut Transaction<'static, Postgres>, &'t Request) -> Effect<'t>,
    {
        let key = idempotency::key_from(&self.headers)?;
        let fingerprint = self.fingerprint();
        let account = self.client.account_id;
        let mut tx = self.state.pool.begin().await?;
        if let Some(key) = &key {
            if let Some(answer) = idempotency::claim(&mut tx, account, key, &fingerprint).await? {
                return Ok(answer);
            }
        }
        let answer = effect(&mut tx, self).await?;
        if let Some(key) = &key {
            idempotency::record(&mut tx, account, key, &fingerprint, &answer).await?;
        }
        tx.commit().await?;
        metrics::ingest_write(self.event());
        Ok(answer)
    }

    /// The event this request reports, by its route's last word (every ingest route ends in
    /// a fixed one): the metrics' label.
    pub(crate) fn event(&self) -> &'static str {
        match self.uri.path().rsplit('/').next() {
            Some("sessions") => "session_opened",
            Some("match") => "flow_matched",
            Some("outcome") => "outcome",
            Some("ticket") => "ticket_linked",
            Some("notes") => "psa_note",
            Some("time-entries") => "psa_time_entry",
            Some("status") => "psa_status",
            _ => "other",
        }
    }

    /// What this request is, for telling a retry from a different request reusing its key.
    pub fn fingerprint(&self) -> Vec<u8> {
        idempotency::fingerprint(self.method.as_str(), self.uri.path(), &self.body)
    }

    /// The JSON body as `T`: 400 when it is not JSON, 422 when it is the wrong shape or a
    /// text holds a control character (NUL and the like; tab and line breaks are text).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let value: serde_json::Value = serde_json::from_slice(&self.body)
            .map_err(|e| AppError::bad_request(format!("The body is not valid JSON: {e}")))?;
        if let Some(field) = field_with_control_character(&value, "body") {
            return Err(AppError::validation(format!(
                "{field} holds a control character; send plain text."
            )));
        }
        serde_json::from_value(value)
            .map_err(|e| AppError::validation(format!("Invalid request body: {e}")))
    }
}

impl<S> axum::extract::FromRequest<S> for Request
where
    AppState: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Response> {
        use axum::extract::FromRef;
        let state = AppState::from_ref(state);
        let (mut parts, body) = request.into_parts();
        let client = <ApiClient as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &state,
        )
        .await
        .map_err(IntoResponse::into_response)?;
        if !errors::is_json(&parts.headers) {
            return Err(errors::not_json().into_response());
        }
        let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
            .await
            .map_err(|_| errors::too_large().into_response())?;
        Ok(Request {
            state,
            client,
            headers: parts.headers,
            method: parts.method,
            uri: parts.uri,
            body,
        })
    }
}

/// The first string in `value` (or key) with a control character other than tab and line
/// breaks, named by its path.
fn field_with_control_character(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let bad = |text: &str| text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    match value {
        Value::String(text) if bad(text) => Some(path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| field_with_control_character(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if bad(key) {
                Some(path.to_owned())
            } else {
                field_with_control_character(item, &format!("{path}.{key}"))
            }
        }),
        _ => None,
    }
}

/// The session id of the path: 400 when it is not a UUID.
pub struct SessionId(pub Uuid);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SessionId {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::bad_request(e.body_text()))?;
        Uuid::parse_str(&id)
            .map(SessionId)
            .map_err(|_| AppError::bad_request(format!("\"{id}\" is not a valid id.")))
    }
}
