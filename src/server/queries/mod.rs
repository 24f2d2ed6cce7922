//! The SQL behind each metric family, one file each. Every query takes the account id first
//! and filters by it.

pub mod account;
pub mod coverage;
pub mod flow_quality;
pub mod overview;
pub mod psa;

use crate::model::Period;
use chrono::{DateTime, Duration, Utc};

/// The half-open-at-the-start window `(now - N days, now]` that a period covers.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Window {
    pub fn ending_at(period: Period, now: DateTime<Utc>) -> Self {
        Window { since: now - Duration::days(i64::from(period.days())), until: now }
    }
}
