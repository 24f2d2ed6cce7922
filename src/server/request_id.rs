//! A request id for every request: returned in `x-request-id`, written in every error body and
//! every error log line, so a user's report finds its log line.

use axum::{extract::Request, http::HeaderValue, middleware::Next, response::Response};
use tracing::Instrument;
use uuid::Uuid;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled, or a fresh one outside a request (CLI, tests).
pub fn current() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| Uuid::new_v4().to_string())
}

/// Gives the request its id, and a `request` span that every log line written for it carries:
/// `request_id`, and `account_id` once a principal is known ([`super::tenant::scoped`]).
pub async fn middleware(request: Request, next: Next) -> Response {
    let id = Uuid::new_v4().to_string();
    let span = tracing::info_span!("request", request_id = %id, account_id = tracing::field::Empty);
    let mut response = REQUEST_ID.scope(id.clone(), next.run(request)).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
