//! Pushing to the team's PSA. [`PsaProvider`] is what the write path needs from any PSA: send
//! one record, and find it again by the push's id. ConnectWise Manage is the one built; Autotask
//! or HaloPSA would be further implementations. How a push gets exactly one effect is
//! [`delivery`]'s job, what is recorded about it [`ledger`]'s.

pub mod connection;
pub mod connectwise;
pub mod delivery;
pub mod ledger;

use serde::{Deserialize, Serialize};
use std::{future::Future, pin::Pin, time::Duration};
use uuid::Uuid;

/// Why a push did not happen (or is not known to have happened), in words fit for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsaError(pub String);

impl std::fmt::Display for PsaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What one push writes, fixed when the push is first recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PushKind {
    Note { text: String },
    TimeEntry { hours: f64, notes: String, time_start: chrono::DateTime<chrono::Utc> },
    Status { status: String },
}

impl PushKind {
    /// The `psa_pushes.kind` column.
    pub fn name(&self) -> &'static str {
        match self {
            PushKind::Note { .. } => "note",
            PushKind::TimeEntry { .. } => "time_entry",
            PushKind::Status { .. } => "status",
        }
    }

    /// The `psa_activity_logs.activity_type` a confirmed push is logged as.
    pub fn activity_type(&self) -> &'static str {
        match self {
            PushKind::Note { .. } => "note_posted",
            PushKind::TimeEntry { .. } => "time_entry_posted",
            PushKind::Status { .. } => "status_updated",
        }
    }

    pub fn hours(&self) -> Option<f64> {
        match self {
            PushKind::TimeEntry { hours, .. } => Some(*hours),
            _ => None,
        }
    }

    /// Whether sending it twice has the effect of sending it once (setting a status does; a
    /// second note or time entry would be a second record).
    pub fn is_idempotent(&self) -> bool {
        matches!(self, PushKind::Status { .. })
    }
}

/// One push as the PSA sees it: its id (the marker the record carries), the ticket, the record.
#[derive(Debug, Clone)]
pub struct Push {
    pub id: Uuid,
    pub ticket: String,
    pub kind: PushKind,
}

/// What one request to the PSA did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The PSA answered success; its record id when it gave one.
    Applied { record_id: Option<String> },
    /// The PSA certainly did not apply it: it refused (4xx), or the request never left (the
    /// connection could not be made). `retry` when trying again may succeed (429, no connection).
    NotApplied { reason: PsaError, retry: bool },
    /// The PSA answered a server error: it finished with the request, which may or may not
    /// have been applied; looking it up tells.
    Failed { reason: PsaError },
    /// No answer (a timeout, a connection dropped after sending): the PSA may still be applying
    /// it. Looking it up tells only if it is there.
    NoAnswer { reason: PsaError },
}

pub type PsaFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait PsaProvider: Send + Sync {
    /// Checks a ticket id is one this PSA can address, before anything is recorded or sent.
    fn check_ticket_id(&self, ticket: &str) -> Result<(), String>;
    /// One request, no retries: [`delivery`] decides what happens next.
    fn send<'a>(&'a self, push: &'a Push) -> PsaFuture<'a, Attempt>;
    /// The PSA's record of `push` (its id) if the PSA has one; only for pushes that are not
    /// idempotent (notes, time entries).
    fn find<'a>(&'a self, push: &'a Push) -> PsaFuture<'a, Result<Option<String>, PsaError>>;
}

/// How hard to try, and how long to wait.
#[derive(Debug, Clone, Copy)]
pub struct PushPolicy {
    /// One request to the PSA (`FLOWPILOT_PSA_TIMEOUT_SECS`, default 10 s).
    pub timeout: Duration,
    /// Requests per delivery, lookups not counted (`FLOWPILOT_PSA_MAX_ATTEMPTS`, default 3).
    pub max_attempts: u32,
    /// Before the second request; doubled for each further one (`FLOWPILOT_PSA_BACKOFF_MS`).
    pub backoff: Duration,
    /// Everything one delivery does, lookups and retries included
    /// (`FLOWPILOT_PSA_DEADLINE_SECS`, default 30 s).
    pub deadline: Duration,
    /// After a request went unanswered, how long before the same record may be sent again if a
    /// lookup does not find it: time for a slow PSA to finish applying the first one
    /// (`FLOWPILOT_PSA_SETTLE_SECS`, default 60 s).
    pub settle: Duration,
    /// Pushes in flight at once per account (`FLOWPILOT_PSA_MAX_CONCURRENT`, default 4).
    pub max_concurrent: u32,
    /// How often the sweep looks for pushes left pending (`FLOWPILOT_PSA_SWEEP_SECS`, 30 s).
    pub sweep_every: Duration,
}

impl PushPolicy {
    /// How long a holder keeps a push: its whole deadline (it never sends after it), and a
    /// second to record the outcome. Should a write of the outcome come later still, nothing
    /// happens twice: confirming is guarded in the database, and the next holder looks the push
    /// up and sends nothing within [`PushPolicy::settle`] of the last send.
    pub fn lease(&self) -> Duration {
        self.deadline + Duration::from_secs(1)
    }
}
