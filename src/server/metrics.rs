//! Prometheus metrics (SPEC §11), served on a listener of their own
//! (`FLOWPILOT_METRICS_ADDR`, default `127.0.0.1:9464`, path `/metrics`), never on the app's.
//!
//! The code where things happen records through the `metrics` facade with the helpers below —
//! one place names every series and its labels; the exporter's recorder (installed once per
//! process) renders the text format. Every label has a bounded set of values: a route is the
//! router's template (`/api/v1/sessions/{id}/match`), never the path asked for, and any path no
//! route matched (static files, 404s) is one value, [`UNMATCHED`].
//!
//! | series | labels |
//! |---|---|
//! | `flowpilot_http_requests_total`, `flowpilot_http_request_duration_seconds` (histogram) | `method` (the standard ones, else `other`), `route`, `status` |
//! | `flowpilot_db_pool_connections` (gauge, read at each scrape) | `state` = `open`, `idle`, `in_use`, `max` |
//! | `flowpilot_db_pool_acquire_timeouts_total` | — |
//! | `flowpilot_psa_pushes_total`, `flowpilot_psa_push_duration_seconds` (histogram) | `outcome` = `confirmed`, `failed`, `unconfirmed` |
//! | `flowpilot_rate_limit_rejections_total` | `kind` = `analytics`, `ingest`, `signin-email`, `signin-ip`, `signin-busy` (no turn for a password check within 10 s) |
//! | `flowpilot_ingest_writes_total`: ingest requests that wrote (a session event's transaction committed, a push recorded; a replayed idempotency key writes nothing and is not counted) | `event` = `session_opened`, `flow_matched`, `outcome`, `ticket_linked`, `psa_note`, `psa_time_entry`, `psa_status` |
//!
//! sqlx 0.8 does not expose how many tasks wait for a connection; a wait that outlasts the
//! pool's acquire timeout is counted (`…_acquire_timeouts_total`, each one a 503), and
//! `in_use` = `max` shows a pool that is full.

use axum::{
    extract::{MatchedPath, Request, State},
    http::{header, Method},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use std::{
    sync::OnceLock,
    time::{Duration, Instant},
};

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "(unmatched)";

/// Latency buckets in seconds: 1 ms to 30 s (PSA pushes wait up to their deadline).
const BUCKETS: [f64; 14] =
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The process's recorder, installed on first use (the server, or the first test that asks).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &BUCKETS)
            .expect("non-empty buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Only fails when another recorder is installed: then ours stays empty, visibly.
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics will be empty");
        }
        handle
    })
}

/// The metrics listener's router: `GET /metrics`, the pool's gauges read as it is scraped.
pub fn router(pool: PgPool) -> Router {
    handle();
    Router::new().route("/metrics", get(scrape)).with_state(pool)
}

async fn scrape(State(pool): State<PgPool>) -> Response {
    let (open, idle) = (f64::from(pool.size()), pool.num_idle() as f64);
    let max = f64::from(pool.options().get_max_connections());
    for (state, value) in [("open", open), ("idle", idle), ("in_use", open - idle), ("max", max)] {
        metrics::gauge!("flowpilot_db_pool_connections", "state" => state).set(value);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render()).into_response()
}

/// Keeps the recorder's histograms from growing between scrapes; for the server's lifetime.
pub fn spawn_upkeep() {
    tokio::spawn(async {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            handle().run_upkeep();
        }
    });
}

/// Middleware (a router layer, so it sees the matched route's template): counts and times every
/// request, and writes its access log line.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| UNMATCHED.to_owned(), |path| path.as_str().to_owned());
    let method = method_label(request.method()).to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let took = started.elapsed();
    let status = response.status().as_u16();
    // The access log line (inside the request's span: it carries the request and account ids).
    tracing::info!(target: "access", %method, %route, status, ms = took.as_secs_f64() * 1e3, "request");
    let labels = [("method", method), ("route", route), ("status", status.to_string())];
    metrics::counter!("flowpilot_http_requests_total", &labels).increment(1);
    metrics::histogram!("flowpilot_http_request_duration_seconds", &labels)
        .record(took.as_secs_f64());
    response
}

/// A request's method as a label: the standard ones by name, any other (a client may send any
/// token as a method) as `other`, so no client can add label values.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A PSA push delivered with `outcome` after `took`.
pub fn psa_push(outcome: &'static str, took: Duration) {
    metrics::counter!("flowpilot_psa_pushes_total", "outcome" => outcome).increment(1);
    metrics::histogram!("flowpilot_psa_push_duration_seconds", "outcome" => outcome)
        .record(took.as_secs_f64());
}

/// A request refused by the rate limit of `kind`.
pub fn rate_limit_rejection(kind: &'static str) {
    metrics::counter!("flowpilot_rate_limit_rejections_total", "kind" => kind).increment(1);
}

/// A wait for a database connection that outlasted the pool's acquire timeout.
pub fn pool_acquire_timeout() {
    metrics::counter!("flowpilot_db_pool_acquire_timeouts_total").increment(1);
}

/// An ingest request of `event` that wrote: a session event committed, or a push recorded.
pub fn ingest_write(event: &'static str) {
    metrics::counter!("flowpilot_ingest_writes_total", "event" => event).increment(1);
}
