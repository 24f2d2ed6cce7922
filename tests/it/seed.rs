//! The demo data: what the README promises a fresh install shows.

use flowpilot_analytics::server::seed;
use sqlx::PgPool;

#[sqlx::test]
async fn the_demo_accounts_have_8_to_15_clients_with_uneven_volumes(pool: PgPool) {
    seed::seed_demo(&pool, 42).await.unwrap();
    let per_account: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT a.name, count(DISTINCT c.id),
                max(n.sessions), min(n.sessions),
                (SELECT count(*) FROM ai_sessions s WHERE s.account_id = a.id AND s.client_id IS NULL)
         FROM accounts a
         JOIN clients c ON c.account_id = a.id
         JOIN LATERAL (SELECT count(*) AS sessions FROM ai_sessions s
                       WHERE s.account_id = a.id AND s.client_id = c.id) n ON true
         GROUP BY a.id, a.name ORDER BY a.name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(per_account.len(), 2, "{per_account:?}");
    for (account, clients, busiest, quietest, without) in per_account {
        assert!((8..=15).contains(&clients), "{account}: {clients} clients");
        assert!(busiest >= 4 * quietest, "{account}: {busiest} vs {quietest} sessions");
        assert!(without > 0, "{account}: some sessions name no client");
    }
}
