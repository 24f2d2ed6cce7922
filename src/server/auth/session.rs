//! Sign-in sessions: opaque tokens, stored only as their SHA-256 in PostgreSQL, carried in an
//! HttpOnly SameSite=Strict cookie — `__Host-fp_session` when Secure (bound to this origin, no
//! Domain, Path=/), `fp_session` over plain-HTTP local use. A session ends after 12 hours
//! unused or 7 days in all, and with every change of its user's password, role, account or
//! active flag (a trigger on `users`, so no code path can forget it).

use crate::{error::AppError, server::identity::CurrentUser};
use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// The cookie over plain HTTP (`FLOWPILOT_SECURE_COOKIES=false`, local use and tests).
pub const SESSION_COOKIE: &str = "fp_session";
/// The cookie when Secure: the `__Host-` prefix makes the browser refuse it from a subdomain or
/// with a Domain or a Path other than `/`.
pub const SECURE_SESSION_COOKIE: &str = "__Host-fp_session";
/// Absolute lifetime.
const SESSION_DAYS: i64 = 7;
/// Idle timeout: a session unused this long has ended.
const IDLE_HOURS: i32 = 12;
/// `last_seen_at` is written at most this often per session (not on every request).
const TOUCH_EVERY_SECS: i32 = 60;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token the request carries under this configuration's cookie name.
pub fn token_from(jar: &CookieJar, secure: bool) -> Option<String> {
    jar.get(cookie_name(secure)).map(|c| c.value().to_owned())
}

/// Whether the request carries a session cookie of either name.
pub fn carries_session(jar: &CookieJar) -> bool {
    jar.get(SESSION_COOKIE).is_some() || jar.get(SECURE_SESSION_COOKIE).is_some()
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub async fn create_session(pool: &PgPool, user_id: Uuid) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    sqlx::query("SELECT auth_session_start($1, $2, $3)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(SESSION_DAYS as i32)
        .execute(pool)
        .await?;
    Ok(token)
}

/// The signed-in user of a live session (not past 7 days, used within 12 hours), marking the
/// session used.
pub async fn user_for_token(pool: &PgPool, token: &str) -> Result<Option<CurrentUser>, AppError> {
    Ok(sqlx::query_as("SELECT * FROM auth_session_user($1, $2, $3)")
        .bind(token_hash(token))
        .bind(IDLE_HOURS)
        .bind(f64::from(TOUCH_EVERY_SECS))
        .fetch_optional(pool)
        .await?)
}

pub async fn end_session(pool: &PgPool, token: &str) -> Result<(), AppError> {
    sqlx::query("SELECT auth_session_end($1)").bind(token_hash(token)).execute(pool).await?;
    Ok(())
}

pub async fn delete_expired_sessions(pool: &PgPool) -> Result<u64, AppError> {
    let (expired,): (i64,) =
        sqlx::query_as("SELECT auth_sessions_expire($1)").bind(IDLE_HOURS).fetch_one(pool).await?;
    Ok(expired.unsigned_abs())
}

/// The `Set-Cookie` value that carries `token` (`None`: the one that clears it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let (value, max_age) = match token {
        Some(token) => (token, SESSION_DAYS * 24 * 3600),
        None => ("", 0),
    };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        cookie_name(!secure.is_empty())
    )
}

pub fn with_cookie(response: impl IntoResponse, cookie: &str) -> Response {
    let mut response = response.into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
