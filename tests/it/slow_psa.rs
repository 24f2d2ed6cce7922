//! A slow PSA harms nothing else (SPEC §9): while twenty pushes wait five seconds each on the
//! stub ConnectWise, analytics, sign-ins and other sessions' events run as fast as when the PSA
//! is idle — measured in the same test — on a pool of only five connections, none of which a
//! push holds while it waits.

use crate::{
    common::{
        admin_cookie, api_key, app_on_small_pool, get, ingest, post, user, ACCOUNT_A, PASSWORD,
    },
    psa_push::{connect, linked_session, logs},
    psa_stub::{Fault, StubPsa},
};
use flowpilot_analytics::server::config::AppConfig;
use serde_json::json;
use sqlx::PgPool;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

const PUSH_STALL: Duration = Duration::from_secs(5);

/// 50 analytics requests, 20 sign-ins and 50 ingest events at once: each one's (status,
/// latency).
async fn other_work(
    app: &axum::Router,
    cookie: &str,
    key: &str,
) -> Vec<(u16, Duration, &'static str)> {
    let mut work = JoinSet::new();
    for _ in 0..50 {
        let (app, cookie) = (app.clone(), cookie.to_owned());
        work.spawn(async move {
            let start = Instant::now();
            let r = get(&app, "/api/v1/analytics/flowpilot?period=30d", Some(&cookie)).await;
            (r.status, start.elapsed(), "analytics")
        });
    }
    for _ in 0..20 {
        let app = app.clone();
        work.spawn(async move {
            let body = json!({ "email": "signin@example.com", "password": PASSWORD }).to_string();
            let start = Instant::now();
            let r = post(&app, "/api/v1/auth/login", "application/json", &body).await;
            (r.status, start.elapsed(), "sign-in")
        });
    }
    for _ in 0..50 {
        let (app, key) = (app.clone(), key.to_owned());
        work.spawn(async move {
            let start = Instant::now();
            let r =
                ingest(&app, &key, "/api/v1/sessions", json!({"problem_domain": "email"}), None)
                    .await;
            (r.status, start.elapsed(), "ingest")
        });
    }
    work.join_all().await
}

fn p95(results: &[(u16, Duration, &str)]) -> Duration {
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.1).collect();
    latencies.sort();
    latencies[(latencies.len() * 95).div_ceil(100) - 1]
}

#[sqlx::test(fixtures("ingest"))]
async fn twenty_slow_pushes_do_not_slow_or_fail_anything_else(pool: PgPool) {
    let mut config = AppConfig::for_tests();
    config.rate_limit_per_minute = 100_000;
    config.push_policy.timeout = Duration::from_secs(10);
    config.push_policy.deadline = Duration::from_secs(30);
    config.push_policy.max_concurrent = 20;
    // A small pool, as in production under load: a push holding a connection would starve it.
    let (app, _) = app_on_small_pool(&pool, 5, Duration::from_secs(3), config);

    let psa = StubPsa::start().await;
    connect(&pool, "Account A", &psa).await;
    let key = api_key(&pool, "Account A").await;
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    user(&pool, "signin@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let sessions: Vec<String> = {
        let mut ids = Vec::new();
        for _ in 0..20 {
            ids.push(linked_session(&app, &key, "777").await);
        }
        ids
    };

    let idle = other_work(&app, &cookie, &key).await;

    psa.always(Fault::ApplyThenStall(PUSH_STALL));
    let pushes_started = Instant::now();
    let mut pushes = JoinSet::new();
    for (i, session) in sessions.iter().enumerate() {
        let (app, key) = (app.clone(), key.clone());
        let path = format!("/api/v1/sessions/{session}/psa/time-entries");
        pushes.spawn(async move {
            ingest(&app, &key, &path, json!({"hours": 0.5}), Some(&format!("slow-{i}"))).await
        });
    }
    // Every push is now waiting on the PSA.
    while psa.requests().0 < 20 {
        let waited = pushes_started.elapsed();
        assert!(
            waited < Duration::from_secs(3),
            "{} of 20 pushes reached the PSA",
            psa.requests().0
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let during = other_work(&app, &cookie, &key).await;
    // An event on a session whose push is in flight: no row lock is held across the PSA call.
    let same_session = Instant::now();
    let outcome = ingest(
        &app,
        &key,
        &format!("/api/v1/sessions/{}/outcome", sessions[0]),
        json!({"status": "resolved"}),
        None,
    )
    .await;
    let same_session = same_session.elapsed();
    let during_ended = pushes_started.elapsed();
    let pushed = pushes.join_all().await;

    for (status, latency, what) in idle.iter().chain(&during) {
        assert!(*status < 300, "{what} answered {status}");
        assert!(*latency < PUSH_STALL, "{what} waited {latency:?}: it waited on the pushes");
    }
    assert_eq!(outcome.status, 200, "{}", outcome.body);
    assert!(
        same_session < Duration::from_secs(1),
        "the pushed session's event took {same_session:?}"
    );
    assert!(during_ended < PUSH_STALL, "all other work ended before the pushes: {during_ended:?}");
    let (idle_p95, during_p95) = (p95(&idle), p95(&during));
    eprintln!("other requests p95: idle {idle_p95:?}, during 20 slow pushes {during_p95:?}");
    // Twice the idle p95, and 50 ms of scheduling noise on a busy 2-core machine.
    assert!(
        during_p95 <= idle_p95 * 2 + Duration::from_millis(50),
        "p95 {during_p95:?} during slow pushes vs {idle_p95:?} idle"
    );
    assert!(
        pushed.iter().all(|r| r.status == 201),
        "{:?}",
        pushed.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert_eq!(psa.entries().len(), 20);
    assert_eq!(logs(&pool).await.len(), 20);
}
