//! The demo data: what the README promises a fresh install shows.

use flowpilot_analytics::server::seed;
use sqlx::PgPool;

/// How each account's sessions spread over its clients or technicians (`members`, joined as
/// `c`, referenced by the sessions' `column`): per account, how many there are, the busiest's
/// and the quietest's sessions, and the sessions with none.
async fn spread(pool: &PgPool, members: &str, column: &str) -> Vec<(String, i64, i64, i64, i64)> {
    sqlx::query_as(&format!(
        "SELECT a.name, count(c.id), max(n.sessions), min(n.sessions),
                (SELECT count(*) FROM ai_sessions s WHERE s.account_id = a.id AND s.{column} IS NULL)
         FROM accounts a
         JOIN {members}
         JOIN LATERAL (SELECT count(*) AS sessions FROM ai_sessions s
                       WHERE s.account_id = a.id AND s.{column} = c.id) n ON true
         GROUP BY a.id, a.name ORDER BY a.name"
    ))
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn the_demo_accounts_have_8_to_15_clients_with_uneven_volumes(pool: PgPool) {
    seed::seed_demo(&pool, 42).await.unwrap();
    let per_account = spread(&pool, "clients c ON c.account_id = a.id", "client_id").await;
    assert_eq!(per_account.len(), 2, "{per_account:?}");
    for (account, clients, busiest, quietest, without) in per_account {
        assert!((8..=15).contains(&clients), "{account}: {clients} clients");
        assert!(busiest >= 4 * quietest, "{account}: {busiest} vs {quietest} sessions");
        assert!(without > 0, "{account}: some sessions name no client");
    }
}

#[sqlx::test]
async fn the_demo_accounts_have_4_to_9_technicians_sharing_the_sessions_unevenly(pool: PgPool) {
    seed::seed_demo(&pool, 42).await.unwrap();
    let per_account =
        spread(&pool, "users c ON c.account_id = a.id AND c.role = 'technician'", "user_id").await;
    assert_eq!(per_account.len(), 2, "{per_account:?}");
    for (account, technicians, busiest, quietest, without) in per_account {
        assert!((4..=9).contains(&technicians), "{account}: {technicians} technicians");
        assert!(busiest >= 3 * quietest && quietest > 0, "{account}: {busiest} vs {quietest}");
        assert_eq!(without, 0, "{account}: every session has its technician");
    }
    // Seeding again replaces the accounts and their users, not adds to them.
    seed::seed_demo(&pool, 42).await.unwrap();
    let technicians: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'technician'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let again: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users u JOIN accounts a ON a.id = u.account_id
         WHERE u.role = 'technician'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(technicians, again, "no technician left behind without an account");
}

/// The seed writes in bulk with the rollup triggers deferred and folds each account once: its
/// rows carry what the triggers would have set (funnel flags and activity counts, the logs'
/// technician, client and previous entry), its rollups equal a rebuild, and the next ordinary writes fold as before.
#[sqlx::test]
async fn a_seeded_account_is_what_the_triggers_would_have_written(pool: PgPool) {
    let options =
        seed::SeedOptions { accounts: 1, sessions_per_account: 4_000, days: 30, rng_seed: 7 };
    seed::seed_sized(&pool, &options).await.unwrap();
    use crate::rollups::{
        logs_not_owned_by_their_session, time_entries_with_a_wrong_previous_entry,
    };
    assert_eq!(
        logs_not_owned_by_their_session(&pool).await,
        0,
        "logs whose technician or client is not their session's"
    );
    assert_eq!(
        time_entries_with_a_wrong_previous_entry(&pool).await,
        0,
        "time entries with a wrong previous entry"
    );
    assert_eq!(
        crate::rollups::sessions_not_matching_their_logs(&pool).await,
        0,
        "sessions whose funnel flags or activity count are not their logs'"
    );
    let (with_logs, technician_logs): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM ai_sessions WHERE psa_activity_count > 1),
                (SELECT count(*) FROM psa_activity_logs WHERE user_id IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(with_logs > 100, "sessions with several activities: {with_logs}");
    assert!(technician_logs > 1_000, "logs with a technician: {technician_logs}");

    let account: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM accounts").fetch_one(&pool).await.unwrap();
    let rows = crate::rollups::assert_rollups_equal_a_rebuild(&pool, account, "seeded").await;
    assert!(rows > 100, "{rows}");
    // The deferral ended with the seed's transaction: these fold as they are written.
    sqlx::raw_sql(
        "UPDATE ai_sessions SET status = 'escalated' WHERE status = 'active';
         INSERT INTO psa_activity_logs (account_id, session_id, activity_type, hours_logged)
         SELECT account_id, id, 'time_entry_posted', 1.25 FROM ai_sessions
         WHERE psa_ticket_id IS NOT NULL ORDER BY id LIMIT 100;
         DELETE FROM ai_sessions WHERE id IN (SELECT id FROM ai_sessions ORDER BY id LIMIT 50);",
    )
    .execute(&pool)
    .await
    .unwrap();
    crate::rollups::assert_rollups_equal_a_rebuild(&pool, account, "written after the seed").await;
}

/// An account larger than one COPY batch is written by two connections at once, each batch
/// with its sessions' logs: every generated row arrives, and the one fold afterwards leaves
/// the rollups equal to a rebuild.
#[sqlx::test]
async fn a_seed_of_several_batches_is_written_by_two_connections_and_folded_once(pool: PgPool) {
    let options =
        seed::SeedOptions { accounts: 1, sessions_per_account: 41_000, days: 30, rng_seed: 7 };
    let report = seed::seed_sized(&pool, &options).await.unwrap();
    let written: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM ai_sessions), (SELECT count(*) FROM psa_activity_logs)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(written, (41_000, report.activity_logs as i64));
    // Three batches (20k, 20k, 1k) to two writers: two transactions wrote the sessions.
    let writers: i64 = sqlx::query_scalar("SELECT count(DISTINCT xmin::text) FROM ai_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(writers, 2);
    assert_eq!(crate::rollups::sessions_not_matching_their_logs(&pool).await, 0);
    let account: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM accounts").fetch_one(&pool).await.unwrap();
    crate::rollups::assert_rollups_equal_a_rebuild(&pool, account, "seeded in batches").await;
}

/// A seed that fails part way — here one row of one writer's COPY refused by PostgreSQL,
/// while the other writer goes on and commits its batches — removes the account it was
/// writing: no sessions, logs, rollups or users of it are left.
#[sqlx::test]
async fn a_seed_that_fails_part_way_leaves_nothing_of_the_account(pool: PgPool) {
    sqlx::raw_sql(
        "CREATE SEQUENCE injected_fault;
         CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF nextval('injected_fault') = 30000 THEN
                 RAISE EXCEPTION 'injected fault: the disk is full';
             END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER injected_fault BEFORE INSERT ON ai_sessions
             FOR EACH ROW EXECUTE FUNCTION injected_fault();",
    )
    .execute(&pool)
    .await
    .unwrap();
    let options =
        seed::SeedOptions { accounts: 1, sessions_per_account: 41_000, days: 30, rng_seed: 7 };
    // The error itself is logged; the caller learns that the seed failed.
    assert!(seed::seed_sized(&pool, &options).await.is_err(), "the seed went through the fault");
    let left: (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM ai_sessions),
                (SELECT count(*) FROM psa_activity_logs), (SELECT count(*) FROM users),
                (SELECT count(*) FROM session_day_rollups)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, (0, 0, 0, 0, 0));
}
