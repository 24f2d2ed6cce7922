//! The middleware between a request and its handler: who is signed in, whether a page visitor
//! must sign in first, and JSON for the errors that axum answers before any handler runs.

use super::{auth::session, errors, identity::CurrentUser, state::AppState, tenant};
use crate::{error::AppError, href, routes};
use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;

/// Resolves the session cookie to a [`CurrentUser`] in the request extensions.
pub async fn resolve_user(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(token) = session::token_from(&jar, state.config.secure_cookies) {
        match session::user_for_token(&state.pool, &token).await {
            Ok(Some(user)) => {
                let account = user.account_id;
                request.extensions_mut().insert(user);
                if let Some(account) = account {
                    return tenant::scoped(account, next.run(request)).await;
                }
            }
            Ok(None) => {}
            Err(error) => return error.into_response(),
        }
    }
    next.run(request).await
}

/// A signed-out visitor of the analytics pages goes to sign in, and comes back afterwards.
/// (Anyone signed in reaches the page, which shows the error when they may not see it.)
pub async fn sign_in_first(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if routes::is_analytics_page(path) && request.extensions().get::<CurrentUser>().is_none() {
        let back = request.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or(path);
        return Redirect::to(&href::login_then(back)).into_response();
    }
    next.run(request).await
}

/// Errors that axum (not our handlers) answers — an unknown API path, a wrong method, a body
/// over the limit, a body that is not JSON — get the same JSON error body as every other, with
/// the request id. Pages keep their HTML "not found" page.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if errors::is_json(response.headers()) {
        return response;
    }
    let error = match response.status() {
        StatusCode::NOT_FOUND if is_api => AppError::not_found("No such endpoint."),
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed {
            message: "This endpoint does not take that method.".into(),
        },
        StatusCode::PAYLOAD_TOO_LARGE => errors::too_large(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => errors::not_json(),
        _ => return response,
    };
    let mut json = error.into_response();
    // Keep what the original response said beyond its body (e.g. `Allow` on a 405).
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            json.headers_mut().entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
    json
}
