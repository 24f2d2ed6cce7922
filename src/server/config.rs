//! Runtime configuration from the environment. Site settings (address, asset paths) live in
//! `Leptos.toml`; see `.env.example` for every variable read here.

use std::env;

#[derive(Debug, Clone)]
pub struct AppConfig {
    pub database_url: String,
    /// Requests per minute each user may make to each analytics endpoint.
    pub rate_limit_per_minute: u32,
    /// Marks the session cookie `Secure`; turn off only for plain-HTTP local development.
    pub secure_cookies: bool,
    pub database_max_connections: u32,
    /// Seals PSA private keys at rest (`FLOWPILOT_SECRET_KEY`); pushes need it.
    pub secrets: Option<super::secret_box::SecretBox>,
    pub psa_policy: super::psa::RetryPolicy,
    /// Base URL of the main FlowPilot app, where the flow editor lives ("" = this origin).
    pub app_url: String,
}

/// Request bodies are small JSON or form posts; anything larger is refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/flowpilot_analytics";

impl AppConfig {
    pub fn from_env() -> Result<Self, String> {
        Ok(AppConfig {
            database_url: env::var("DATABASE_URL")
                .unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned()),
            rate_limit_per_minute: parse_var("FLOWPILOT_RATE_LIMIT_PER_MINUTE", 15)?,
            secure_cookies: parse_var("FLOWPILOT_SECURE_COOKIES", true)?,
            database_max_connections: parse_var("FLOWPILOT_DB_MAX_CONNECTIONS", 10)?,
            secrets: match env::var("FLOWPILOT_SECRET_KEY") {
                Ok(key) if !key.trim().is_empty() => {
                    Some(super::secret_box::SecretBox::from_hex(&key)?)
                }
                _ => None,
            },
            psa_policy: super::psa::RetryPolicy {
                timeout: std::time::Duration::from_millis(parse_var(
                    "FLOWPILOT_PSA_TIMEOUT_MS",
                    10_000,
                )?),
                max_attempts: parse_var("FLOWPILOT_PSA_MAX_ATTEMPTS", 3)?,
                backoff: std::time::Duration::from_millis(parse_var(
                    "FLOWPILOT_PSA_BACKOFF_MS",
                    250,
                )?),
            },
            app_url: env::var("FLOWPILOT_APP_URL")
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_owned(),
        })
    }

    /// Settings for tests: the product's limit of 15 requests a minute and cookies usable over plain HTTP.
    pub fn for_tests() -> Self {
        AppConfig {
            database_url: String::new(),
            rate_limit_per_minute: 15,
            secure_cookies: false,
            database_max_connections: 5,
            secrets: Some(
                super::secret_box::SecretBox::from_hex(&"42".repeat(32)).expect("test key"),
            ),
            psa_policy: super::psa::RetryPolicy {
                timeout: std::time::Duration::from_millis(500),
                max_attempts: 3,
                backoff: std::time::Duration::from_millis(20),
            },
            app_url: "https://app.flowpilot.test".into(),
        }
    }
}

fn parse_var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env::var(name) {
        Ok(text) if !text.trim().is_empty() => {
            text.trim().parse().map_err(|_| format!("{name}={text:?} is not a valid value"))
        }
        _ => Ok(default),
    }
}
