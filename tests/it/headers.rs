//! Security headers as a browser receives them: a CSP whose nonce is the one on the page's own
//! scripts, and nosniff, referrer, HSTS and no-store where they belong.

use crate::common::{admin_cookie, app, app_with, get, ACCOUNT_A};
use flowpilot_analytics::server::config::AppConfig;
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
    // cacheable for a signed-in browser.
    let asset = get(&app, "/favicon.svg", Some(a.as_str())).await;
    assert_eq!(asset.header("cache-control"), None);
    assert_eq!(asset.header("x-content-type-options"), Some("nosniff"));
    let secure = app_with(pool, AppConfig { secure_cookies: true, ..AppConfig::for_tests() });
    let response = get(&secure, "/login", None).await;
    assert!(response.header("strict-transport-security").unwrap().contains("max-age="));
}
