//! The whole HTTP surface in one place: API routes, the Leptos pages and server functions,
//! static files, and the middleware stack around them.

use super::{
    api, assets, auth, config::MAX_BODY_BYTES, database, export, headers, ingest, metrics,
    middleware, openapi, reactive_owner, request_id, server_fns, state::AppState,
};
use crate::{
    app::{shell, App},
    routes::{self, DataSource},
};
use axum::{
    extract::DefaultBodyLimit,
    http::Method,
    middleware::{from_fn, from_fn_with_state},
    response::Redirect,
    routing::{get, post, MethodRouter},
    Router,
};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::LazyLock;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// The routes this module mounts itself (the Leptos pages and server functions are mounted by
/// `leptos_routes_with_context`): (method, path, handler).
fn own_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    let mut own: Vec<(Method, &'static str, MethodRouter<AppState>)> = vec![
        (Method::GET, "/", get(|| async { Redirect::to(routes::ANALYTICS) })),
        (Method::GET, routes::HEALTH, get(|| async { "ok" })),
        (Method::GET, routes::READY, get(database::readiness)),
        (Method::POST, routes::API_LOGIN, post(auth::handlers::login)),
        (Method::POST, routes::API_LOGOUT, post(auth::handlers::logout)),
        (Method::GET, routes::API_FILTERS, get(api::filters)),
        (Method::GET, routes::API_ANALYTICS_SESSIONS, get(api::sessions)),
        (Method::GET, routes::API_ANALYTICS_SESSION, get(api::session)),
        (Method::GET, routes::API_SESSIONS_CSV, get(export::sessions)),
        (Method::GET, routes::API_OPENAPI, get(openapi::json)),
        (Method::GET, routes::API_DOCS, get(openapi::docs)),
    ];
    for source in DataSource::ALL {
        own.push((Method::GET, source.api_path(), api::endpoint(source)));
        own.push((Method::GET, source.csv_path(), export::tab(source)));
    }
    for (path, handler) in ingest::routes() {
        own.push((Method::POST, path, handler));
    }
    own
}

/// The Leptos pages' routes, generated once per process.
///
/// Generating them renders the app once with resource loading switched off by a flag that is
/// process-wide (leptos_server 0.8.8, `SuppressResourceLoad`): a page resource first polled by
/// a request on another thread during that render waits forever (leptos#4773). The server
/// generates before it serves, so only a process that builds routers while it serves — the
/// integration tests, one router per test — could be bitten, and there it was: a page load now
/// and then never answered. With one list per process no render overlaps a generation: every
/// router needs the list first.
fn page_routes() -> Vec<AxumRouteListing> {
    static PAGES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));
    PAGES.clone()
}

/// Every route the router answers besides static files, as (method, path template): its own
/// routes, the Leptos pages and the registered server functions. The tenant attack suite walks
/// this list, so a new route is attacked the day it is added.
pub fn inventory() -> Vec<(Method, String)> {
    let mut all: Vec<(Method, String)> =
        own_routes().into_iter().map(|(method, path, _)| (method, path.to_owned())).collect();
    all.extend(page_routes().iter().map(|page| (Method::GET, page.path().to_owned())));
    all.extend(
        leptos::server_fn::axum::server_fn_paths().map(|(path, method)| (method, path.to_owned())),
    );
    all.sort_by(|a, b| (&a.1, a.0.as_str()).cmp(&(&b.1, b.0.as_str())));
    all.dedup();
    all
}

pub fn build(state: AppState) -> Router {
    // The process's metrics recorder, before the first request is counted.
    metrics::handle();
    let leptos_routes = page_routes();
    let options = state.leptos_options.clone();
    let mut router = Router::new();
    for (_, path, handler) in own_routes() {
        router = router.route(path, handler);
    }
    router
        .leptos_routes_with_context(&state, leptos_routes, || {}, move || shell(options.clone()))
        // Route layers wrap the matched routes only: static files (the fallback) need no user,
        // so they cost no session lookup.
        .route_layer(from_fn(headers::no_store_when_signed_in))
        .route_layer(from_fn(server_fns::status_from_body))
        .route_layer(from_fn(middleware::sign_in_first))
        .route_layer(from_fn_with_state(state.clone(), middleware::resolve_user))
        // Outermost of the route layers: while the database is down, nothing below waits on it.
        .route_layer(from_fn_with_state(state.database.clone(), database::fail_fast_when_down))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(middleware::json_errors))
        // Every request in a reactive owner of its own (see the module: without it, one
        // request's Leptos work could find another's headers and status).
        .layer(from_fn(reactive_owner::isolate))
        .layer(from_fn(metrics::track_requests))
        .layer(from_fn(request_id::middleware))
        .layer(from_fn_with_state(state.clone(), headers::middleware))
        // How long a browser keeps each static file (hashed names: a year).
        .layer(from_fn_with_state(state.clone(), assets::cache_policy))
        // gzip or brotli, as the browser accepts: the hydrate .wasm, the ECharts bundle and
        // the pages shrink to about a third on the wire.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
