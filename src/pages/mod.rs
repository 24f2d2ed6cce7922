//! One file per page or tab, each with its thin server functions on top.

pub mod analytics;
pub mod coverage;
pub mod flow_quality;
pub mod login;
pub mod not_found;
pub mod overview;
pub mod psa;
pub mod sessions;
