//! The write path through HTTP against real PostgreSQL: session events and the flow counters
//! they keep (SPEC §5), account scoping, API keys, idempotency and bad input.

use crate::common::{
    admin_cookie, api_key, app, get, ingest, ACCOUNT_A, FLOW_1, FLOW_2, FLOW_B, RETIRED_FLOW,
};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

async fn flow(pool: &PgPool, id: Uuid) -> (i32, Option<f64>, bool) {
    sqlx::query_as(
        "SELECT usage_count, success_rate, last_matched_at IS NOT NULL FROM trees WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn open(app: &axum::Router, key: &str, domain: &str) -> String {
    let opened =
        ingest(app, key, "/api/v1/sessions", json!({ "problem_domain": domain }), None).await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    opened.json()["id"].as_str().unwrap().to_owned()
}

/// An engine event (`match`, `outcome`, `ticket`) for session `id`, without idempotency key.
async fn event(
    app: &axum::Router,
    key: &str,
    id: &impl std::fmt::Display,
    event: &str,
    body: serde_json::Value,
) -> crate::common::TestResponse {
    ingest(app, key, &format!("/api/v1/sessions/{id}/{event}"), body, None).await
}

fn match_body(flow: Uuid) -> serde_json::Value {
    json!({ "flow_id": flow, "confidence": 0.9, "confidence_tier": "guided" })
}

#[sqlx::test(fixtures("ingest"))]
async fn a_session_driven_by_the_engine_moves_the_analytics(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let admin = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool.clone());

    let id = open(&app, &key, "Email").await;
    let matched = event(&app, &key, &id, "match", match_body(FLOW_1)).await;
    assert_eq!(matched.status, 200, "{}", matched.body);
    assert_eq!(matched.json()["matched_flow_id"], FLOW_1.to_string());
    assert_eq!(flow(&pool, FLOW_1).await, (1, Some(0.0), true));

    let resolved = event(&app, &key, &id, "outcome", json!({"status": "resolved"})).await;
    assert_eq!(resolved.status, 200, "{}", resolved.body);
    assert_eq!(resolved.json()["status"], "resolved");
    assert!(resolved.json()["resolved_at"].is_string());
    assert_eq!(flow(&pool, FLOW_1).await, (1, Some(1.0), true));

    let linked = event(&app, &key, &id, "ticket", json!({"psa_ticket_id": "12345"})).await;
    assert_eq!(linked.json()["psa_ticket_id"], "12345");

    // The next page load sees it.
    let quality =
        get(&app, "/api/v1/analytics/flowpilot/flow-quality?period=7d", Some(&admin)).await.json();
    let row = quality["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Outlook sync")
        .unwrap()
        .clone();
    assert_eq!((row["usage_count"].clone(), row["success_rate"].clone()), (json!(1), json!(1.0)));
    let coverage =
        get(&app, "/api/v1/analytics/flowpilot/coverage?period=7d", Some(&admin)).await.json();
    assert_eq!(coverage["domains"][0]["domain"], "Email");
    assert_eq!(coverage["domains"][0]["resolution_rate"], 1.0);
}

#[sqlx::test(fixtures("ingest"))]
async fn success_rate_is_exact_after_a_mix_of_outcomes(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool.clone());
    for outcome in ["resolved", "resolved", "escalated", "abandoned", "active"] {
        let id = open(&app, &key, "Email").await;
        event(&app, &key, &id, "match", match_body(FLOW_1)).await;
        if outcome != "active" {
            let r = event(&app, &key, &id, "outcome", json!({"status": outcome})).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    }
    // 2 resolved of 5 matched (the active one counts in the denominator).
    assert_eq!(flow(&pool, FLOW_1).await, (5, Some(0.4), true));
}

#[sqlx::test(fixtures("ingest"))]
async fn re_matching_moves_the_use_and_repeating_a_match_counts_once(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool.clone());
    let id = open(&app, &key, "VPN").await;
    let path = format!("/api/v1/sessions/{id}/match");
    ingest(&app, &key, &path, match_body(FLOW_1), None).await;
    event(&app, &key, &id, "outcome", json!({"status": "resolved"})).await;
    assert_eq!(flow(&pool, FLOW_1).await, (1, Some(1.0), true));

    ingest(&app, &key, &path, match_body(FLOW_2), None).await;
    assert_eq!(flow(&pool, FLOW_1).await, (0, None, true), "the use moved away");
    assert_eq!(flow(&pool, FLOW_2).await, (1, Some(1.0), true));

    let again = ingest(
        &app,
        &key,
        &path,
        json!({"flow_id": FLOW_2, "confidence": 0.5, "confidence_tier": "assisted"}),
        None,
    )
    .await;
    assert_eq!(again.json()["confidence_tier"], "assisted");
    assert_eq!(flow(&pool, FLOW_2).await.0, 1, "the same match again is not a new use");
}

