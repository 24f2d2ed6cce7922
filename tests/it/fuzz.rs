//! Generated input against every REST route, server function and page (SPEC §10): random query
//! strings and random JSON bodies never get a 5xx, and every error is the JSON error body with a
//! request id. Inputs are drawn from proptest strategies with a fixed seed (the same cases every
//! run); a failure names the request that caused it.

use crate::{
    common::{admin_cookie, api_key, app_with, send, ACCOUNT_A},
    psa_push::{connect, linked_session},
    psa_stub::StubPsa,
};
use axum::{body::Body, http::Request};
use flowpilot_analytics::{
    routes::{self, DataSource},
    server::config::AppConfig,
};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::Value;
use sqlx::PgPool;

const CASES: usize = 60;

fn runner() -> TestRunner {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    TestRunner::new_with_rng(Config::default(), rng)
}

/// `n` values drawn from `strategy`.
fn sample<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    let mut runner = runner();
    (0..n).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect()
}

fn encode(text: &str) -> String {
    flowpilot_analytics::href::encode_component(text)
}

/// Query strings: the parameters we know with odd values, unknown ones, and raw junk.
fn query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("period".to_owned()),
        Just("sort".to_owned()),
        Just("from".to_owned()),
        Just("to".to_owned()),
        "[a-z_]{1,8}",
        any::<String>(),
    ];
    let value = prop_oneof![
        Just("7d".to_owned()),
        Just("90d".to_owned()),
        Just("quality".to_owned()),
        "[0-9dDy-]{0,6}",
        any::<String>(),
    ];
    let pairs = prop::collection::vec((key, value), 0..4).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    });
    prop_oneof![4 => pairs, 1 => "[ -~]{0,20}".prop_map(|raw| raw.replace([' ', '#'], "%"))]
}

/// JSON bodies: the ingest fields we know with values of every type, unknown fields, nesting.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[a-z ]{0,12}".prop_map(Value::from),
    ];
    let field = prop_oneof![
        Just("problem_domain"),
        Just("user_id"),
        Just("flow_id"),
        Just("confidence"),
        Just("confidence_tier"),
        Just("status"),
        Just("psa_ticket_id"),
        Just("text"),
        Just("hours"),
        Just("notes"),
        Just("email"),
        Just("password"),
        Just("zzz"),
    ];
    let value = leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array), inner]
    });
    prop::collection::vec((field, value), 0..4).prop_map(|fields| {
        Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    })
}

/// Every answer comes within 30 s: a request that hangs fails the test naming itself, instead of
/// holding the whole run until CI's timeout (one run did hang here: see the note on issue #12).
async fn within_bound<F: std::future::Future>(what: &str, answer: F) -> F::Output {
    match tokio::time::timeout(std::time::Duration::from_secs(30), answer).await {
        Ok(answer) => answer,
        Err(_) => panic!("{what}: no answer within 30 s"),
    }
}

fn check(what: &str, status: u16, content_type: Option<&str>, body: &str) {
    assert!(status < 500, "{what} → {status}: {body}");
    if status >= 400 && content_type.is_some_and(|t| t.starts_with("application/json")) {
        let error: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{what}: {body}"));
        assert!(error["error"].is_string() && error["request_id"].is_string(), "{what}: {body}");
    } else if status >= 400 && !what.starts_with("GET /analytics") {
        panic!("{what} → {status} without a JSON body: {body}");
    }
}

#[sqlx::test(fixtures("ingest"))]
async fn random_query_strings_never_fail_any_read_route(pool: PgPool) {
    let mut config = AppConfig::for_tests();
    config.rate_limit_per_minute = 1_000_000;
    let app = app_with(pool.clone(), config);
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    let mut paths: Vec<String> = Vec::new();
    for source in DataSource::ALL {
        paths.extend([
            source.api_path().to_owned(),
            source.server_fn_path(),
            source.page().to_owned(),
        ]);
    }
    for query in sample(query(), CASES) {
        for path in &paths {
            let uri = format!("{path}?{query}");
            let Ok(request) = Request::get(&uri).header("cookie", &cookie).body(Body::empty())
            else {
                continue; // not a URI at all: no server ever sees it
            };
            let r = within_bound(&format!("GET {uri}"), send(&app, request)).await;
            check(&format!("GET {uri}"), r.status, r.header("content-type"), &r.body);
        }
    }
}

#[sqlx::test(fixtures("ingest"))]
async fn random_json_bodies_never_fail_any_write_route(pool: PgPool) {
    let mut config = AppConfig::for_tests();
    config.ingest_rate_per_minute = 1_000_000;
    let app = app_with(pool.clone(), config);
    let psa = StubPsa::start().await;
    connect(&pool, "Account A", &psa).await;
    let key = api_key(&pool, "Account A").await;
    let session = linked_session(&app, &key, "12345").await;
    let paths: Vec<String> = [
        routes::API_SESSIONS,
        routes::API_SESSION_MATCH,
        routes::API_SESSION_OUTCOME,
        routes::API_SESSION_TICKET,
        routes::API_PSA_NOTES,
        routes::API_PSA_TIME_ENTRIES,
        routes::API_PSA_STATUS,
    ]
    .iter()
    .map(|p| p.replace("{id}", &session))
    .collect();
    for (i, body) in sample(json(), CASES).into_iter().enumerate() {
        for path in &paths {
            let request = Request::post(path)
                .header("authorization", format!("Bearer {key}"))
                .header("content-type", "application/json")
                .header("idempotency-key", format!("fuzz-{i}-{path}"))
                .body(Body::from(body.to_string()))
                .unwrap();
            let r = within_bound(&format!("POST {path} {body}"), send(&app, request)).await;
            check(&format!("POST {path} {body}"), r.status, r.header("content-type"), &r.body);
        }
        let sign_in = Request::post(routes::API_LOGIN)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let r = send(&app, sign_in).await;
        check(
            &format!("POST {} {body}", routes::API_LOGIN),
            r.status,
            r.header("content-type"),
            &r.body,
        );
    }
}
