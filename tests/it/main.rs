//! The integration tests, one binary: real PostgreSQL (a fresh database per `#[sqlx::test]`),
//! the real router driven with `tower::ServiceExt::oneshot`, a stub PSA over real HTTP.

mod api;
mod assets;
mod auth;
mod bench_smoke;
mod cli;
mod common;
mod contract;
mod coverage;
mod database;
mod errors;
mod export;
mod filters;
mod flow_quality;
mod fuzz;
mod headers;
mod ingest;
mod input;
mod metrics;
mod openapi;
mod overview;
mod pages;
mod perimeter;
mod process;
mod psa;
mod psa_push;
mod psa_stub;
mod rollups;
mod row_security;
mod seed;
mod sessions;
mod slow_psa;
mod tenants;
mod windows;
