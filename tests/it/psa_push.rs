//! PSA pushes against a local HTTP stub standing in for ConnectWise: the exact requests we
//! send, what is logged on success, and that failures log nothing.

use crate::common::{api_key, app, ingest};
use flowpilot_analytics::server::{config::AppConfig, psa::connection};
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;
use wiremock::{
    matchers::{body_json, body_partial_json, header, method, path},
    Mock, MockServer, ResponseTemplate,
};

const API: &str = "/v4_6_release/apis/3.0";
/// base64("acme+pub-key:priv-key")
const BASIC: &str = "Basic YWNtZStwdWIta2V5OnByaXYta2V5";

struct Setup {
    app: axum::Router,
    key: String,
    session: String,
    psa: MockServer,
}

impl Setup {
    /// A push for the linked session: `kind` is notes, time-entries or status.
    async fn push(&self, kind: &str, body: serde_json::Value) -> crate::common::TestResponse {
        let path = format!("/api/v1/sessions/{}/psa/{kind}", self.session);
        ingest(&self.app, &self.key, &path, body, None).await
    }
}

/// Account A connected to a stub ConnectWise, with one session linked to ticket 12345.
async fn setup(pool: &PgPool) -> Setup {
    let psa = MockServer::start().await;
    let secrets = AppConfig::for_tests().secrets.unwrap();
    connection::save(
        pool,
        &secrets,
        &connection::NewConnection {
            account_name: "Account A".into(),
            site: psa.uri(),
            company_id: "acme".into(),
            public_key: "pub-key".into(),
            private_key: "priv-key".into(),
            client_id: "client-123".into(),
            // The stub is plain http on loopback.
            allow_insecure_http: true,
        },
    )
    .await
    .unwrap();
    let key = api_key(pool, "Account A").await;
    let app = app(pool.clone());
    let opened = ingest(&app, &key, "/api/v1/sessions", json!({}), None).await;
    let session = opened.json()["id"].as_str().unwrap().to_owned();
    let linked = ingest(
        &app,
        &key,
        &format!("/api/v1/sessions/{session}/ticket"),
        json!({"psa_ticket_id": "12345"}),
        None,
    )
    .await;
    assert_eq!(linked.status, 200);
    Setup { app, key, session, psa }
}

async fn logs(pool: &PgPool) -> Vec<(String, Option<f64>, Option<String>)> {
    sqlx::query_as("SELECT activity_type, hours_logged, psa_ticket_id FROM psa_activity_logs ORDER BY created_at")
        .fetch_all(pool)
        .await
        .unwrap()
}

fn cw(verb: &str, route: &str) -> wiremock::MockBuilder {
    Mock::given(method(verb))
        .and(path(format!("{API}/{route}")))
        .and(header("authorization", BASIC))
        .and(header("clientId", "client-123"))
}

#[sqlx::test(fixtures("ingest"))]
async fn a_note_is_posted_as_connectwise_expects_and_logged_once(pool: PgPool) {
    let s = setup(&pool).await;
    cw("POST", "service/tickets/12345/notes")
        .and(body_json(json!({"text": "Cleared the Outlook cache", "detailDescriptionFlag": true})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .expect(1)
        .mount(&s.psa)
        .await;
    let r = s.push("notes", json!({"text": "Cleared the Outlook cache"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["activity_type"], "note_posted");
    assert_eq!(logs(&pool).await, vec![("note_posted".into(), None, Some("12345".into()))]);
}

#[sqlx::test(fixtures("ingest"))]
async fn a_time_entry_is_charged_to_the_ticket_with_its_hours(pool: PgPool) {
    let s = setup(&pool).await;
    cw("POST", "time/entries")
        .and(body_partial_json(json!({
            "chargeToId": 12345, "chargeToType": "ServiceTicket", "actualHours": 1.5,
            "notes": "Remote session"
        })))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&s.psa)
        .await;
    let r = s.push("time-entries", json!({"hours": 1.5, "notes": "Remote session"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        logs(&pool).await,
        vec![("time_entry_posted".into(), Some(1.5), Some("12345".into()))]
    );
}

#[sqlx::test(fixtures("ingest"))]
async fn a_status_update_patches_the_ticket(pool: PgPool) {
    let s = setup(&pool).await;
    cw("PATCH", "service/tickets/12345")
        .and(body_json(json!([{"op": "replace", "path": "status/name", "value": "Resolved"}])))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&s.psa)
        .await;
    let r = s.push("status", json!({"status": "Resolved"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(logs(&pool).await[0].0, "status_updated");
}

#[sqlx::test(fixtures("ingest"))]
async fn a_server_error_is_retried_then_reported_and_nothing_is_logged(pool: PgPool) {
    let s = setup(&pool).await;
    cw("POST", "service/tickets/12345/notes")
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"code": "Error", "message": "Database unavailable"})),
        )
        .expect(3)
        .mount(&s.psa)
        .await;
    let r = s.push("notes", json!({"text": "x"})).await;
    assert_eq!(r.status, 502, "{}", r.body);
    assert!(r.json()["message"].as_str().unwrap().contains("Database unavailable"), "{}", r.body);
    assert!(logs(&pool).await.is_empty());
}

#[sqlx::test(fixtures("ingest"))]
async fn a_refusal_is_not_retried_and_its_reason_is_shown(pool: PgPool) {
    let s = setup(&pool).await;
    cw("POST", "service/tickets/12345/notes")
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "Unauthorized", "message": "Invalid API key"})),
        )
        .expect(1)
        .mount(&s.psa)
        .await;
    let r = s.push("notes", json!({"text": "x"})).await;
    assert_eq!(r.status, 502);
    assert_eq!(
        r.json()["message"],
        "The PSA push failed: ConnectWise answered 401 Unauthorized: Invalid API key"
    );
    assert!(logs(&pool).await.is_empty());
}

