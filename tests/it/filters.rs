//! The technician and client filters (SPEC §7) over HTTP, on a small account built here and
//! counted by hand: every data source filtered by each filter alone and by both, the previous
//! window filtered alike, PSA time entries through their session, the pickers' choices, and
//! the errors (malformed → 422, another account's id → 404).

use crate::common::{admin_cookie, app_with, count, get, get_json, user, ACCOUNT_A, ACCOUNT_B};
use flowpilot_analytics::server::config::AppConfig;
use serde_json::Value;
use sqlx::PgPool;
use uuid::{uuid, Uuid};

const ACME: Uuid = uuid!("aaaaaaaa-0000-0000-0000-0000000000c1");
const BOLT: Uuid = uuid!("aaaaaaaa-0000-0000-0000-0000000000c2");
const B_CLIENT: Uuid = uuid!("bbbbbbbb-0000-0000-0000-0000000000c1");

const OVERVIEW: &str = "/api/v1/analytics/flowpilot";
const COVERAGE: &str = "/api/v1/analytics/flowpilot/coverage";
const FLOWS: &str = "/api/v1/analytics/flowpilot/flow-quality";
const PSA: &str = "/api/v1/analytics/flowpilot/psa-metrics";
const FILTERS: &str = "/api/v1/analytics/flowpilot/filters";

struct Fixture {
    admin: String,
    t1: Uuid,
    t2: Uuid,
    b_tech: Uuid,
}

/// Account A (UTC): technicians t1 and t2, clients Acme and Bolt. In the last 7 days:
///
/// | session | technician | client | domain   | status    | time entries |
/// |---------|------------|--------|----------|-----------|--------------|
/// | s1      | t1         | Acme   | VPN      | escalated | 1.5 h        |
/// | s2      | t1         | Acme   | VPN      | resolved  | 0.5 h        |
/// | s3      | t1         | Bolt   | Email    | resolved  |              |
/// | s4      | t2         | Acme   | VPN      | escalated | 2.0 h        |
/// | s5      | t2         | —      | Email    | active    |              |
/// | s6      | —          | Bolt   | Printing | resolved  | 1.0 h        |
///
/// and 8–14 days ago (the previous 7 days) s7 and s8: t1, Acme, VPN, escalated, 0.25 h each.
async fn fixture(pool: &PgPool) -> Fixture {
    sqlx::raw_sql(&format!(
        "INSERT INTO accounts (id, name, timezone) VALUES ('{ACCOUNT_A}', 'A', 'UTC'),
                                                         ('{ACCOUNT_B}', 'B', 'UTC');
         INSERT INTO clients (account_id, id, name) VALUES ('{ACCOUNT_A}', '{ACME}', 'Acme Dental'),
                                                           ('{ACCOUNT_A}', '{BOLT}', 'Bolt Legal'),
                                                           ('{ACCOUNT_B}', '{B_CLIENT}', 'Other');"
    ))
    .execute(pool)
    .await
    .unwrap();
    let t1 = user(pool, "t1@a.example", "technician", Some(ACCOUNT_A)).await;
    let t2 = user(pool, "t2@a.example", "technician", Some(ACCOUNT_A)).await;
    let b_tech = user(pool, "t@b.example", "technician", Some(ACCOUNT_B)).await;
    let admin = admin_cookie(pool, ACCOUNT_A).await;
    sqlx::raw_sql(&format!(
        "CREATE TEMP TABLE f (n int, u uuid, c uuid, d text, st text, ago interval, hours float8);
         INSERT INTO f VALUES
           (1, '{t1}', '{ACME}', 'VPN', 'escalated', '1 day', 1.5),
           (2, '{t1}', '{ACME}', 'VPN', 'resolved', '2 days', 0.5),
           (3, '{t1}', '{BOLT}', 'Email', 'resolved', '2 days', NULL),
           (4, '{t2}', '{ACME}', 'VPN', 'escalated', '3 days', 2.0),
           (5, '{t2}', NULL, 'Email', 'active', '1 day', NULL),
           (6, NULL, '{BOLT}', 'Printing', 'resolved', '4 days', 1.0),
           (7, '{t1}', '{ACME}', 'VPN', 'escalated', '10 days', 0.25),
           (8, '{t1}', '{ACME}', 'VPN', 'escalated', '11 days', 0.25);
         INSERT INTO ai_sessions (account_id, id, user_id, client_id, problem_domain, status,
                                  created_at, resolved_at)
         SELECT '{ACCOUNT_A}', ('00000000-0000-0000-0000-00000000000' || n)::uuid, u, c, d, st,
                now() - ago,
                CASE WHEN st <> 'active' THEN now() - ago + interval '30 minutes' END
         FROM f;
         INSERT INTO psa_activity_logs (account_id, session_id, activity_type, hours_logged,
                                        created_at)
         SELECT '{ACCOUNT_A}', ('00000000-0000-0000-0000-00000000000' || n)::uuid,
                'time_entry_posted', hours, now() - ago + interval '1 hour'
         FROM f WHERE hours IS NOT NULL;
         -- Account B's session of the same days: never counted for A.
         INSERT INTO ai_sessions (account_id, user_id, client_id, problem_domain, status)
         VALUES ('{ACCOUNT_B}', '{b_tech}', '{B_CLIENT}', 'VPN', 'escalated');"
    ))
    .execute(pool)
    .await
    .unwrap();
    Fixture { admin, t1, t2, b_tech }
}