/// `count` new sessions of account A, matched to `flow` (guided, 0.9) or to none.
async fn sessions_of_a(pool: &PgPool, count: i32, flow: Option<Uuid>) -> Vec<Uuid> {
    sqlx::query_scalar(
        "INSERT INTO ai_sessions (account_id, problem_domain, matched_flow_id, confidence,
                                  confidence_tier)
         SELECT $1, 'Email', $2, CASE WHEN $2 IS NOT NULL THEN 0.9 END,
                CASE WHEN $2 IS NOT NULL THEN 'guided' END
         FROM generate_series(1, $3) RETURNING id",
    )
    .bind(ACCOUNT_A)
    .bind(flow)
    .bind(count)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The app on five connections for many concurrent writers. They queue for the connections
/// while every event waits for the flow's row: on a loaded CI host a wait can pass the 3 s
/// acquire timeout (a 503 the client would retry), which is not what these tests are about.
fn app_for_writers(pool: &PgPool) -> axum::Router {
    let config = flowpilot_analytics::server::config::AppConfig::for_tests();
    crate::common::app_on_small_pool(pool, 5, std::time::Duration::from_secs(60), config).0
}

#[sqlx::test(fixtures("ingest"))]
async fn a_thousand_concurrent_matches_count_exactly_a_thousand(pool: PgPool) {
    let ids = sessions_of_a(&pool, 1000, None).await;
    let key = api_key(&pool, "Account A").await;
    let app = app_for_writers(&pool);
    let mut tasks = Vec::new();
    for chunk in ids.chunks(20) {
        let (app, key, chunk) = (app.clone(), key.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            for id in chunk {
                let r = event(&app, &key, &id, "match", match_body(FLOW_1)).await;
                assert_eq!(r.status, 200, "{}", r.body);
            }
        }));
    }
    assert_eq!(tasks.len(), 50);
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(flow(&pool, FLOW_1).await, (1000, Some(0.0), true));
}

/// Outcomes of many sessions of one flow at once, forty writers on five connections: the flow's
/// success rate ends exact (each outcome recounts it under the flow's row lock, taken after the
/// session's).
#[sqlx::test(fixtures("ingest"))]
async fn concurrent_outcomes_leave_the_exact_success_rate(pool: PgPool) {
    let ids = sessions_of_a(&pool, 400, Some(FLOW_1)).await;
    let key = api_key(&pool, "Account A").await;
    let app = app_for_writers(&pool);
    let mut tasks = Vec::new();
    for (n, chunk) in ids.chunks(10).enumerate() {
        let (app, key, chunk) = (app.clone(), key.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            for (i, id) in chunk.into_iter().enumerate() {
                // Three in four resolved, the rest escalated, interleaved across the writers.
                let status = if (n + i) % 4 == 0 { "escalated" } else { "resolved" };
                // With a key, as the engine sends it: its record is written between the
                // flow's recount and the commit.
                let path = format!("/api/v1/sessions/{id}/outcome");
                let idempotency = format!("outcome-{id}");
                let body = json!({ "status": status });
                let r = ingest(&app, &key, &path, body, Some(&idempotency)).await;
                assert_eq!(r.status, 200, "{}", r.body);
            }
        }));
    }
    assert_eq!(tasks.len(), 40);
    for task in tasks {
        task.await.unwrap();
    }
    let escalated: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ai_sessions WHERE matched_flow_id = $1 AND status = 'escalated'",
    )
    .bind(FLOW_1)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(escalated, 100);
    assert_eq!(flow(&pool, FLOW_1).await.1, Some(0.75));
}

