//! Each request's Leptos work runs under a reactive owner of its own.
//!
//! Leptos keeps "the current reactive owner" in a thread-local, and `Owner::new_root` — which
//! leptos_axum calls to render every page — makes itself that owner and leaves it there until
//! the page's stream ends (reactive_graph 0.2.16). A worker thread polls many requests in
//! turn, so code that creates an owner with `Owner::new()` (leptos_axum's static-file
//! fallback, its server-function handler) made it a child of whichever page last started
//! rendering on that thread, and found that page's contexts. The fallback then took the
//! page's `ResponseOptions`: the file went out with the page's headers and status, and the
//! page without its Content-Security-Policy — seen in CI as a hydrated page that ran an
//! injected script, and as a 404 page whose `.wasm` came back 404 (tests/it/headers.rs holds
//! a page mid-render and asks for a file meanwhile). Disposing that page's owner also disposed
//! its adopted children, the likely source of the "already disposed" panics seen under load.
//!
//! [`isolate`] sets a fresh root owner around every poll of a request's future, so anything
//! the request creates belongs to it alone.

use axum::{extract::Request, middleware::Next, response::Response};
use leptos::prelude::Owner;
use leptos::reactive::computed::ScopedFuture;

/// Runs the rest of the stack under a root owner of this request's own.
pub async fn isolate(request: Request, next: Next) -> Response {
    ScopedFuture { owner: Owner::new_root(None), observer: None, fut: next.run(request) }.await
}
