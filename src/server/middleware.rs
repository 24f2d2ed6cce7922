//! The middleware between a request and its handler: who is signed in, and whether a page
//! visitor must sign in first.

use super::{auth::session, identity::CurrentUser, state::AppState};
use crate::routes;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;

/// Resolves the session cookie to a [`CurrentUser`] in the request extensions.
pub async fn resolve_user(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(token) = jar.get(session::SESSION_COOKIE).map(|c| c.value().to_owned()) {
        match session::user_for_token(&state.pool, &token).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(error) => return error.into_response(),
        }
    }
    next.run(request).await
}

/// A signed-out visitor of the analytics pages goes to sign in, and comes back afterwards.
/// (Anyone signed in reaches the page, which shows the error when they may not see it.)
pub async fn sign_in_first(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if routes::is_analytics_page(path) && request.extensions().get::<CurrentUser>().is_none() {
        let back = request.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or(path);
        return Redirect::to(&routes::login_then(back)).into_response();
    }
    next.run(request).await
}
