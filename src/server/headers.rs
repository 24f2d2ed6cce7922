//! Security headers: the Content-Security-Policy of every HTML page (with the nonce Leptos puts
//! on its own scripts), and the headers every response carries.

use super::{auth::session, state::AppState};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::CookieJar;

/// The policy of an HTML page whose own scripts carry `nonce`: scripts only from this origin
/// or with the nonce (never inline otherwise), WebAssembly allowed to compile, no plugins, no
/// `<base>`, no framing. Styles may be inline: the bars' widths are `style` attributes.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Sets this page's Content-Security-Policy; called while the page renders.
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// On every response: no content-type sniffing, the referrer only to ourselves, and HSTS when
/// the cookies are `Secure` (the site is served over https).
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if state.config.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// On the app's own routes (pages, API — not static files, which stay cacheable): `no-store`
/// for whatever answers a request that carried credentials.
pub async fn no_store_when_signed_in(jar: CookieJar, request: Request, next: Next) -> Response {
    let credentials =
        request.headers().contains_key(header::AUTHORIZATION) || session::carries_session(&jar);
    let mut response = next.run(request).await;
    if credentials {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
