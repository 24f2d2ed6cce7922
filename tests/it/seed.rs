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
