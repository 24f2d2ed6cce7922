//! Measuring: timings and their percentiles, the plan's rows and buffers, requests through the
//! real router.

use axum::{body::Body, http::Request};
use flowpilot_analytics::{error::AppError, server::queries::Window};
use serde_json::Value;
use sqlx::PgPool;
use std::{
    future::Future,
    time::{Duration, Instant},
};
use tower::ServiceExt;
use uuid::Uuid;

pub async fn time<F, Fut>(times: u64, mut run: F) -> Result<Vec<Duration>, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), AppError>>,
{
    let mut samples = Vec::new();
    for _ in 0..times {
        let started = Instant::now();
        run().await?;
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(samples)
}

/// Nearest-rank percentile of sorted samples, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// Rows read by scans and shared buffers touched, from `EXPLAIN (ANALYZE, BUFFERS)`.
pub async fn explain(
    pool: &PgPool,
    sql: &str,
    account: Uuid,
    window: Window,
) -> Result<(f64, i64), AppError> {
    let plan: (Value,) = sqlx::query_as(&format!("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"))
        .bind(account)
        .bind(window.since)
        .bind(window.until)
        .bind(window.filters.technician)
        .bind(window.filters.client)
        .fetch_one(pool)
        .await?;
    let root = &plan.0[0]["Plan"];
    fn rows(node: &Value) -> f64 {
        let own = if node.get("Relation Name").is_some() {
            node["Actual Rows"].as_f64().unwrap_or(0.0)
                * node["Actual Loops"].as_f64().unwrap_or(1.0)
        } else {
            0.0
        };
        own + node["Plans"].as_array().map(|c| c.iter().map(rows).sum()).unwrap_or(0.0)
    }
    let buffers = root["Shared Hit Blocks"].as_i64().unwrap_or(0)
        + root["Shared Read Blocks"].as_i64().unwrap_or(0);
    Ok((rows(root), buffers))
}

/// GET through the router as the signed-in admin; anything but 2xx is an error.
pub async fn get_ok(app: &axum::Router, path: &str, cookie: &str) -> Result<(), AppError> {
    let request = Request::get(path).header("cookie", cookie).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.map_err(AppError::internal)?;
    let status = response.status();
    let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
    if status.is_success() {
        Ok(())
    } else {
        Err(AppError::internal(format!("{path}: {status}")))
    }
}

/// GET through the router as the signed-in admin, the JSON answer; anything but 2xx is an error.
pub async fn get_json(
    app: &axum::Router,
    path: &str,
    cookie: &str,
) -> Result<serde_json::Value, AppError> {
    let request = Request::get(path).header("cookie", cookie).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.map_err(AppError::internal)?;
    let status = response.status();
    let body =
        axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(AppError::internal)?;
    if !status.is_success() {
        return Err(AppError::internal(format!("{path}: {status}")));
    }
    serde_json::from_slice(&body).map_err(AppError::internal)
}
