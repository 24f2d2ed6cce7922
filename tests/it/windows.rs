//! Any window (SPEC §7): `from`/`to` in the account's days, the previous window, the `window`
//! every response carries, and a 422 naming each broken rule — over HTTP, on the overview
//! fixture (account A in New York, DST starting 2026-03-08), computed by hand.

use crate::common::{admin_cookie, app_with, get, ACCOUNT_A};
use flowpilot_analytics::server::config::AppConfig;
use serde_json::Value;
use sqlx::PgPool;

/// The router with room for the many requests of one test.
fn app(pool: PgPool) -> axum::Router {
    app_with(pool, AppConfig { rate_limit_per_minute: 1000, ..AppConfig::for_tests() })
}

const OVERVIEW: &str = "/api/v1/analytics/flowpilot";
const SOURCES: [&str; 4] = [
    OVERVIEW,
    "/api/v1/analytics/flowpilot/coverage",
    "/api/v1/analytics/flowpilot/flow-quality",
    "/api/v1/analytics/flowpilot/psa-metrics",
];

fn days(body: &Value) -> Vec<(String, i64, i64, i64)> {
    body["daily_trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let n = |k: &str| d[k].as_i64().unwrap();
            (d["date"].as_str().unwrap().to_owned(), n("sessions"), n("resolved"), n("escalated"))
        })
        .collect()
}

fn day(date: &str, sessions: i64, resolved: i64, escalated: i64) -> (String, i64, i64, i64) {
    (date.to_owned(), sessions, resolved, escalated)
}

