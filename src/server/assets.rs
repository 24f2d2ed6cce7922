//! The static assets' names and how long a browser may keep them (SPEC §12). One place decides:
//! a file whose URL changes when its content does — the build's content-hashed `/pkg/` files
//! (cargo-leptos `hash-files`), and the ECharts bundle asked for with its fingerprint as `?v=` —
//! may be kept a year without asking again (`immutable`); any other static file is asked about
//! each time (`no-cache`: a 304 when unchanged).

use super::state::AppState;
use crate::routes::ECHARTS_BUNDLE as ECHARTS;
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};
use leptos::config::LeptosOptions;
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{LazyLock, Mutex},
    time::SystemTime,
};

pub const FOREVER: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// The options with `hash_files` as the build left it: on when cargo-leptos wrote its
/// `hash.txt` beside this binary (its `hash-files` build names the .js, .wasm and .css by their
/// content), off for a binary built otherwise (`cargo build`, the tests). Decided here rather
/// than in Leptos.toml, because with the setting on and no hash file Leptos panics rendering a
/// page.
pub fn with_build_names(mut options: LeptosOptions) -> LeptosOptions {
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())));
    options.hash_files = beside_binary.is_some_and(|file| file.is_file());
    options
}

/// A short fingerprint of the file's content, recomputed when the file changes; none when
/// it is not there.
fn fingerprint(file: &Path) -> Option<String> {
    static SEEN: LazyLock<Mutex<HashMap<PathBuf, (SystemTime, String)>>> =
        LazyLock::new(Default::default);
    let modified = std::fs::metadata(file).and_then(|m| m.modified()).ok()?;
    let mut seen = SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((at, print)) = seen.get(file) {
        if *at == modified {
            return Some(print.clone());
        }
    }
    let digest = Sha256::digest(std::fs::read(file).ok()?);
    let print = hex::encode(&digest[..8]);
    seen.insert(file.to_owned(), (modified, print.clone()));
    Some(print)
}

/// Where the page loads ECharts from: with the bundle's fingerprint, so a new bundle is a new
/// URL and the old one may be kept for good.
pub fn echarts_src(options: &LeptosOptions) -> String {
    let file = Path::new(options.site_root.as_ref()).join(ECHARTS.trim_start_matches('/'));
    match fingerprint(&file) {
        Some(print) => format!("{ECHARTS}?v={print}"),
        None => ECHARTS.to_owned(),
    }
}

/// How long a browser may keep the static file at `path` (with `query`).
pub fn lifetime(options: &LeptosOptions, path: &str, query: Option<&str>) -> &'static str {
    let pkg = format!("/{}/", options.site_pkg_dir);
    if let Some(name) = path.strip_prefix(&pkg) {
        return if content_named(name) { FOREVER } else { REVALIDATE };
    }
    if path == ECHARTS {
        let asked =
            query.into_iter().flat_map(|q| q.split('&')).find_map(|pair| pair.strip_prefix("v="));
        let current = echarts_src(options);
        let current = current.split_once("?v=").map(|(_, print)| print);
        return if asked.is_some() && asked == current { FOREVER } else { REVALIDATE };
    }
    REVALIDATE
}

/// Whether a file of the package is named by its content, as only a hashing build names them:
/// `<name>.<hash>.<ext>` — the main `.js`, `.wasm` and `.css`, the split loader
/// `__wasm_split.<hash>.js` and each route's `.wasm` chunk. Never `flowpilot-analytics.wasm`,
/// nor the split loader's unhashed placeholder name (`__wasm_split.______________________.js`),
/// nor anything under `snippets/` (wasm-bindgen imports those by fixed names).
fn content_named(name: &str) -> bool {
    if name.contains('/') {
        return false;
    }
    let mut parts = name.rsplitn(3, '.');
    let (_ext, hash, stem) = (parts.next(), parts.next(), parts.next());
    stem.is_some_and(|s| !s.is_empty())
        && hash.is_some_and(|h| !h.is_empty() && !h.chars().all(|c| c == '_'))
}

/// Sets the lifetime of every static file the server sends (a GET outside the API whose last
/// path segment names a file), unless the response already says one.
pub async fn cache_policy(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let is_file = !path.starts_with("/api/")
        && path.rsplit('/').next().is_some_and(|segment| segment.contains('.'));
    let mut response = next.run(request).await;
    let served = matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED);
    if is_file && served && !response.headers().contains_key(header::CACHE_CONTROL) {
        let lifetime = lifetime(&state.leptos_options, &path, query.as_deref());
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(lifetime));
    }
    response
}
