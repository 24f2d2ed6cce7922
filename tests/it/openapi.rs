//! The OpenAPI contract (SPEC §11): the document lists exactly the router's REST routes, its
//! schemas compile and every reference resolves, it and its reference page are served to
//! anyone, every operation answers as documented when driven for real (every response of the
//! whole suite is checked too, in `common::send`), and the check itself fails on a body that
//! breaks the contract.

use crate::{
    common::{admin_cookie, get, ingest, post, send, user, ACCOUNT_A, FLOW_1, PASSWORD},
    contract::{self, DOCUMENT},
    psa_push::setup_with,
};
use axum::{
    body::Body,
    http::{Method, Request},
};
use flowpilot_analytics::{
    routes::{self, DataSource},
    server::{config::AppConfig, openapi, router},
};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeSet;

/// The document's operations as (METHOD, path template).
fn documented() -> BTreeSet<(String, String)> {
    let mut all = BTreeSet::new();
    for (path, item) in DOCUMENT["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            all.insert((method.to_uppercase(), path.clone()));
        }
    }
    all
}

#[test]
fn the_document_lists_every_rest_route_of_the_router_and_no_other() {
    let server_fns: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    assert!(!server_fns.is_empty(), "the server functions are registered");
    let rest: BTreeSet<(String, String)> = router::inventory()
        .into_iter()
        .filter(|(_, path)| {
            (path.starts_with("/api/") && !server_fns.contains(path))
                || [routes::HEALTH, routes::READY].contains(&path.as_str())
        })
        .map(|(method, path)| (method.as_str().to_owned(), path))
        .collect();
    assert!(rest.len() >= 25, "the REST routes: {rest:?}");
    let documented = documented();
    let missing: Vec<_> = rest.difference(&documented).collect();
    assert!(missing.is_empty(), "routes the document lacks: {missing:?}");
    let extra: Vec<_> = documented.difference(&rest).collect();
    assert!(extra.is_empty(), "documented routes the router lacks: {extra:?}");
}

