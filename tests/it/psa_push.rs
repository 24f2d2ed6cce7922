//! PSA pushes against the stub ConnectWise (real HTTP on loopback): the requests we send, and
//! exactly one effect in the PSA and at most one log row per Idempotency-Key whatever the PSA
//! does — stall after applying, drop the connection, fail, refuse (SPEC §5, §9).

use crate::{
    common::{api_key, app_with, ingest, TestResponse},
    psa_stub::{Fault, StubPsa},
};
use flowpilot_analytics::server::{
    config::AppConfig,
    database,
    psa::{connection, delivery, ledger},
};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::time::Duration;

/// base64("acme+pub-key:priv-key")
const BASIC: &str = "Basic YWNtZStwdWIta2V5OnByaXYta2V5";
/// Longer than the tests' 500 ms timeout per PSA request.
const STALL: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Setup {
    pub app: axum::Router,
    pub key: String,
    pub session: String,
    pub psa: StubPsa,
}

impl Setup {
    /// A push for the linked session: `kind` is notes, time-entries or status.
    pub async fn push(&self, kind: &str, body: Value, key: &str) -> TestResponse {
        let path = format!("/api/v1/sessions/{}/psa/{kind}", self.session);
        ingest(&self.app, &self.key, &path, body, Some(key)).await
    }
}

/// Connects `account` to `psa` (a plain-http stub on loopback).
pub async fn connect(pool: &PgPool, account: &str, psa: &StubPsa) {
    let secrets = AppConfig::for_tests().secrets.unwrap();
    let new = connection::NewConnection {
        account_name: account.into(),
        site: psa.uri.clone(),
        company_id: "acme".into(),
        public_key: "pub-key".into(),
        private_key: "priv-key".into(),
        client_id: "client-123".into(),
        allow_insecure_http: true,
    };
    connection::save(pool, &secrets, &new).await.unwrap();
}

/// Opens a session in the key's account and links it to `ticket`; its id.
pub async fn linked_session(app: &axum::Router, key: &str, ticket: &str) -> String {
    let opened = ingest(app, key, "/api/v1/sessions", json!({}), None).await;
    let session = opened.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/sessions/{session}/ticket");
    let linked = ingest(app, key, &path, json!({ "psa_ticket_id": ticket }), None).await;
    assert_eq!(linked.status, 200, "{}", linked.body);
    session
}

/// Account A connected to a fresh stub, with one session linked to ticket 12345.
pub async fn setup_with(pool: &PgPool, config: AppConfig) -> Setup {
    let psa = StubPsa::start().await;
    connect(pool, "Account A", &psa).await;
    let key = api_key(pool, "Account A").await;
    let app = app_with(pool.clone(), config);
    let session = linked_session(&app, &key, "12345").await;
    Setup { app, key, session, psa }
}

async fn setup(pool: &PgPool) -> Setup {
    setup_with(pool, AppConfig::for_tests()).await
}

type Log = (String, Option<f64>, Option<String>, Option<uuid::Uuid>);

pub async fn logs(pool: &PgPool) -> Vec<Log> {
    sqlx::query_as(
        "SELECT activity_type, hours_logged, psa_ticket_id, push_id FROM psa_activity_logs
         ORDER BY created_at",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn push_states(pool: &PgPool) -> Vec<(String, i32)> {
    sqlx::query_as("SELECT state, sends FROM psa_pushes ORDER BY created_at")
        .fetch_all(pool)
        .await
        .unwrap()
}

fn push_id(response: &TestResponse) -> uuid::Uuid {
    response.json()["push_id"].as_str().unwrap().parse().unwrap()
}

#[sqlx::test(fixtures("ingest"))]
async fn a_note_carries_its_push_id_and_is_logged_once(pool: PgPool) {
    let s = setup(&pool).await;
    let r = s.push("notes", json!({"text": "Cleared the Outlook cache"}), "n-1").await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["activity_type"], "note_posted");
    let id = push_id(&r);
    assert_eq!(
        s.psa.notes(),
        vec![json!({
            "text": format!("Cleared the Outlook cache\n\n[FlowPilot ref {id}]"),
            "detailDescriptionFlag": true
        })]
    );
    let seen = s.psa.seen();
    assert_eq!(seen.len(), 1, "one request, no lookup: {seen:?}");
    assert_eq!(
        seen[0],
        [
            "POST".to_owned(),
            "/v4_6_release/apis/3.0/service/tickets/12345/notes".into(),
            BASIC.into(),
            "client-123".into()
        ]
    );
    assert_eq!(
        logs(&pool).await,
        vec![("note_posted".into(), None, Some("12345".into()), Some(id))]
    );
}

