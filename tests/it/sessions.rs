//! The sessions behind a number (SPEC §8) over HTTP: every number of the four tabs leads to as
//! many sessions as it counts (on the demo data, unfiltered and filtered), pages visit every
//! session once while new ones arrive, one session with its PSA activity, another account's
//! session is not found, and bad parameters are 422.

use crate::common::{
    admin_cookie, app_with, cookie_for, count, get, get_json, user, ACCOUNT_A, ACCOUNT_B,
};
use flowpilot_analytics::server::{config::AppConfig, seed};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::HashSet;
use uuid::Uuid;

const SESSIONS: &str = "/api/v1/analytics/flowpilot/sessions";

fn app(pool: PgPool) -> axum::Router {
    app_with(pool, AppConfig { rate_limit_per_minute: 100_000, ..AppConfig::for_tests() })
}

fn encode(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)]).unwrap()[2..].to_owned()
}

/// The list's total for a view and drill (`query` without the leading `?`).
async fn total(app: &axum::Router, cookie: &str, query: &str) -> i64 {
    count(&get_json(app, cookie, &format!("{SESSIONS}?{query}&limit=1")).await["total"])
}

/// Northwind's admin and a window of 30 past whole days (it does not move while the test runs).
async fn demo(pool: &PgPool) -> (String, String) {
    seed::seed_demo(pool, 42).await.unwrap();
    let (admin, today): (Uuid, chrono::NaiveDate) = sqlx::query_as(
        "SELECT u.id, (now() AT TIME ZONE a.timezone)::date FROM users u
         JOIN accounts a ON a.id = u.account_id WHERE u.email = 'admin@northwind.example'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let window = format!(
        "from={}&to={}",
        today - chrono::Duration::days(30),
        today - chrono::Duration::days(1)
    );
    (cookie_for(pool, admin).await, window)
}

/// A rate over `count` sessions, back to the number of sessions it was computed from.
fn part(rate: &Value, count: i64) -> i64 {
    (rate.as_f64().unwrap() * count as f64).round() as i64
}

#[sqlx::test]
async fn every_number_on_the_tabs_leads_to_as_many_sessions(pool: PgPool) {
    let (admin, window) = demo(&pool).await;
    let client: Uuid = sqlx::query_scalar(
        "SELECT c.id FROM clients c JOIN accounts a ON a.id = c.account_id
         WHERE a.name = 'Northwind MSP' ORDER BY c.name LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let app = app(pool);
    for view in [window.clone(), format!("{window}&client={client}")] {
        let tab = |path: &str| format!("/api/v1/analytics/flowpilot{path}?{view}");
        let overview = get_json(&app, &admin, &tab("")).await;
        let all = count(&overview["total_sessions"]);
        assert!(all > 100, "{view}: the demo has sessions in the window");
        assert_eq!(total(&app, &admin, &view).await, all, "{view}");
        for status in ["resolved", "escalated"] {
            let on_tab = count(&overview[format!("{status}_sessions")]);
            assert_eq!(total(&app, &admin, &format!("{view}&status={status}")).await, on_tab);
        }
        for day in overview["daily_trend"].as_array().unwrap() {
            let query = format!("{view}&day={}", day["date"].as_str().unwrap());
            assert_eq!(total(&app, &admin, &query).await, count(&day["sessions"]), "{query}");
            let escalated = total(&app, &admin, &format!("{query}&status=escalated")).await;
            assert_eq!(escalated, count(&day["escalated"]), "{query}");
        }
        for domain in overview["top_domains"].as_array().unwrap() {
            let query = format!("{view}&domain={}", encode(domain["domain"].as_str().unwrap()));
            assert_eq!(
                total(&app, &admin, &query).await,
                count(&domain["session_count"]),
                "{query}"
            );
        }

        // Coverage: each cell — a domain's sessions, and those resolved, escalated, guided.
        let coverage = get_json(&app, &admin, &tab("/coverage")).await;
        let mut mapped = 0;
        for row in coverage["domains"].as_array().unwrap() {
            let count = count(&row["session_count"]);
            mapped += count;
            let query = format!("{view}&domain={}", encode(row["domain"].as_str().unwrap()));
            assert_eq!(total(&app, &admin, &query).await, count, "{query}");
            for (column, drill) in [
                ("resolution_rate", "status=resolved"),
                ("escalation_rate", "status=escalated"),
                ("guided_rate", "tier=guided"),
            ] {
                let listed = total(&app, &admin, &format!("{query}&{drill}")).await;
                assert_eq!(listed, part(&row[column], count), "{query}&{drill}");
            }
        }
        let unmapped = total(&app, &admin, &format!("{view}&unmapped=true")).await;
        assert_eq!(unmapped, count(&coverage["unmapped_session_count"]), "{view}");
        assert_eq!(mapped + unmapped, all, "{view}: every session is in one cell");

        // Flow quality: each flow's usage.
        let flows = get_json(&app, &admin, &tab("/flow-quality")).await;
        let flows = flows["flows"].as_array().unwrap();
        assert!(flows.iter().any(|f| count(&f["usage_count"]) > 0), "{view}");
        for flow in flows {
            let query = format!("{view}&flow={}", flow["flow_id"].as_str().unwrap());
            assert_eq!(total(&app, &admin, &query).await, count(&flow["usage_count"]), "{query}");
        }

        // PSA: each funnel step.
        let psa = get_json(&app, &admin, &tab("/psa-metrics")).await;
        for (field, step) in [
            ("linked_to_ticket", "linked"),
            ("doc_pushed", "note_pushed"),
            ("time_entry_logged", "time_entry"),
        ] {
            let on_tab = count(&psa["push_funnel"][field]);
            assert!(on_tab > 0, "{view}: {field}");
            assert_eq!(total(&app, &admin, &format!("{view}&step={step}")).await, on_tab, "{step}");
        }
    }
}

#[sqlx::test]
async fn every_listed_session_is_one_the_drill_asked_for(pool: PgPool) {
    let (admin, window) = demo(&pool).await;
    let app = app(pool.clone());
    let page =
        get_json(&app, &admin, &format!("{SESSIONS}?{window}&status=escalated&limit=200")).await;
    let rows = page["sessions"].as_array().unwrap();
    assert_eq!(rows.len(), 200, "a full page");
    assert!(page["next_cursor"].is_string());
    let started: Vec<&str> = rows.iter().map(|r| r["started_at"].as_str().unwrap()).collect();
    for (row, at) in rows.iter().zip(&started) {
        assert_eq!(row["status"], "escalated");
        // On New York's wall clock: -05:00 or -04:00.
        assert!(at.ends_with("-05:00") || at.ends_with("-04:00"), "{at}");
    }
    let instants: Vec<chrono::DateTime<chrono::Utc>> = started
        .iter()
        .map(|at| chrono::DateTime::parse_from_rfc3339(at).unwrap().to_utc())
        .collect();
    assert!(instants.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let linked =
        get_json(&app, &admin, &format!("{SESSIONS}?{window}&step=time_entry&limit=50")).await;
    for row in linked["sessions"].as_array().unwrap() {
        assert!(row["ticket"].is_string() && count(&row["psa_activity_count"]) > 0, "{row}");
    }

    // Every total — summed from the rollups or counted — is the number of rows the pages list.
    let overview = get_json(&app, &admin, &format!("/api/v1/analytics/flowpilot?{window}")).await;
    let flows =
        get_json(&app, &admin, &format!("/api/v1/analytics/flowpilot/flow-quality?{window}")).await;
    let domain = encode(overview["top_domains"][0]["domain"].as_str().unwrap());
    let flow = flows["flows"][0]["flow_id"].as_str().unwrap().to_owned();
    // Days taken from sessions the lists hold, so each drill has rows whatever the demo's dice
    // rolled: `started_at` is on the account's wall clock, so its date is the account-local day.
    let day = started[started.len() / 2][..10].to_owned();
    let of_flow = get_json(&app, &admin, &format!("{SESSIONS}?{window}&flow={flow}&limit=1")).await;
    let flow_day = of_flow["sessions"][0]["started_at"].as_str().unwrap()[..10].to_owned();
    for drill in [
        format!("domain={domain}&tier=guided"),
        format!("day={day}&status=escalated"),
        format!("flow={flow}"),
        format!("flow={flow}&status=resolved"),
        "step=note_pushed".to_owned(),
        "status=resolved&tier=guided".to_owned(),
        format!("tier=assisted&domain={domain}"),
        format!("flow={flow}&day={flow_day}"),
        "status=abandoned".to_owned(),
        format!("tier=exploratory&day={day}"),
        format!("day={day}"),
    ] {
        let listed =
            assert_total_is_what_the_pages_list(&app, &admin, &format!("{window}&{drill}")).await;
        assert!(listed > 0, "{drill}: the demo has such sessions");
    }
    // Active sessions (the demo's are a few hours old): the rollups' sessions less those that
    // ended, over a window to now.
    let active = assert_total_is_what_the_pages_list(&app, &admin, "period=7d&status=active").await;
    let still_open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ai_sessions s JOIN accounts a ON a.id = s.account_id
             WHERE a.name = 'Northwind MSP' AND s.status = 'active'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(active, still_open);

    // A day outside the window lists nothing (the window narrowed to the day is empty).
    let before = overview["window"]["from"].as_str().unwrap().parse::<chrono::NaiveDate>();
    let outside = before.unwrap() - chrono::Duration::days(3);
    let page = get_json(&app, &admin, &format!("{SESSIONS}?{window}&day={outside}")).await;
    assert_eq!(page["sessions"].as_array().unwrap().len(), 0, "{page}");
    assert_eq!(count(&page["total"]), 0);
}

/// Walks every page of the list at `query` (a window and a drill); asserts its total is the
/// number of rows listed and returns it.
async fn assert_total_is_what_the_pages_list(app: &axum::Router, admin: &str, query: &str) -> i64 {
    let mut listed = 0;
    let mut after = String::new();
    loop {
        let page = get_json(app, admin, &format!("{SESSIONS}?{query}&limit=200{after}")).await;
        listed += page["sessions"].as_array().unwrap().len() as i64;
        match page["next_cursor"].as_str() {
            Some(next) => after = format!("&cursor={next}"),
            None => {
                assert_eq!(count(&page["total"]), listed, "{query}");
                return listed;
            }
        }
    }
}

/// Account A (UTC) with 23 sessions: 5 share one instant (the id breaks the tie), the rest a
/// minute apart; returns their ids.
async fn paging_fixture(pool: &PgPool) -> Vec<Uuid> {
    sqlx::raw_sql(&format!(
        "INSERT INTO accounts (id, name, timezone) VALUES ('{ACCOUNT_A}', 'A', 'UTC'),
                                                         ('{ACCOUNT_B}', 'B', 'UTC');
         INSERT INTO ai_sessions (account_id, problem_domain, status, created_at)
         SELECT '{ACCOUNT_A}', 'VPN', 'active',
                date_trunc('minute', now()) - interval '1 hour'
                  - CASE WHEN n <= 5 THEN interval '0' ELSE n * interval '1 minute' END
         FROM generate_series(1, 23) n;"
    ))
    .execute(pool)
    .await
    .unwrap();
    sqlx::query_scalar("SELECT id FROM ai_sessions WHERE account_id = $1")
        .bind(ACCOUNT_A)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn pages_visit_every_session_once_while_new_ones_arrive(pool: PgPool) {
    let ids = paging_fixture(&pool).await;
    let admin = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool.clone());
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = get_json(&app, &admin, &format!("{SESSIONS}?period=7d&limit=4{after}")).await;
        pages += 1;
        assert_eq!(count(&page["total"]), 23 + pages - 1, "the total counts what is there now");
        seen.extend(page["sessions"].as_array().unwrap().iter().map(|s| s["id"].clone()));
        // A session arrives between page loads: newer than every page, it never shifts one.
        sqlx::query("INSERT INTO ai_sessions (account_id, status) VALUES ($1, 'active')")
            .bind(ACCOUNT_A)
            .execute(&pool)
            .await
            .unwrap();
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 10, "the pages end");
    }
    assert_eq!(pages, 6, "23 sessions, 4 a page");
    let seen: Vec<Uuid> = seen.iter().map(|v| v.as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(seen.len(), 23, "no session twice: {seen:?}");
    assert_eq!(seen.iter().collect::<HashSet<_>>(), ids.iter().collect::<HashSet<_>>());

    // And back, "Newer" from the last page: every session once, the six that arrived included.
    let last =
        get_json(&app, &admin, &format!("{SESSIONS}?period=7d&limit=4&cursor={}", cursor.unwrap()))
            .await;
    assert!(last["next_cursor"].is_null(), "the last page has no older one");
    let mut back: Vec<Value> = last["sessions"].as_array().unwrap().clone();
    let mut before = last["prev_cursor"].as_str().map(str::to_owned);
    while let Some(at) = before {
        let page =
            get_json(&app, &admin, &format!("{SESSIONS}?period=7d&limit=4&before={at}")).await;
        assert!(page["next_cursor"].is_string(), "a newer page has an older one");
        let mut rows = page["sessions"].as_array().unwrap().clone();
        rows.extend(back);
        back = rows;
        before = page["prev_cursor"].as_str().map(str::to_owned);
    }
    let newest = get_json(&app, &admin, &format!("{SESSIONS}?period=7d&limit=200")).await;
    assert_eq!(&back, newest["sessions"].as_array().unwrap(), "pages back, in order, are the list");
    assert_eq!(back.len(), 29);
    // Cursors beyond the window's ends (from a wider window, say) list what the ends would:
    // all of it older than a cursor in year 9999, all of it newer than one in 1970.
    let far = |micros: i64, id: &str| format!("{micros}_{id}");
    let future = far(253_402_300_799_000_000, "ffffffff-ffff-ffff-ffff-ffffffffffff");
    let page =
        get_json(&app, &admin, &format!("{SESSIONS}?period=7d&limit=200&cursor={future}")).await;
    assert_eq!(page["sessions"], newest["sessions"], "older than year 9999: the whole list");
    let past = far(0, "00000000-0000-0000-0000-000000000000");
    let page =
        get_json(&app, &admin, &format!("{SESSIONS}?period=7d&limit=200&before={past}")).await;
    assert_eq!(page["sessions"], newest["sessions"], "newer than 1970: the whole list");
    let r = get(
        &app,
        &format!("{SESSIONS}?cursor={}&before={}", seen_cursor(&back[3]), seen_cursor(&back[5])),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
}

/// A cursor at a listed session (what a page gives out for its last row).
fn seen_cursor(row: &Value) -> String {
    let at = chrono::DateTime::parse_from_rfc3339(row["started_at"].as_str().unwrap()).unwrap();
    format!("{}_{}", at.timestamp_micros(), row["id"].as_str().unwrap())
}

#[sqlx::test]
async fn a_session_shows_its_psa_activity_and_another_accounts_is_not_found(pool: PgPool) {
    paging_fixture(&pool).await;
    let technician = user(&pool, "t1@a.example", "technician", Some(ACCOUNT_A)).await;
    let (session, other): (Uuid, Uuid) = sqlx::query_as(
        "WITH a AS (INSERT INTO ai_sessions (account_id, user_id, problem_domain, status, psa_ticket_id,
                                             created_at, resolved_at)
                    VALUES ($1, $3, 'Email', 'resolved', '4711', now() - interval '2 hours',
                            now() - interval '95 minutes') RETURNING id),
              b AS (INSERT INTO ai_sessions (account_id, status) VALUES ($2, 'active') RETURNING id)
         SELECT a.id, b.id FROM a, b",
    )
    .bind(ACCOUNT_A)
    .bind(ACCOUNT_B)
    .bind(technician)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO psa_connections (account_id, site_url, company_id, public_key,
                                      private_key_encrypted, client_id)
         VALUES ($1, 'https://cw.example.com/', 'acme', 'pub', '\\x00', 'client');
         ",
    )
    .bind(ACCOUNT_A)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO psa_activity_logs (account_id, session_id, activity_type, hours_logged,
                                        psa_ticket_id, created_at)
         VALUES ($1, $2, 'note_posted', NULL, '4711', now() - interval '90 minutes'),
                ($1, $2, 'time_entry_posted', 0.75, '4711', now() - interval '80 minutes')",
    )
    .bind(ACCOUNT_A)
    .bind(session)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO psa_pushes (account_id, idempotency_key, request_hash, session_id, kind,
                                 psa_ticket_id, payload, state, sends, last_error)
         VALUES ($1, 'k1', '\\x01', $2, 'time_entry', '4711', '{}', 'failed', 2, 'PSA said 400')",
    )
    .bind(ACCOUNT_A)
    .bind(session)
    .execute(&pool)
    .await
    .unwrap();
    let admin = admin_cookie(&pool, ACCOUNT_A).await;
    let b_admin = admin_cookie(&pool, ACCOUNT_B).await;
    let app = app(pool);

    let one = get_json(&app, &admin, &format!("{SESSIONS}/{session}")).await;
    assert_eq!(one["id"], session.to_string());
    assert_eq!(one["technician"]["name"], "t1@a.example");
    assert_eq!(
        (one["status"].as_str(), one["minutes_to_resolve"].as_f64()),
        (Some("resolved"), Some(25.0))
    );
    assert_eq!(one["ticket"], "4711");
    assert_eq!(
        one["ticket_url"],
        "https://cw.example.com/v4_6_release/services/system_io/Service/fv_sr100_request.rsp?service_recid=4711"
    );
    assert_eq!(count(&one["psa_activity_count"]), 2);
    let kinds: Vec<&str> = one["psa_activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["note_posted", "time_entry_posted"], "oldest first");
    assert_eq!(one["psa_activity"][1]["hours"], 0.75);
    assert!(one["started_at"].as_str().unwrap().ends_with("+00:00"), "{one}");
    let pending = one["pending_pushes"].as_array().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0]["state"].as_str(), count(&pending[0]["sends"])), (Some("failed"), 2));

    // The list links the same ticket.
    let list = get_json(&app, &admin, &format!("{SESSIONS}?period=7d&domain=Email")).await;
    assert_eq!(list["sessions"][0]["ticket_url"], one["ticket_url"]);

    for missing in [other.to_string(), Uuid::new_v4().to_string(), "not-an-id".to_owned()] {
        let r = get(&app, &format!("{SESSIONS}/{missing}"), Some(&admin)).await;
        assert_eq!(r.status, 404, "{missing}: {}", r.body);
        assert_eq!(r.json()["message"], "No such session in this account.");
    }
    // B's admin sees B's one session, and A's is not found for B.
    let b_list = get_json(&app, &b_admin, &format!("{SESSIONS}?period=7d")).await;
    assert_eq!(count(&b_list["total"]), 1);
    assert_eq!(b_list["sessions"][0]["id"], other.to_string());
    let r = get(&app, &format!("{SESSIONS}/{session}"), Some(&b_admin)).await;
    assert_eq!(r.status, 404, "{}", r.body);
}

