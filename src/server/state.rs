use super::{config::AppConfig, database::Health};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

/// Shared by every handler; server functions read it with `expect_context::<AppState>()`.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<AppConfig>,
    /// What the database probe last saw (always up where no probe runs).
    pub database: Arc<Health>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, config: AppConfig) -> Self {
        AppState {
            leptos_options,
            pool,
            config: Arc::new(config),
            database: Arc::new(Health::default()),
        }
    }
}

impl FromRef<AppState> for PgPool {
    fn from_ref(state: &AppState) -> Self {
        state.pool.clone()
    }
}

impl FromRef<AppState> for Arc<Health> {
    fn from_ref(state: &AppState) -> Self {
        state.database.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