fn app(pool: PgPool) -> axum::Router {
    app_with(pool, AppConfig { rate_limit_per_minute: 1000, ..AppConfig::for_tests() })
}

#[sqlx::test]
async fn each_filter_alone_and_both_restrict_every_source_to_their_sessions(pool: PgPool) {
    let f = fixture(&pool).await;
    let app = app(pool);
    let (t1, t2) = (f.t1, f.t2);
    // (query, sessions, resolved, escalated, time entries, hours)
    let cases: [(String, i64, i64, i64, i64, f64); 6] = [
        (String::new(), 6, 3, 2, 4, 5.0),
        (format!("&technician={t1}"), 3, 2, 1, 2, 2.0),
        (format!("&technician={t2}"), 2, 0, 1, 1, 2.0),
        (format!("&client={ACME}"), 3, 1, 2, 3, 4.0),
        (format!("&technician={t1}&client={ACME}"), 2, 1, 1, 2, 2.0),
        (format!("&technician={t2}&client={BOLT}"), 0, 0, 0, 0, 0.0),
    ];
    for (filter, sessions, resolved, escalated, entries, hours) in cases {
        let o = get_json(&app, &f.admin, &format!("{OVERVIEW}?period=7d{filter}")).await;
        let counts = (
            count(&o["total_sessions"]),
            count(&o["resolved_sessions"]),
            count(&o["escalated_sessions"]),
        );
        assert_eq!(counts, (sessions, resolved, escalated), "overview {filter}");
        let days: i64 =
            o["daily_trend"].as_array().unwrap().iter().map(|d| count(&d["sessions"])).sum();
        assert_eq!(days, sessions, "daily trend {filter}");

        let c = get_json(&app, &f.admin, &format!("{COVERAGE}?period=7d{filter}")).await;
        let cells: i64 =
            c["domains"].as_array().unwrap().iter().map(|d| count(&d["session_count"])).sum();
        assert_eq!(cells, sessions, "coverage {filter}: {c}");

        let p = get_json(&app, &f.admin, &format!("{PSA}?period=7d{filter}")).await;
        assert_eq!(count(&p["total_time_entries"]), entries, "psa entries {filter}");
        assert_eq!(p["total_hours_logged"].as_f64().unwrap(), hours, "psa hours {filter}");
        assert_eq!(count(&p["push_funnel"]["total_sessions"]), sessions, "psa funnel {filter}");

        let q = get_json(&app, &f.admin, &format!("{FLOWS}?period=7d{filter}")).await;
        assert!(q["flows"].is_array(), "flow quality {filter}: {q}");
    }
    // Client Bolt's domains: Email (s3) and Printing (s6), nothing else.
    let c = get_json(&app, &f.admin, &format!("{COVERAGE}?period=7d&client={BOLT}")).await;
    let mut domains: Vec<(String, i64)> = c["domains"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| count(&d["session_count"]) > 0)
        .map(|d| (d["domain"].as_str().unwrap_or("").to_owned(), count(&d["session_count"])))
        .collect();
    domains.sort();
    assert_eq!(domains, [("Email".to_owned(), 1), ("Printing".to_owned(), 1)]);
}

