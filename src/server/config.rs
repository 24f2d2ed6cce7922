//! Runtime configuration from the environment. Site settings (address, asset paths) live in
//! `Leptos.toml`; see `.env.example` for every variable read here.

use super::psa::PushPolicy;
use std::{env, time::Duration};

#[derive(Debug, Clone)]
pub struct AppConfig {
    pub database_url: String,
    /// Requests per minute each user may make to each analytics endpoint.
    pub rate_limit_per_minute: u32,
    /// Ingest requests per minute per API key (`FLOWPILOT_INGEST_RATE_PER_MIN`, default 1,200).
    pub ingest_rate_per_minute: u32,
    /// The header a trusted reverse proxy puts the client's address in (its last entry is
    /// used), for sign-in throttling per client IP; unset: the peer address of the connection.
    pub client_ip_header: Option<String>,
    /// Marks the session cookie `Secure`; turn off only for plain-HTTP local development.
    pub secure_cookies: bool,
    pub database: DatabaseSettings,
    /// Seals PSA private keys at rest (`FLOWPILOT_SECRET_KEY`); pushes need it.
    pub secrets: Option<super::secret_box::SecretBox>,
    pub push_policy: PushPolicy,
    /// How long SIGTERM / SIGINT wait for requests in flight (`FLOWPILOT_SHUTDOWN_GRACE_SECS`).
    pub shutdown_grace: Duration,
    /// Base URL of the main FlowPilot app, where the flow editor lives ("" = this origin).
    pub app_url: String,
    /// Where Prometheus scrapes `/metrics` (`FLOWPILOT_METRICS_ADDR`, default
    /// `127.0.0.1:9464`; `off` for no listener). Loopback by default: the numbers name routes
    /// and volumes, for the operator's scraper rather than the internet.
    pub metrics_addr: Option<std::net::SocketAddr>,
}

/// The pool and the guards every app connection carries (SPEC §9).
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// `FLOWPILOT_DB_MAX_CONNECTIONS` (default 10).
    pub max_connections: u32,
    /// Waiting for a free connection (`FLOWPILOT_DB_ACQUIRE_TIMEOUT_SECS`, default 3 s).
    pub acquire_timeout: Duration,
    /// `statement_timeout` (`FLOWPILOT_DB_STATEMENT_TIMEOUT_SECS`, default 5 s).
    pub statement_timeout: Duration,
    /// `idle_in_transaction_session_timeout`
    /// (`FLOWPILOT_DB_IDLE_IN_TRANSACTION_TIMEOUT_SECS`, default 10 s).
    pub idle_in_transaction_timeout: Duration,
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
            ingest_rate_per_minute: parse_var("FLOWPILOT_INGEST_RATE_PER_MIN", 1200)?,
            client_ip_header: env::var("FLOWPILOT_CLIENT_IP_HEADER")
                .ok()
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty()),
            secure_cookies: parse_var("FLOWPILOT_SECURE_COOKIES", true)?,
            database: DatabaseSettings {
                max_connections: parse_var("FLOWPILOT_DB_MAX_CONNECTIONS", 10)?,
                acquire_timeout: seconds("FLOWPILOT_DB_ACQUIRE_TIMEOUT_SECS", 3.0)?,
                statement_timeout: seconds("FLOWPILOT_DB_STATEMENT_TIMEOUT_SECS", 5.0)?,
                idle_in_transaction_timeout: seconds(
                    "FLOWPILOT_DB_IDLE_IN_TRANSACTION_TIMEOUT_SECS",
                    10.0,
                )?,
            },
            secrets: match env::var("FLOWPILOT_SECRET_KEY") {
                Ok(key) if !key.trim().is_empty() => {
                    Some(super::secret_box::SecretBox::from_hex(&key)?)
                }
                _ => None,
            },
            push_policy: PushPolicy {
                timeout: seconds("FLOWPILOT_PSA_TIMEOUT_SECS", 10.0)?,
                max_attempts: parse_var("FLOWPILOT_PSA_MAX_ATTEMPTS", 3)?,
                backoff: Duration::from_millis(parse_var("FLOWPILOT_PSA_BACKOFF_MS", 250)?),
                deadline: seconds("FLOWPILOT_PSA_DEADLINE_SECS", 30.0)?,
                settle: seconds("FLOWPILOT_PSA_SETTLE_SECS", 60.0)?,
                max_concurrent: parse_var("FLOWPILOT_PSA_MAX_CONCURRENT", 4)?,
                sweep_every: seconds("FLOWPILOT_PSA_SWEEP_SECS", 30.0)?,
            },
            shutdown_grace: seconds("FLOWPILOT_SHUTDOWN_GRACE_SECS", 20.0)?,
            app_url: env::var("FLOWPILOT_APP_URL")
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_owned(),
            metrics_addr: match env::var("FLOWPILOT_METRICS_ADDR") {
                Ok(text) if text.trim().eq_ignore_ascii_case("off") => None,
                _ => Some(parse_var("FLOWPILOT_METRICS_ADDR", ([127, 0, 0, 1], 9464).into())?),
            },
        })
        // Read by the logger before this (it starts first); a typo still stops the process.
        .and_then(|config| log_format().map(|_| config))
    }

    /// Settings for tests: the product's limit of 15 requests a minute and cookies usable over plain HTTP.
    pub fn for_tests() -> Self {
        AppConfig {
            database_url: String::new(),
            rate_limit_per_minute: 15,
            ingest_rate_per_minute: 1200,
            client_ip_header: None,
            secure_cookies: false,
            database: DatabaseSettings {
                max_connections: 5,
                acquire_timeout: Duration::from_secs(3),
                statement_timeout: Duration::from_secs(5),
                idle_in_transaction_timeout: Duration::from_secs(10),
            },
            secrets: Some(
                super::secret_box::SecretBox::from_hex(&"42".repeat(32)).expect("test key"),
            ),
            push_policy: PushPolicy {
                timeout: Duration::from_millis(500),
                max_attempts: 3,
                backoff: Duration::from_millis(20),
                deadline: Duration::from_secs(5),
                settle: Duration::from_secs(1),
                max_concurrent: 4,
                sweep_every: Duration::from_secs(1),
            },
            shutdown_grace: Duration::from_secs(5),
            app_url: "https://app.flowpilot.test".into(),
            metrics_addr: None,
        }
    }
}

/// `FLOWPILOT_LOG_FORMAT`: `json` (one JSON object per log line: true), or `text` (the
/// default, human-readable: false).
pub fn log_format() -> Result<bool, String> {
    match env::var("FLOWPILOT_LOG_FORMAT").unwrap_or_default().trim().to_ascii_lowercase().as_str()
    {
        "json" => Ok(true),
        "" | "text" => Ok(false),
        other => Err(format!("FLOWPILOT_LOG_FORMAT={other:?}: use json or text")),
    }
}

/// A duration in seconds (fractions allowed: `0.5`), positive.
fn seconds(name: &str, default: f64) -> Result<Duration, String> {
    let value: f64 = parse_var(name, default)?;
    if !(value.is_finite() && value > 0.0) {
        return Err(format!("{name}={value} must be a positive number of seconds"));
    }
    Ok(Duration::from_secs_f64(value))
}

fn parse_var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env::var(name) {
        Ok(text) if !text.trim().is_empty() => {
            text.trim().parse().map_err(|_| format!("{name}={text:?} is not a valid value"))
        }
        _ => Ok(default),
    }
}
