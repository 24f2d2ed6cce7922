//! The tenant attack suite (SPEC §6, §10): every route the router answers — walked from
//! `router::inventory()`, so a route added tomorrow is attacked tomorrow — is called as account
//! A with account B's ids and names. Every id of B is not found, no byte of B's data appears in
//! any answer, and nothing of B's changes.

use crate::{
    common::{admin_cookie, api_key, app_with, ingest, send, user, ACCOUNT_A, ACCOUNT_B, FLOW_B},
    psa_push::linked_session,
};
use axum::{
    body::Body,
    http::{Method, Request},
};
use flowpilot_analytics::{
    routes,
    server::{config::AppConfig, router},
};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// What B owns that A must never see or touch.
struct Theirs {
    session: String,
    user: Uuid,
    markers: Vec<String>,
}

async fn b_state(pool: &PgPool) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT 'session', concat_ws('|', status, matched_flow_id, psa_ticket_id, problem_domain)
         FROM ai_sessions WHERE account_id = $1
         UNION ALL SELECT 'flow', concat_ws('|', usage_count, success_rate, last_matched_at)
         FROM trees WHERE account_id = $1
         UNION ALL SELECT 'logs', count(*)::text FROM psa_activity_logs WHERE account_id = $1
         UNION ALL SELECT 'pushes', count(*)::text FROM psa_pushes WHERE account_id = $1
         ORDER BY 1, 2",
    )
    .bind(ACCOUNT_B)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The body A sends to a write route: B's ids wherever the route takes one.
fn attack_body(path: &str, theirs: &Theirs) -> Value {
    match path {
        routes::API_SESSIONS => json!({ "problem_domain": "Email", "user_id": theirs.user }),
        routes::API_SESSION_MATCH => {
            json!({ "flow_id": FLOW_B, "confidence": 0.9, "confidence_tier": "guided" })
        }
        routes::API_SESSION_OUTCOME => json!({ "status": "escalated" }),
        routes::API_SESSION_TICKET => json!({ "psa_ticket_id": "666" }),
        routes::API_PSA_NOTES => json!({ "text": "not yours" }),
        routes::API_PSA_TIME_ENTRIES => json!({ "hours": 1.0 }),
        routes::API_PSA_STATUS => json!({ "status": "Closed" }),
        routes::API_LOGIN => json!({ "email": "boss@theirs.example", "password": "guess" }),
        _ => json!({}),
    }
}

#[sqlx::test(fixtures("ingest"))]
async fn every_route_called_as_account_a_with_account_bs_ids_finds_nothing_of_b(pool: PgPool) {
    let mut config = AppConfig::for_tests();
    config.rate_limit_per_minute = 1_000;
    let app = app_with(pool.clone(), config);
    // B's world: a technician, a session matched to B's flow, linked to a ticket, resolved.
    let b_key = api_key(&pool, "Account B").await;
    let b_user = user(&pool, "boss@theirs.example", "team_admin", Some(ACCOUNT_B)).await;
    let b_session = linked_session(&app, &b_key, "987654321").await;
    let matched = json!({ "flow_id": FLOW_B, "confidence": 0.8, "confidence_tier": "assisted" });
    let path = routes::API_SESSION_MATCH.replace("{id}", &b_session);
    assert_eq!(ingest(&app, &b_key, &path, matched, None).await.status, 200);
    let path = routes::API_SESSION_OUTCOME.replace("{id}", &b_session);
    assert_eq!(ingest(&app, &b_key, &path, json!({"status": "resolved"}), None).await.status, 200);
    let theirs = Theirs {
        session: b_session.clone(),
        user: b_user,
        markers: vec![
            "Account B".into(),
            "Theirs".into(),
            "boss@theirs.example".into(),
            "987654321".into(),
            b_session.clone(),
            b_user.to_string(),
            FLOW_B.to_string(),
        ],
    };
    let before = b_state(&pool).await;

    // A's credentials: a team admin's cookie and an API key.
    let a_cookie = admin_cookie(&pool, ACCOUNT_A).await;
    let a_key = api_key(&pool, "Account A").await;
    let a_session = linked_session(&app, &a_key, "12345").await;

    let inventory = router::inventory();
    assert!(inventory.len() >= 20, "the router's routes: {inventory:?}");
    for (method, template) in &inventory {
        let path = template.replace("{id}", &theirs.session);
        assert!(
            !path.contains(['{', ':', '*']),
            "{method} {template}: a route with a parameter this suite has no attack value for"
        );
        let query = if method == Method::GET { "?period=90d" } else { "" };
        let body = attack_body(template, &theirs);
        let request = Request::builder()
            .method(method.clone())
            .uri(format!("{path}{query}"))
            .header("cookie", &a_cookie)
            .header("authorization", format!("Bearer {a_key}"))
            .header("content-type", "application/json")
            .header("idempotency-key", format!("attack {template}"))
            .body(if method == Method::GET { Body::empty() } else { Body::from(body.to_string()) })
            .unwrap();
        let r = send(&app, request).await;
        assert!(r.status < 500, "{method} {path} → {}: {}", r.status, r.body);
        for marker in &theirs.markers {
            assert!(
                !r.body.contains(marker.as_str()),
                "{method} {path} shows B's {marker:?}: {}",
                r.body
            );
        }
        if template.contains("{id}") {
            assert_eq!(r.status, 404, "{method} {path}: B's session is not found: {}", r.body);
        }
        if *template == routes::API_SESSIONS {
            assert_eq!(r.status, 404, "B's technician is not found: {}", r.body);
        }
    }
    // A's own session with B's flow: B's flow is not found either.
    let path = routes::API_SESSION_MATCH.replace("{id}", &a_session);
    let r =
        ingest(&app, &a_key, &path, attack_body(routes::API_SESSION_MATCH, &theirs), None).await;
    assert_eq!(r.status, 404, "{}", r.body);

    assert_eq!(b_state(&pool).await, before, "nothing of B's changed");
}
