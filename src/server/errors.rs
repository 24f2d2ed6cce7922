//! How an `AppError` leaves the server: the status, headers and JSON body of the response,
//! the same for REST handlers, server functions and pages.

use super::{config::MAX_BODY_BYTES, request_id};
use crate::error::AppError;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if matches!(error, sqlx::Error::PoolTimedOut) {
            super::metrics::pool_acquire_timeout();
        }
        if super::database::is_unavailable(&error) {
            AppError::unavailable(format_args!("database: {error}"))
        } else {
            AppError::internal(format_args!("database: {error}"))
        }
    }
}

/// 413: a request body over [`MAX_BODY_BYTES`].
pub fn too_large() -> AppError {
    AppError::PayloadTooLarge {
        message: format!("The request body is over {} KiB.", MAX_BODY_BYTES / 1024),
    }
}

/// 415: a JSON endpoint sent something else.
pub fn not_json() -> AppError {
    AppError::UnsupportedMediaType {
        message: "Send the body as Content-Type: application/json.".into(),
    }
}

/// Whether a request or response says its body is JSON.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

pub fn status(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The headers an error's response carries (`Retry-After` for a rate limit).
pub fn headers(error: &AppError) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(seconds) = error.retry_after_secs() {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    headers
}

/// The error as it crosses the wire (`error` code and fields), plus the message for people
/// and the request id that finds the log line.
pub fn body(error: &AppError) -> serde_json::Value {
    let mut body = serde_json::to_value(error).unwrap_or_else(|_| serde_json::json!({}));
    if let Some(fields) = body.as_object_mut() {
        fields.insert("message".into(), error.user_message().into());
        fields.entry("request_id").or_insert_with(|| request_id::current().into());
    }
    body
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (status(&self), headers(&self), Json(body(&self))).into_response()
    }
}
