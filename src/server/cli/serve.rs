//! Serving: bind (the app, and the metrics listener unless `FLOWPILOT_METRICS_ADDR=off`), run
//! the background work (housekeeping, the push sweep, the database probe),
//! and on SIGTERM or SIGINT stop accepting, let requests in flight finish within the grace
//! period, then exit 0. A push still in flight at the end stays pending for the sweep of the
//! next process (it was recorded before the PSA was called).

use crate::server::{
    assets,
    auth::session,
    config::AppConfig,
    database, metrics,
    psa::{delivery, ledger},
    rate_limit, router,
    state::AppState,
};
use sqlx::{postgres::PgConnectOptions, PgPool};
use std::{str::FromStr, sync::Arc, time::Duration};
use tokio::sync::Notify;

/// Serves from a pool of its own as the app role ([`database::app_pool`]); `owner` (what
/// migrated the database) is closed first, so no request runs as the owner.
/// The metrics listener (SPEC §11), beside the app's: bound before the app serves, so a port
/// that is taken stops the start instead of leaving a server nobody can scrape.
async fn serve_metrics(addr: std::net::SocketAddr, pool: PgPool) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        format!("binding the metrics listener {addr} (FLOWPILOT_METRICS_ADDR): {e}")
    })?;
    tracing::info!("metrics at http://{addr}/metrics");
    metrics::spawn_upkeep();
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, metrics::router(pool)).await {
            tracing::error!("the metrics listener stopped: {error}");
        }
    });
    Ok(())
}

pub async fn serve(owner: PgPool, config: AppConfig) -> Result<(), String> {
    owner.close().await;
    let url = PgConnectOptions::from_str(&config.database_url)
        .map_err(|e| format!("DATABASE_URL: {e}"))?;
    let pool = database::app_pool(url, &config.database);
    let leptos_config = leptos::prelude::get_configuration(Some("Leptos.toml"))
        .map_err(|e| format!("reading Leptos.toml: {e}"))?;
    let options = assets::with_build_names(leptos_config.leptos_options);
    let addr = options.site_addr;
    let grace = config.shutdown_grace;
    let probe_options = database::app_connect_options(&config)?;
    let state = AppState::new(options, pool, config);
    database::spawn_probe(probe_options, state.database.clone());
    spawn_housekeeping(state.clone());
    spawn_sweep(state.clone());
    if let Some(metrics_addr) = state.config.metrics_addr {
        serve_metrics(metrics_addr, state.pool.clone()).await?;
    }
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("binding {addr}: {e}"))?;
    tracing::info!("serving FlowPilot Analytics at http://{addr}");
    let stopping = Arc::new(Notify::new());
    // The peer address feeds sign-in throttling per client IP.
    let app = router::build(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown({
        let stopping = stopping.clone();
        async move {
            let signal = shutdown_signal().await;
            tracing::info!(
                "{signal}: finishing requests in flight (up to {} s)",
                grace.as_secs_f64()
            );
            stopping.notify_one();
        }
    });
    tokio::select! {
        served = server => served.map_err(|e| format!("server: {e}"))?,
        () = async { stopping.notified().await; tokio::time::sleep(grace).await } => {
            tracing::warn!("the shutdown grace ran out with requests in flight; exiting");
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM (what process managers send) or SIGINT (Ctrl-C), whichever comes first.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "SIGINT",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// Every minute: remove ended rate-limit windows, expired sign-in sessions, and
/// idempotency records and resolved pushes past their retention.
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(error) = rate_limit::expire(&state.pool).await {
                tracing::warn!("expiring rate-limit buckets: {error}");
            }
            if let Err(error) = session::delete_expired_sessions(&state.pool).await {
                tracing::warn!("expiring sign-in sessions: {error}");
            }
            if let Err(error) = ledger::expire(&state.pool).await {
                tracing::warn!("expiring idempotency records: {error}");
            }
        }
    });
}

/// Resolves pushes left pending, every `FLOWPILOT_PSA_SWEEP_SECS`.
fn spawn_sweep(state: AppState) {
    tokio::spawn(async move {
        let policy = state.config.push_policy;
        let mut tick = tokio::time::interval(policy.sweep_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match delivery::sweep(&state.pool, state.config.secrets.as_ref(), &policy).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("the sweep resolved {n} pending PSA push(es)"),
                Err(error) => tracing::warn!("sweeping pending PSA pushes: {error}"),
            }
        }
    });
}
