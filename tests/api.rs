//! The Overview through HTTP: the JSON endpoint, its server function and the SSR page, with
//! the rules every analytics endpoint follows (auth, account scope, 422, 429).

mod common;

use common::{admin_cookie, app, app_with, cookie_for, get, user, ACCOUNT_A, ACCOUNT_B};
use flowpilot_analytics::server::config::AppConfig;
use sqlx::PgPool;

const OVERVIEW: &str = "/api/v1/analytics/flowpilot";
const OVERVIEW_FN: &str = "/api/analytics/overview";

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
async fn the_server_function_returns_the_same_numbers(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let rest = get(&app, &format!("{OVERVIEW}?period=90d"), Some(&a)).await.json();
    let server_fn = get(&app, &format!("{OVERVIEW_FN}?period=90d"), Some(&a)).await;
    assert_eq!(server_fn.status, 200, "{}", server_fn.body);
    assert_eq!(server_fn.json(), rest);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn unknown_period_is_422_naming_the_allowed_values(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    for path in [format!("{OVERVIEW}?period=1y"), format!("{OVERVIEW_FN}?period=1y")] {
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
async fn who_may_call_the_analytics(pool: PgPool) {
    let tech = user(&pool, "tech@example.com", "technician", Some(ACCOUNT_A)).await;
    let tech = cookie_for(&pool, tech).await;
    let loner = user(&pool, "loner@example.com", "team_admin", None).await;
    let loner = cookie_for(&pool, loner).await;
    let app = app(pool);

    for path in [OVERVIEW, OVERVIEW_FN] {
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
    // The budget is per endpoint: the server function still answers.
    assert_eq!(get(&app, OVERVIEW_FN, Some(&a)).await.status, 200);
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
async fn the_ssr_page_already_contains_the_overview_numbers(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let page = get(&app, "/analytics?period=7d", Some(&a)).await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert_eq!(metric(html, "Sessions"), "2");
    assert_eq!(metric(html, "Resolution rate"), "50.0%");
    assert_eq!(metric(html, "Avg confidence"), "0.70");
    assert_eq!(metric(html, "Avg resolution time"), "30.0 min");
    assert!(html.contains("overview-trend-chart"));
    assert!(html.contains(r#"aria-current="page""#));

    let ninety = get(&app, "/analytics?period=90d", Some(&a)).await.body;
    assert_eq!(metric(&ninety, "Sessions"), "3");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn a_bad_period_on_the_page_shows_the_message_with_422(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let page = get(&app, "/analytics?period=forever", Some(&a)).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Allowed values: 7d, 30d, 90d."), "{}", page.body);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn the_other_tabs_are_routed(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    for path in ["/analytics/coverage", "/analytics/flow-quality", "/analytics/psa"] {
        let page = get(&app, path, Some(&a)).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains("not built yet"), "{path}");
    }
    assert_eq!(get(&app, "/analytics/nope", Some(&a)).await.status, 404);
}

/// The text of the element marked `data-metric="{label}"` in server-rendered HTML.
fn metric(html: &str, label: &str) -> String {
    let marker = format!(r#"data-metric="{label}""#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {label} in {html}"));
    let rest = &html[start..];
    let open = rest.find('>').unwrap() + 1;
    rest[open..open + rest[open..].find('<').unwrap()].to_owned()
}
