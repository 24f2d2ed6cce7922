//! Sign-in: argon2id password hashes, opaque session tokens stored (hashed) in PostgreSQL,
//! an HttpOnly SameSite=Strict cookie, and the rules of who may see the analytics.

use super::{errors::internal, state::AppState};
use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use axum::{
    body::Bytes,
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
    Json,
};
use axum_extra::extract::CookieJar;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

pub const SESSION_COOKIE: &str = "fp_session";
const SESSION_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    TeamAdmin,
    Technician,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::TeamAdmin => "team_admin",
            Role::Technician => "technician",
        }
    }
}

/// The signed-in user, put into request extensions by [`resolve_user`].
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CurrentUser {
    pub user_id: Uuid,
    pub email: String,
    pub role: Role,
    pub account_id: Option<Uuid>,
}

/// A team admin of an account: the only identity the analytics accept.
#[derive(Debug, Clone, Copy)]
pub struct Admin {
    pub user_id: Uuid,
    pub account_id: Uuid,
}

/// SPEC §4: signed out → 401, no account → 403 "No account", technician → 403.
pub fn require_team_admin(user: Option<&CurrentUser>) -> Result<Admin, AppError> {
    let user = user.ok_or(AppError::Unauthorized { message: None })?;
    let account_id = user.account_id.ok_or_else(|| AppError::forbidden("No account"))?;
    match user.role {
        Role::TeamAdmin => Ok(Admin { user_id: user.user_id, account_id }),
        Role::Technician => Err(AppError::forbidden("Only team admins can view analytics.")),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        require_team_admin(parts.extensions.get::<CurrentUser>())
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| internal(format_args!("hashing a password: {e}")))
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Checks credentials; an unknown email costs the same hash as a wrong password.
pub async fn authenticate(pool: &PgPool, email: &str, password: &str) -> Result<Uuid, AppError> {
    let row: Option<(Uuid, String)> = sqlx::query_as(
        "SELECT id, password_hash FROM users WHERE lower(email) = lower($1) AND is_active",
    )
    .bind(email.trim())
    .fetch_optional(pool)
    .await?;
    let password = password.to_owned();
    let verified = tokio::task::spawn_blocking(move || match &row {
        Some((id, hash)) => verify_password(&password, hash).then_some(*id),
        None => {
            let _ = verify_password(&password, &DUMMY_HASH);
            None
        }
    })
    .await
    .map_err(internal)?;
    verified.ok_or(AppError::Unauthorized { message: Some("Invalid email or password.".into()) })
}

/// Verified against when the email is unknown, so both paths cost one argon2 verification.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no user has this password", &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

pub async fn create_session(pool: &PgPool, user_id: Uuid) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, expires_at)
         VALUES ($1, $2, now() + make_interval(days => $3))",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(SESSION_DAYS as i32)
    .execute(pool)
    .await?;
    Ok(token)
}

pub async fn user_for_token(pool: &PgPool, token: &str) -> Result<Option<CurrentUser>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.role, u.account_id
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > now() AND u.is_active",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?)
}

/// Middleware: resolves the session cookie to a [`CurrentUser`] in the request extensions.
pub async fn resolve_user(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        match user_for_token(&state.pool, &token).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(error) => return error.into_response(),
        }
    }
    next.run(request).await
}

/// Middleware for the analytics pages: a signed-out visitor goes to sign in (and comes back),
/// anyone else who is not a team admin of an account sees a 403 page.
pub async fn guard_pages(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !(path == "/analytics" || path.starts_with("/analytics/")) {
        return next.run(request).await;
    }
    match require_team_admin(request.extensions().get::<CurrentUser>()) {
        Ok(_) => next.run(request).await,
        Err(AppError::Unauthorized { .. }) => {
            let back = request.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or("/analytics");
            let query = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
            Redirect::to(&format!("/login?{query}")).into_response()
        }
        Err(error) => forbidden_page(&error.user_message()),
    }
}

