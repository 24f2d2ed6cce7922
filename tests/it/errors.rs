//! One condition, one answer: the same status and `error` code whether the REST API, a tab's
//! server function or the page meets it, and a server-function error body the browser can read
//! back. (A signed-out page visit is the one designed exception: it is sent to sign in.)

use crate::common::{admin_cookie, app, app_with, get, outsider_cookies, TestResponse, ACCOUNT_A};
use flowpilot_analytics::{error::AppError, server::config::AppConfig};
use sqlx::PgPool;

const REST: &str = "/api/v1/analytics/flowpilot";
const SERVER_FN: &str = "/api/analytics/overview";
const PAGE: &str = "/analytics";

/// Status, `error` code and (for JSON) the error as the browser reads it back.
fn json_error(response: &TestResponse, status: u16, code: &str, surface: &str) -> AppError {
    assert_eq!(response.status, status, "{surface}: {}", response.body);
    assert_eq!(response.json()["error"], code, "{surface}: {}", response.body);
    let read: AppError = serde_json::from_str(&response.body)
        .unwrap_or_else(|e| panic!("{surface}: the browser cannot read {}: {e}", response.body));
    assert_eq!(read.code(), code, "{surface}");
    assert_eq!(read.status_code(), status, "{surface}");
    read
}

fn page_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "page: {}", response.body);
    let marker = format!(r#"data-error="{code}""#);
    assert!(response.body.contains(&marker), "page lacks {marker}: {}", response.body);
}

async fn all_three(app: &axum::Router, query: &str, cookie: &str, status: u16, code: &str) {
    let rest = get(app, &format!("{REST}{query}"), Some(cookie)).await;
    let rest = json_error(&rest, status, code, "REST");
    let server_fn = get(app, &format!("{SERVER_FN}{query}"), Some(cookie)).await;
    assert_eq!(json_error(&server_fn, status, code, "server fn"), rest);
    page_error(&get(app, &format!("{PAGE}{query}"), Some(cookie)).await, status, code);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn forbidden_is_403_forbidden_everywhere(pool: PgPool) {
    let (tech, loner) = outsider_cookies(&pool).await;
    let app = app(pool);
    all_three(&app, "", &tech, 403, "forbidden").await;
    all_three(&app, "", &loner, 403, "forbidden").await;
    let page = get(&app, PAGE, Some(&loner)).await;
    assert!(page.body.contains("No account"), "{}", page.body);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn an_unknown_period_is_422_validation_everywhere(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    all_three(&app, "?period=1y", &a, 422, "validation").await;
    let page = get(&app, &format!("{PAGE}/coverage?period=1y"), Some(&a)).await;
    page_error(&page, 422, "validation");
    assert!(page.body.contains("7d, 30d, 90d"), "{}", page.body);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn an_unknown_sort_is_422_validation_for_rest_and_server_fn(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let rest = get(&app, "/api/v1/analytics/flowpilot/flow-quality?sort=nope", Some(&a)).await;
    let rest = json_error(&rest, 422, "validation", "REST");
    let server_fn = get(&app, "/api/analytics/flow-quality?sort=nope", Some(&a)).await;
    assert_eq!(json_error(&server_fn, 422, "validation", "server fn"), rest);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn signed_out_is_401_unauthorized_for_rest_and_server_fn(pool: PgPool) {
    let app = app(pool);
    for path in [REST, SERVER_FN, "/api/session/context"] {
        let response = get(&app, path, None).await;
        json_error(&response, 401, "unauthorized", path);
    }
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn a_rate_limit_is_429_rate_limited_with_retry_after_everywhere(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app_with(pool, AppConfig { rate_limit_per_minute: 1, ..AppConfig::for_tests() });
    assert_eq!(get(&app, REST, Some(&a)).await.status, 200);
    for path in [REST, SERVER_FN] {
        let limited = get(&app, path, Some(&a)).await;
        let error = json_error(&limited, 429, "rate_limited", path);
        let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
        assert_eq!(error.retry_after_secs(), Some(retry), "{path}");
    }
    let page = get(&app, PAGE, Some(&a)).await;
    page_error(&page, 429, "rate_limited");
    assert!(page.header("retry-after").is_some());
}