#[sqlx::test]
async fn the_previous_window_is_filtered_alike(pool: PgPool) {
    let f = fixture(&pool).await;
    let app = app(pool);
    let t1 = f.t1;
    let o = get_json(
        &app,
        &f.admin,
        &format!("{OVERVIEW}?period=7d&compare=previous&technician={t1}&client={ACME}"),
    )
    .await;
    // Now s1, s2 (one escalated of two); before, s7 and s8 (both escalated).
    assert_eq!(count(&o["total_sessions"]), 2);
    assert_eq!(o["escalation_rate"].as_f64().unwrap(), 0.5);
    assert_eq!(count(&o["previous"]["total_sessions"]), 2);
    assert_eq!(o["previous"]["escalation_rate"].as_f64().unwrap(), 1.0);
    let p =
        get_json(&app, &f.admin, &format!("{PSA}?period=7d&compare=previous&client={ACME}")).await;
    assert_eq!(p["previous"]["total_hours_logged"].as_f64().unwrap(), 0.5);
    // Unfiltered the previous window has the same two sessions (nobody else worked then).
    let all = get_json(
        &app,
        &f.admin,
        &format!("{OVERVIEW}?period=7d&compare=previous&technician={}", f.t2),
    )
    .await;
    assert_eq!(count(&all["previous"]["total_sessions"]), 0);
}

#[sqlx::test]
async fn malformed_filters_are_422_and_unknown_or_foreign_ids_are_404(pool: PgPool) {
    let f = fixture(&pool).await;
    let app = app(pool);
    for source in [OVERVIEW, COVERAGE, FLOWS, PSA] {
        for (query, status, says) in [
            ("technician=alice".to_owned(), 422, "`technician` must be a user id"),
            ("client=1".to_owned(), 422, "`client` must be a client id"),
            (format!("technician={}", f.b_tech), 404, "No such technician"),
            (format!("client={B_CLIENT}"), 404, "No such client"),
            (format!("technician={}", Uuid::new_v4()), 404, "No such technician"),
            (format!("technician={}&client={B_CLIENT}", f.t1), 404, "No such client"),
        ] {
            let r = get(&app, &format!("{source}?period=7d&{query}"), Some(&f.admin)).await;
            assert_eq!(r.status, status, "{source}?{query}: {}", r.body);
            assert!(r.body.contains(says), "{source}?{query}: {}", r.body);
            assert!(r.json()["message"].as_str().is_some(), "{}", r.body);
        }
    }
}

#[sqlx::test]
async fn the_pickers_list_the_accounts_technicians_and_clients_busiest_first(pool: PgPool) {
    let f = fixture(&pool).await;
    let app = app(pool);
    let body = get_json(&app, &f.admin, &format!("{FILTERS}?period=7d")).await;
    let options = |key: &str| -> Vec<(String, i64)> {
        body[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["name"].as_str().unwrap().to_owned(), count(&o["sessions"])))
            .collect()
    };
    // The admin (no sessions, not a technician) is no choice; B's technician and client neither.
    assert_eq!(
        options("technicians"),
        [("t1@a.example".to_owned(), 3), ("t2@a.example".to_owned(), 2)]
    );
    assert_eq!(options("clients"), [("Acme Dental".to_owned(), 3), ("Bolt Legal".to_owned(), 2)]);
    assert_eq!(body["technicians"][0]["id"], f.t1.to_string());
    assert_eq!(body["clients"][1]["id"], BOLT.to_string());
    assert_eq!(body["window"]["timezone"], "UTC");
    // The previous week: only t1 and Acme worked; everyone is still a choice.
    let before = chrono::Utc::now().date_naive() - chrono::Duration::days(11);
    let body = get_json(&app, &f.admin, &format!("{FILTERS}?from={before}&to={before}")).await;
    assert_eq!(body["technicians"][0]["sessions"], 1);
    assert_eq!(body["technicians"][1]["sessions"], 0);
    assert_eq!(body["clients"][0]["name"], "Acme Dental");
    assert_eq!(body["clients"][1]["sessions"], 0);
    let bad = get(&app, &format!("{FILTERS}?period=1y"), Some(&f.admin)).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(get(&app, FILTERS, None).await.status, 401);
}