#[sqlx::test(fixtures("ingest"))]
async fn a_timeout_is_a_502_and_nothing_is_logged(pool: PgPool) {
    let s = setup(&pool).await;
    cw("POST", "time/entries")
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(3)))
        .mount(&s.psa)
        .await;
    let r = s.push("time-entries", json!({"hours": 1.0})).await;
    assert_eq!(r.status, 502, "{}", r.body);
    assert!(r.body.contains("did not answer within 500 ms"), "{}", r.body);
    assert!(logs(&pool).await.is_empty());
}

#[sqlx::test(fixtures("ingest"))]
async fn a_retry_after_success_is_not_pushed_or_logged_twice(pool: PgPool) {
    let s = setup(&pool).await;
    cw("POST", "time/entries")
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&s.psa)
        .await;
    let path = format!("/api/v1/sessions/{}/psa/time-entries", s.session);
    let first = ingest(&s.app, &s.key, &path, json!({"hours": 0.5}), Some("push-7")).await;
    let retry = ingest(&s.app, &s.key, &path, json!({"hours": 0.5}), Some("push-7")).await;
    assert_eq!((first.status, retry.status), (201, 201));
    assert_eq!(first.json(), retry.json());
    assert_eq!(logs(&pool).await.len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn a_retry_after_failure_pushes_again(pool: PgPool) {
    let s = setup(&pool).await;
    cw("POST", "service/tickets/12345/notes")
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"message": "Ticket is closed"})),
        )
        .up_to_n_times(1)
        .mount(&s.psa)
        .await;
    cw("POST", "service/tickets/12345/notes")
        .respond_with(ResponseTemplate::new(201))
        .mount(&s.psa)
        .await;
    let path = format!("/api/v1/sessions/{}/psa/notes", s.session);
    assert_eq!(ingest(&s.app, &s.key, &path, json!({"text": "x"}), Some("n-1")).await.status, 502);
    assert_eq!(ingest(&s.app, &s.key, &path, json!({"text": "x"}), Some("n-1")).await.status, 201);
    assert_eq!(logs(&pool).await.len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn pushing_needs_a_ticket_a_connection_and_a_ticket_id_the_psa_knows(pool: PgPool) {
    let s = setup(&pool).await;
    let unlinked = ingest(&s.app, &s.key, "/api/v1/sessions", json!({}), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = ingest(
        &s.app,
        &s.key,
        &format!("/api/v1/sessions/{unlinked}/psa/notes"),
        json!({"text": "x"}),
        None,
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);

    ingest(
        &s.app,
        &s.key,
        &format!("/api/v1/sessions/{unlinked}/ticket"),
        json!({"psa_ticket_id": "CW-12"}),
        None,
    )
    .await;
    let r = ingest(
        &s.app,
        &s.key,
        &format!("/api/v1/sessions/{unlinked}/psa/notes"),
        json!({"text": "x"}),
        None,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);

    let b = api_key(&pool, "Account B").await;
    let theirs = ingest(&s.app, &b, "/api/v1/sessions", json!({}), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ingest(
        &s.app,
        &b,
        &format!("/api/v1/sessions/{theirs}/ticket"),
        json!({"psa_ticket_id": "9"}),
        None,
    )
    .await;
    let r = ingest(
        &s.app,
        &b,
        &format!("/api/v1/sessions/{theirs}/psa/notes"),
        json!({"text": "x"}),
        None,
    )
    .await;
    assert_eq!(r.status, 409, "no connection for account B: {}", r.body);

    for (body, needle) in [
        (json!({"hours": 0}), "from 0.01 to 24"),
        (json!({"hours": 0.009}), "from 0.01 to 24"),
        (json!({"hours": -1}), "from 0.01 to 24"),
        (json!({"hours": 30}), "from 0.01 to 24"),
    ] {
        let r = s.push("time-entries", body).await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains(needle), "{}", r.body);
    }
    assert!(s.psa.received_requests().await.unwrap().is_empty(), "nothing reached the PSA");
    assert!(logs(&pool).await.is_empty());
}

#[sqlx::test(fixtures("ingest"))]
async fn the_private_key_is_stored_encrypted(pool: PgPool) {
    let _ = setup(&pool).await;
    let (sealed,): (Vec<u8>,) = sqlx::query_as("SELECT private_key_encrypted FROM psa_connections")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!sealed.windows(8).any(|w| w == b"priv-key"));
    let secrets = AppConfig::for_tests().secrets.unwrap();
    assert_eq!(secrets.open(&sealed).as_deref(), Some("priv-key"));
}