#[sqlx::test(fixtures("ingest"))]
async fn a_time_entry_is_charged_to_the_ticket_with_the_push_id_as_its_mobile_guid(pool: PgPool) {
    let s = setup(&pool).await;
    let r = s.push("time-entries", json!({"hours": 1.5, "notes": "Remote session"}), "t-1").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = push_id(&r);
    let entries = s.psa.entries();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry["chargeToId"], 12345);
    assert_eq!(entry["chargeToType"], "ServiceTicket");
    assert_eq!(entry["actualHours"], 1.5);
    assert_eq!(entry["notes"], "Remote session");
    assert_eq!(entry["mobileGuid"], id.to_string());
    assert_eq!(r.json()["psa_record_id"], "1", "ConnectWise's id for the entry");
    assert_eq!(
        logs(&pool).await,
        vec![("time_entry_posted".into(), Some(1.5), Some("12345".into()), Some(id))]
    );
}

#[sqlx::test(fixtures("ingest"))]
async fn a_status_update_patches_the_ticket(pool: PgPool) {
    let s = setup(&pool).await;
    let r = s.push("status", json!({"status": "Resolved"}), "s-1").await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(s.psa.statuses(), vec![("12345".to_owned(), "Resolved".to_owned())]);
    assert_eq!(logs(&pool).await[0].0, "status_updated");
}

#[sqlx::test(fixtures("ingest"))]
async fn a_push_without_an_idempotency_key_is_a_400_and_nothing_happens(pool: PgPool) {
    let s = setup(&pool).await;
    let path = format!("/api/v1/sessions/{}/psa/notes", s.session);
    let r = ingest(&s.app, &s.key, &path, json!({"text": "x"}), None).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("Idempotency-Key"), "{}", r.body);
    assert_eq!(s.psa.requests(), (0, 0));
    assert!(push_states(&pool).await.is_empty());
}

#[sqlx::test(fixtures("ingest"))]
async fn applied_then_stalled_past_the_timeout_is_found_and_confirmed_once(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.script([Fault::ApplyThenStall(STALL)]);
    let first = s.push("time-entries", json!({"hours": 0.5}), "push-7").await;
    assert_eq!(first.status, 201, "found by its mobileGuid: {}", first.body);
    let retry = s.push("time-entries", json!({"hours": 0.5}), "push-7").await;
    assert_eq!((retry.status, retry.json()), (201, first.json()), "the retry replays the answer");
    assert_eq!(s.psa.entries().len(), 1, "exactly one entry in the PSA");
    assert_eq!(s.psa.requests(), (1, 1), "one send, one lookup");
    assert_eq!(logs(&pool).await.len(), 1, "exactly one log row");
}

