//! How an `AppError` leaves the server: the status, headers and JSON body of the response,
//! the same for REST handlers, server functions and pages.

use super::{config::MAX_BODY_BYTES, request_id};
use crate::error::AppError;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;

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

/// An error as the REST API sends it, every 4xx and 5xx alike: the `error` code and fields of
/// [`AppError`]'s wire form (so the body reads back as the same error), the message for people
/// and the request id that finds the log line. The OpenAPI document's error schema is this type.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for programs: `bad_request`, `validation` (422), `unauthorized`,
    /// `forbidden`, `not_found`, `method_not_allowed`, `conflict`, `payload_too_large`,
    /// `unsupported_media_type`, `rate_limited`, `psa_error`, `psa_unconfirmed` (502: retry
    /// with the same `Idempotency-Key`), `internal` or `unavailable`.
    pub error: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The request's id (`x-request-id`), which finds the server's log line.
    pub request_id: String,
    /// Seconds to wait before trying again, where waiting helps (as `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

pub fn body(error: &AppError) -> ErrorBody {
    let request_id = match error {
        AppError::Internal { request_id } | AppError::Unavailable { request_id } => {
            request_id.clone()
        }
        _ => request_id::current(),
    };
    ErrorBody {
        error: error.code(),
        message: error.user_message(),
        request_id,
        retry_after_secs: error.retry_after_secs(),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (status(&self), headers(&self), Json(body(&self))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_body_reads_back_as_its_error() {
        for error in crate::error::tests::one_of_each() {
            let json = serde_json::to_value(body(&error)).unwrap();
            assert_eq!(json["error"], error.code(), "{error:?}");
            assert_eq!(json["message"], error.user_message(), "{error:?}");
            assert!(json["request_id"].is_string(), "{error:?}");
            let back: AppError = serde_json::from_value(json).unwrap();
            assert_eq!(back, error);
        }
    }
}
