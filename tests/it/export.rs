//! The CSV exports (SPEC §8) read back by a real CSV parser: every session of a drill with
//! quotes, commas, line breaks, non-ASCII and formula-like values intact (formulas defused),
//! the tabs' tables equal to their JSON, the filename, and errors before any byte is sent.

use crate::common::{admin_cookie, app_with, get, user, ACCOUNT_A, ACCOUNT_B};
use flowpilot_analytics::server::config::AppConfig;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

fn app(pool: PgPool) -> axum::Router {
    app_with(pool, AppConfig { rate_limit_per_minute: 10_000, ..AppConfig::for_tests() })
}

fn parse(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Account A ("Acme, \"Dental\" & Söhne", UTC) with sessions whose names and domains are
/// everything a CSV writer can get wrong, and 20,500 plain ones (two batches of the export's reads and part of a third).
async fn fixture(pool: &PgPool) -> (String, Uuid) {
    sqlx::query(
        "INSERT INTO accounts (id, name, timezone) VALUES ($1, 'Acme, \"Dental\" & Söhne', 'UTC'),
                                                         ($2, 'B', 'UTC')",
    )
    .bind(ACCOUNT_A)
    .bind(ACCOUNT_B)
    .execute(pool)
    .await
    .unwrap();
    let technician = user(pool, "tech,\"quoted\"@a.example", "technician", Some(ACCOUNT_A)).await;
    let client: Uuid = sqlx::query_scalar(
        "INSERT INTO clients (account_id, name) VALUES ($1, E'Line one\\nline two, Zürich ☃')
         RETURNING id",
    )
    .bind(ACCOUNT_A)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::raw_sql(&format!(
        "INSERT INTO ai_sessions (account_id, user_id, client_id, problem_domain, status,
                                  psa_ticket_id, created_at)
         SELECT '{ACCOUNT_A}', '{technician}', '{client}', d, 'escalated', t,
                now() - n * interval '1 hour'
         FROM (VALUES (1, '=HYPERLINK(\"http://evil.example\",\"x\")', '+44 1234'),
                      (2, '-2+3', '@SUM(A1)'),
                      (3, E'\\tTabbed', 'plain'),
                      (4, 'Say \"hi\", then go', '42')) v(n, d, t);
         INSERT INTO ai_sessions (account_id, problem_domain, status, created_at)
         SELECT '{ACCOUNT_A}', 'VPN', 'resolved', now() - n * interval '1 second'
         FROM generate_series(1, 20500) n;
         INSERT INTO ai_sessions (account_id, problem_domain, status) VALUES ('{ACCOUNT_B}', 'Secret B', 'active');"
    ))
    .execute(pool)
    .await
    .unwrap();
    (admin_cookie(pool, ACCOUNT_A).await, client)
}

#[sqlx::test]
async fn the_sessions_export_round_trips_through_a_csv_parser_with_formulas_defused(pool: PgPool) {
    let (admin, client) = fixture(&pool).await;
    let app = app(pool);
    let r = get(&app, "/api/v1/analytics/flowpilot/sessions.csv?period=7d", Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(7);
    assert_eq!(
        r.header("content-disposition"),
        Some(
            format!("attachment; filename=\"acme-dental-s-hne_sessions_{from}_{today}.csv\"")
                .as_str()
        )
    );
    assert!(r.body.ends_with("\r\n") && r.body.contains("psa_activity_count\r\n"), "CRLF");
    let rows = parse(&r.body);
    assert_eq!(rows[0][..3], ["started_at", "session_id", "technician"]);
    assert_eq!(rows.len(), 1 + 20504, "every session, no cap (two full batches and part of one)");
    let ids: std::collections::HashSet<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids.len(), 20504, "none twice across the batches");
    let json: Value = serde_json::from_str(
        &get(&app, "/api/v1/analytics/flowpilot/sessions?period=7d", Some(&admin)).await.body,
    )
    .unwrap();
    assert_eq!(json["total"], 20504);
    // Newest first, as the list (the four odd ones an hour apart among the VPN ones).
    assert_eq!(rows[1][1], json["sessions"][0]["id"].as_str().unwrap());
    assert!(rows[1][0].ends_with("+00:00"), "{}", rows[1][0]);
    let odd: Vec<&Vec<String>> =
        rows.iter().filter(|r| r[4] != "VPN" && r[0] != "started_at").collect();
    let domains: Vec<&str> = odd.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(
        domains,
        ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'-2+3", "'\tTabbed", "Say \"hi\", then go"]
    );
    let tickets: Vec<&str> = odd.iter().map(|r| r[10].as_str()).collect();
    assert_eq!(tickets, ["'+44 1234", "'@SUM(A1)", "plain", "42"]);
    for row in &odd {
        assert_eq!(row[2], "tech,\"quoted\"@a.example");
        assert_eq!(row[3], "Line one\nline two, Zürich ☃");
        assert_eq!(row[6], "escalated");
    }

    // Compressed on the way, as a browser asks for it, the stream ends cleanly.
    let request = axum::http::Request::get("/api/v1/analytics/flowpilot/sessions.csv?period=7d")
        .header("cookie", &admin)
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::empty())
        .unwrap();
    let r = crate::common::send(&app, request).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));

    // The drill and the filters apply as in the list; B's rows never appear.
    let r = get(
        &app,
        &format!(
            "/api/v1/analytics/flowpilot/sessions.csv?period=7d&client={client}&status=escalated"
        ),
        Some(&admin),
    )
    .await;
    assert_eq!(parse(&r.body).len(), 1 + 4, "{}", r.body);
    assert!(!r.body.contains("Secret B"));
}

