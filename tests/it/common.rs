//! Helpers shared by the integration tests: the real router over the test's own database,
//! users and signed-in cookies, and requests sent with `tower::ServiceExt::oneshot`.

use axum::{body::Body, http::Request, Router};
use flowpilot_analytics::server::{auth, config::AppConfig, database, router, state::AppState};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::{uuid, Uuid};

pub const ACCOUNT_A: Uuid = uuid!("aaaaaaaa-0000-0000-0000-000000000001");
pub const ACCOUNT_B: Uuid = uuid!("bbbbbbbb-0000-0000-0000-000000000001");
pub const PASSWORD: &str = "correct horse battery";

/// The URL of the database `#[sqlx::test]` made for this test (for the real binary, or for a
/// pool of the app's own settings): `DATABASE_URL` with that database's name.
pub fn database_url(options: &sqlx::postgres::PgConnectOptions) -> String {
    let base = std::env::var("DATABASE_URL").unwrap();
    format!("{}/{}", base.rsplit_once('/').unwrap().0, options.get_database().unwrap())
}

pub fn app(pool: PgPool) -> Router {
    app_with(pool, AppConfig::for_tests())
}

/// The router as the server builds it, over the test's database: its queries run from the
/// server's own kind of pool ([`database::app_pool`]: the app role under row-level security,
/// the configured guards), while `pool` — the owner's — sets up fixtures and checks rows.
pub fn app_with(pool: PgPool, config: AppConfig) -> Router {
    app_and_pool(&pool, config).0
}

/// [`app_with`], also returning the app's own pool.
pub fn app_and_pool(pool: &PgPool, config: AppConfig) -> (Router, PgPool) {
    app_on_site(pool, config, |_| {})
}

/// [`app`], serving its static files from `site_root` instead of Leptos.toml's.
pub fn app_serving_files_from(pool: &PgPool, site_root: &std::path::Path) -> Router {
    let root: std::sync::Arc<str> = site_root.to_string_lossy().as_ref().into();
    app_on_site(pool, AppConfig::for_tests(), move |options| options.site_root = root).0
}

/// The router and its pool, over Leptos.toml's options as `adjust` leaves them.
fn app_on_site(
    pool: &PgPool,
    config: AppConfig,
    adjust: impl FnOnce(&mut leptos::prelude::LeptosOptions),
) -> (Router, PgPool) {
    let mut options = leptos::prelude::get_configuration(Some("Leptos.toml"))
        .expect("Leptos.toml")
        .leptos_options;
    adjust(&mut options);
    let app_pool = database::app_pool((*pool.connect_options()).clone(), &config.database);
    (router::build(AppState::new(options, app_pool.clone(), config)), app_pool)
}

/// The router over a pool of `size` connections, waiting at most `acquire` for one (what
/// production's pool settings decide).
pub fn app_on_small_pool(
    pool: &PgPool,
    size: u32,
    acquire: std::time::Duration,
    mut config: AppConfig,
) -> (Router, PgPool) {
    config.database.max_connections = size;
    config.database.acquire_timeout = acquire;
    app_and_pool(pool, config)
}

pub async fn user(pool: &PgPool, email: &str, role: &str, account: Option<Uuid>) -> Uuid {
    let hash = auth::hash_password(PASSWORD).unwrap();
    sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, role, account_id) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )
    .bind(email)
    .bind(hash)
    .bind(role)
    .bind(account)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A `Cookie` header value for a fresh sign-in session of `user_id`.
pub async fn cookie_for(pool: &PgPool, user_id: Uuid) -> String {
    let token = auth::create_session(pool, user_id).await.unwrap();
    format!("{}={token}", auth::SESSION_COOKIE)
}

pub async fn admin_cookie(pool: &PgPool, account: Uuid) -> String {
    let email = format!("admin-{}@example.com", Uuid::new_v4());
    let id = user(pool, &email, "team_admin", Some(account)).await;
    cookie_for(pool, id).await
}

/// Cookies of the two signed-in users who may not see account A's analytics: a technician of
/// the account, and a team admin without an account.
pub async fn outsider_cookies(pool: &PgPool) -> (String, String) {
    let tech = user(pool, "tech@example.com", "technician", Some(ACCOUNT_A)).await;
    let loner = user(pool, "loner@example.com", "team_admin", None).await;
    (cookie_for(pool, tech).await, cookie_for(pool, loner).await)
}

pub const FLOW_1: Uuid = uuid!("aaaaaaaa-0000-0000-0000-0000000000f1");
pub const FLOW_2: Uuid = uuid!("aaaaaaaa-0000-0000-0000-0000000000f2");
pub const RETIRED_FLOW: Uuid = uuid!("aaaaaaaa-0000-0000-0000-0000000000f3");
pub const FLOW_B: Uuid = uuid!("bbbbbbbb-0000-0000-0000-0000000000f1");

/// A fresh ingest API key for the named account.
pub async fn api_key(pool: &PgPool, account: &str) -> String {
    flowpilot_analytics::server::api_keys::create(pool, account, "test").await.unwrap().key
}

/// An ingest POST with an API key and, optionally, an Idempotency-Key.
pub async fn ingest(
    app: &Router,
    key: &str,
    path: &str,
    body: serde_json::Value,
    idempotency_key: Option<&str>,
) -> TestResponse {
    let mut request = Request::post(path)
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "application/json");
    if let Some(idempotency_key) = idempotency_key {
        request = request.header("idempotency-key", idempotency_key);
    }
    send(app, request.body(Body::from(body.to_string())).unwrap()).await
}

pub struct TestResponse {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Sends a request to the app; the response must keep the OpenAPI document's promises
/// ([`crate::contract`]).
pub async fn send(app: &Router, request: Request<Body>) -> TestResponse {
    let (method, uri) = (request.method().clone(), request.uri().to_string());
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let response =
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() };
    crate::contract::check(&method, &uri, status, response.header("content-type"), &response.body);
    response
}

pub async fn get(app: &Router, path: &str, cookie: Option<&str>) -> TestResponse {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

pub async fn post(app: &Router, path: &str, content_type: &str, body: &str) -> TestResponse {
    let request = Request::post(path)
        .header("content-type", content_type)
        .body(Body::from(body.to_owned()))
        .unwrap();
    send(app, request).await
}

/// A GET's JSON answer as `cookie`'s user; it must be 200.
pub async fn get_json(app: &Router, cookie: &str, path: &str) -> serde_json::Value {
    let r = get(app, path, Some(cookie)).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

/// A JSON count.
pub fn count(value: &serde_json::Value) -> i64 {
    value.as_i64().unwrap_or_else(|| panic!("not a count: {value}"))
}