fn forbidden_page(message: &str) -> Response {
    let message = escape_html(message);
    let body = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>403 · FlowPilot Analytics</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/pkg/flowpilot-analytics.css"></head>
<body class="min-h-screen bg-background text-foreground"><main class="mx-auto max-w-md p-8">
<h1 class="text-2xl font-semibold">403 · Forbidden</h1><p class="mt-2 text-muted-foreground">{message}</p>
<form method="post" action="/api/v1/auth/logout" class="mt-6"><button class="underline" type="submit">Sign out</button></form>
</main></body></html>"#
    );
    (StatusCode::FORBIDDEN, Html(body)).into_response()
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// Form posts only: where to go after signing in.
    #[serde(default)]
    pub next: Option<String>,
}

/// `POST /api/v1/auth/login`, JSON (`{email, password}` → 200 / 401 JSON) or an HTML form post
/// (→ 303 to `next`, or back to `/login?error=invalid`).
pub async fn login(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let parsed: Result<LoginRequest, String> = if is_form {
        serde_urlencoded::from_bytes(&body).map_err(|e| e.to_string())
    } else {
        serde_json::from_slice(&body).map_err(|e| e.to_string())
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
    let next = safe_next(request.next.as_deref());
    let outcome = match authenticate(&state.pool, &request.email, &request.password).await {
        Ok(user_id) => create_session(&state.pool, user_id).await,
        Err(error) => Err(error),
    };
    match (outcome, is_form) {
        (Ok(token), true) => with_cookie(Redirect::to(next), &session_cookie(&state, &token)),
        (Ok(token), false) => with_cookie(
            Json(serde_json::json!({ "signed_in": true, "email": request.email.trim() })),
            &session_cookie(&state, &token),
        ),
        (Err(AppError::Unauthorized { .. }), true) => {
            let query = serde_urlencoded::to_string([("error", "invalid"), ("next", next)])
                .unwrap_or_default();
            Redirect::to(&format!("/login?{query}")).into_response()
        }
        (Err(error), _) => error.into_response(),
    }
}

/// `POST /api/v1/auth/logout`: ends the session; a form post lands on the sign-in page.
pub async fn logout(State(state): State<AppState>, jar: CookieJar, headers: HeaderMap) -> Response {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let deleted = sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1")
            .bind(token_hash(cookie.value()))
            .execute(&state.pool)
            .await;
        if let Err(error) = deleted {
            return AppError::from(error).into_response();
        }
    }
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let cleared = clear_cookie(&state);
    if wants_json {
        with_cookie(StatusCode::NO_CONTENT, &cleared)
    } else {
        with_cookie(Redirect::to("/login"), &cleared)
    }
}

/// Only same-site paths: `/x` but not `//host` or `/\host`, which browsers treat as off-site.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") =>
        {
            path
        }
        _ => "/analytics",
    }
}

fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_DAYS * 24 * 3600
    )
}

fn clear_cookie(state: &AppState) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

fn with_cookie(response: impl IntoResponse, cookie: &str) -> Response {
    let mut response = response.into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, account: bool) -> CurrentUser {
        CurrentUser {
            user_id: Uuid::new_v4(),
            email: "a@example.com".into(),
            role,
            account_id: account.then(Uuid::new_v4),
        }
    }

    #[test]
    fn only_team_admins_with_an_account_pass() {
        assert!(require_team_admin(Some(&user(Role::TeamAdmin, true))).is_ok());
        assert_eq!(require_team_admin(None).unwrap_err().status_code(), 401);
        let tech = require_team_admin(Some(&user(Role::Technician, true))).unwrap_err();
        assert_eq!(tech.status_code(), 403);
        let no_account = require_team_admin(Some(&user(Role::TeamAdmin, false))).unwrap_err();
        assert_eq!(no_account, AppError::forbidden("No account"));
    }

    #[test]
    fn next_accepts_only_same_site_paths() {
        assert_eq!(safe_next(Some("/analytics/psa?period=7d")), "/analytics/psa?period=7d");
        assert_eq!(safe_next(Some("//evil.example")), "/analytics");
        assert_eq!(safe_next(Some("/\\evil.example")), "/analytics");
        assert_eq!(safe_next(Some("https://evil.example")), "/analytics");
        assert_eq!(safe_next(None), "/analytics");
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
