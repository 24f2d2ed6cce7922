//! Sign-in, sign-out and who may see what, through the real router.

use crate::common::{admin_cookie, app, get, outsider_cookies, post, user, ACCOUNT_A, PASSWORD};
use sqlx::PgPool;

#[sqlx::test(fixtures("recent_sessions"))]
async fn json_login_sets_a_strict_http_only_cookie_that_signs_in(pool: PgPool) {
    user(&pool, "Admin@Example.com", "team_admin", Some(ACCOUNT_A)).await;
    let app = app(pool);
    let body = format!(r#"{{"email": "admin@example.com", "password": "{PASSWORD}"}}"#);
    let response = post(&app, "/api/v1/auth/login", "application/json", &body).await;
    assert_eq!(response.status, 200, "{}", response.body);
    let cookie = response.header("set-cookie").unwrap().to_owned();
    assert!(cookie.starts_with("fp_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let pair = cookie.split(';').next().unwrap();
    let overview = get(&app, "/api/v1/analytics/flowpilot", Some(pair)).await;
    assert_eq!(overview.status, 200, "{}", overview.body);
}

#[sqlx::test]
async fn wrong_password_or_unknown_email_is_401_with_a_clear_message(pool: PgPool) {
    user(&pool, "admin@example.com", "team_admin", None).await;
    let app = app(pool);
    for body in [
        r#"{"email": "admin@example.com", "password": "wrong password"}"#,
        r#"{"email": "nobody@example.com", "password": "whatever it is"}"#,
    ] {
        let response = post(&app, "/api/v1/auth/login", "application/json", body).await;
        assert_eq!(response.status, 401);
        assert_eq!(response.json()["message"], "Invalid email or password.");
        assert!(response.header("set-cookie").is_none());
    }
}

#[sqlx::test]
async fn malformed_login_body_is_400_not_500(pool: PgPool) {
    let app = app(pool);
    let response = post(&app, "/api/v1/auth/login", "application/json", "{not json").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.json()["error"], "bad_request");
    let response = post(&app, "/api/v1/auth/login", "application/json", r#"{"email": 1}"#).await;
    assert_eq!(response.status, 400);
}

#[sqlx::test]
async fn oversized_body_is_refused_with_413(pool: PgPool) {
    let app = app(pool);
    let huge = format!(r#"{{"email": "a@b.c", "password": "{}"}}"#, "x".repeat(200_000));
    let response = post(&app, "/api/v1/auth/login", "application/json", &huge).await;
    assert_eq!(response.status, 413);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn form_login_returns_to_next_and_failure_returns_to_the_form(pool: PgPool) {
    user(&pool, "admin@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let app = app(pool);
    let form = format!(
        "email=admin%40example.com&password={}&next=%2Fanalytics%2Fpsa%3Fperiod%3D7d",
        PASSWORD.replace(' ', "+")
    );
    let ok = post(&app, "/api/v1/auth/login", "application/x-www-form-urlencoded", &form).await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.header("location"), Some("/analytics/psa?period=7d"));
    assert!(ok.header("set-cookie").is_some());

    let bad = "email=admin%40example.com&password=nope&next=%2F%2Fevil.example";
    let failed = post(&app, "/api/v1/auth/login", "application/x-www-form-urlencoded", bad).await;
    assert_eq!(failed.status, 303);
    assert_eq!(failed.header("location"), Some("/login?error=invalid&next=%2Fanalytics"));
    assert!(failed.header("set-cookie").is_none());
}

/// Values of `next` that must never lead anywhere but the analytics page: off-site forms
/// browsers accept (`//`, backslashes, a tab or newline they drop), schemes, header injection,
/// other pages of ours, and the raw percent-encoded forms of the same.
const HOSTILE_NEXT: &[&str] = &[
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/analytics\r\nSet-Cookie: x=1",
    "/\u{0}/evil.example",
    " /analytics",
    "https://evil.example/analytics",
    "javascript:alert(1)",
    "data:text/html,x",
    "evil.example",
    "/analyticsevil",
    "/login",
    "/api/v1/auth/logout",
    "/%2F/evil.example",
    "/%09/evil.example",
    "",
];

#[sqlx::test(fixtures("recent_sessions"))]
async fn hostile_next_values_land_on_the_analytics_page_and_never_fail(pool: PgPool) {
    user(&pool, "admin@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let app = app(pool);
    for hostile in HOSTILE_NEXT {
        for (password, expected) in
            [(PASSWORD, "/analytics"), ("wrong password", "/login?error=invalid&next=%2Fanalytics")]
        {
            let form = serde_urlencoded::to_string([
                ("email", "admin@example.com"),
                ("password", password),
                ("next", hostile),
            ])
            .unwrap();
            let response =
                post(&app, "/api/v1/auth/login", "application/x-www-form-urlencoded", &form).await;
            assert_eq!(response.status, 303, "{hostile:?}: {}", response.body);
            assert_eq!(response.header("location"), Some(expected), "{hostile:?}");
        }
    }
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn sign_out_ends_the_session(pool: PgPool) {
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    assert_eq!(get(&app, "/api/v1/analytics/flowpilot", Some(&cookie)).await.status, 200);
    let request = axum::http::Request::post("/api/v1/auth/logout")
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let out = crate::common::send(&app, request).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login"));
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(get(&app, "/api/v1/analytics/flowpilot", Some(&cookie)).await.status, 401);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn inactive_users_are_signed_out(pool: PgPool) {
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    sqlx::query("UPDATE users SET is_active = false").execute(&pool).await.unwrap();
    let app = app(pool);
    assert_eq!(get(&app, "/api/v1/analytics/flowpilot", Some(&cookie)).await.status, 401);
}

#[sqlx::test]
async fn signed_out_page_visit_redirects_to_sign_in_and_back(pool: PgPool) {
    let app = app(pool);
    let response = get(&app, "/analytics/coverage?period=7d", None).await;
    assert_eq!(response.status, 303);
    assert_eq!(
        response.header("location"),
        Some("/login?next=%2Fanalytics%2Fcoverage%3Fperiod%3D7d")
    );
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn technicians_and_users_without_an_account_get_403_pages(pool: PgPool) {
    let (tech, loner) = outsider_cookies(&pool).await;
    let app = app(pool);

    let page = get(&app, "/analytics", Some(&tech)).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("Only team admins"), "{}", page.body);
    let page = get(&app, "/analytics", Some(&loner)).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("No account"), "{}", page.body);
}

#[sqlx::test]
async fn the_sign_in_page_renders_the_form_and_the_failure_message(pool: PgPool) {
    let app = app(pool);
    let page = get(&app, "/login?error=invalid&next=%2Fanalytics%2Fpsa", None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"action="/api/v1/auth/login""#), "{}", page.body);
    assert!(page.body.contains("Invalid email or password."));
    assert!(page.body.contains(r#"value="/analytics/psa""#), "{}", page.body);
}
