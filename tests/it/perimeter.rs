//! The perimeter of SPEC §10 through the real router: sign-in throttling per email and per
//! client IP, session cookies, idle and absolute timeouts, revocation on credential changes,
//! and the ingest limit per API key.

use crate::common::{
    api_key, app, app_with, cookie_for, get, ingest, send, user, TestResponse, ACCOUNT_A,
    ACCOUNT_B, PASSWORD,
};
use axum::{body::Body, extract::ConnectInfo, http::Request};
use flowpilot_analytics::server::{cli, config::AppConfig};
use serde_json::json;
use sqlx::PgPool;
use std::net::SocketAddr;

const OVERVIEW: &str = "/api/v1/analytics/flowpilot?period=7d";

/// A JSON sign-in from `ip`, as `serve` sees it (the peer address of the connection).
async fn sign_in(app: &axum::Router, email: &str, password: &str, ip: &str) -> TestResponse {
    let body = json!({ "email": email, "password": password }).to_string();
    let mut request = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let peer: SocketAddr = format!("{ip}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    send(app, request).await
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn ten_failures_for_an_email_throttle_it_before_any_hash_and_a_success_resets(pool: PgPool) {
    user(&pool, "admin@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let app = app(pool.clone());
    // Nine failures, then a success: the count starts over.
    for i in 0..9 {
        let ip = format!("198.51.100.{i}");
        assert_eq!(sign_in(&app, "admin@example.com", "wrong", &ip).await.status, 401);
    }
    assert_eq!(sign_in(&app, "Admin@Example.com", PASSWORD, "198.51.100.50").await.status, 200);
    for i in 0..10 {
        let ip = format!("203.0.113.{i}");
        assert_eq!(sign_in(&app, "admin@example.com", "wrong", &ip).await.status, 401);
    }
    // Ten failures from ten addresses: the email is throttled, even with the right password.
    let throttled = sign_in(&app, "ADMIN@example.com", PASSWORD, "192.0.2.1").await;
    assert_eq!(throttled.status, 429, "{}", throttled.body);
    assert_eq!(throttled.json()["error"], "rate_limited");
    let wait: u64 = throttled.header("retry-after").unwrap().parse().unwrap();
    assert!((840..=900).contains(&wait), "about 15 minutes: {wait}");
    assert!(throttled.header("set-cookie").is_none());
    // Another email from the same addresses is not affected.
    user(&pool, "other@example.com", "team_admin", Some(ACCOUNT_A)).await;
    assert_eq!(sign_in(&app, "other@example.com", PASSWORD, "192.0.2.1").await.status, 200);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn ten_failures_from_a_client_ip_throttle_it_for_every_email(pool: PgPool) {
    user(&pool, "admin@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let app = app(pool.clone());
    for i in 0..10 {
        let email = format!("guess{i}@example.com");
        assert_eq!(sign_in(&app, &email, "123456", "203.0.113.7").await.status, 401);
    }
    let r = sign_in(&app, "admin@example.com", PASSWORD, "203.0.113.7").await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    assert_eq!(sign_in(&app, "admin@example.com", PASSWORD, "203.0.113.8").await.status, 200);
    // Successes do not count, and the throttled attempt was not a failure of the email.
    let (failures,): (i32,) = sqlx::query_as(
        "SELECT hits FROM rate_limit_buckets WHERE bucket = 'signin-ip:203.0.113.7'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(failures, 10);
}

#[sqlx::test]
async fn a_throttled_form_post_returns_to_the_sign_in_page_saying_so(pool: PgPool) {
    let app = app(pool.clone());
    for _ in 0..10 {
        sign_in(&app, "someone@example.com", "wrong", "203.0.113.9").await;
    }
    let request = Request::post("/api/v1/auth/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("email=someone%40example.com&password=x&next=%2Fanalytics%2Fpsa"))
        .unwrap();
    let r = send(&app, request).await;
    assert_eq!(r.status, 303);
    let location = r.header("location").unwrap().to_owned();
    assert_eq!(location, "/login?error=throttled&next=%2Fanalytics%2Fpsa");
    let page = get(&app, &location, None).await;
    assert!(page.body.contains("Too many failed sign-ins"), "{}", page.body);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn over_https_the_cookie_is_host_prefixed_and_only_that_name_signs_in(pool: PgPool) {
    user(&pool, "admin@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let mut config = AppConfig::for_tests();
    config.secure_cookies = true;
    let app = app_with(pool.clone(), config);
    let r = sign_in(&app, "admin@example.com", PASSWORD, "192.0.2.10").await;
    let cookie = r.header("set-cookie").unwrap().to_owned();
    assert!(cookie.starts_with("__Host-fp_session="), "{cookie}");
    for part in ["Secure", "Path=/", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(part), "{part}: {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    let host = format!("__Host-fp_session={token}");
    assert_eq!(get(&app, OVERVIEW, Some(&host)).await.status, 200);
    let plain = format!("fp_session={token}");
    assert_eq!(get(&app, OVERVIEW, Some(&plain)).await.status, 401, "the plain name is not read");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn sessions_end_after_twelve_idle_hours_or_seven_days(pool: PgPool) {
    let id = user(&pool, "admin@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let app = app(pool.clone());
    let (idle, old, used) =
        (cookie_for(&pool, id).await, cookie_for(&pool, id).await, cookie_for(&pool, id).await);
    let hash = |cookie: &str| {
        use sha2::Digest;
        sha2::Sha256::digest(cookie.split_once('=').unwrap().1.as_bytes()).to_vec()
    };
    let set = |sql: &'static str, cookie: String| {
        let pool = pool.clone();
        async move { sqlx::query(sql).bind(hash(&cookie)).execute(&pool).await.unwrap() }
    };
    set("UPDATE auth_sessions SET last_seen_at = now() - interval '12 hours 1 minute' WHERE token_hash = $1", idle.clone()).await;
    set(
        "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
        old.clone(),
    )
    .await;
    set(
        "UPDATE auth_sessions SET last_seen_at = now() - interval '11 hours' WHERE token_hash = $1",
        used.clone(),
    )
    .await;
    assert_eq!(get(&app, OVERVIEW, Some(&idle)).await.status, 401, "idle 12 h");
    assert_eq!(get(&app, OVERVIEW, Some(&old)).await.status, 401, "past 7 days");
    assert_eq!(get(&app, OVERVIEW, Some(&used)).await.status, 200, "idle 11 h");
    let (seen,): (bool,) = sqlx::query_as(
        "SELECT last_seen_at > now() - interval '1 minute' FROM auth_sessions WHERE token_hash = $1",
    )
    .bind(hash(&used))
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(seen, "using a session renews its idle timeout");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn a_password_role_account_or_active_change_ends_every_session_of_the_user(pool: PgPool) {
    let app = app(pool.clone());
    let changes = [
        "UPDATE users SET role = 'technician' WHERE id = $1",
        "UPDATE users SET account_id = $2 WHERE id = $1",
        "UPDATE users SET is_active = false WHERE id = $1",
    ];
    for (i, change) in changes.iter().enumerate() {
        let id = user(&pool, &format!("u{i}@example.com"), "team_admin", Some(ACCOUNT_A)).await;
        let (one, two) = (cookie_for(&pool, id).await, cookie_for(&pool, id).await);
        sqlx::query(change).bind(id).bind(ACCOUNT_B).execute(&pool).await.unwrap();
        sqlx::query(
            "UPDATE users SET role = 'team_admin', account_id = $2, is_active = true WHERE id = $1",
        )
        .bind(id)
        .bind(ACCOUNT_A)
        .execute(&pool)
        .await
        .unwrap();
        for cookie in [&one, &two] {
            assert_eq!(get(&app, OVERVIEW, Some(cookie)).await.status, 401, "{change}");
        }
    }
    // A password reset through the CLI's create-admin.
    let id = user(&pool, "reset@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let cookie = cookie_for(&pool, id).await;
    let other = cookie_for(
        &pool,
        user(&pool, "bystander@example.com", "team_admin", Some(ACCOUNT_A)).await,
    )
    .await;
    let reset = cli::NewAdmin {
        email: "reset@example.com".into(),
        account: "Account A".into(),
        timezone: "UTC".into(),
        password_stdin: false,
    };
    cli::create_admin(&pool, &reset, "a brand new password").await.unwrap();
    assert_eq!(get(&app, OVERVIEW, Some(&cookie)).await.status, 401, "password reset");
    assert_eq!(get(&app, OVERVIEW, Some(&other)).await.status, 200, "other users keep theirs");
}

#[sqlx::test(fixtures("ingest"))]
async fn each_api_key_has_its_own_ingest_budget(pool: PgPool) {
    let mut config = AppConfig::for_tests();
    config.ingest_rate_per_minute = 3;
    let app = app_with(pool.clone(), config);
    let (first, second) = (api_key(&pool, "Account A").await, api_key(&pool, "Account A").await);
    for _ in 0..3 {
        assert_eq!(ingest(&app, &first, "/api/v1/sessions", json!({}), None).await.status, 201);
    }
    let limited = ingest(&app, &first, "/api/v1/sessions", json!({}), None).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(ingest(&app, &second, "/api/v1/sessions", json!({}), None).await.status, 201);
    let (opened,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM ai_sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(opened, 4, "the refused request wrote nothing");
}
