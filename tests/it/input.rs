//! Bad input at the edge: every error is JSON with a request id — including what axum answers
//! before a handler runs (unknown API path, wrong method, body too large, not JSON) — and text
//! with control characters is a 422 that writes nothing.

use crate::common::{api_key, app, get, ingest, post, send, TestResponse};
use axum::{body::Body, http::Request};
use serde_json::json;
use sqlx::PgPool;

fn json_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "{}", response.body);
    let body = response.json();
    assert_eq!(body["error"], code, "{}", response.body);
    let id = body["request_id"].as_str().expect("a request id");
    assert_eq!(response.header("x-request-id"), Some(id));
    assert!(!body["message"].as_str().unwrap_or_default().is_empty(), "{}", response.body);
}

#[sqlx::test]
async fn an_unknown_api_path_is_a_json_404_and_an_unknown_page_an_html_one(pool: PgPool) {
    let app = app(pool);
    json_error(&get(&app, "/api/v1/nothing-here", None).await, 404, "not_found");
    json_error(&get(&app, "/api/analytics/nothing", None).await, 404, "not_found");
    let page = get(&app, "/no-such-page", None).await;
    assert_eq!(page.status, 404);
    assert!(page.header("content-type").unwrap_or_default().starts_with("text/html"));
}

#[sqlx::test]
async fn a_wrong_method_is_a_json_405_that_says_which_are_allowed(pool: PgPool) {
    let app = app(pool);
    let response = get(&app, "/api/v1/auth/login", None).await;
    json_error(&response, 405, "method_not_allowed");
    assert!(
        response.header("allow").unwrap_or_default().contains("POST"),
        "{:?}",
        response.headers
    );
    let delete = Request::delete("/api/v1/analytics/flowpilot").body(Body::empty()).unwrap();
    json_error(&send(&app, delete).await, 405, "method_not_allowed");
}

#[sqlx::test(fixtures("ingest"))]
async fn a_body_over_64_kib_is_a_json_413(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool);
    let huge = format!(r#"{{"email": "a@b.c", "password": "{}"}}"#, "x".repeat(70_000));
    json_error(
        &post(&app, "/api/v1/auth/login", "application/json", &huge).await,
        413,
        "payload_too_large",
    );
    let body = json!({ "problem_domain": "x".repeat(70_000) });
    json_error(&ingest(&app, &key, "/api/v1/sessions", body, None).await, 413, "payload_too_large");
}

#[sqlx::test(fixtures("ingest"))]
async fn json_routes_refuse_other_content_types_with_415(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool.clone());
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let mut request =
            Request::post("/api/v1/sessions").header("authorization", format!("Bearer {key}"));
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = send(&app, request.body(Body::from("{}")).unwrap()).await;
        json_error(&response, 415, "unsupported_media_type");
    }
    let login =
        post(&app, "/api/v1/auth/login", "text/plain", r#"{"email":"a@b.c","password":"x"}"#).await;
    json_error(&login, 415, "unsupported_media_type");
    let (sessions,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM ai_sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, 0, "nothing was written");
}

#[sqlx::test(fixtures("ingest"))]
async fn control_characters_in_text_are_422_and_write_nothing(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool.clone());
    for text in ["Email\u{0}", "E\u{7}mail", "Email\u{1b}[31m", "Email\u{85}"] {
        let response =
            ingest(&app, &key, "/api/v1/sessions", json!({ "problem_domain": text }), None).await;
        json_error(&response, 422, "validation");
        assert!(response.body.contains("body.problem_domain"), "{}", response.body);
    }
    let (sessions,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM ai_sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, 0, "nothing was written");
    // Tabs and line breaks are text.
    let fine = ingest(
        &app,
        &key,
        "/api/v1/sessions",
        json!({ "problem_domain": "Email\tand\nVPN" }),
        None,
    )
    .await;
    assert_eq!(fine.status, 201, "{}", fine.body);

    for email in ["admin\u{0}@example.com", "admin@example.com\r\n"] {
        let body = json!({ "email": email, "password": "whatever-password" }).to_string();
        let response = post(&app, "/api/v1/auth/login", "application/json", &body).await;
        json_error(&response, 422, "validation");
    }
}
