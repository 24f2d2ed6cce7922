//! The daily rollups against real PostgreSQL: every rollup-backed statement answers exactly
//! what a scan of the raw rows answers, for windows whose edges fall anywhere in a day (DST
//! days included), and the triggers keep the rollups equal to a rebuild through every kind of
//! write.

use flowpilot_analytics::{
    model::{Filters, ViewParams},
    server::{
        database::APP_ROLE,
        queries::{reference, resolve},
        rollup_check,
    },
};
use serde_json::Value;
use sqlx::{ConnectOptions, PgPool};
use uuid::{uuid, Uuid};

const ACCOUNT: Uuid = uuid!("cccccccc-0000-0000-0000-000000000001");

/// 3,000 sessions over 110 days in New York time, with every kind of value (unmapped domains,
/// no confidence, no flow, no ticket, no technician, no client), notes and up to three time
/// entries per session spread over the following weeks and inserted out of time order. Every
/// draw is seeded and every id derived, so a failure replays: the same rows each run.
async fn generate(pool: &PgPool) {
    sqlx::raw_sql(&format!(
        "INSERT INTO accounts (id, name, timezone) VALUES ('{ACCOUNT}', 'Rollup Co', 'America/New_York');
         INSERT INTO categories (account_id, name)
         SELECT '{ACCOUNT}', d FROM unnest(ARRAY['Email', 'Network', 'Printing']) d;
         INSERT INTO trees (account_id, name, category_id)
         SELECT '{ACCOUNT}', 'Flow ' || g,
                (SELECT id FROM categories ORDER BY name LIMIT 1 OFFSET g % 3)
         FROM generate_series(1, 6) g;
         INSERT INTO users (id, account_id, email, password_hash, role)
         SELECT ('cccccccc-0000-0000-0000-00000000000' || g)::uuid, '{ACCOUNT}',
                'tech' || g || '@rollup.example', 'x', 'technician'
         FROM generate_series(1, 3) g;
         INSERT INTO clients (account_id, id, name)
         SELECT '{ACCOUNT}', ('cccccccc-0000-0000-0000-0000000000c' || g)::uuid, 'Client ' || g
         FROM generate_series(1, 4) g;
         SELECT setseed(0.42);
         CREATE TEMP TABLE draws AS
         SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r9
         FROM generate_series(1, 3000) g;
         INSERT INTO ai_sessions (account_id, id, user_id, client_id, problem_domain, status,
                                  confidence_tier, confidence, matched_flow_id, psa_ticket_id,
                                  created_at, resolved_at)
         SELECT '{ACCOUNT}', md5('session ' || g)::uuid,
                CASE WHEN r8 < 0.1 THEN NULL
                     ELSE ('cccccccc-0000-0000-0000-00000000000' || (1 + floor(r8 * 3)::int))::uuid END,
                CASE WHEN r9 < 0.1 THEN NULL
                     ELSE ('cccccccc-0000-0000-0000-0000000000c' || (1 + floor(r9 * 4)::int))::uuid END,
                -- seven domains: more than Overview's top five
                (ARRAY['Email', 'Network', 'Printing', 'VPN', 'Backup', 'Phones', 'Accounts',
                       NULL])[1 + floor(r1 * 8)::int],
                status,
                CASE WHEN r3 < 0.1 THEN NULL
                     ELSE (ARRAY['guided', 'assisted', 'exploratory'])[1 + floor(r3 * 3)::int] END,
                CASE WHEN r4 < 0.05 THEN NULL ELSE round(r4::numeric, 3)::float8 END,
                CASE WHEN r5 < 0.4 THEN NULL
                     ELSE (SELECT id FROM trees ORDER BY name LIMIT 1 OFFSET floor(r5 * 10)::int % 6) END,
                CASE WHEN r6 < 0.35 THEN NULL ELSE (100000 + g)::text END,
                created_at,
                CASE WHEN status IN ('resolved', 'escalated')
                     THEN created_at + r7 * interval '3 hours' END
         FROM (SELECT *, (ARRAY['active', 'resolved', 'escalated', 'abandoned'])[1 + floor(r2 * 4)::int] AS status,
                      timestamptz '2026-11-20 12:00:00+00'
                          - (g::float8 / 3000) * interval '110 days' - r6 * interval '9 hours' AS created_at
               FROM draws) d;
         INSERT INTO psa_activity_logs (account_id, id, session_id, activity_type, hours_logged,
                                        psa_ticket_id, created_at)
         SELECT account_id, md5('log ' || id || k)::uuid, id, kind, hours, psa_ticket_id, at
         FROM (SELECT s.account_id, s.id, k, s.psa_ticket_id,
                      CASE WHEN k = 0 THEN 'note_posted' ELSE 'time_entry_posted' END AS kind,
                      CASE WHEN k = 0 THEN NULL ELSE 0.25 * (1 + floor(random() * 12)) END AS hours,
                      s.created_at + random() * interval '20 days' AS at,
                      random() AS keep
               FROM ai_sessions s, generate_series(0, 3) k
               WHERE s.psa_ticket_id IS NOT NULL
               ORDER BY s.id, k) l
         WHERE keep < 0.6
         ORDER BY random();
         -- Statistics, as autovacuum would gather them: the filtered reads' plans rest on them.
         ANALYZE ai_sessions, psa_activity_logs;"
    ))
    .execute(pool)
    .await
    .unwrap();
}

