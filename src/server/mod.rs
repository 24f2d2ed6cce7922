//! Everything that only exists on the server: configuration, state, sign-in, rate limiting,
//! the JSON API, the command line, demo data and the SQL behind every metric.

pub mod api;
pub mod api_keys;
pub mod assets;
pub mod auth;
pub mod charts;
pub mod cli;
pub mod config;
pub mod csv;
pub mod database;
pub mod errors;
pub mod export;
pub mod headers;
pub mod idempotency;
pub mod identity;
pub mod ingest;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod psa;
pub mod queries;
pub mod rate_limit;
pub mod reactive_owner;
pub mod request_id;
pub mod rollup_check;
pub mod router;
pub mod secret_box;
pub mod seed;
pub mod server_fns;
pub mod state;
pub mod tenant;
