//! The second wall (SPEC §10): the server's role sees and writes only the rows of the account
//! its connection is bound to, and nothing at all when it is bound to none — whatever a query
//! forgets to say.

use crate::common::{app_and_pool, ACCOUNT_A, ACCOUNT_B};
use flowpilot_analytics::server::{config::AppConfig, database::APP_ROLE, tenant};
use sqlx::{postgres::PgConnectOptions, ConnectOptions, Connection, PgConnection, PgPool};
use uuid::Uuid;

/// Every table holding tenant rows: `accounts` and each table with an `account_id` column.
async fn tenant_tables(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'
           AND (c.relname = 'accounts' OR EXISTS (
                SELECT 1 FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attname = 'account_id' AND NOT a.attisdropped))
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// A raw connection as the app role, bound to nothing.
async fn as_app_role(pool: &PgPool) -> PgConnection {
    let options: PgConnectOptions = (*pool.connect_options()).clone();
    options.options([("role", APP_ROLE)]).connect().await.unwrap()
}

async fn count(conn: &mut PgConnection, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(conn)
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"))
}

async fn owner_count(pool: &PgPool, table: &str, account: Uuid) -> i64 {
    let column = if table == "accounts" { "id" } else { "account_id" };
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table} WHERE {column} = $1"))
        .bind(account)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(fixtures("coverage"))]
async fn every_tenant_table_has_the_policy_and_the_role_cannot_get_around_it(pool: PgPool) {
    let tables = tenant_tables(&pool).await;
    assert!(tables.len() >= 13, "{tables:?}");
    let unguarded: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
         WHERE c.relname = ANY($1)
           AND (NOT c.relrowsecurity
                OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))",
    )
    .bind(&tables)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(unguarded.is_empty(), "tenant tables without row-level security: {unguarded:?}");
    // What the role may touch without a policy holds nobody's tenant data.
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relrowsecurity
           AND has_table_privilege($1, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
         ORDER BY 1",
    )
    .bind(APP_ROLE)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(open, ["_sqlx_migrations", "rate_limit_buckets"]);
    let (superuser, bypass, owns, tokens): (bool, bool, i64, bool) = sqlx::query_as(
        "SELECT r.rolsuper, r.rolbypassrls,
                (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid),
                has_table_privilege(r.rolname, 'auth_sessions', 'SELECT, INSERT, UPDATE, DELETE')
         FROM pg_roles r WHERE r.rolname = $1",
    )
    .bind(APP_ROLE)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((superuser, bypass, owns, tokens), (false, false, 0, false));
}

#[sqlx::test(fixtures("coverage"))]
async fn unbound_the_role_sees_no_rows_and_bound_it_sees_only_its_account(pool: PgPool) {
    let mut conn = as_app_role(&pool).await;
    for table in tenant_tables(&pool).await {
        assert_eq!(count(&mut conn, &table).await, 0, "{table} unbound");
    }
    sqlx::query("SELECT set_config('app.account_id', $1, false)")
        .bind(ACCOUNT_A.to_string())
        .execute(&mut conn)
        .await
        .unwrap();
    for table in tenant_tables(&pool).await {
        let own = owner_count(&pool, &table, ACCOUNT_A).await;
        assert_eq!(count(&mut conn, &table).await, own, "{table} bound to A");
    }
    let (sessions_a, sessions_b) = (
        owner_count(&pool, "ai_sessions", ACCOUNT_A).await,
        owner_count(&pool, "ai_sessions", ACCOUNT_B).await,
    );
    assert!(sessions_a > 0 && sessions_b > 0, "the fixture has sessions in both accounts");
    // Writing into, changing or deleting B's rows while bound to A: refused or nothing happens.
    let refused = sqlx::query("INSERT INTO ai_sessions (account_id) VALUES ($1)")
        .bind(ACCOUNT_B)
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert_eq!(refused.as_database_error().and_then(|e| e.code()).as_deref(), Some("42501"));
    for statement in [
        "UPDATE ai_sessions SET status = 'abandoned' WHERE account_id = $1",
        "DELETE FROM ai_sessions WHERE account_id = $1",
    ] {
        let done = sqlx::query(statement).bind(ACCOUNT_B).execute(&mut conn).await.unwrap();
        assert_eq!(done.rows_affected(), 0, "{statement}");
    }
    // Moving an own row into B is refused too.
    let moved = sqlx::query("UPDATE ai_sessions SET account_id = $2 WHERE account_id = $1")
        .bind(ACCOUNT_A)
        .bind(ACCOUNT_B)
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(moved.as_database_error().and_then(|e| e.code()).is_some(), "{moved}");
    assert_eq!(owner_count(&pool, "ai_sessions", ACCOUNT_B).await, sessions_b);
    // The role cannot take the wall down: it owns no table to alter, and with row security
    // switched off a query the policy would filter fails instead of seeing everything.
    let alter = sqlx::query("ALTER TABLE ai_sessions DISABLE ROW LEVEL SECURITY")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert_eq!(alter.as_database_error().and_then(|e| e.code()).as_deref(), Some("42501"));
    sqlx::query("SET row_security = off").execute(&mut conn).await.unwrap();
    let off = sqlx::query("SELECT count(*) FROM ai_sessions").execute(&mut conn).await.unwrap_err();
    assert_eq!(off.as_database_error().and_then(|e| e.code()).as_deref(), Some("42501"));
    sqlx::query("RESET row_security").execute(&mut conn).await.unwrap();
    assert_eq!(count(&mut conn, "ai_sessions").await, sessions_a);
    conn.close().await.unwrap();
}

#[sqlx::test(fixtures("coverage"))]
async fn the_servers_pool_binds_each_connection_to_the_account_of_the_task(pool: PgPool) {
    let mut config = AppConfig::for_tests();
    config.database.max_connections = 1;
    let (_app, app_pool) = app_and_pool(&pool, config);
    let all = "SELECT count(*) FROM ai_sessions";
    let unscoped: i64 = sqlx::query_scalar(all).fetch_one(&app_pool).await.unwrap();
    assert_eq!(unscoped, 0, "outside any scope a forgotten WHERE finds nothing");
    for account in [ACCOUNT_A, ACCOUNT_B] {
        let seen: i64 =
            tenant::scoped(account, sqlx::query_scalar(all).fetch_one(&app_pool)).await.unwrap();
        assert_eq!(seen, owner_count(&pool, "ai_sessions", account).await);
    }
    // The same connection, handed out again outside a scope, is unbound again.
    let unscoped: i64 = sqlx::query_scalar(all).fetch_one(&app_pool).await.unwrap();
    assert_eq!(unscoped, 0);
    assert_eq!(app_pool.size(), 1, "one connection served all four");
    // A task's scope does not leak into work spawned from it: the spawned query is unbound.
    let spawned = tenant::scoped(ACCOUNT_A, async {
        let app_pool = app_pool.clone();
        tokio::spawn(async move { sqlx::query_scalar::<_, i64>(all).fetch_one(&app_pool).await })
            .await
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(spawned, 0);
}