#[sqlx::test(fixtures("ingest"))]
async fn applied_then_connection_dropped_is_found_and_confirmed_once(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.script([Fault::ApplyThenDrop]);
    let first = s.push("notes", json!({"text": "Rebooted the VPN appliance"}), "drop-1").await;
    assert_eq!(first.status, 201, "found by its marker: {}", first.body);
    let retry = s.push("notes", json!({"text": "Rebooted the VPN appliance"}), "drop-1").await;
    assert_eq!(retry.json(), first.json());
    assert_eq!(s.psa.notes().len(), 1);
    assert_eq!(logs(&pool).await.len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn applied_then_a_server_error_is_found_not_sent_again(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.script([Fault::ApplyThenError(500)]);
    let r = s.push("time-entries", json!({"hours": 2.0}), "e-1").await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(s.psa.entries().len(), 1);
    assert_eq!(s.psa.requests(), (1, 1));
    assert_eq!(logs(&pool).await.len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn an_unconfirmed_push_is_a_502_and_the_retry_finds_it(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.script([Fault::ApplyThenStall(STALL)]);
    s.psa.stall_lookups(Some(STALL));
    let first = s.push("time-entries", json!({"hours": 1.0}), "u-1").await;
    assert_eq!(first.status, 502, "{}", first.body);
    assert_eq!(first.json()["error"], "psa_unconfirmed");
    assert!(first.header("retry-after").is_some());
    assert!(logs(&pool).await.is_empty(), "nothing logged while unconfirmed");
    assert_eq!(push_states(&pool).await, vec![("pending".to_owned(), 1)]);

    s.psa.stall_lookups(None);
    let retry = s.push("time-entries", json!({"hours": 1.0}), "u-1").await;
    assert_eq!(retry.status, 201, "{}", retry.body);
    assert_eq!(s.psa.entries().len(), 1, "found, not sent again");
    assert_eq!(s.psa.requests().0, 1);
    assert_eq!(logs(&pool).await.len(), 1);
    assert_eq!(push_states(&pool).await, vec![("confirmed".to_owned(), 1)]);
}

#[sqlx::test(fixtures("ingest"))]
async fn an_unanswered_push_that_never_arrived_is_sent_once_more_only_after_it_settled(
    pool: PgPool,
) {
    let s = setup(&pool).await;
    s.psa.script([Fault::StallWithoutApplying(STALL)]);
    let first = s.push("notes", json!({"text": "x"}), "lost-1").await;
    assert_eq!((first.status, first.json()["error"].clone()), (502, json!("psa_unconfirmed")));
    // At once: looked up, not there, but the PSA may still be applying it — not sent again.
    let early = s.push("notes", json!({"text": "x"}), "lost-1").await;
    assert_eq!(early.status, 502, "{}", early.body);
    assert_eq!(s.psa.requests(), (1, 2), "no second send before it settled");
    // Past the settle time (1 s in the tests): looked up once more, then sent once.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let late = s.push("notes", json!({"text": "x"}), "lost-1").await;
    assert_eq!(late.status, 201, "{}", late.body);
    assert_eq!(s.psa.requests(), (2, 3));
    assert_eq!(s.psa.notes().len(), 1);
    assert_eq!(logs(&pool).await.len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn server_errors_are_looked_up_and_retried_then_reported_and_nothing_is_logged(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.always(Fault::Refuse(500));
    let r = s.push("notes", json!({"text": "x"}), "f-1").await;
    assert_eq!(r.status, 502, "{}", r.body);
    assert_eq!(r.json()["error"], "psa_error");
    assert!(r.body.contains("Refused by the stub"), "the PSA's reason: {}", r.body);
    assert_eq!(s.psa.requests(), (3, 3), "three sends, each looked up after its 500");
    assert!(s.psa.notes().is_empty());
    assert!(logs(&pool).await.is_empty());
}

#[sqlx::test(fixtures("ingest"))]
async fn a_refusal_is_not_retried_and_a_retry_with_the_key_sends_again(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.script([Fault::Refuse(400)]);
    let refused = s.push("notes", json!({"text": "x"}), "r-1").await;
    assert_eq!(refused.status, 502);
    assert_eq!(
        refused.json()["message"],
        "The PSA push failed: ConnectWise answered 400 Bad Request: Refused by the stub"
    );
    assert_eq!(s.psa.requests(), (1, 0), "a refusal is final: no retry, nothing to look up");
    assert_eq!(push_states(&pool).await, vec![("failed".to_owned(), 1)]);
    let retry = s.push("notes", json!({"text": "x"}), "r-1").await;
    assert_eq!(retry.status, 201, "{}", retry.body);
    assert_eq!(s.psa.notes().len(), 1);
    assert_eq!(logs(&pool).await.len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn a_key_reused_for_another_push_is_refused(pool: PgPool) {
    let s = setup(&pool).await;
    assert_eq!(s.push("notes", json!({"text": "x"}), "k").await.status, 201);
    let other = s.push("notes", json!({"text": "y"}), "k").await;
    assert_eq!(other.status, 422, "{}", other.body);
    assert_eq!(s.psa.notes().len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn a_concurrent_duplicate_waits_its_turn_and_never_sends(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.script([Fault::ApplyThenStall(Duration::from_millis(300))]);
    let body = json!({"hours": 0.25});
    let (first, second) = tokio::join!(s.push("time-entries", body.clone(), "dup"), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        s.push("time-entries", body.clone(), "dup").await
    });
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(second.status, 502, "{}", second.body);
    assert_eq!(second.json()["error"], "psa_unconfirmed");
    let later = s.push("time-entries", body, "dup").await;
    assert_eq!(later.json(), first.json());
    assert_eq!(s.psa.entries().len(), 1);
    assert_eq!(logs(&pool).await.len(), 1);
}

#[sqlx::test(fixtures("ingest"))]
async fn at_most_four_pushes_per_account_are_in_flight(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.always(Fault::ApplyThenStall(Duration::from_millis(300)));
    let mut pushes = tokio::task::JoinSet::new();
    for i in 0..6 {
        let s = s.clone();
        pushes.spawn(async move {
            s.push("notes", json!({"text": format!("n{i}")}), &format!("c-{i}")).await
        });
    }
    let answers = pushes.join_all().await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [201, 201, 201, 201, 429, 429],
        "{:?}",
        answers.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert!(answers
        .iter()
        .filter(|r| r.status == 429)
        .all(|r| r.header("retry-after") == Some("1")));
    assert_eq!(s.psa.notes().len(), 4);
    // The slots free up when the pushes end.
    assert_eq!(s.push("notes", json!({"text": "n0"}), "c-0").await.status, 201);
}

#[sqlx::test(fixtures("ingest"))]
async fn the_sweep_resolves_a_pending_push_and_the_retry_replays_it(pool: PgPool) {
    let s = setup(&pool).await;
    s.psa.script([Fault::ApplyThenStall(STALL)]);
    s.psa.stall_lookups(Some(STALL));
    let first = s.push("notes", json!({"text": "x"}), "sw-1").await;
    assert_eq!(first.status, 502);
    s.psa.stall_lookups(None);
    let config = AppConfig::for_tests();
    let (secrets, policy) = (config.secrets.as_ref(), &config.push_policy);
    // As the server runs it: the app role, under row-level security.
    let app_pool = database::app_pool((*pool.connect_options()).clone(), &config.database);
    // Past the settle time (1 s in the tests) since the unanswered send.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(delivery::sweep(&app_pool, secrets, policy).await.unwrap(), 1);
    assert_eq!(logs(&pool).await.len(), 1);
    let retry = s.push("notes", json!({"text": "x"}), "sw-1").await;
    assert_eq!(retry.status, 201, "{}", retry.body);
    assert_eq!(push_id(&retry), logs(&pool).await[0].3.unwrap());
    assert_eq!((s.psa.notes().len(), s.psa.requests().0), (1, 1));
    assert_eq!(delivery::sweep(&app_pool, secrets, policy).await.unwrap(), 0, "nothing left");
}

#[sqlx::test(fixtures("ingest"))]
async fn idempotency_records_and_resolved_pushes_expire_after_seven_days(pool: PgPool) {
    let s = setup(&pool).await;
    for key in ["old-done", "new-done"] {
        assert_eq!(s.push("notes", json!({"text": key}), key).await.status, 201);
    }
    s.psa.script([Fault::StallWithoutApplying(STALL)]);
    assert_eq!(s.push("notes", json!({"text": "old-pending"}), "old-pending").await.status, 502);
    ingest(&s.app, &s.key, "/api/v1/sessions", json!({}), Some("open-old")).await;
    ingest(&s.app, &s.key, "/api/v1/sessions", json!({}), Some("open-new")).await;
    for table in ["psa_pushes", "idempotency_keys"] {
        let column = if table == "psa_pushes" { "idempotency_key" } else { "key" };
        sqlx::query(&format!(
            "UPDATE {table} SET created_at = now() - interval '7 days 1 minute'
             WHERE {column} LIKE 'old-%' OR {column} = 'open-old'"
        ))
        .execute(&pool)
        .await
        .unwrap();
    }
    let app_pool =
        database::app_pool((*pool.connect_options()).clone(), &AppConfig::for_tests().database);
    assert_eq!(ledger::expire(&app_pool).await.unwrap(), 2);
    let keys: Vec<(String,)> =
        sqlx::query_as("SELECT idempotency_key FROM psa_pushes ORDER BY idempotency_key")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(keys, [("new-done".into(),), ("old-pending".into(),)], "pending pushes stay");
    let records: Vec<(String,)> =
        sqlx::query_as("SELECT key FROM idempotency_keys").fetch_all(&pool).await.unwrap();
    assert_eq!(records, [("open-new".into(),)]);
    assert_eq!(logs(&pool).await.len(), 2, "the logs themselves stay");
}

#[sqlx::test(fixtures("ingest"))]
async fn pushing_needs_a_ticket_a_connection_and_a_ticket_id_the_psa_knows(pool: PgPool) {
    let s = setup(&pool).await;
    let unlinked = ingest(&s.app, &s.key, "/api/v1/sessions", json!({}), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let notes = |session: &str| format!("/api/v1/sessions/{session}/psa/notes");
    let r = ingest(&s.app, &s.key, &notes(&unlinked), json!({"text": "x"}), Some("a")).await;
    assert_eq!(r.status, 409, "{}", r.body);

    let cw12 = linked_session(&s.app, &s.key, "CW-12").await;
    let r = ingest(&s.app, &s.key, &notes(&cw12), json!({"text": "x"}), Some("b")).await;
    assert_eq!(r.status, 422, "{}", r.body);

    let b = api_key(&pool, "Account B").await;
    let theirs = linked_session(&s.app, &b, "9").await;
    let r = ingest(&s.app, &b, &notes(&theirs), json!({"text": "x"}), Some("c")).await;
    assert_eq!(r.status, 409, "no connection for account B: {}", r.body);
    let r = ingest(&s.app, &s.key, &notes(&theirs), json!({"text": "x"}), Some("d")).await;
    assert_eq!(r.status, 404, "another account's session: {}", r.body);

    for (body, needle) in [
        (json!({"hours": 0}), "from 0.01 to 24"),
        (json!({"hours": 0.009}), "from 0.01 to 24"),
        (json!({"hours": -1}), "from 0.01 to 24"),
        (json!({"hours": 30}), "from 0.01 to 24"),
        (json!({"hours": 1, "notes": "a\u{0}b"}), "control character"),
    ] {
        let r = s.push("time-entries", body, "e").await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains(needle), "{}", r.body);
    }
    assert_eq!(s.psa.requests(), (0, 0), "nothing reached the PSA");
    assert!(push_states(&pool).await.is_empty(), "nothing recorded");
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
