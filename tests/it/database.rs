//! The database guards (SPEC §9): the timeouts every app connection carries, readiness, and a
//! 503 with a request id — not a 500 — when the database cannot serve a request.

use crate::common::{admin_cookie, app, app_on_small_pool, database_url, get, ACCOUNT_A};
use flowpilot_analytics::{
    error::AppError,
    server::{config::AppConfig, database},
};
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// The app's configuration pointed at the database `#[sqlx::test]` made for this test.
fn config_for(pool: &PgPool) -> AppConfig {
    let mut config = AppConfig::for_tests();
    config.database_url = database_url(&pool.connect_options());
    config
}

#[sqlx::test]
async fn every_app_connection_carries_the_statement_and_idle_transaction_timeouts(pool: PgPool) {
    let app_pool = database::connect_and_migrate(&config_for(&pool)).await.unwrap();
    let shown: (String, String) = sqlx::query_as(
        "SELECT current_setting('statement_timeout'),
                current_setting('idle_in_transaction_session_timeout')",
    )
    .fetch_one(&app_pool)
    .await
    .unwrap();
    assert_eq!(shown, ("5s".to_owned(), "10s".to_owned()));

    let mut config = config_for(&pool);
    config.database.statement_timeout = Duration::from_millis(200);
    config.database.idle_in_transaction_timeout = Duration::from_millis(300);
    let guarded = database::connect_and_migrate(&config).await.unwrap();
    let slow = sqlx::query("SELECT pg_sleep(2)").execute(&guarded).await.unwrap_err();
    assert!(database::is_unavailable(&slow), "{slow}");
    assert_eq!(AppError::from(slow).status_code(), 503);

    let mut tx = guarded.begin().await.unwrap();
    sqlx::query("SELECT 1").execute(&mut *tx).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let abandoned = sqlx::query("SELECT 1").execute(&mut *tx).await;
    assert!(abandoned.is_err(), "the idle transaction was ended by the server");
}

#[sqlx::test]
async fn readyz_says_whether_the_database_answers_with_every_migration(pool: PgPool) {
    let app = app(pool.clone());
    let ready = get(&app, "/readyz", None).await;
    assert_eq!((ready.status, ready.json()["status"].clone()), (200, "ready".into()));
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let started = Instant::now();
    let behind = get(&app, "/readyz", None).await;
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(behind.status, 503, "{}", behind.body);
    assert_eq!(behind.json()["error"], "unavailable");
    assert_eq!(get(&app, "/healthz", None).await.status, 200, "liveness is the process only");
}

#[sqlx::test(fixtures("overview"))]
async fn a_request_that_cannot_get_a_connection_is_a_503_with_a_request_id(pool: PgPool) {
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    let (app, one) =
        app_on_small_pool(&pool, 1, Duration::from_millis(300), AppConfig::for_tests());
    let held = one.acquire().await.unwrap();
    let r = get(&app, "/api/v1/analytics/flowpilot?period=7d", Some(&cookie)).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.json()["error"], "unavailable");
    assert!(r.json()["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(r.header("retry-after"), Some("1"));
    drop(held);
    let r = get(&app, "/api/v1/analytics/flowpilot?period=7d", Some(&cookie)).await;
    assert_eq!(r.status, 200, "{}", r.body);
}
