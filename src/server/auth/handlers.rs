//! `POST /api/v1/auth/login` and `POST /api/v1/auth/logout`, for HTML forms and JSON clients.

use super::{
    password::authenticate,
    session::{create_session, end_session, session_cookie, token_from, with_cookie},
    throttle::{client_ip, Throttle},
};
use crate::{
    error::AppError,
    href, routes,
    server::{errors, state::AppState},
};
use axum::{
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Extension, Json,
};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// A sign-in, as JSON or as an HTML form.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// Form posts only: where to go after signing in.
    #[serde(default)]
    pub next: Option<String>,
}

/// A JSON sign-in's answer (the session itself is the `Set-Cookie` beside it).
#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedIn<'a> {
    pub signed_in: bool,
    pub email: &'a str,
}

fn header_has(headers: &HeaderMap, name: header::HeaderName, needle: &str) -> bool {
    headers.get(name).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(needle))
}

/// JSON (`{email, password}` → 200 / 401 JSON) or an HTML form post (→ 303 to `next`, or back
/// to `/login?error=invalid`); any other body is a 415.
pub async fn login(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_form = header_has(&headers, header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let parsed: Result<LoginRequest, String> = if is_form {
        serde_urlencoded::from_bytes(&body).map_err(|e| e.to_string())
    } else if errors::is_json(&headers) {
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    } else {
        return errors::not_json().into_response();
    };
    let request = match parsed {
        Ok(request) => request,
        Err(reason) => {
            return AppError::bad_request(format!(
                "Expected {{\"email\": string, \"password\": string}}: {reason}"
            ))
            .into_response()
        }
    };
    if request.email.chars().any(char::is_control) {
        return AppError::validation("The email holds a control character.").into_response();
    }
    let next = safe_next(request.next.as_deref());
    let peer = peer.map(|Extension(ConnectInfo(address))| address.ip());
    let throttle = Throttle::new(
        &request.email,
        client_ip(&headers, state.config.client_ip_header.as_deref(), peer),
    );
    let outcome = match throttle.check(&state.pool).await {
        Ok(()) => signed_in(&state, &request, &throttle).await,
        Err(error) => Err(error),
    };
    let secure = state.config.secure_cookies;
    match (outcome, is_form) {
        (Ok(token), true) => with_cookie(Redirect::to(next), &session_cookie(Some(&token), secure)),
        (Ok(token), false) => with_cookie(
            Json(SignedIn { signed_in: true, email: request.email.trim() }),
            &session_cookie(Some(&token), secure),
        ),
        (Err(AppError::Unauthorized { .. }), true) => back_to_login("invalid", next),
        // A browser's form post gets the sign-in page saying so; JSON clients get the 429.
        (Err(AppError::RateLimited { .. }), true) => back_to_login("throttled", next),
        (Err(error), _) => error.into_response(),
    }
}

/// Verifies the password (the throttle counts the outcome) and opens a session; its token.
async fn signed_in(
    state: &AppState,
    request: &LoginRequest,
    throttle: &Throttle,
) -> Result<String, AppError> {
    let user_id = authenticate(&state.pool, &request.email, &request.password, throttle).await?;
    create_session(&state.pool, user_id).await
}

fn back_to_login(error: &str, next: &str) -> Response {
    let query = href::query_string([("error", error), ("next", next)]);
    Redirect::to(&format!("{}?{query}", routes::LOGIN)).into_response()
}

/// Ends the session; a form post lands on the sign-in page, a JSON client gets 204.
pub async fn logout(State(state): State<AppState>, jar: CookieJar, headers: HeaderMap) -> Response {
    if let Some(token) = token_from(&jar, state.config.secure_cookies) {
        if let Err(error) = end_session(&state.pool, &token).await {
            return error.into_response();
        }
    }
    let cleared = session_cookie(None, state.config.secure_cookies);
    if header_has(&headers, header::ACCEPT, "application/json") {
        with_cookie(StatusCode::NO_CONTENT, &cleared)
    } else {
        with_cookie(Redirect::to(routes::LOGIN), &cleared)
    }
}

/// Where to go after signing in: a path of the analytics page on this origin, else the
/// analytics page itself. Whitespace, control characters and backslashes are refused outright:
/// browsers drop or rewrite them (`/\t/evil.example` becomes `//evil.example`, off-site), and
/// CR/LF would break the `Location` header.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(next)
            if next.chars().all(|c| !(c.is_whitespace() || c.is_control() || c == '\\'))
                && routes::is_analytics_page(next.split(['?', '#']).next().unwrap_or_default()) =>
        {
            next
        }
        _ => routes::ANALYTICS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_accepts_only_paths_of_the_analytics_page() {
        for kept in ["/analytics", "/analytics/psa?period=7d", "/analytics?period=90d#top"] {
            assert_eq!(safe_next(Some(kept)), kept);
        }
        // The whole hostile table runs through real sign-ins in tests/it/auth.rs.
        for hostile in ["//evil.example", "/\t/evil.example", "/analytics\r\nX: y", "/login"] {
            assert_eq!(safe_next(Some(hostile)), "/analytics", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/analytics");
    }
}