const TECH_1: Uuid = uuid!("cccccccc-0000-0000-0000-000000000001");
const TECH_2: Uuid = uuid!("cccccccc-0000-0000-0000-000000000002");
const CLIENT_1: Uuid = uuid!("cccccccc-0000-0000-0000-0000000000c1");
const CLIENT_3: Uuid = uuid!("cccccccc-0000-0000-0000-0000000000c3");

/// Every statement is compared unfiltered, by technician, by client and by both.
const FILTERS: [Filters; 4] = [
    Filters { technician: None, client: None },
    Filters { technician: Some(TECH_1), client: None },
    Filters { technician: None, client: Some(CLIENT_3) },
    Filters { technician: Some(TECH_2), client: Some(CLIENT_1) },
];

/// All rows of a statement as JSON, in a stable order.
async fn answer(
    pool: &PgPool,
    sql: &str,
    since: &str,
    until: &str,
    filters: Filters,
) -> Vec<Value> {
    let json: String =
        sqlx::query_scalar(&format!("SELECT coalesce(json_agg(q), '[]')::text FROM ({sql}) q"))
            .bind(ACCOUNT)
            .bind(since.parse::<chrono::DateTime<chrono::Utc>>().unwrap())
            .bind(until.parse::<chrono::DateTime<chrono::Utc>>().unwrap())
            .bind(filters.technician)
            .bind(filters.client)
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let Value::Array(mut rows) = serde_json::from_str(&json).unwrap() else { panic!("{json}") };
    // Float noise (sums in another order land either side of any rounding, 2 or
    // 1.9999999999999998) cannot reorder rows.
    rollup_check::sort(&mut rows);
    rows
}

fn assert_same(ours: Vec<Value>, expected: Vec<Value>, context: &str) {
    let (ours, expected) = (Value::Array(ours), Value::Array(expected));
    assert!(
        rollup_check::same(&ours, &expected),
        "{context}\nours:     {ours}\nexpected: {expected}"
    );
}

/// Window ends on a plain afternoon, exactly at and a second around local midnight, and
/// around the night daylight saving time ended (1 Nov 2026, 06:00 UTC in New York).
const WINDOW_ENDS: &[&str] = &[
    "2026-11-20T15:30:00Z",
    "2026-11-10T05:00:00Z",
    "2026-11-10T04:59:59Z",
    "2026-11-10T05:00:01Z",
    "2026-11-01T04:00:00Z",
    "2026-11-01T05:00:00Z",
    "2026-11-01T06:30:00Z",
    "2026-11-02T05:00:00Z",
    "2026-09-15T03:59:59.999Z",
    // The last instant of a local day: the window's last day is whole (read from the rollups),
    // and so is its first for 1 and 7 days back, not for 30 and 90 (back across the DST change).
    "2026-11-10T04:59:59.999999Z",
];

/// Windows whose one end is a whole local day and the other not, as a day's drill-down of
/// today or a range cut by the present make them: (since, until].
const MIXED_EDGES: [(&str, &str); 4] = [
    ("2026-11-09T04:59:59.999999Z", "2026-11-09T15:00:00Z"),
    ("2026-11-09T15:00:00Z", "2026-11-10T04:59:59.999999Z"),
    ("2026-10-30T03:59:59.999999Z", "2026-11-09T15:00:00Z"),
    ("2026-10-30T12:00:00Z", "2026-11-10T04:59:59.999999Z"),
];