#[test]
fn the_document_is_openapi_3_1_and_every_reference_resolves() {
    let doc = &*DOCUMENT;
    assert_eq!(doc["openapi"], "3.1.0");
    fn refs(value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    found.insert(r.clone());
                }
                map.values().for_each(|v| refs(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    refs(doc, &mut found);
    assert!(found.len() >= 20, "{found:?}");
    for reference in &found {
        let name = reference.strip_prefix("#/components/schemas/").expect(reference);
        assert!(doc["components"]["schemas"].get(name).is_some(), "{reference} resolves");
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes[openapi::COOKIE_AUTH]["in"], "cookie");
    assert_eq!(schemes[openapi::BEARER_AUTH]["scheme"], "bearer");
    // Every operation names its auth, its errors, and a unique id.
    let mut ids = BTreeSet::new();
    for (method, path) in documented() {
        let op = &doc["paths"][&path][method.to_lowercase()];
        assert!(ids.insert(op["operationId"].as_str().unwrap().to_owned()), "{method} {path}");
        assert!(op["responses"]["default"]["content"]["application/json"].is_object());
        let public = path.starts_with("/api/v1/auth/login")
            || ["/healthz", "/readyz", routes::API_OPENAPI, routes::API_DOCS]
                .contains(&path.as_str());
        assert_eq!(op["security"].is_null(), public, "{method} {path}: its security");
    }
}

#[test]
fn the_check_fails_a_body_that_breaks_its_schema() {
    let schema = json!({ "$ref": "#/components/schemas/SessionsResponse" });
    let window = json!({"from": "2026-01-01", "to": "2026-01-30", "timezone": "UTC", "as_of": "x"});
    let good = json!({"sessions": [], "next_cursor": null, "prev_cursor": null, "total": 0,
                      "window": window});
    assert_eq!(contract::validate(&schema, &good), Vec::<String>::new());
    let mut extra = good.clone();
    extra["surprise"] = json!(1);
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("total");
    let mut wrong = good.clone();
    wrong["total"] = json!("many");
    let mut bad_row = good.clone();
    bad_row["sessions"] = json!([{"id": "not-a-uuid"}]);
    for broken in [extra, missing, wrong, bad_row] {
        assert!(!contract::validate(&schema, &broken).is_empty(), "{broken} passed");
    }
    // A flattened struct: the detail is the row and more, and nothing else.
    let detail = json!({ "$ref": "#/components/schemas/SessionDetail" });
    let row = json!({"id": uuid::Uuid::new_v4(), "started_at": "2026-01-01T09:00:00+00:00",
        "technician": null, "client": null, "domain": null, "flow": null, "status": "active",
        "tier": null, "confidence": null, "minutes_to_resolve": null, "ticket": null,
        "ticket_url": null, "psa_activity_count": 0, "resolved_at": null, "psa_activity": [],
        "pending_pushes": []});
    assert_eq!(contract::validate(&detail, &row), Vec::<String>::new());
    let mut more = row.clone();
    more["surprise"] = json!(true);
    assert!(!contract::validate(&detail, &more).is_empty());
}

#[sqlx::test]
async fn the_document_and_its_reference_are_served_to_anyone(pool: PgPool) {
    let app = crate::common::app(pool);
    let r = get(&app, routes::API_OPENAPI, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), serde_json::to_value(openapi::document()).unwrap());

    let r = get(&app, routes::API_DOCS, None).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let policy = r.header("content-security-policy").unwrap();
    assert!(policy.contains("default-src 'none'") && !policy.contains("script-src"), "{policy}");
    assert!(!r.body.contains("<script"), "no script at all");
    assert!(!r.body.contains("http://") && !r.body.contains("https://"), "nothing from elsewhere");
    for (method, path) in documented() {
        let op = &DOCUMENT["paths"][&path][method.to_lowercase()];
        let id = op["operationId"].as_str().unwrap();
        assert!(r.body.contains(&format!("id=\"{id}\"")), "{method} {path} has its section");
        assert!(r.body.contains(&format!("{path}</")), "{path} is shown");
    }
    for name in DOCUMENT["components"]["schemas"].as_object().unwrap().keys() {
        assert!(r.body.contains(&format!("id=\"schema-{name}\"")), "schema {name}");
    }
}

/// Every documented operation, driven for real to a success: each response passes the
/// contract check in `send`, and none is left undriven.
#[sqlx::test(fixtures("ingest"))]
async fn every_operation_answers_as_its_document_says(pool: PgPool) {
    let s = setup_with(&pool, AppConfig::for_tests()).await;
    let cookie = admin_cookie(&pool, ACCOUNT_A).await;
    let mut driven: BTreeSet<(String, String)> = BTreeSet::new();
    let mut drive = |method: &Method, template: &str, status: u16, body: &str| {
        assert!((200..400).contains(&status), "{method} {template} → {status}: {body}");
        driven.insert((method.as_str().to_owned(), template.to_owned()));
    };

    // Ingest: the session's life, then a push of each kind.
    let opened = ingest(
        &s.app,
        &s.key,
        routes::API_SESSIONS,
        json!({"problem_domain": "Email", "client": {"name": "Acme Dental"}}),
        Some("open-1"),
    )
    .await;
    drive(&Method::POST, routes::API_SESSIONS, opened.status, &opened.body);
    let id = opened.json()["id"].as_str().unwrap().to_owned();
    let events = [
        (
            routes::API_SESSION_MATCH,
            json!({"flow_id": FLOW_1, "confidence": 0.9, "confidence_tier": "guided"}),
        ),
        (routes::API_SESSION_TICKET, json!({"psa_ticket_id": "12345"})),
        (routes::API_SESSION_OUTCOME, json!({"status": "resolved"})),
        (routes::API_PSA_NOTES, json!({"text": "Rebuilt the profile"})),
        (routes::API_PSA_TIME_ENTRIES, json!({"hours": 0.5, "notes": "Remote session"})),
        (routes::API_PSA_STATUS, json!({"status": "Completed"})),
    ];
    for (template, body) in events {
        let path = template.replace("{id}", &id);
        let r = ingest(&s.app, &s.key, &path, body, Some(&format!("k-{template}"))).await;
        drive(&Method::POST, template, r.status, &r.body);
    }

    // The analytics, compared and filtered, as JSON and as CSV; the sessions behind them.
    let technician = user(&pool, "tech-openapi@example.com", "technician", Some(ACCOUNT_A)).await;
    let view = format!("period=90d&technician={technician}");
    for source in DataSource::ALL {
        let path = format!("{}?{view}&compare=previous", source.api_path());
        let r = get(&s.app, &path, Some(&cookie)).await;
        drive(&Method::GET, source.api_path(), r.status, &r.body);
        let r = get(&s.app, &format!("{}?period=90d", source.api_path()), Some(&cookie)).await;
        drive(&Method::GET, source.api_path(), r.status, &r.body);
        let r = get(&s.app, &format!("{}?{view}", source.csv_path()), Some(&cookie)).await;
        drive(&Method::GET, source.csv_path(), r.status, &r.body);
    }
    for template in [routes::API_FILTERS, routes::API_ANALYTICS_SESSIONS, routes::API_SESSIONS_CSV]
    {
        let r = get(&s.app, &format!("{template}?period=90d&status=resolved"), Some(&cookie)).await;
        drive(&Method::GET, template, r.status, &r.body);
    }
    let detail = routes::API_ANALYTICS_SESSION.replace("{id}", &id);
    let r = get(&s.app, &detail, Some(&cookie)).await;
    assert_eq!(r.json()["psa_activity"].as_array().map(Vec::len), Some(3), "{}", r.body);
    drive(&Method::GET, routes::API_ANALYTICS_SESSION, r.status, &r.body);

    // Sign-in as JSON and as a form; sign-out.
    user(&pool, "admin-openapi@example.com", "team_admin", Some(ACCOUNT_A)).await;
    let credentials = json!({"email": "admin-openapi@example.com", "password": PASSWORD});
    let r = post(&s.app, routes::API_LOGIN, "application/json", &credentials.to_string()).await;
    drive(&Method::POST, routes::API_LOGIN, r.status, &r.body);
    let form = format!("email=admin-openapi%40example.com&password={}", PASSWORD.replace(' ', "+"));
    let r = post(&s.app, routes::API_LOGIN, "application/x-www-form-urlencoded", &form).await;
    assert_eq!(r.status, 303);
    let signed_out = Request::post(routes::API_LOGOUT)
        .header("cookie", &cookie)
        .header("accept", "application/json")
        .body(Body::empty())
        .unwrap();
    let r = send(&s.app, signed_out).await;
    drive(&Method::POST, routes::API_LOGOUT, r.status, &r.body);

    // The service's own.
    for template in [routes::HEALTH, routes::READY, routes::API_OPENAPI, routes::API_DOCS] {
        let r = get(&s.app, template, None).await;
        drive(&Method::GET, template, r.status, &r.body);
    }

    let undriven: Vec<_> = documented().difference(&driven).cloned().collect();
    assert!(undriven.is_empty(), "operations this walk did not drive: {undriven:?}");
}