/// Matches to a flow and outcomes of its sessions at once, all on one day: both kinds take
/// the session's lock, then the flow's, then the day's rollup rows, so none waits on another
/// in a circle (a deadlock would abort one of them).
#[sqlx::test(fixtures("ingest"))]
async fn concurrent_matches_and_outcomes_of_one_flow_all_succeed(pool: PgPool) {
    let matched = sessions_of_a(&pool, 200, Some(FLOW_1)).await;
    let unmatched = sessions_of_a(&pool, 200, None).await;
    let key = api_key(&pool, "Account A").await;
    let app = app_for_writers(&pool);
    let mut tasks = Vec::new();
    for (outcomes, matches) in matched.chunks(10).zip(unmatched.chunks(10)) {
        let (app, key) = (app.clone(), key.clone());
        let (outcomes, matches) = (outcomes.to_vec(), matches.to_vec());
        tasks.push(tokio::spawn(async move {
            for (resolved, to_match) in outcomes.into_iter().zip(matches) {
                let r =
                    event(&app, &key, &resolved, "outcome", json!({"status": "resolved"})).await;
                assert_eq!(r.status, 200, "{}", r.body);
                let r = event(&app, &key, &to_match, "match", match_body(FLOW_1)).await;
                assert_eq!(r.status, 200, "{}", r.body);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    // 400 sessions on the flow, the 200 given an outcome resolved.
    assert_eq!(flow(&pool, FLOW_1).await.1, Some(0.5));
}

#[sqlx::test(fixtures("ingest"))]
async fn another_accounts_ids_are_not_found(pool: PgPool) {
    let a = api_key(&pool, "Account A").await;
    let b = api_key(&pool, "Account B").await;
    let app = app(pool.clone());
    let id = open(&app, &a, "Email").await;
    for (path, body) in [
        (format!("/api/v1/sessions/{id}/match"), match_body(FLOW_B)),
        (format!("/api/v1/sessions/{id}/outcome"), json!({"status": "resolved"})),
        (format!("/api/v1/sessions/{id}/ticket"), json!({"psa_ticket_id": "1"})),
        (format!("/api/v1/sessions/{id}/psa/notes"), json!({"text": "x"})),
    ] {
        let r = ingest(&app, &b, &path, body, Some("k-1")).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
    }
    // A's session, B's flow; and a retired flow of A's own.
    let r =
        ingest(&app, &a, &format!("/api/v1/sessions/{id}/match"), match_body(FLOW_B), None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r =
        ingest(&app, &a, &format!("/api/v1/sessions/{id}/match"), match_body(RETIRED_FLOW), None)
            .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(flow(&pool, FLOW_B).await.0, 0);
}

#[sqlx::test(fixtures("ingest"))]
async fn missing_wrong_or_revoked_keys_are_401(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool.clone());
    assert_eq!(open(&app, &key, "Email").await.len(), 36);
    assert_eq!(
        ingest(&app, "fpk_not-a-key", "/api/v1/sessions", json!({}), None).await.status,
        401
    );
    let no_header = crate::common::post(&app, "/api/v1/sessions", "application/json", "{}").await;
    assert_eq!(no_header.status, 401);

    let prefix = &key[..12];
    assert!(flowpilot_analytics::server::api_keys::revoke(&pool, prefix).await.unwrap());
    let revoked = ingest(&app, &key, "/api/v1/sessions", json!({}), None).await;
    assert_eq!(revoked.status, 401);
    assert_eq!(revoked.json()["message"], "Invalid or revoked API key.");
}

#[sqlx::test(fixtures("ingest"))]
async fn a_retried_request_has_exactly_one_effect(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool.clone());
    let body = json!({ "problem_domain": "Email" });
    let first = ingest(&app, &key, "/api/v1/sessions", body.clone(), Some("open-1")).await;
    let retry = ingest(&app, &key, "/api/v1/sessions", body, Some("open-1")).await;
    assert_eq!((first.status, retry.status), (201, 201));
    assert_eq!(first.json(), retry.json());
    let id = first.json()["id"].as_str().unwrap().to_owned();

    let path = format!("/api/v1/sessions/{id}/match");
    for _ in 0..3 {
        let r = ingest(&app, &key, &path, match_body(FLOW_1), Some("match-1")).await;
        assert_eq!(r.status, 200);
    }
    let sessions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM ai_sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, 1);
    assert_eq!(flow(&pool, FLOW_1).await.0, 1);

    let reused =
        ingest(&app, &key, "/api/v1/sessions", json!({"problem_domain": "VPN"}), Some("open-1"))
            .await;
    assert_eq!(reused.status, 422, "{}", reused.body);
}

#[sqlx::test(fixtures("ingest"))]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing(pool: PgPool) {
    let key = api_key(&pool, "Account A").await;
    let app = app(pool.clone());
    let id = open(&app, &key, "Email").await;
    let path = format!("/api/v1/sessions/{id}/match");
    for (body, status, needle) in [
        (
            json!({"flow_id": FLOW_1, "confidence": 1.5, "confidence_tier": "guided"}),
            422,
            "between 0 and 1",
        ),
        (
            json!({"flow_id": FLOW_1, "confidence": 0.5, "confidence_tier": "sure"}),
            422,
            "guided, assisted, exploratory",
        ),
        (
            json!({"flow_id": "nope", "confidence": 0.5, "confidence_tier": "guided"}),
            422,
            "Invalid request body",
        ),
        (
            json!({"flow_id": FLOW_1, "confidence": 0.5, "confidence_tier": "guided", "extra": 1}),
            422,
            "unknown field",
        ),
    ] {
        let r = ingest(&app, &key, &path, body, None).await;
        assert_eq!(r.status, status, "{}", r.body);
        assert!(r.body.contains(needle), "{}", r.body);
    }
    let raw = axum::http::Request::post(&path)
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    assert_eq!(crate::common::send(&app, raw).await.status, 400);
    let r = ingest(&app, &key, "/api/v1/sessions/not-a-uuid/match", match_body(FLOW_1), None).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = event(&app, &key, &id, "outcome", json!({"status": "done"})).await;
    assert_eq!(r.status, 422);
    let r = event(&app, &key, &id, "ticket", json!({"psa_ticket_id": "x".repeat(101)})).await;
    assert_eq!(r.status, 422);
    assert_eq!(flow(&pool, FLOW_1).await, (0, None, false), "nothing was half-written");
}

#[sqlx::test(fixtures("ingest"))]
async fn a_session_names_its_client_which_is_found_by_name_or_created(pool: PgPool) {
    let (key_a, key_b) = (api_key(&pool, "Account A").await, api_key(&pool, "Account B").await);
    let app = app(pool.clone());
    let open_for = |key: &str, client: serde_json::Value| {
        let (app, key) = (app.clone(), key.to_owned());
        async move { ingest(&app, &key, "/api/v1/sessions", json!({ "client": client }), None).await }
    };
    let first = open_for(&key_a, json!({"name": "Acme Dental", "psa_company_id": "CW-7"})).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let acme = first.json()["client_id"].as_str().unwrap().to_owned();
    // Any case and spacing finds the same client; a later company id does not overwrite.
    let again = open_for(&key_a, json!({"name": "  acme DENTAL ", "psa_company_id": "CW-9"})).await;
    assert_eq!(again.json()["client_id"], acme.as_str());
    // The same name in another account is another client.
    let other = open_for(&key_b, json!({"name": "Acme Dental"})).await;
    assert_eq!(other.status, 201, "{}", other.body);
    assert_ne!(other.json()["client_id"], acme.as_str());
    let rows: Vec<(Uuid, String, Option<String>)> =
        sqlx::query_as("SELECT account_id, name, psa_company_id FROM clients ORDER BY account_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [
            (ACCOUNT_A, "Acme Dental".to_owned(), Some("CW-7".to_owned())),
            (uuid::uuid!("bbbbbbbb-0000-0000-0000-000000000001"), "Acme Dental".to_owned(), None),
        ]
    );
    // No client is fine too.
    let none = ingest(&app, &key_a, "/api/v1/sessions", json!({}), None).await;
    assert_eq!(none.json()["client_id"], serde_json::Value::Null);

    // Bad client input: a 422 and nothing written.
    let count = || async {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT (SELECT count(*) FROM ai_sessions), (SELECT count(*) FROM clients)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = count().await;
    for bad in [
        json!({"name": ""}),
        json!({"name": "   "}),
        json!({"name": "x".repeat(201)}),
        json!({"name": "Ok", "psa_company_id": "y".repeat(101)}),
        json!({"name": "Ok", "color": "red"}),
        json!("Acme Dental"),
        json!({"name": "Nul\u{0}byte"}),
    ] {
        let r = open_for(&key_a, bad.clone()).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
    assert_eq!(count().await, before);
}
