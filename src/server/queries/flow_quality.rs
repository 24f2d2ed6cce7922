//! Flow quality tab (`FlowQualityResponse`): every active flow scored in one aggregated
//! statement — the original plan counted sessions flow by flow.

use super::{windowed, Window};
use crate::{
    error::AppError,
    flow_quality::{self as rules, row_marks, sort_rows, FlowSort},
    model::{round3, FlowQualityResponse, FlowQualityRow},
};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

pub const FLOW_QUALITY_SQL: &str =
    statement!("raw_sessions.sql", "flow_facts.sql", "flow_quality.sql");
/// Every statement a request runs, each bound to (account, since, until).
pub const STATEMENTS: &[&str] = &[FLOW_QUALITY_SQL];

#[derive(sqlx::FromRow)]
struct Row {
    flow_id: Uuid,
    name: String,
    tree_type: String,
    usage_count: i64,
    resolved: i64,
    guided: i64,
    avg_confidence: Option<f64>,
    last_matched_at: Option<DateTime<Utc>>,
    days_since_match: Option<i32>,
}

pub async fn flow_quality(
    pool: &PgPool,
    account_id: Uuid,
    window: Window,
    sort: FlowSort,
) -> Result<FlowQualityResponse, AppError> {
    let rows: Vec<Row> = windowed(FLOW_QUALITY_SQL, account_id, window).fetch_all(pool).await?;

    let mut flows = Vec::with_capacity(rows.len());
    let mut flagged = Vec::new();
    for row in rows {
        let days = row.days_since_match.map(i64::from);
        let ratio = |part: i64| (row.usage_count > 0).then(|| part as f64 / row.usage_count as f64);
        let success_rate = ratio(row.resolved).map(round3);
        let score = rules::quality_score(success_rate, ratio(row.guided), rules::recency(days));
        if rules::needs_attention(success_rate, row.usage_count, days) {
            flagged.push(row.flow_id.to_string());
        }
        flows.push(FlowQualityRow {
            flow_id: row.flow_id.to_string(),
            name: row.name,
            tree_type: row.tree_type,
            usage_count: row.usage_count,
            success_rate,
            last_matched_at: row.last_matched_at,
            avg_confidence: row.avg_confidence.map(round3),
            quality_score: score,
        });
    }

    let top_performers = row_marks(&flows)
        .top
        .iter()
        .filter_map(|id| flows.iter().find(|f| &f.flow_id == id).cloned())
        .collect();
    sort_rows(&mut flows, sort.column(), true);
    let needs_attention = flows.iter().filter(|f| flagged.contains(&f.flow_id)).cloned().collect();
    Ok(FlowQualityResponse {
        flows,
        top_performers,
        needs_attention,
        window: Default::default(),
        previous: None,
    })
}
