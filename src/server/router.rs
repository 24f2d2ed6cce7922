//! The whole HTTP surface in one place: API routes, the Leptos pages and server functions,
//! static files, and the middleware stack around them.

use super::{api, auth, ingest, rate_limit, request_id, state::AppState};
use crate::app::{shell, App};
use axum::{
    extract::DefaultBodyLimit,
    middleware::{from_fn, from_fn_with_state},
    response::Redirect,
    routing::{get, post},
    Router,
};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// Request bodies are small JSON or form posts; anything larger is refused with 413.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .route("/", get(|| async { Redirect::to("/analytics") }))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/analytics/flowpilot", get(api::overview))
        .route("/api/v1/analytics/flowpilot/coverage", get(api::coverage))
        .route("/api/v1/analytics/flowpilot/flow-quality", get(api::flow_quality))
        .route("/api/v1/analytics/flowpilot/psa-metrics", get(api::psa_metrics))
        .merge(ingest::routes())
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        // Route layers wrap the matched routes only: static files (the fallback) need no user,
        // so they cost no session lookup.
        .route_layer(from_fn(api::server_fn_arg_errors))
        .route_layer(from_fn_with_state(state.clone(), rate_limit::middleware))
        .route_layer(from_fn(auth::guard_pages))
        .route_layer(from_fn_with_state(state.clone(), auth::resolve_user))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(request_id::middleware))
        // gzip or brotli, as the browser accepts: the hydrate .wasm, the ECharts bundle and
        // the pages shrink to about a third on the wire.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
