//! How an `AppError` leaves the server: the status, headers and JSON body of the response,
//! the same for REST handlers, server functions and pages.

use super::request_id;
use crate::error::AppError;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::internal(format_args!("database: {error}"))
    }
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
