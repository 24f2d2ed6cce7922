//! What the server functions behind the pages share: the signed-in team admin and the state
//! they run with, the rate limit of the data they load, and the HTTP status their errors answer
//! with (the same as the REST API's).

use super::{
    errors,
    identity::{require_team_admin, Admin, CurrentUser},
    queries::{compared, Window},
    rate_limit,
    state::AppState,
    tenant,
};
use crate::{
    error::AppError,
    model::{ViewParams, Windowed},
    routes::{self, DataSource},
};
use axum::{body::Body, extract::Request, middleware::Next, response::Response};
use leptos::prelude::use_context;
use sqlx::PgPool;
use std::future::Future;
use uuid::Uuid;

/// Runs a server function's body for the signed-in team admin, in the admin's account.
pub async fn for_admin<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Admin) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let state = use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from context"))?;
    let parts = use_context::<http::request::Parts>();
    let admin = require_team_admin(parts.as_ref().and_then(|p| p.extensions.get::<CurrentUser>()))?;
    // Leptos runs a page's resources in tasks of their own: the scope goes with the body.
    tenant::scoped(admin.account_id, body(state, admin)).await
}

/// [`for_admin`], and on error the HTTP status (and `Retry-After`) follow the error, for the
/// server function call and for an SSR page alike.
pub async fn as_admin<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Admin) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = for_admin(body).await;
    if let (Err(error), Some(response)) = (&result, use_context::<leptos_axum::ResponseOptions>()) {
        response.set_status(errors::status(error));
        for (name, value) in &errors::headers(error) {
            response.insert_header(name.clone(), value.clone());
        }
    }
    result
}

/// Runs a tab's server function: [`as_admin`], spending one of the admin's loads of `source`.
/// During server rendering the page calls it once, so a page view counts once.
pub async fn load_as_admin<T, F, Fut>(source: DataSource, body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Admin) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    as_admin(|state, admin| async move {
        rate_limit::spend_analytics(&state, admin.user_id, source.name()).await?;
        body(state, admin).await
    })
    .await
}

/// A tab's data for the page: [`load_as_admin`] for the requested window, always compared with
/// the window before it (the page shows every change, SPEC §7).
pub async fn load_tab<T, F, Fut>(
    source: DataSource,
    window: ViewParams,
    query: F,
) -> Result<T, AppError>
where
    T: Windowed,
    F: Fn(PgPool, Uuid, Window) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    load_as_admin(source, |state, admin| async move {
        let account = admin.account_id;
        compared(&state.pool, account, &window, true, |w| query(state.pool.clone(), account, w))
            .await
    })
    .await
}

/// Server functions answer errors raised before our code runs (arguments that do not decode)
/// with a 500 whatever the error; this gives every server-function error response the status
/// its body declares, and the body every error has (SPEC §10): `message` and the request id
/// beside the error's own fields (the browser still reads it back as the same error).
pub async fn status_from_body(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_server_fn = [routes::SERVER_FN_ANALYTICS, routes::SERVER_FN_SESSION]
        .into_iter()
        .any(|prefix| path.starts_with(prefix));
    let response = next.run(request).await;
    if !is_server_fn || response.status().as_u16() < 400 {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let Ok(error) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.status = errors::status(&error);
    parts.headers.extend(errors::headers(&error));
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(
        parts,
        Body::from(serde_json::to_vec(&errors::body(&error)).unwrap_or_default()),
    )
}