#[sqlx::test]
async fn the_page_shows_a_removable_chip_per_filter_and_keeps_filters_in_its_links(pool: PgPool) {
    let f = fixture(&pool).await;
    let app = app(pool);
    let t1 = f.t1;
    let page =
        get(&app, &format!("/analytics?period=7d&technician={t1}&client={ACME}"), Some(&f.admin))
            .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = &page.body;
    assert!(html.contains("t1@a.example"), "technician chip");
    assert!(html.contains("Acme Dental"), "client chip");
    // Removing the technician keeps the client and the period, and the other way round.
    assert!(html.contains(&format!(r#"href="/analytics?period=7d&amp;client={ACME}""#)), "{html}");
    assert!(
        html.contains(&format!(r#"href="/analytics?period=7d&amp;technician={t1}""#)),
        "{html}"
    );
    // The tabs keep both filters.
    assert!(
        html.contains(&format!("/analytics/psa?period=7d&amp;technician={t1}&amp;client={ACME}")),
        "{html}"
    );
    // The pickers show the filters chosen.
    assert!(html.contains(&format!(r#"<option value="{t1}" selected"#)), "{html}");
    // The numbers are the filtered ones: s1 and s2.
    assert_eq!(crate::pages::metric(html, "Sessions"), "2");
    assert_eq!(crate::pages::metric(html, "Escalation rate"), "50.0%");
    // A foreign client on the page: 404 with the message.
    let foreign = get(&app, &format!("/analytics?client={B_CLIENT}"), Some(&f.admin)).await;
    assert_eq!(foreign.status, 404);
    assert!(foreign.body.contains("No such client"), "{}", foreign.body);
}

/// (name, sessions, resolution rate, escalation rate, avg resolution minutes, hours)
type Breakdown = (String, i64, f64, f64, Option<f64>, f64);

fn breakdown(body: &Value, key: &str) -> Vec<Breakdown> {
    body[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {body}"))
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                count(&r["sessions"]),
                r["resolution_rate"].as_f64().unwrap(),
                r["escalation_rate"].as_f64().unwrap(),
                r["avg_resolution_minutes"].as_f64(),
                r["hours_logged"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn row(
    name: &str,
    sessions: i64,
    res: f64,
    esc: f64,
    minutes: Option<f64>,
    hours: f64,
) -> Breakdown {
    (name.to_owned(), sessions, res, esc, minutes, hours)
}

#[sqlx::test]
async fn the_overview_breaks_the_window_down_by_technician_and_by_client(pool: PgPool) {
    let f = fixture(&pool).await;
    let app = app(pool);
    let o = get_json(&app, &f.admin, &format!("{OVERVIEW}?period=7d")).await;
    // t1: s1 (escalated), s2 and s3 (resolved, 30 min each), 1.5 + 0.5 h; t2: s4 (escalated),
    // s5 (active), 2.0 h. s6 has no technician.
    assert_eq!(
        breakdown(&o, "by_technician"),
        [
            row("t1@a.example", 3, 0.667, 0.333, Some(30.0), 2.0),
            row("t2@a.example", 2, 0.0, 0.5, None, 2.0),
        ]
    );
    // Acme: s1, s2, s4 (1.5 + 0.5 + 2.0 h); Bolt: s3, s6 (1.0 h). s5 has no client.
    assert_eq!(
        breakdown(&o, "by_client"),
        [
            row("Acme Dental", 3, 0.333, 0.667, Some(30.0), 4.0),
            row("Bolt Legal", 2, 1.0, 0.0, Some(30.0), 1.0),
        ]
    );
    assert_eq!(o["by_technician"][0]["id"], f.t1.to_string());
    assert_eq!(o["by_client"][1]["id"], BOLT.to_string());

    // Filtered by Acme, the technicians' rows are their Acme sessions.
    let acme = get_json(&app, &f.admin, &format!("{OVERVIEW}?period=7d&client={ACME}")).await;
    assert_eq!(
        breakdown(&acme, "by_technician"),
        [
            row("t1@a.example", 2, 0.5, 0.5, Some(30.0), 2.0),
            row("t2@a.example", 1, 0.0, 1.0, None, 2.0),
        ]
    );
    assert_eq!(
        breakdown(&acme, "by_client"),
        [row("Acme Dental", 3, 0.333, 0.667, Some(30.0), 4.0)]
    );

    // On the page each row applies its filter, keeping the window and the other filter.
    let page = get(&app, &format!("/analytics?period=7d&client={ACME}"), Some(&f.admin)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let t1 = f.t1;
    assert!(
        page.body.contains(&format!(
            r#"href="/analytics?technician={t1}&amp;period=7d&amp;client={ACME}""#
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"aria-label="By technician""#), "{}", page.body);
}
