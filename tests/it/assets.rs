//! Static files leave precompressed (SPEC §12): `scripts/precompress.mjs` — the build step
//! run.sh and test.sh run after `cargo leptos build` — writes brotli-11 and gzip-9 copies, and
//! the server sends a copy as it is (its length known, nothing compressed per request) to a
//! browser that accepts it, the original to one that does not.

use crate::common::{app_serving_files_from, send};
use axum::{body::Body, http::Request};
use flate2::read::GzDecoder;
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
