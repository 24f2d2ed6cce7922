//! How `AppError` leaves the server: logging of internal failures and the HTTP response.

use super::request_id;
use crate::error::AppError;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// Logs the real cause and returns the generic error the user sees.
pub fn internal(cause: impl std::fmt::Display) -> AppError {
    let request_id = request_id::current();
    tracing::error!(%request_id, "internal error: {cause}");
    AppError::Internal { request_id }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        internal(format_args!("database: {error}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({
            "error": error_code(&self),
            "message": self.user_message(),
            "request_id": request_id::current_for(&self),
        });
        let mut response = (status, Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

fn error_code(error: &AppError) -> &'static str {
    match error {
        AppError::BadRequest { .. } => "bad_request",
        AppError::Validation { .. } => "validation",
        AppError::Unauthorized { .. } => "unauthorized",
        AppError::Forbidden { .. } => "forbidden",
        AppError::NotFoundWith { .. } => "not_found",
        AppError::Conflict { .. } => "conflict",
        AppError::BadGateway { .. } => "psa_error",
        AppError::RateLimited { .. } => "rate_limited",
        AppError::Internal { .. } => "internal",
    }
}
