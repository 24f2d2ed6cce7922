//! The database as the service sees it: the pool and the guards on every connection, a probe
//! that knows within a second when PostgreSQL is gone (so requests fail fast with 503 instead
//! of waiting on the pool) and when it is back, and readiness (`/readyz`).

use super::{
    config::{AppConfig, DatabaseSettings},
    tenant,
};
use crate::{error::AppError, routes};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sqlx::{
    migrate::{MigrateDatabase, Migrator},
    postgres::{PgConnectOptions, PgPoolOptions},
    ConnectOptions, Connection, PgConnection, PgPool, Postgres,
};
use std::{
    str::FromStr,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How often the probe asks PostgreSQL, and how long it waits for an answer.
const PROBE_EVERY: Duration = Duration::from_millis(250);
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long `/readyz` waits for the database: it answers within a second either way.
const READY_TIMEOUT: Duration = Duration::from_millis(750);

/// The role request-serving connections take (startup option `role`): it owns nothing and is
/// held to row-level security (migration 20261129000003, [`super::tenant`]).
pub const APP_ROLE: &str = "flowpilot_app";

/// The owner's connection options (migrations, the CLI, the seed): `statement_timeout` and
/// `idle_in_transaction_session_timeout` set at connection start-up (no extra round trip).
pub fn connect_options(config: &AppConfig) -> Result<PgConnectOptions, String> {
    let options = PgConnectOptions::from_str(&config.database_url)
        .map_err(|e| format!("DATABASE_URL: {e}"))?;
    Ok(guarded(options, &config.database))
}

fn guarded(options: PgConnectOptions, settings: &DatabaseSettings) -> PgConnectOptions {
    let millis = |d: Duration| d.as_millis().to_string();
    options.options([
        ("statement_timeout", millis(settings.statement_timeout)),
        ("idle_in_transaction_session_timeout", millis(settings.idle_in_transaction_timeout)),
    ])
}

/// The options of the server's connections: the owner's, as [`APP_ROLE`].
pub fn app_connect_options(config: &AppConfig) -> Result<PgConnectOptions, String> {
    Ok(as_app_role(connect_options(config)?))
}

fn as_app_role(options: PgConnectOptions) -> PgConnectOptions {
    options.options([("role", APP_ROLE)])
}

/// The server's pool: connections as [`APP_ROLE`] (with the guards) over `options` (the
/// database's address and login, as in `DATABASE_URL`), each bound to the account of the task
/// that takes it ([`tenant::bind`], which also proves the connection alive). Connects on first
/// use.
pub fn app_pool(options: PgConnectOptions, settings: &DatabaseSettings) -> PgPool {
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .test_before_acquire(false)
        .after_connect(|conn, _| Box::pin(tenant::bind(conn)))
        .before_acquire(|conn, _| Box::pin(async move { tenant::bind(conn).await.map(|()| true) }))
        .connect_lazy_with(as_app_role(guarded(options, settings)))
}

/// Reaches PostgreSQL (creating the database if needed), migrates, and returns the owner's pool
/// (for the CLI; the server serves from [`app_pool`]).
pub async fn connect_and_migrate(config: &AppConfig) -> Result<PgPool, String> {
    let url = &config.database_url;
    let exists = Postgres::database_exists(url)
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at DATABASE_URL: {e}"))?;
    if !exists {
        Postgres::create_database(url).await.map_err(|e| format!("creating the database: {e}"))?;
    }
    let pool = PgPoolOptions::new()
        .max_connections(config.database.max_connections)
        .acquire_timeout(config.database.acquire_timeout)
        .connect_with(connect_options(config)?)
        .await
        .map_err(|e| format!("connecting to PostgreSQL: {e}"))?;
    MIGRATOR.run(&pool).await.map_err(|e| format!("migrating: {e}"))?;
    Ok(pool)
}

/// Whether the database answered the probe's last question. Up until a probe says otherwise
/// (in-process tests run no probe).
#[derive(Debug)]
pub struct Health(AtomicBool);

impl Default for Health {
    fn default() -> Self {
        Health(AtomicBool::new(true))
    }
}

impl Health {
    pub fn is_up(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn set(&self, up: bool) {
        if self.0.swap(up, Ordering::Relaxed) != up {
            if up {
                tracing::info!("the database answers again");
            } else {
                tracing::error!("the database does not answer; requests get 503 until it does");
            }
        }
    }
}

/// Asks PostgreSQL `SELECT 1` every [`PROBE_EVERY`] on a connection of its own (never one the
/// requests need), reconnecting after any failure.
pub fn spawn_probe(options: PgConnectOptions, health: Arc<Health>) {
    tokio::spawn(async move {
        let mut conn: Option<PgConnection> = None;
        let mut tick = tokio::time::interval(PROBE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let answered = tokio::time::timeout(PROBE_TIMEOUT, async {
                if conn.is_none() {
                    conn = Some(options.connect().await?);
                }
                match conn.as_mut() {
                    Some(c) => c.ping().await,
                    None => Ok(()),
                }
            })
            .await;
            let up = matches!(answered, Ok(Ok(())));
            if !up {
                if let Some(c) = conn.take() {
                    // Do not wait on a dead server to say goodbye.
                    drop(tokio::time::timeout(Duration::from_millis(100), c.close()).await);
                }
            }
            health.set(up);
        }
    });
}

/// Answers 503 at once while the probe says the database is down, for every route but
/// `/healthz` (the process itself answers).
pub async fn fail_fast_when_down(
    State(health): State<Arc<Health>>,
    request: Request,
    next: Next,
) -> Response {
    if !health.is_up() && request.uri().path() != routes::HEALTH {
        return AppError::unavailable("the database probe says it is down").into_response();
    }
    next.run(request).await
}

/// The readiness probe's answer when ready (otherwise the 503 error).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready`.
    pub status: &'static str,
}

/// `/readyz`: 200 when the database answers and every migration this build knows is applied,
/// else 503 — within a second either way.
pub async fn readiness(State(health): State<Arc<Health>>, State(pool): State<PgPool>) -> Response {
    if !health.is_up() {
        return AppError::unavailable("readiness: the database probe says it is down")
            .into_response();
    }
    let check = async {
        let applied: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&pool)
                .await?;
        Ok::<_, sqlx::Error>(
            MIGRATOR.iter().filter(|m| !applied.iter().any(|(v,)| *v == m.version)).count(),
        )
    };
    match tokio::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(0)) => axum::Json(Readiness { status: "ready" }).into_response(),
        Ok(Ok(missing)) => {
            AppError::unavailable(format_args!("readiness: {missing} migration(s) not applied"))
                .into_response()
        }
        Ok(Err(error)) => AppError::from(error).into_response(),
        Err(_) => AppError::unavailable("readiness: the database did not answer").into_response(),
    }
}

/// Whether a database error means "the database is out of reach or overloaded" (503, try
/// again) rather than a fault of ours (500).
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // connection_exception, admin/crash shutdown, cannot connect now, query_canceled
            // (statement_timeout).
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "57014")
        }),
        _ => false,
    }
}
