//! Start-up: reach PostgreSQL (creating the database if needed), migrate, then serve until
//! Ctrl-C, with housekeeping in the background.

use crate::server::{auth::session, config::AppConfig, router, state::AppState};
use sqlx::{migrate::MigrateDatabase, postgres::PgPoolOptions, PgPool, Postgres};
use std::time::Duration;

pub async fn connect_and_migrate(config: &AppConfig) -> Result<PgPool, String> {
    let url = &config.database_url;
    let exists = Postgres::database_exists(url)
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at DATABASE_URL: {e}"))?;
    if !exists {
        Postgres::create_database(url).await.map_err(|e| format!("creating the database: {e}"))?;
    }
    let pool = PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .map_err(|e| format!("connecting to PostgreSQL: {e}"))?;
    sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| format!("migrating: {e}"))?;
    Ok(pool)
}

pub async fn serve(pool: PgPool, config: AppConfig) -> Result<(), String> {
    let leptos_config = leptos::prelude::get_configuration(Some("Leptos.toml"))
        .map_err(|e| format!("reading Leptos.toml: {e}"))?;
    let options = leptos_config.leptos_options;
    let addr = options.site_addr;
    let state = AppState::new(options, pool.clone(), config);
    spawn_housekeeping(state.clone());
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("binding {addr}: {e}"))?;
    tracing::info!("serving FlowPilot Analytics at http://{addr}");
    axum::serve(listener, router::build(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("server: {e}"))
}

/// Every minute: forget idle rate-limit keys and delete expired sign-in sessions.
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            state.limiter.forget_idle_keys();
            if let Err(error) = session::delete_expired_sessions(&state.pool).await {
                tracing::warn!("expiring sign-in sessions: {error}");
            }
        }
    });
}