async fn assert_rollups_answer_like_raw_scans(pool: &PgPool) {
    let mut compared = 0;
    for until in WINDOW_ENDS {
        let until_at: chrono::DateTime<chrono::Utc> = until.parse().unwrap();
        for days in [1, 7, 30, 90] {
            let since = (until_at - chrono::Duration::days(days)).to_rfc3339();
            compared += assert_window_answers_like_raw_scans(pool, &since, until, "", true).await;
        }
    }
    // Ranges of whole local days as a request resolves them: single days (the DST change of
    // 2026-11-01 among them), ranges across it, the whole data set.
    for (from, to) in DAY_RANGES {
        let params = ViewParams { from: from.into(), to: to.into(), ..Default::default() };
        for window in [resolve(pool, ACCOUNT, &params).await.unwrap()]
            .into_iter()
            .flat_map(|r| [r.window, r.previous])
        {
            let (since, until) = (window.since.to_rfc3339(), window.until.to_rfc3339());
            let label = format!("for {from} … {to} ");
            compared +=
                assert_window_answers_like_raw_scans(pool, &since, &until, &label, false).await;
        }
    }
    for (since, until) in MIXED_EDGES {
        compared += assert_window_answers_like_raw_scans(pool, since, until, "", true).await;
    }
    assert_eq!(
        compared,
        (WINDOW_ENDS.len() * 4 + DAY_RANGES.len() * 2 + MIXED_EDGES.len())
            * reference::ALL.len()
            * FILTERS.len()
    );
}

/// Every statement with every filter in the window (since, until] against its raw scan;
/// returns how many it compared. `with_data`: the unfiltered scans must find something.
async fn assert_window_answers_like_raw_scans(
    pool: &PgPool,
    since: &str,
    until: &str,
    label: &str,
    with_data: bool,
) -> usize {
    let mut compared = 0;
    for (statement, filters) in reference::ALL.iter().flat_map(|s| FILTERS.map(|f| (s, f))) {
        let expected = answer(pool, statement.raw_scan, since, until, filters).await;
        assert!(!with_data || filters.any() || !expected.is_empty(), "{}", statement.name);
        let context =
            format!("{} {label}in the window ({since}, {until}], {filters:?}", statement.name);
        let ours = answer(pool, statement.ours, since, until, filters).await;
        assert_same(ours, expected, &context);
        compared += 1;
    }
    compared
}

/// `from`/`to` ranges, each also compared through its previous window.
const DAY_RANGES: [(&str, &str); 6] = [
    ("2026-11-01", "2026-11-01"),
    ("2026-10-31", "2026-11-02"),
    ("2026-09-15", "2026-09-15"),
    ("2026-08-20", "2026-11-20"),
    ("2026-11-19", "2026-11-20"),
    ("2025-11-21", "2026-11-20"),
];

#[sqlx::test]
async fn rollup_backed_statements_answer_exactly_like_raw_scans(pool: PgPool) {
    generate(&pool).await;
    let (sessions, entries): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM ai_sessions),
                (SELECT count(*) FROM psa_activity_logs
                 WHERE activity_type = 'time_entry_posted' AND previous_entry_at IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(sessions, 3000);
    assert!(entries > 300, "sessions with several time entries: {entries}");
    assert_rollups_answer_like_raw_scans(&pool).await;
}

#[sqlx::test]
async fn a_timezone_change_rebuilds_the_accounts_days(pool: PgPool) {
    generate(&pool).await;
    sqlx::query("UPDATE accounts SET timezone = 'Asia/Kolkata' WHERE id = $1")
        .bind(ACCOUNT)
        .execute(&pool)
        .await
        .unwrap();
    assert_rollups_answer_like_raw_scans(&pool).await;
}

/// Asserts the account's rollups equal a rebuild of them (which then replaces them); returns
/// how many rows count anything.
pub(crate) async fn assert_rollups_equal_a_rebuild(
    pool: &PgPool,
    account: Uuid,
    context: &str,
) -> usize {
    let mut conn = pool.acquire().await.unwrap();
    let kept = rollup_check::rows(&mut conn, account).await.unwrap();
    let count = kept.len();
    sqlx::query("SELECT rebuild_rollups($1)").bind(account).execute(&mut *conn).await.unwrap();
    assert_same(kept, rollup_check::rows(&mut conn, account).await.unwrap(), context);
    count
}

