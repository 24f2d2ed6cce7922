//! Pushing to the team's PSA. [`PsaProvider`] is what the write path needs from any PSA;
//! ConnectWise Manage is the one built, Autotask or HaloPSA would be further implementations.

pub mod connection;
pub mod connectwise;

use std::{future::Future, pin::Pin};

/// Why a push did not happen, in words fit for the caller (the PSA's own reason included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsaError(pub String);

impl std::fmt::Display for PsaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub type PsaResult<'a> = Pin<Box<dyn Future<Output = Result<(), PsaError>> + Send + 'a>>;

pub trait PsaProvider: Send + Sync {
    /// Checks a ticket id is one this PSA can address, before anything is sent.
    fn check_ticket_id(&self, ticket: &str) -> Result<(), String>;
    fn post_note<'a>(&'a self, ticket: &'a str, text: &'a str) -> PsaResult<'a>;
    fn post_time_entry<'a>(&'a self, ticket: &'a str, hours: f64, notes: &'a str) -> PsaResult<'a>;
    fn update_status<'a>(&'a self, ticket: &'a str, status: &'a str) -> PsaResult<'a>;
}

/// How hard to try: per-request timeout and bounded retries with exponential backoff.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub timeout: std::time::Duration,
    pub max_attempts: u32,
    pub backoff: std::time::Duration,
}
