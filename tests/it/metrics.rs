//! Prometheus metrics (SPEC §11) as a scraper reads them: the series after real traffic
//! (pages, ingest, a PSA push against the stub, a rate limit), and labels that stay bounded —
//! route templates, never the paths or ids asked for. The recorder is the process's own, shared
//! by every test in this binary, so each check looks for what its own traffic must have added.

use crate::{
    common::{admin_cookie, app_with, get, ingest, send, ACCOUNT_A},
    psa_push::setup_with,
};
use axum::{body::Body, http::Request};
use flowpilot_analytics::server::{config::AppConfig, metrics, router};
use serde_json::json;
use sqlx::PgPool;
use std::collections::BTreeSet;

/// What `GET /metrics` on the metrics listener's router answers.
async fn scrape(pool: &PgPool) -> String {
    let response =
        send(&metrics::router(pool.clone()), Request::get("/metrics").body(Body::empty()).unwrap())
            .await;
    assert_eq!(response.status, 200);
    assert!(response.header("content-type").unwrap().starts_with("text/plain"));
    response.body
}

/// The value of the sample whose line starts with `series` (name and labels as rendered).
fn sample(scraped: &str, series: &str) -> Option<f64> {
    scraped
        .lines()
        .find(|line| line.starts_with(series) && line[series.len()..].starts_with(' '))
        .and_then(|line| line.rsplit(' ').next()?.parse().ok())
}

/// Every value the scrape gives `label`.
fn label_values(scraped: &str, label: &str) -> BTreeSet<String> {
    let key = format!("{label}=\"");
    scraped
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split(&key).nth(1)?.split('"').next().map(str::to_owned))
        .collect()
}

#[sqlx::test(fixtures("ingest"))]
async fn traffic_shows_in_the_series_and_routes_are_templates(pool: PgPool) {
    let config = AppConfig { rate_limit_per_minute: 1, ..AppConfig::for_tests() };
    let s = setup_with(&pool, config).await;
    // A flow match on a session (its id is in the path), a push the stub confirms.
    let matched =
        ingest(&s.app, &s.key, &format!("/api/v1/sessions/{}/match", s.session), json!({}), None)
            .await;
    let pushed = s.push("notes", json!({"text": "Rebooted the router"}), "m-1").await;
    assert_eq!(pushed.status, 201, "{}", pushed.body);
    // A page, twice: the second is over the limit of one load a minute.
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    let paths = ["/api/v1/analytics/flowpilot", "/api/v1/analytics/flowpilot"];
    let statuses = [
        get(&s.app, paths[0], Some(&cookie)).await.status,
        get(&s.app, paths[1], Some(&cookie)).await.status,
    ];
    assert_eq!(statuses, [200, 429]);
    // Paths no route has: each its own, yet all one label value.
    let strangers: Vec<String> =
        (0..5).map(|_| format!("/nowhere/{}", uuid::Uuid::new_v4())).collect();
    for path in &strangers {
        assert_eq!(get(&s.app, path, None).await.status, 404);
    }

    // A method of the client's own invention is no new label value either.
    let brewed = send(
        &s.app,
        Request::builder().method("BREW").uri("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(brewed.status >= 400, "{}", brewed.status);

    let scraped = scrape(&pool).await;
    assert!(!scraped.contains("BREW"), "a method became a label");
    assert!(label_values(&scraped, "method").is_subset(
        &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"]
            .map(String::from)
            .into()
    ));
    let match_status = matched.status.to_string();
    let series = format!(
        "flowpilot_http_requests_total{{method=\"POST\",route=\"/api/v1/sessions/{{id}}/match\",status=\"{match_status}\"}}"
    );
    assert!(sample(&scraped, &series).is_some_and(|n| n >= 1.0), "{series} in\n{scraped}");
    assert!(scraped.contains(
        "flowpilot_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/sessions/{id}/psa/notes\",status=\"201\",le=\"0.5\"}"
    ));
    let unmatched =
        "flowpilot_http_requests_total{method=\"GET\",route=\"(unmatched)\",status=\"404\"}";
    assert!(sample(&scraped, unmatched).is_some_and(|n| n >= 5.0), "{scraped}");
    assert!(sample(&scraped, "flowpilot_psa_pushes_total{outcome=\"confirmed\"}")
        .is_some_and(|n| n >= 1.0));
    assert!(scraped.contains("flowpilot_psa_push_duration_seconds_bucket{outcome=\"confirmed\""));
    assert!(sample(&scraped, "flowpilot_rate_limit_rejections_total{kind=\"analytics\"}")
        .is_some_and(|n| n >= 1.0));
    assert!(sample(&scraped, "flowpilot_ingest_writes_total{event=\"psa_note\"}")
        .is_some_and(|n| n >= 1.0));
    for state in ["open", "idle", "in_use", "max"] {
        let gauge = format!("flowpilot_db_pool_connections{{state=\"{state}\"}}");
        assert!(sample(&scraped, &gauge).is_some(), "{gauge} in\n{scraped}");
    }

    // Bounded: no id or path asked for is a label, and every route label is a route template
    // of the router (or the one value for everything unmatched).
    for id in strangers.iter().map(String::as_str).chain([s.session.as_str()]) {
        assert!(!scraped.contains(id), "{id} became a label");
    }
    let templates: BTreeSet<String> =
        router::inventory().into_iter().map(|(_, path)| path).collect();
    for route in label_values(&scraped, "route") {
        assert!(
            route == metrics::UNMATCHED || templates.contains(&route),
            "route label {route:?} is not a route template"
        );
    }
}

#[sqlx::test]
async fn a_plain_router_counts_its_requests_too(pool: PgPool) {
    // The app built as the server builds it records without anything else installed.
    let app = app_with(pool.clone(), AppConfig::for_tests());
    let before = sample(
        &scrape(&pool).await,
        "flowpilot_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}",
    )
    .unwrap_or(0.0);
    for _ in 0..3 {
        assert_eq!(get(&app, "/healthz", None).await.status, 200);
    }
    let after = sample(
        &scrape(&pool).await,
        "flowpilot_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}",
    )
    .unwrap();
    assert!(after - before >= 3.0, "{before} → {after}");
}
