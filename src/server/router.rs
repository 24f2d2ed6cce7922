//! The whole HTTP surface in one place: API routes, the Leptos pages and server functions,
//! static files, and the middleware stack around them.

use super::{
    api, auth, config::MAX_BODY_BYTES, database, headers, ingest, middleware, request_id,
    server_fns, state::AppState,
};
use crate::{
    app::{shell, App},
    routes::{self, DataSource},
};
use axum::{
    extract::DefaultBodyLimit,
    middleware::{from_fn, from_fn_with_state},
    response::Redirect,
    routing::{get, post},
    Router,
};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

pub fn build(state: AppState) -> Router {
    let leptos_routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let mut router = Router::new()
        .route("/", get(|| async { Redirect::to(routes::ANALYTICS) }))
        .route(routes::HEALTH, get(|| async { "ok" }))
        .route(routes::READY, get(database::readiness))
        .route(routes::API_LOGIN, post(auth::handlers::login))
        .route(routes::API_LOGOUT, post(auth::handlers::logout));
    for source in DataSource::ALL {
        router = router.route(source.api_path(), api::endpoint(source));
    }
    router
        .merge(ingest::routes())
        .leptos_routes_with_context(&state, leptos_routes, || {}, move || shell(options.clone()))
        // Route layers wrap the matched routes only: static files (the fallback) need no user,
        // so they cost no session lookup.
        .route_layer(from_fn(headers::no_store_when_signed_in))
        .route_layer(from_fn(server_fns::status_from_body))
        .route_layer(from_fn(middleware::sign_in_first))
        .route_layer(from_fn_with_state(state.clone(), middleware::resolve_user))
        // Outermost of the route layers: while the database is down, nothing below waits on it.
        .route_layer(from_fn_with_state(state.clone(), database::fail_fast_when_down))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(middleware::json_errors))
        .layer(from_fn(request_id::middleware))
        .layer(from_fn_with_state(state.clone(), headers::middleware))
        // gzip or brotli, as the browser accepts: the hydrate .wasm, the ECharts bundle and
        // the pages shrink to about a third on the wire.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