#[sqlx::test(fixtures("overview"))]
async fn a_range_covers_whole_local_days_and_says_so(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    // 03-09 (s2, escalated) and 03-10 (s1 and s8, resolved): whole days, whatever the hour.
    let r = get(&app, &format!("{OVERVIEW}?from=2026-03-09&to=2026-03-10"), Some(&a)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    assert_eq!(
        (&body["total_sessions"], &body["resolved_sessions"], &body["escalated_sessions"]),
        (&Value::from(3), &Value::from(2), &Value::from(1))
    );
    assert_eq!(days(&body), [day("2026-03-09", 1, 0, 1), day("2026-03-10", 2, 2, 0)]);
    assert_eq!(body["window"]["from"], "2026-03-09");
    assert_eq!(body["window"]["to"], "2026-03-10");
    assert_eq!(body["window"]["timezone"], "America/New_York");
    let as_of = body["window"]["as_of"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(as_of).is_ok(), "{as_of}");
    assert!(body.get("previous").is_none(), "only when asked for");

    // A single day; the DST day itself (23 hours, no sessions); a range across it.
    let one = get(&app, &format!("{OVERVIEW}?from=2026-03-03&to=2026-03-03"), Some(&a)).await;
    assert_eq!(days(&one.json()), [day("2026-03-03", 3, 1, 0)], "s4, s5, s6");
    let dst = get(&app, &format!("{OVERVIEW}?from=2026-03-08&to=2026-03-08"), Some(&a)).await;
    assert_eq!(days(&dst.json()), [day("2026-03-08", 0, 0, 0)]);
    let across = get(&app, &format!("{OVERVIEW}?from=2026-03-07&to=2026-03-09"), Some(&a)).await;
    assert_eq!(
        days(&across.json()),
        [day("2026-03-07", 0, 0, 0), day("2026-03-08", 0, 0, 0), day("2026-03-09", 1, 0, 1)]
    );
}

#[sqlx::test(fixtures("overview"))]
async fn a_range_starts_at_local_midnight_inclusive_and_ends_before_the_next(pool: PgPool) {
    // Exactly 2026-03-11 00:00:00 in New York (EDT), and one microsecond before it.
    sqlx::query(
        "INSERT INTO ai_sessions (account_id, problem_domain, status, created_at) VALUES
           ($1, 'Email', 'active', '2026-03-11 04:00:00Z'),
           ($1, 'Email', 'active', '2026-03-11 03:59:59.999999Z')",
    )
    .bind(ACCOUNT_A)
    .execute(&pool)
    .await
    .unwrap();
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let total = |from: &str, to: &str| {
        let path = format!("{OVERVIEW}?from={from}&to={to}");
        let (app, a) = (&app, &a);
        async move { get(app, &path, Some(a)).await.json()["total_sessions"].as_i64().unwrap() }
    };
    assert_eq!(total("2026-03-11", "2026-03-11").await, 1, "midnight belongs to its day");
    assert_eq!(total("2026-03-10", "2026-03-10").await, 3, "s1, s8 and the microsecond before");
}

#[sqlx::test(fixtures("overview"))]
async fn the_previous_window_is_as_long_and_ends_where_this_one_starts(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    // 13 days 02-21 … 03-05 hold s3, s4, s5, s6; the 13 before (02-08 … 02-20) hold s7.
    let path = format!("{OVERVIEW}?from=2026-02-21&to=2026-03-05&compare=previous");
    let body = get(&app, &path, Some(&a)).await.json();
    assert_eq!(body["total_sessions"], 4);
    let previous = &body["previous"];
    assert_eq!(previous["total_sessions"], 1);
    assert_eq!(previous["resolved_sessions"], 1);
    assert_eq!(previous["window"]["from"], "2026-02-08");
    assert_eq!(previous["window"]["to"], "2026-02-20");
    assert_eq!(previous["daily_trend"].as_array().unwrap().len(), 13);
    assert!(previous.get("previous").is_none(), "one level only");
    // Across DST: 03-09 … 03-10 compares with 03-07 … 03-08 (47 hours, still two whole days).
    let path = format!("{OVERVIEW}?from=2026-03-09&to=2026-03-10&compare=previous");
    let body = get(&app, &path, Some(&a)).await.json();
    let previous = &body["previous"];
    assert_eq!(
        (&previous["window"]["from"], &previous["window"]["to"]),
        (&"2026-03-07".into(), &"2026-03-08".into())
    );
    assert_eq!(days(previous), [day("2026-03-07", 0, 0, 0), day("2026-03-08", 0, 0, 0)]);
    // Every data source compares and carries its windows.
    for source in SOURCES {
        let body = get(&app, &format!("{source}?period=7d&compare=previous"), Some(&a)).await;
        assert_eq!(body.status, 200, "{source}: {}", body.body);
        let body = body.json();
        assert_eq!(body["window"]["timezone"], "America/New_York", "{source}");
        assert_eq!(body["previous"]["window"]["to"], body["window"]["from"], "{source}");
    }
}

#[sqlx::test(fixtures("overview"))]
async fn a_period_window_names_its_local_days(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let body = get(&app, &format!("{OVERVIEW}?period=7d"), Some(&a)).await.json();
    let trend = days(&body);
    assert_eq!(trend.first().unwrap().0, body["window"]["from"].as_str().unwrap());
    assert_eq!(trend.last().unwrap().0, body["window"]["to"].as_str().unwrap());
    assert_eq!(trend.len(), 8, "7 × 24 h touch 8 local days");
    // 366 days is the longest range.
    let long = get(&app, &format!("{OVERVIEW}?from=2025-03-11&to=2026-03-11"), Some(&a)).await;
    assert_eq!(long.status, 200, "{}", long.body);
    assert_eq!(days(&long.json()).len(), 366);
}

#[sqlx::test(fixtures("overview"))]
async fn every_broken_window_rule_is_a_422_that_names_it(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let cases = [
        ("from=2026-03-01", "or neither"),
        ("to=2026-03-01", "or neither"),
        ("period=7d&from=2026-03-01&to=2026-03-02", "not both"),
        ("from=2026-03-1&to=2026-03-02", "YYYY-MM-DD"),
        ("from=yesterday&to=2026-03-02", "YYYY-MM-DD"),
        ("from=2026-02-30&to=2026-03-02", "YYYY-MM-DD"),
        ("from=2026-03-02&to=2026-03-01", "must not be after `to`"),
        ("from=2025-03-10&to=2026-03-11", "at most 366 days"),
        ("from=2098-12-31&to=2099-01-01", "must not be after today"),
        ("period=7d&compare=next", "Allowed value: previous"),
    ];
    for (query, rule) in cases {
        for path in [OVERVIEW, "/api/analytics/overview"] {
            let r = get(&app, &format!("{path}?{query}"), Some(&a)).await;
            if path != OVERVIEW && query.contains("compare") {
                continue; // the page always compares: its server function has no `compare`
            }
            assert_eq!(r.status, 422, "{path}?{query}: {}", r.body);
            assert!(r.json()["message"].as_str().unwrap().contains(rule), "{query}: {}", r.body);
        }
    }
}