/// Every kind of write the rollups must follow, in bulk and one by one.
const WRITES: &str = "-- outcomes, reclassification, matching and linking, in bulk and one by one
         UPDATE ai_sessions SET status = 'resolved', resolved_at = created_at + interval '1 hour'
         WHERE status = 'active' AND created_at < '2026-10-01';
         UPDATE ai_sessions SET problem_domain = 'Network' WHERE problem_domain = 'Email'
           AND created_at BETWEEN '2026-09-01' AND '2026-09-20';
         UPDATE ai_sessions SET matched_flow_id = (SELECT id FROM trees WHERE name = 'Flow 2'),
                                confidence = 0.5, confidence_tier = 'assisted'
         WHERE matched_flow_id IS NULL AND created_at > '2026-11-01';
         UPDATE ai_sessions SET psa_ticket_id = '424242'
         WHERE id = (SELECT id FROM ai_sessions WHERE psa_ticket_id IS NULL ORDER BY id LIMIT 1);
         -- sessions handed to another technician or client, their time entries with them; a
         -- technician and a client removed (their sessions keep their rows, ON DELETE SET NULL)
         UPDATE ai_sessions SET user_id = 'cccccccc-0000-0000-0000-000000000002'
         WHERE user_id = 'cccccccc-0000-0000-0000-000000000001' AND created_at > '2026-10-20';
         UPDATE ai_sessions SET client_id = 'cccccccc-0000-0000-0000-0000000000c4',
                                user_id = NULL
         WHERE id IN (SELECT session_id FROM psa_activity_logs ORDER BY id LIMIT 50);
         DELETE FROM users WHERE id = 'cccccccc-0000-0000-0000-000000000003';
         DELETE FROM clients WHERE id = 'cccccccc-0000-0000-0000-0000000000c2';
         -- a time entry moved to another session
         UPDATE psa_activity_logs SET session_id = (SELECT id FROM ai_sessions
                                                    WHERE client_id = 'cccccccc-0000-0000-0000-0000000000c1'
                                                    ORDER BY id LIMIT 1)
         WHERE id = (SELECT id FROM psa_activity_logs WHERE activity_type = 'time_entry_posted'
                     ORDER BY id DESC LIMIT 1);
         -- a note and a time entry older than their session (a log moved from another
         -- session or imported: nothing in the schema orders a log after its session)
         INSERT INTO psa_activity_logs (account_id, session_id, activity_type, hours_logged, created_at)
         SELECT s.account_id, s.id, kind, hours, s.created_at - interval '25 days'
         FROM (SELECT * FROM ai_sessions
               WHERE psa_ticket_id IS NOT NULL AND NOT note_pushed AND NOT time_entry_pushed
                 AND created_at BETWEEN '2026-10-20' AND '2026-11-05'
               ORDER BY id LIMIT 3) s,
              (VALUES ('note_posted', NULL::float8), ('time_entry_posted', 1.5)) k (kind, hours);
         -- a flow retired for good: its sessions keep their rows, unmatched (ON DELETE SET NULL)
         DELETE FROM trees WHERE name = 'Flow 3';
         -- sessions deleted: their logs stay without a session
         DELETE FROM ai_sessions WHERE id IN (SELECT session_id FROM psa_activity_logs
                                              WHERE activity_type = 'time_entry_posted'
                                              ORDER BY id LIMIT 40);
         DELETE FROM ai_sessions WHERE created_at < '2026-08-15' AND problem_domain IS NULL;
         -- a back-dated time entry among a session's entries, a note, a log removed
         INSERT INTO psa_activity_logs (account_id, session_id, activity_type, hours_logged, created_at)
         SELECT account_id, session_id, 'time_entry_posted', 2, created_at - interval '1 minute'
         FROM psa_activity_logs WHERE activity_type = 'time_entry_posted'
           AND previous_entry_at IS NOT NULL AND session_id IS NOT NULL
         ORDER BY id LIMIT 25;
         INSERT INTO psa_activity_logs (account_id, session_id, activity_type, created_at)
         SELECT account_id, id, 'note_posted', created_at + interval '1 hour'
         FROM ai_sessions WHERE psa_ticket_id IS NOT NULL AND NOT note_pushed;
         DELETE FROM psa_activity_logs WHERE id IN (SELECT id FROM psa_activity_logs ORDER BY id LIMIT 30);";

#[sqlx::test]
async fn every_kind_of_write_keeps_the_rollups_equal_to_a_rebuild(pool: PgPool) {
    generate(&pool).await;
    sqlx::raw_sql(WRITES).execute(&pool).await.unwrap();
    // Every log carries its session's technician and client (none once the session is gone).
    assert_eq!(
        logs_not_owned_by_their_session(&pool).await,
        0,
        "logs whose technician or client is not their session's"
    );
    assert_eq!(
        sessions_not_matching_their_logs(&pool).await,
        0,
        "sessions whose funnel flags or activity count are not their logs'"
    );

    let kept = assert_rollups_equal_a_rebuild(&pool, ACCOUNT, "kept by the triggers").await;
    assert!(kept > 300, "{kept}");
    assert_rollups_answer_like_raw_scans(&pool).await;
}

