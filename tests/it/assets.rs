//! Static files as a browser gets them (SPEC §12). Precompressed: `scripts/precompress.mjs` —
//! the build step run.sh and test.sh run after `cargo leptos build` — writes brotli-11 and
//! gzip-9 copies, and the server sends a copy as it is (its length known, nothing compressed per
//! request) to a browser that accepts it, the original to one that does not. Cached: a file
//! whose URL changes with its content is kept a year, any other revalidated.

use crate::common::{admin_cookie, app_serving_files_from, get, send, ACCOUNT_A};
use axum::{body::Body, http::Request};
use flate2::read::GzDecoder;
use flowpilot_analytics::server::assets;
use sqlx::PgPool;
use std::{io::Read, path::Path, process::Command};

fn precompress(site: &Path) -> String {
    let out = Command::new("node")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/precompress.mjs"))
        .arg(site)
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[sqlx::test]
async fn the_build_step_writes_compressed_copies_and_the_server_sends_them(pool: PgPool) {
    let site = std::env::temp_dir().join(format!("flowpilot-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    // Text that compresses, the way a bundle does.
    let script: String =
        (0..2000).map(|i| format!("export const value{i} = {};\n", i * 7)).collect();
    std::fs::write(site.join("pkg/app.js"), &script).unwrap();
    std::fs::write(site.join("pkg/tiny.css"), "a{}").unwrap();
    let said = precompress(&site);
    assert!(said.contains("precompressed 2 copies"), "{said}");
    let br = std::fs::read(site.join("pkg/app.js.br")).unwrap();
    let gz = std::fs::read(site.join("pkg/app.js.gz")).unwrap();
    assert!(br.len() < gz.len() && gz.len() < script.len() / 4, "{} {}", br.len(), gz.len());
    // Not worth it for three bytes: no copy.
    assert!(!site.join("pkg/tiny.css.br").exists() && !site.join("pkg/tiny.css.gz").exists());

    let app = app_serving_files_from(&pool, &site);
    let fetch = |encoding: &'static str| {
        let app = app.clone();
        async move {
            let mut request = Request::get("/pkg/app.js");
            if !encoding.is_empty() {
                request = request.header("accept-encoding", encoding);
            }
            send(&app, request.body(Body::empty()).unwrap()).await
        }
    };
    let r = fetch("br").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("br"));
    // The copy itself (its length), not a stream compressed for this request.
    assert_eq!(r.header("content-length"), Some(br.len().to_string().as_str()));
    let r = fetch("gzip").await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("content-length"), Some(gz.len().to_string().as_str()));
    let r = fetch("").await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.body, script);
    let mut unzipped = String::new();
    GzDecoder::new(gz.as_slice()).read_to_string(&mut unzipped).unwrap();
    assert_eq!(unzipped, script);

    // A rebuild that drops the file drops its copies.
    std::fs::remove_file(site.join("pkg/app.js")).unwrap();
    precompress(&site);
    assert!(!site.join("pkg/app.js.br").exists() && !site.join("pkg/app.js.gz").exists());
    std::fs::remove_dir_all(&site).unwrap();
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn hashed_files_are_kept_a_year_and_the_rest_revalidate(pool: PgPool) {
    let site = std::env::temp_dir().join(format!("flowpilot-site-{}", uuid::Uuid::new_v4()));
    for dir in ["pkg/snippets/lib-1a2b", "vendor"] {
        std::fs::create_dir_all(site.join(dir)).unwrap();
    }
    for file in [
        "pkg/flowpilot-analytics.Ab3-x_9.wasm",
        "pkg/flowpilot-analytics.wasm",
        // What `--split` adds: the loader and a route's chunk, as a hashing build names them
        // and as a build without hashing does.
        "pkg/__wasm_split.Qx7_k-2.js",
        "pkg/__wasm_split.______________________.js",
        "pkg/overview_route_view_1.Zz9-a_B.wasm",
        "pkg/chunk_7.wasm",
        "pkg/snippets/lib-1a2b/inline0.js",
        "vendor/echarts.min.js",
        "favicon.svg",
    ] {
        std::fs::write(site.join(file), format!("/* {file} */")).unwrap();
    }
    let app = app_serving_files_from(&pool, &site);
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    // The page asks for the bundle by its fingerprint.
    let page = get(&app, "/analytics?period=7d", Some(&cookie)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let src = page
        .body
        .split("content=\"/vendor/echarts.min.js?v=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no fingerprinted ECharts in the page"))
        .to_owned();
    assert_eq!(src.len(), 16, "{src}");
    assert_eq!(page.header("cache-control"), Some("no-store"), "a signed-in page is never kept");

    let lifetime = |path: String| {
        let app = app.clone();
        async move {
            let r = get(&app, &path, None).await;
            assert_eq!(r.status, 200, "{path}");
            r.header("cache-control").map(str::to_owned)
        }
    };
    let forever = Some(assets::FOREVER.to_owned());
    let revalidate = Some(assets::REVALIDATE.to_owned());
    assert_eq!(lifetime("/pkg/flowpilot-analytics.Ab3-x_9.wasm".into()).await, forever);
    assert_eq!(lifetime("/pkg/flowpilot-analytics.wasm".into()).await, revalidate);
    assert_eq!(lifetime("/pkg/__wasm_split.Qx7_k-2.js".into()).await, forever);
    assert_eq!(lifetime("/pkg/overview_route_view_1.Zz9-a_B.wasm".into()).await, forever);
    assert_eq!(
        lifetime("/pkg/__wasm_split.______________________.js".into()).await,
        revalidate,
        "the loader's placeholder name is the same whatever it holds"
    );
    assert_eq!(lifetime("/pkg/chunk_7.wasm".into()).await, revalidate);
    assert_eq!(lifetime("/pkg/snippets/lib-1a2b/inline0.js".into()).await, revalidate);
    assert_eq!(lifetime(format!("/vendor/echarts.min.js?v={src}")).await, forever);
    assert_eq!(lifetime("/vendor/echarts.min.js?v=0123456789abcdef".into()).await, revalidate);
    assert_eq!(lifetime("/vendor/echarts.min.js".into()).await, revalidate);
    assert_eq!(lifetime("/favicon.svg".into()).await, revalidate);

    // A new bundle is a new URL: the old fingerprint is no longer kept for good.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(site.join("vendor/echarts.min.js"), "/* a new build */").unwrap();
    let page = get(&app, "/analytics?period=7d", Some(&cookie)).await;
    assert!(!page.body.contains(&format!("echarts.min.js?v={src}")), "the page names the new one");
    assert_eq!(lifetime(format!("/vendor/echarts.min.js?v={src}")).await, revalidate);
    std::fs::remove_dir_all(&site).unwrap();
}
