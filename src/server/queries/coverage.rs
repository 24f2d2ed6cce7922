//! Coverage tab (`CoverageResponse`): every problem domain of the window with its flow
//! count and outcome rates, in one statement.

use super::{windowed, Window};
use crate::{
    error::AppError,
    model::{rate, round1, CoverageDomainRow, CoverageResponse},
};
use sqlx::PgPool;
use uuid::Uuid;

pub const COVERAGE_SQL: &str = statement!("raw_sessions.sql", "session_facts.sql", "coverage.sql");
/// Every statement a request runs, each bound to (account, since, until).
pub const STATEMENTS: &[&str] = &[COVERAGE_SQL];

#[derive(sqlx::FromRow)]
struct Row {
    domain: Option<String>,
    flow_count: i64,
    session_count: i64,
    resolved: i64,
    escalated: i64,
    guided: i64,
    avg_resolution_minutes: Option<f64>,
}

pub async fn coverage(
    pool: &PgPool,
    account_id: Uuid,
    window: Window,
) -> Result<CoverageResponse, AppError> {
    let rows: Vec<Row> = windowed(COVERAGE_SQL, account_id, window).fetch_all(pool).await?;
    let mut unmapped_session_count = 0;
    let mut domains = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(domain) = row.domain else {
            unmapped_session_count = row.session_count;
            continue;
        };
        domains.push(CoverageDomainRow {
            domain,
            flow_count: row.flow_count,
            session_count: row.session_count,
            resolution_rate: rate(row.resolved, row.session_count),
            escalation_rate: rate(row.escalated, row.session_count),
            guided_rate: rate(row.guided, row.session_count),
            avg_resolution_minutes: row.avg_resolution_minutes.map(round1),
        });
    }
    Ok(CoverageResponse {
        total_domains: domains.len() as i64,
        domains,
        unmapped_session_count,
        window: Default::default(),
        previous: None,
    })
}
