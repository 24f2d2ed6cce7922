//! Which account the work at hand is for, as PostgreSQL's row-level security sees it (the second
//! wall between tenants, SPEC §10; migration 20261129000003).
//!
//! The code that learns the principal — the session middleware, [`as_admin`] for server
//! functions and page loads, the ingest API's key, the push sweep — runs the rest of its work in
//! [`scoped`]. Every time the app's pool hands out a connection, [`bind`] sets
//! `app.account_id` on it to the account of the task taking it, or to nothing when there is
//! none, so a query outside any scope sees no tenant rows instead of another account's. The
//! setting is made on the checkout's own round trip (it replaces sqlx's liveness ping), so it
//! costs no extra one.
//!
//! A scope is task-local: work moved to another task (`tokio::spawn`, a Leptos resource on the
//! server) takes its scope with it explicitly, as [`as_admin`] does.
//!
//! [`as_admin`]: super::server_fns::as_admin

use sqlx::PgConnection;
use std::future::Future;
use uuid::Uuid;

tokio::task_local! {
    static ACCOUNT: Uuid;
}

/// Runs `work` for `account_id`: every connection it takes from the app's pool sees only that
/// account's rows, and the request's log lines say the account from here on.
pub async fn scoped<F: Future>(account_id: Uuid, work: F) -> F::Output {
    tracing::Span::current().record("account_id", tracing::field::display(account_id));
    ACCOUNT.scope(account_id, work).await
}

/// The account of the current scope, if any.
pub fn current() -> Option<Uuid> {
    ACCOUNT.try_with(|account| *account).ok()
}

/// Sets `app.account_id` on a connection about to be handed out: the current scope's account,
/// or the empty string (no rows) outside any scope.
pub async fn bind(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let account = current().map(|id| id.to_string()).unwrap_or_default();
    sqlx::query("SELECT set_config('app.account_id', $1, false)")
        .bind(account)
        .execute(conn)
        .await
        .map(drop)
}
