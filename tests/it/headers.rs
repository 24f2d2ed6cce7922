//! Security headers as a browser receives them: a CSP whose nonce is the one on the page's own
//! scripts, and nosniff, referrer, HSTS and no-store where they belong.

use crate::common::{admin_cookie, app, app_serving_files_from, app_with, get, ACCOUNT_A};
use flowpilot_analytics::server::{assets, config::AppConfig};
use sqlx::PgPool;

#[sqlx::test(fixtures("recent_sessions"))]
async fn html_pages_carry_a_nonce_csp_that_matches_their_scripts(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    for (path, cookie) in
        [("/analytics/coverage", Some(a.as_str())), ("/login", None), ("/nowhere", None)]
    {
        let page = get(&app, path, cookie).await;
        let csp =
            page.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        let script_src =
            csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        let nonce = script_src.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
        assert!(nonce.len() >= 16, "{nonce}");
        // Every inline script of the page carries it.
        let inline_scripts: Vec<&str> =
            page.body.split("<script").skip(1).filter(|s| !s.starts_with(" src=")).collect();
        assert!(!inline_scripts.is_empty(), "{path}");
        for script in inline_scripts {
            let tag = &script[..script.find('>').unwrap()];
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: <script{tag}>");
        }
        // A new nonce each response.
        let again = get(&app, path, cookie).await;
        assert_ne!(again.header("content-security-policy"), Some(csp), "{path}");
    }
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn every_response_has_nosniff_and_referrer_and_signed_in_ones_no_store(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool.clone());
    for (path, cookie, no_store) in [
        ("/api/v1/analytics/flowpilot", Some(a.as_str()), true),
        ("/analytics", Some(a.as_str()), true),
        ("/api/analytics/coverage", Some(a.as_str()), true),
        ("/login", None, false),
        ("/healthz", None, false),
        ("/api/v1/analytics/flowpilot", None, false),
    ] {
        let response = get(&app, path, cookie).await;
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(response.header("referrer-policy"), Some("same-origin"), "{path}");
        assert_eq!(response.header("cache-control") == Some("no-store"), no_store, "{path}");
        // The tests serve plain HTTP (cookies not Secure): no HSTS.
        assert_eq!(response.header("strict-transport-security"), None, "{path}");
    }
    // Static files (served by the fallback, whether or not the site is built yet) stay
    // cacheable for a signed-in browser: their own lifetime (tests/it/assets.rs), never no-store.
    let asset = get(&app, "/favicon.svg", Some(a.as_str())).await;
    let expected = (asset.status == 200).then_some(assets::REVALIDATE);
    assert_eq!(asset.header("cache-control"), expected, "{}", asset.status);
    assert_eq!(asset.header("x-content-type-options"), Some("nosniff"));
    let secure = app_with(pool, AppConfig { secure_cookies: true, ..AppConfig::for_tests() });
    let response = get(&secure, "/login", None).await;
    assert!(response.header("strict-transport-security").unwrap().contains("max-age="));
}

/// A file served while a page renders leaves the page its headers. Unless each request has a
/// reactive owner of its own (`server::reactive_owner`), leptos_axum's file handler took the
/// rendering page's headers (that page was the worker thread's owner), so the page went out
/// without its Content-Security-Policy — seen in CI as a hydrated page that ran an injected
/// script. The page is held mid-render by a lock on the rollups it reads, and the file is asked
/// for on the same thread (the test's runtime has one) meanwhile.
#[sqlx::test(fixtures("recent_sessions"))]
async fn a_file_served_while_a_page_renders_leaves_the_page_its_policy(pool: PgPool) {
    let site = std::env::temp_dir().join(format!("flowpilot-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/probe.js"), "export const probe = 1;").unwrap();
    let app = app_serving_files_from(&pool, &site);
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;

    let mut blocker = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE session_day_rollups IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let page = tokio::spawn({
        let app = app.clone();
        async move { get(&app, "/analytics?period=7d", Some(&cookie)).await }
    });
    // The page has rendered its shell (the policy is set) and waits for its data.
    for _ in 0..500 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
             WHERE NOT l.granted AND d.datname = current_database()",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(!page.is_finished(), "the page should be waiting for the lock");

    let file = get(&app, "/pkg/probe.js", None).await;
    assert_eq!(file.status, 200, "{}", file.body);
    assert_eq!(file.body, "export const probe = 1;");
    assert_eq!(file.header("content-security-policy"), None, "the page's policy went to a file");
    let missing = get(&app, "/pkg/missing.js", None).await;
    assert_eq!(missing.status, 404);

    blocker.commit().await.unwrap();
    let page = page.await.unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.header("content-security-policy").is_some(), "the page lost its policy");
    std::fs::remove_dir_all(&site).unwrap();
}
