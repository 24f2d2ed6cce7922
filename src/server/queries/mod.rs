//! The SQL behind each metric family, one file each. Every query takes the account id first
//! and filters by it.
//!
//! A statement is assembled from parts: `window.sql` (the window in the account's local days),
//! a facts part (`session_facts.sql`, `flow_facts.sql`, `time_entry_facts.sql`: the daily
//! rollups for the inner days plus the raw rows of the two edge days) and the metric's own
//! query over those facts. See `migrations/…_daily_rollups.sql` for how the rollups are kept.

/// One analytics statement: the window prefix, then the given parts in order.
macro_rules! statement {
    ($($part:literal),+ $(,)?) => {
        concat!(include_str!("window.sql"), $(include_str!($part)),+)
    };
}

pub mod account;
pub mod coverage;
pub mod filters;
pub mod flow_quality;
pub mod overview;
pub mod psa;
pub mod reference;
pub mod sessions;
mod window;

pub use window::{compared, resolve, windowed, Resolved, Window};

use crate::{
    error::AppError,
    flow_quality::FlowSort,
    model::{
        CoverageResponse, EnhancedPsaMetrics, FlowQualityResponse, OverviewResponse, ViewParams,
    },
    routes::DataSource,
};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

/// Every statement a data source's request runs, each bound to (account, since, until).
pub fn statements(source: DataSource) -> &'static [&'static str] {
    match source {
        DataSource::Overview => overview::STATEMENTS,
        DataSource::Coverage => coverage::STATEMENTS,
        DataSource::FlowQuality => flow_quality::STATEMENTS,
        DataSource::Psa => psa::STATEMENTS,
    }
}

/// The response of any data source.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum SourceAnswer {
    Overview(OverviewResponse),
    Coverage(CoverageResponse),
    FlowQuality(FlowQualityResponse),
    Psa(EnhancedPsaMetrics),
}

/// A data source's answer for the account and window (`sort` orders flow quality's rows).
pub async fn answer(
    pool: &PgPool,
    account_id: Uuid,
    source: DataSource,
    window: Window,
    sort: FlowSort,
) -> Result<SourceAnswer, AppError> {
    Ok(match source {
        DataSource::Overview => {
            SourceAnswer::Overview(overview::overview(pool, account_id, window).await?)
        }
        DataSource::Coverage => {
            SourceAnswer::Coverage(coverage::coverage(pool, account_id, window).await?)
        }
        DataSource::FlowQuality => SourceAnswer::FlowQuality(
            flow_quality::flow_quality(pool, account_id, window, sort).await?,
        ),
        DataSource::Psa => SourceAnswer::Psa(psa::psa_metrics(pool, account_id, window).await?),
    })
}

/// A data source's answer for a request's window, carrying it, with the previous window's
/// answer when `compare` (SPEC §7).
pub async fn requested(
    pool: &PgPool,
    account: Uuid,
    source: DataSource,
    params: &ViewParams,
    compare: bool,
    sort: FlowSort,
) -> Result<SourceAnswer, AppError> {
    Ok(match source {
        DataSource::Overview => SourceAnswer::Overview(
            compared(pool, account, params, compare, |w| overview::overview(pool, account, w))
                .await?,
        ),
        DataSource::Coverage => SourceAnswer::Coverage(
            compared(pool, account, params, compare, |w| coverage::coverage(pool, account, w))
                .await?,
        ),
        DataSource::FlowQuality => SourceAnswer::FlowQuality(
            compared(pool, account, params, compare, |w| {
                flow_quality::flow_quality(pool, account, w, sort)
            })
            .await?,
        ),
        DataSource::Psa => SourceAnswer::Psa(
            compared(pool, account, params, compare, |w| psa::psa_metrics(pool, account, w))
                .await?,
        ),
    })
}