#[sqlx::test]
async fn the_triggers_keep_the_rollups_when_the_servers_role_writes(pool: PgPool) {
    generate(&pool).await;
    // The same writes as the server makes them: the app role, under row-level security, bound
    // to the account (the triggers then run as that role, inside the account). The bulk
    // writer's switch does nothing for it: its writes fold as they go.
    let options = (*pool.connect_options()).clone().options([("role", APP_ROLE)]);
    let mut conn = options.connect().await.unwrap();
    sqlx::query("SELECT set_config('app.account_id', $1, false)")
        .bind(ACCOUNT.to_string())
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("SET flowpilot.defer_rollups = 'on'").execute(&mut conn).await.unwrap();
    sqlx::raw_sql(WRITES).execute(&mut conn).await.unwrap();
    let kept = assert_rollups_equal_a_rebuild(&pool, ACCOUNT, "kept under the app role").await;
    assert!(kept > 300, "{kept}");
    assert_eq!(
        sessions_not_matching_their_logs(&pool).await,
        0,
        "sessions whose funnel flags or activity count are not their logs' (app role)"
    );
}

#[sqlx::test]
async fn time_entries_know_their_sessions_previous_entry_whatever_the_insert_order(pool: PgPool) {
    generate(&pool).await;
    assert_eq!(time_entries_with_a_wrong_previous_entry(&pool).await, 0);
}

/// Logs whose technician and client are not their session's (none, once the session is gone).
pub(crate) async fn logs_not_owned_by_their_session(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM psa_activity_logs l
         LEFT JOIN ai_sessions s ON s.account_id = l.account_id AND s.id = l.session_id
         WHERE (l.user_id, l.client_id) IS DISTINCT FROM (s.user_id, s.client_id)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Sessions whose funnel flags or activity count are not their logs' (what the logs' triggers
/// keep on the session).
pub(crate) async fn sessions_not_matching_their_logs(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM ai_sessions s
         WHERE (s.note_pushed, s.time_entry_pushed, s.psa_activity_count) IS DISTINCT FROM (
             EXISTS (SELECT FROM psa_activity_logs l WHERE l.account_id = s.account_id
                     AND l.session_id = s.id AND l.activity_type = 'note_posted'),
             EXISTS (SELECT FROM psa_activity_logs l WHERE l.account_id = s.account_id
                     AND l.session_id = s.id AND l.activity_type = 'time_entry_posted'),
             (SELECT count(*)::int FROM psa_activity_logs l
              WHERE l.account_id = s.account_id AND l.session_id = s.id))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Time entries whose previous_entry_at is not their session's entry before them.
pub(crate) async fn time_entries_with_a_wrong_previous_entry(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM (
             SELECT previous_entry_at,
                    lag(created_at) OVER (PARTITION BY account_id, session_id
                                          ORDER BY created_at, id) AS expected
             FROM psa_activity_logs
             WHERE activity_type = 'time_entry_posted' AND session_id IS NOT NULL) e
         WHERE previous_entry_at IS DISTINCT FROM expected",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The rollup triggers hold their statements as static SQL, which PostgreSQL plans once per
/// connection (through EXECUTE it planned them on every write: most of a one-row write's
/// cost). Installed again, as a migration that changes a statement function must, they keep
/// the rollups exact.
#[sqlx::test]
async fn the_rollup_triggers_plan_once_and_can_be_installed_again(pool: PgPool) {
    let triggers: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.relname::text, t.tgname::text, p.prosrc
         FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE NOT t.tgisinternal AND t.tgname LIKE '%rollup%'
         ORDER BY 1, 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let names: Vec<String> =
        triggers.iter().map(|(table, name, _)| format!("{table}.{name}")).collect();
    let expected: Vec<String> = ["ai_sessions", "psa_activity_logs"]
        .iter()
        .flat_map(|table| {
            ["delete", "insert", "update"].map(|op| format!("{table}.{table}_rollup_{op}"))
        })
        .collect();
    assert_eq!(names, expected);
    for (table, name, source) in &triggers {
        assert!(!source.to_uppercase().contains("EXECUTE"), "{table}.{name} plans each call");
        assert!(source.contains("INSERT INTO"), "{table}.{name}: {source}");
    }

    sqlx::query("SELECT install_rollup_triggers()").execute(&pool).await.unwrap();
    generate(&pool).await;
    sqlx::raw_sql(WRITES).execute(&pool).await.unwrap();
    assert_rollups_equal_a_rebuild(&pool, ACCOUNT, "kept by reinstalled triggers").await;
}
