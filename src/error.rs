//! The one error type, and the one place that decides how each error looks: its status, its
//! `error` code and its message. It crosses the wire as JSON — server functions and the REST
//! API alike — as `{"error": code, ...fields}`; the REST body adds `message` and `request_id`,
//! which the browser ignores, so every error body deserialises back into an `AppError`.
//! Database and internal failures are logged on the server and reach the user only as a
//! generic message with the request id that finds the log line.

use serde::{Deserialize, Serialize};

/// The serde tag of each variant is its [`AppError::code`], and a `message` field is the whole
/// user message, so a REST body (which adds `message`) reads back as the same error (a unit
/// test holds both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    #[error("{message}")]
    BadRequest { message: String },
    #[error("{message}")]
    Validation { message: String },
    #[error("{message}")]
    Unauthorized { message: String },
    #[error("{message}")]
    Forbidden { message: String },
    #[error("{message}")]
    NotFound { message: String },
    #[error("{message}")]
    MethodNotAllowed { message: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    PayloadTooLarge { message: String },
    #[error("{message}")]
    UnsupportedMediaType { message: String },
    /// The customer's PSA refused or failed a push.
    #[serde(rename = "psa_error")]
    #[error("{message}")]
    PsaError { message: String },
    /// A push the PSA has not confirmed: it may or may not be there yet. A retry with the same
    /// `Idempotency-Key` resolves it and never sends it twice.
    #[error("{message}")]
    PsaUnconfirmed { message: String, retry_after_secs: u64 },
    #[error("Too many requests — try again in {retry_after_secs} s.")]
    RateLimited { retry_after_secs: u64 },
    #[error("Something went wrong on our side. Request id: {request_id}.")]
    Internal { request_id: String },
    /// The database is out of reach; the service answers again as soon as it is back.
    #[error("The service is briefly unavailable — try again in a few seconds. Request id: {request_id}.")]
    Unavailable { request_id: String },
    /// The browser could not reach the server, or could not read its answer.
    #[error("{message}")]
    Unreachable { message: String },
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest { message: message.into() }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        AppError::Validation { message: message.into() }
    }

    /// 401: `message` says what to do ("Sign in to continue.", "Invalid email or password.").
    pub fn unauthorized(message: impl Into<String>) -> Self {
        AppError::Unauthorized { message: message.into() }
    }

    /// 401 for a request that carries no signed-in user.
    pub fn signed_out() -> Self {
        AppError::unauthorized("Sign in to continue.")
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound { message: message.into() }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict { message: message.into() }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden { message: message.into() }
    }

    /// Logs the real cause with the request's id and returns the generic error the user sees.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let request_id = crate::server::request_id::current();
        tracing::error!(%request_id, "internal error: {cause}");
        AppError::Internal { request_id }
    }

    /// Logs why the database is out of reach and returns the 503 the user sees.
    #[cfg(feature = "ssr")]
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        let request_id = crate::server::request_id::current();
        tracing::warn!(%request_id, "unavailable: {cause}");
        AppError::Unavailable { request_id }
    }

    /// The HTTP status every surface (REST, server function, page) answers this error with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::BadRequest { .. } => 400,
            AppError::Unauthorized { .. } => 401,
            AppError::Forbidden { .. } => 403,
            AppError::NotFound { .. } => 404,
            AppError::MethodNotAllowed { .. } => 405,
            AppError::Conflict { .. } => 409,
            AppError::PayloadTooLarge { .. } => 413,
            AppError::UnsupportedMediaType { .. } => 415,
            AppError::Validation { .. } => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Internal { .. } => 500,
            AppError::PsaError { .. } | AppError::PsaUnconfirmed { .. } => 502,
            AppError::Unreachable { .. } | AppError::Unavailable { .. } => 503,
        }
    }

    /// The machine-readable `error` field of every error body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { .. } => "bad_request",
            AppError::Validation { .. } => "validation",
            AppError::Unauthorized { .. } => "unauthorized",
            AppError::Forbidden { .. } => "forbidden",
            AppError::NotFound { .. } => "not_found",
            AppError::MethodNotAllowed { .. } => "method_not_allowed",
            AppError::Conflict { .. } => "conflict",
            AppError::PayloadTooLarge { .. } => "payload_too_large",
            AppError::UnsupportedMediaType { .. } => "unsupported_media_type",
            AppError::PsaError { .. } => "psa_error",
            AppError::PsaUnconfirmed { .. } => "psa_unconfirmed",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal { .. } => "internal",
            AppError::Unavailable { .. } => "unavailable",
            AppError::Unreachable { .. } => "unreachable",
        }
    }

    /// A short heading for the error on a page.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::Unauthorized { .. } => "Signed out",
            AppError::Forbidden { .. } => "Not allowed",
            AppError::NotFound { .. } => "Not found",
            AppError::BadRequest { .. }
            | AppError::Validation { .. }
            | AppError::MethodNotAllowed { .. }
            | AppError::PayloadTooLarge { .. }
            | AppError::UnsupportedMediaType { .. } => "Invalid request",
            AppError::RateLimited { .. } => "Too many requests",
            AppError::Unreachable { .. } | AppError::Unavailable { .. } => "Offline",
            AppError::Conflict { .. }
            | AppError::PsaError { .. }
            | AppError::PsaUnconfirmed { .. }
            | AppError::Internal { .. } => "Something went wrong",
        }
    }

    /// Seconds to wait before trying again (`Retry-After`), for the errors that have one.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs }
            | AppError::PsaUnconfirmed { retry_after_secs, .. } => Some(*retry_after_secs),
            AppError::Unavailable { .. } => Some(1),
            _ => None,
        }
    }

    /// The message shown to the user.
    pub fn user_message(&self) -> String {
        self.to_string()
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    /// Failures of the server-function machinery itself: arguments that do not decode are the
    /// caller's fault (400); on the server anything else is internal (logged), in the browser
    /// it means the server could not be reached or its answer not read.
    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(message) | E::MissingArg(message) => AppError::bad_request(message),
            #[cfg(feature = "ssr")]
            E::Deserialization(message) => AppError::bad_request(message),
            #[cfg(feature = "ssr")]
            other => AppError::internal(format_args!("server function: {other}")),
            #[cfg(not(feature = "ssr"))]
            other => AppError::Unreachable {
                message: format!("The server could not be reached: {other}"),
            },
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn one_of_each() -> Vec<AppError> {
        vec![
            AppError::bad_request("b"),
            AppError::validation("v"),
            AppError::signed_out(),
            AppError::forbidden("f"),
            AppError::not_found("n"),
            AppError::conflict("c"),
            AppError::MethodNotAllowed { message: "m".into() },
            AppError::PayloadTooLarge { message: "l".into() },
            AppError::UnsupportedMediaType { message: "t".into() },
            AppError::PsaError { message: "p".into() },
            AppError::RateLimited { retry_after_secs: 7 },
            AppError::Internal { request_id: "r".into() },
            AppError::Unreachable { message: "u".into() },
            AppError::PsaUnconfirmed { message: "q".into(), retry_after_secs: 30 },
            AppError::Unavailable { request_id: "d".into() },
        ]
    }

    #[test]
    fn the_wire_tag_is_the_code_and_every_body_reads_back() {
        for error in one_of_each() {
            let json = serde_json::to_value(&error).unwrap();
            assert_eq!(json["error"], error.code(), "{error:?}");
            // A REST body carries more fields; the browser still reads it.
            let mut rest = json.clone();
            rest["message"] = error.user_message().into();
            if rest.get("request_id").is_none() {
                rest["request_id"] = "00000000-0000-0000-0000-000000000000".into();
            }
            let back: AppError = serde_json::from_value(rest).unwrap();
            assert_eq!(back, error);
        }
    }

    #[test]
    fn statuses_and_retry_after() {
        let statuses: Vec<u16> = one_of_each().iter().map(AppError::status_code).collect();
        assert_eq!(
            statuses,
            [400, 422, 401, 403, 404, 409, 405, 413, 415, 502, 429, 500, 503, 502, 503]
        );
        assert_eq!(AppError::RateLimited { retry_after_secs: 7 }.retry_after_secs(), Some(7));
        assert_eq!(AppError::validation("x").retry_after_secs(), None);
        let unconfirmed = AppError::PsaUnconfirmed { message: "q".into(), retry_after_secs: 30 };
        assert_eq!(unconfirmed.retry_after_secs(), Some(30));
    }
}