#[sqlx::test]
async fn bad_parameters_are_422_and_strangers_are_turned_away(pool: PgPool) {
    paging_fixture(&pool).await;
    let admin = admin_cookie(&pool, ACCOUNT_A).await;
    let technician = user(&pool, "t@a.example", "technician", Some(ACCOUNT_A)).await;
    let technician = cookie_for(&pool, technician).await;
    let app = app(pool);
    for (query, needle) in [
        ("status=closed", "Unknown status"),
        ("step=billed", "Unknown step"),
        ("day=2026-13-01", "`day`"),
        ("flow=abc", "`flow`"),
        ("domain=VPN&unmapped=true", "not both"),
        ("limit=0", "`limit`"),
        ("limit=201", "`limit`"),
        ("cursor=abc", "`cursor`"),
        ("period=2d", "Unknown period"),
        ("technician=alice", "`technician`"),
    ] {
        let r = get(&app, &format!("{SESSIONS}?{query}"), Some(&admin)).await;
        assert_eq!(r.status, 422, "{query}: {}", r.body);
        let message = r.json()["message"].as_str().unwrap_or_default().to_owned();
        assert!(message.contains(needle), "{query}: {message}");
    }
    let r = get(&app, &format!("{SESSIONS}?client={}", Uuid::new_v4()), Some(&admin)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(get(&app, SESSIONS, None).await.status, 401);
    assert_eq!(get(&app, SESSIONS, Some(&technician)).await.status, 403);
}