#[sqlx::test]
async fn the_tabs_exports_are_their_tables(pool: PgPool) {
    let (admin, _) = fixture(&pool).await;
    let app = app(pool);
    let coverage: Value = serde_json::from_str(
        &get(&app, "/api/v1/analytics/flowpilot/coverage?period=7d", Some(&admin)).await.body,
    )
    .unwrap();
    let r = get(&app, "/api/v1/analytics/flowpilot/coverage.csv?period=7d", Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-disposition").unwrap().contains("_coverage_"));
    let rows = parse(&r.body);
    assert_eq!(rows[0][0], "domain");
    let domains = coverage["domains"].as_array().unwrap();
    assert_eq!(rows.len(), 1 + domains.len());
    for (row, domain) in rows[1..].iter().zip(domains) {
        let name = domain["domain"].as_str().unwrap();
        assert!(row[0] == name || row[0] == format!("'{name}"), "{row:?} vs {name}");
        assert_eq!(row[2], domain["session_count"].to_string());
        assert_eq!(row[4].parse::<f64>().unwrap(), domain["escalation_rate"].as_f64().unwrap());
    }

    let psa =
        get(&app, "/api/v1/analytics/flowpilot/psa-metrics.csv?period=7d", Some(&admin)).await;
    let rows = parse(&psa.body);
    assert_eq!(rows[0], ["date", "time_entries", "hours_logged"]);
    assert_eq!(rows.len(), 1 + 8, "the 8 days a 7-day period touches");

    let overview: Value = serde_json::from_str(
        &get(&app, "/api/v1/analytics/flowpilot?period=7d", Some(&admin)).await.body,
    )
    .unwrap();
    let days = get(&app, "/api/v1/analytics/flowpilot/overview.csv?period=7d", Some(&admin)).await;
    assert!(days.header("content-disposition").unwrap().contains("_overview_"));
    let rows = parse(&days.body);
    assert_eq!(rows[0], ["date", "sessions", "resolved", "escalated"]);
    let trend = overview["daily_trend"].as_array().unwrap();
    assert_eq!(rows.len(), 1 + trend.len());
    for (row, day) in rows[1..].iter().zip(trend) {
        let cells: Vec<String> = ["date", "sessions", "resolved", "escalated"]
            .iter()
            .map(|k| day[k].as_str().map(str::to_owned).unwrap_or_else(|| day[k].to_string()))
            .collect();
        assert_eq!(row, &cells);
    }
    assert!(rows[1..].iter().any(|row| row[1] != "0"), "the fixture's sessions are in it");

    let flows =
        get(&app, "/api/v1/analytics/flowpilot/flow-quality.csv?period=7d", Some(&admin)).await;
    assert_eq!(flows.status, 200, "{}", flows.body);
    assert_eq!(parse(&flows.body)[0][0], "flow_id");
}

#[sqlx::test]
async fn bad_parameters_fail_before_the_download_starts(pool: PgPool) {
    let (admin, _) = fixture(&pool).await;
    let app = app(pool);
    for (query, status) in [
        ("status=closed", 422),
        ("period=2d", 422),
        (&format!("client={}", Uuid::new_v4()) as &str, 404),
    ] {
        let r =
            get(&app, &format!("/api/v1/analytics/flowpilot/sessions.csv?{query}"), Some(&admin))
                .await;
        assert_eq!(r.status, status, "{query}: {}", r.body);
        assert!(r.json()["message"].is_string(), "a JSON error: {}", r.body);
    }
    let r =
        get(&app, "/api/v1/analytics/flowpilot/flow-quality.csv?sort=worst", Some(&admin)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(get(&app, "/api/v1/analytics/flowpilot/sessions.csv", None).await.status, 401);
}
