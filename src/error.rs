//! The one error type. It crosses the wire as JSON (server functions and the REST API alike);
//! database and internal failures are logged on the server and reach the user only as a generic
//! message with the request id that finds the log line.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    #[error("{message}")]
    BadRequest { message: String },
    #[error("{message}")]
    Validation { message: String },
    #[error("Sign in to continue.")]
    Unauthorized { message: Option<String> },
    #[error("{message}")]
    Forbidden { message: String },
    #[error("{message}")]
    NotFoundWith { message: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    BadGateway { message: String },
    #[error("Too many requests. Try again in {retry_after_secs} s.")]
    RateLimited { retry_after_secs: u64 },
    #[error("Something went wrong on our side. Request id: {request_id}.")]
    Internal { request_id: String },
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest { message: message.into() }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        AppError::Validation { message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFoundWith { message: message.into() }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict { message: message.into() }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden { message: message.into() }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::BadRequest { .. } => 400,
            AppError::Unauthorized { .. } => 401,
            AppError::Forbidden { .. } => 403,
            AppError::NotFoundWith { .. } => 404,
            AppError::Conflict { .. } => 409,
            AppError::BadGateway { .. } => 502,
            AppError::Validation { .. } => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Internal { .. } => 500,
        }
    }

    /// The message shown to the user (the `Unauthorized` variant may carry a specific one).
    pub fn user_message(&self) -> String {
        match self {
            AppError::Unauthorized { message: Some(message) } => message.clone(),
            other => other.to_string(),
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(message) | E::MissingArg(message) | E::Deserialization(message) => {
                AppError::bad_request(message)
            }
            other => AppError::Internal { request_id: format!("client: {other}") },
        }
    }
}
