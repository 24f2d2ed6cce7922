//! The analytics over HTTP: each data source's JSON endpoint and server function, and the
//! rules every one of them follows (auth, account scope, 422, 429, error shape).

use crate::common::{admin_cookie, app, app_with, get, outsider_cookies, ACCOUNT_A, ACCOUNT_B};
use flowpilot_analytics::server::config::AppConfig;
use sqlx::PgPool;

const OVERVIEW: &str = "/api/v1/analytics/flowpilot";
const OVERVIEW_FN: &str = "/api/analytics/overview";

/// Data sources: their REST path and their server function path (Overview and PSA draw a
/// chart, Coverage does not).
const SOURCES: [(&str, &str); 3] = [
    (OVERVIEW, OVERVIEW_FN),
    ("/api/v1/analytics/flowpilot/coverage", "/api/analytics/coverage"),
    ("/api/v1/analytics/flowpilot/psa-metrics", "/api/analytics/psa-metrics"),
];

fn all_paths() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().flat_map(|(rest, server_fn)| [*rest, *server_fn])
}

/// A body without its `as_of` stamps: they are seconds, and may tick between two requests.
fn without_as_of(mut body: serde_json::Value) -> serde_json::Value {
    body["window"]["as_of"].take();
    body["previous"]["window"]["as_of"].take();
    body
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn overview_json_has_the_spec_shape_and_only_the_callers_account(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let b = admin_cookie(&pool, ACCOUNT_B).await;
    let app = app(pool);

    let response = get(&app, &format!("{OVERVIEW}?period=7d"), Some(&a)).await;
    assert_eq!(response.status, 200, "{}", response.body);
    let body = response.json();
    assert_eq!(body["total_sessions"], 2);
    assert_eq!(body["resolved_sessions"], 1);
    assert_eq!(body["escalated_sessions"], 1);
    assert_eq!(body["resolution_rate"], 0.5);
    assert_eq!(body["avg_confidence"], 0.7);
    assert_eq!(body["avg_resolution_minutes"], 30.0);
    assert_eq!(body["daily_trend"].as_array().unwrap().len(), 8);
    assert_eq!(body["top_domains"][0]["domain"], "Email");
    for key in ["escalation_rate", "guided_rate", "matched_flow_rate"] {
        assert!(body[key].is_number(), "{key}");
    }

    let thirty = get(&app, OVERVIEW, Some(&a)).await.json();
    assert_eq!(thirty["total_sessions"], 3, "30d is the default");
    assert_eq!(thirty["daily_trend"].as_array().unwrap().len(), 31);

    let other = get(&app, OVERVIEW, Some(&b)).await.json();
    assert_eq!(other["total_sessions"], 1);
    assert_eq!(other["top_domains"][0]["domain"], "Backup");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn each_server_function_returns_the_same_numbers_as_its_endpoint(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    // The page always compares; the API does when asked.
    for (rest, server_fn) in SOURCES {
        let rest = get(&app, &format!("{rest}?period=90d&compare=previous"), Some(&a)).await;
        assert_eq!(rest.status, 200, "{}", rest.body);
        assert!(rest.json()["previous"].is_object(), "{}", rest.body);
        let server_fn = get(&app, &format!("{server_fn}?period=90d"), Some(&a)).await;
        assert_eq!(server_fn.status, 200, "{}", server_fn.body);
        assert_eq!(without_as_of(tab_data(server_fn.json())), without_as_of(rest.json()));
    }
}

/// A tab's data as its server function answers it: a tab with a chart sends the
/// data with the chart's ECharts option beside it, built on the server from the same days.
fn tab_data(mut body: serde_json::Value) -> serde_json::Value {
    let Some(chart) = body.get("chart") else { return body };
    let option: serde_json::Value =
        serde_json::from_str(chart.as_str().expect("the option is JSON text")).expect("JSON");
    let days = body["data"]["daily_trend"].as_array().expect("a day series").len();
    assert!(days > 0);
    assert_eq!(option["xAxis"]["data"].as_array().map(Vec::len), Some(days), "{option}");
    assert_eq!(option["series"][0]["data"].as_array().map(Vec::len), Some(days), "{option}");
    body["data"].take()
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn coverage_json_is_scoped_to_the_caller(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let b = admin_cookie(&pool, ACCOUNT_B).await;
    let app = app(pool);
    let path = "/api/v1/analytics/flowpilot/coverage?period=7d";
    let mine = get(&app, path, Some(&a)).await.json();
    assert_eq!(mine["total_domains"], 2);
    assert_eq!(mine["unmapped_session_count"], 0);
    assert_eq!(mine["domains"][0]["domain"], "Email");
    assert_eq!(mine["domains"][0]["flow_count"], 0);
    let theirs = get(&app, path, Some(&b)).await.json();
    assert_eq!(theirs["domains"].as_array().unwrap().len(), 1);
    assert_eq!(theirs["domains"][0]["domain"], "Backup");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn unknown_period_is_422_naming_the_allowed_values(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    for path in all_paths().map(|p| format!("{p}?period=1y")) {
        let response = get(&app, &path, Some(&a)).await;
        assert_eq!(response.status, 422, "{path}: {}", response.body);
        let body = response.json();
        assert!(body.to_string().contains("7d, 30d, 90d"), "{body}");
    }
    let garbled = get(&app, &format!("{OVERVIEW}?period=%zz"), Some(&a)).await;
    assert_eq!(garbled.status, 422, "{}", garbled.body);
    // An argument the server function cannot decode at all is the caller's mistake: 400.
    let undecodable = get(&app, &format!("{OVERVIEW_FN}?period[x]=1&period[y]=2"), Some(&a)).await;
    assert_eq!(undecodable.status, 400, "{}", undecodable.body);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn unknown_flow_sort_is_422_and_known_sorts_order_the_flows(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    sqlx::query(
        "INSERT INTO trees (account_id, name, usage_count) VALUES ($1, 'Zulu', 0), ($1, 'Yankee', 0)",
    )
    .bind(ACCOUNT_A)
    .execute(&pool)
    .await
    .unwrap();
    let app = app(pool);
    for path in ["/api/v1/analytics/flowpilot/flow-quality", "/api/analytics/flow-quality"] {
        let response = get(&app, &format!("{path}?sort=name"), Some(&a)).await;
        assert_eq!(response.status, 422, "{}", response.body);
        assert!(response.body.contains("quality, usage, success_rate"), "{}", response.body);
    }
    let flows = get(&app, "/api/v1/analytics/flowpilot/flow-quality?sort=usage", Some(&a)).await;
    let body = flows.json();
    let names: Vec<&str> =
        body["flows"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Yankee", "Zulu"], "usage ties go by name");
    assert_eq!(body["needs_attention"].as_array().unwrap().len(), 2, "never used");
    assert_eq!(body["top_performers"].as_array().unwrap().len(), 0);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn who_may_call_the_analytics(pool: PgPool) {
    let (tech, loner) = outsider_cookies(&pool).await;
    let app = app(pool);

    for path in all_paths() {
        let signed_out = get(&app, path, None).await;
        assert_eq!(signed_out.status, 401, "{path}: {}", signed_out.body);
        let forged = get(&app, path, Some("fp_session=not-a-real-token")).await;
        assert_eq!(forged.status, 401, "{path}");
        let technician = get(&app, path, Some(&tech)).await;
        assert_eq!(technician.status, 403, "{path}");
        let no_account = get(&app, path, Some(&loner)).await;
        assert_eq!(no_account.status, 403, "{path}");
        assert!(no_account.body.contains("No account"), "{}", no_account.body);
    }
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn errors_are_json_with_a_request_id_and_no_internals(pool: PgPool) {
    let app = app(pool);
    let response = get(&app, OVERVIEW, None).await;
    let body = response.json();
    assert_eq!(body["error"], "unauthorized");
    let id = body["request_id"].as_str().unwrap();
    assert_eq!(response.header("x-request-id"), Some(id));
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn the_sixteenth_request_in_a_minute_is_429_with_retry_after(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    for n in 1..=15 {
        assert_eq!(get(&app, OVERVIEW, Some(&a)).await.status, 200, "request {n}");
    }
    let limited = get(&app, OVERVIEW, Some(&a)).await;
    assert_eq!(limited.status, 429);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(limited.json()["error"], "rate_limited");
    // One budget per data source, whichever way it is asked for: the server function and the
    // page are limited too; another data source still answers.
    assert_eq!(get(&app, OVERVIEW_FN, Some(&a)).await.status, 429);
    assert_eq!(get(&app, "/analytics", Some(&a)).await.status, 429);
    assert_eq!(get(&app, "/api/v1/analytics/flowpilot/coverage", Some(&a)).await.status, 200);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn a_page_view_counts_once_against_its_data_source(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app_with(pool, AppConfig { rate_limit_per_minute: 3, ..AppConfig::for_tests() });
    for n in 1..=3 {
        assert_eq!(get(&app, "/analytics/psa?period=7d", Some(&a)).await.status, 200, "view {n}");
    }
    let limited = get(&app, "/analytics/psa?period=7d", Some(&a)).await;
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    // The page itself says so, readable without JavaScript.
    assert!(limited.body.contains("Too many requests — try again in"), "{}", limited.body);
    assert!(limited.body.contains(r#"data-error="rate_limited""#), "{}", limited.body);
    assert!(limited.body.contains("http-equiv=\"refresh\""), "{}", limited.body);
    // The other tabs have their own budgets.
    assert_eq!(get(&app, "/analytics/coverage?period=7d", Some(&a)).await.status, 200);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn the_limit_is_configurable(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app_with(pool, AppConfig { rate_limit_per_minute: 2, ..AppConfig::for_tests() });
    assert_eq!(get(&app, OVERVIEW, Some(&a)).await.status, 200);
    assert_eq!(get(&app, OVERVIEW, Some(&a)).await.status, 200);
    assert_eq!(get(&app, OVERVIEW, Some(&a)).await.status, 429);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn responses_are_gzipped_for_clients_that_accept_it(pool: PgPool) {
    use axum::{body::Body, http::Request};
    use std::io::Read;
    use tower::ServiceExt;

    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let path = format!("{OVERVIEW}?period=90d");
    let plain = get(&app, &path, Some(&a)).await;
    assert_eq!(plain.header("content-encoding"), None);

    let request = Request::get(&path)
        .header("cookie", &a)
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert!(bytes.len() < plain.body.len(), "{} vs {}", bytes.len(), plain.body.len());
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut unzipped).unwrap();
    let unzipped: serde_json::Value = serde_json::from_str(&unzipped).unwrap();
    assert_eq!(without_as_of(unzipped), without_as_of(plain.json()));
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn every_data_source_answers_at_its_named_paths(pool: PgPool) {
    use flowpilot_analytics::routes::DataSource;
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    for source in DataSource::ALL {
        for path in
            [source.api_path().to_owned(), source.server_fn_path(), source.page().to_owned()]
        {
            let response = get(&app, &format!("{path}?period=7d"), Some(&a)).await;
            assert_eq!(response.status, 200, "{source:?} at {path}: {}", response.body);
        }
    }
}
