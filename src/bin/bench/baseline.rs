//! The baseline: the original plan's query shapes, on a copy of the tables with primary keys
//! only, measured in the same run as ours.

use flowpilot_analytics::{
    error::AppError,
    routes::DataSource,
    server::queries::{reference, Window},
};
use sqlx::PgPool;
use std::fmt::Write as _;
use uuid::Uuid;

/// The original plan's shape of one data source: coverage as three queries, flow quality as
/// two COUNTs per flow; overview and PSA as one scan of the raw rows per metric (the
/// reference statements, i.e. our queries before the daily rollups).
pub async fn run(
    pool: &PgPool,
    source: DataSource,
    account: Uuid,
    window: Window,
) -> Result<(), AppError> {
    match source {
        DataSource::Overview | DataSource::Psa => raw_scans(pool, source, account, window).await,
        DataSource::Coverage => {
            sqlx::query(
                "SELECT problem_domain, count(*),
                        count(*) FILTER (WHERE status = 'resolved'),
                        count(*) FILTER (WHERE status = 'escalated'),
                        count(*) FILTER (WHERE confidence_tier = 'guided'),
                        avg(extract(epoch FROM resolved_at - created_at) / 60)
                            FILTER (WHERE status = 'resolved')
                 FROM ai_sessions WHERE account_id = $1 AND created_at > $2 AND created_at <= $3
                   AND problem_domain IS NOT NULL GROUP BY problem_domain",
            )
            .bind(account)
            .bind(window.since)
            .bind(window.until)
            .fetch_all(pool)
            .await?;
            sqlx::query(
                "SELECT c.name, count(*) FROM trees t JOIN categories c ON c.id = t.category_id
                 WHERE t.account_id = $1 AND t.is_active GROUP BY c.name",
            )
            .bind(account)
            .fetch_all(pool)
            .await?;
            sqlx::query(
                "SELECT count(*) FROM ai_sessions WHERE account_id = $1 AND created_at > $2
                   AND created_at <= $3 AND problem_domain IS NULL",
            )
            .bind(account)
            .bind(window.since)
            .bind(window.until)
            .fetch_one(pool)
            .await?;
            Ok(())
        }
        DataSource::FlowQuality => {
            let flows: Vec<(Uuid,)> =
                sqlx::query_as("SELECT id FROM trees WHERE account_id = $1 AND is_active")
                    .bind(account)
                    .fetch_all(pool)
                    .await?;
            for (flow,) in flows {
                for status in ["%", "resolved"] {
                    sqlx::query(
                        "SELECT count(*) FROM ai_sessions WHERE account_id = $1
                           AND matched_flow_id = $2 AND created_at > $3 AND created_at <= $4
                           AND status LIKE $5",
                    )
                    .bind(account)
                    .bind(flow)
                    .bind(window.since)
                    .bind(window.until)
                    .bind(status)
                    .fetch_one(pool)
                    .await?;
                }
            }
            Ok(())
        }
    }
}

/// The source's reference statements: its metrics by scans of the raw rows, filtered as the
/// window says.
pub async fn raw_scans(
    pool: &PgPool,
    source: DataSource,
    account: Uuid,
    window: Window,
) -> Result<(), AppError> {
    for statement in reference::of(source) {
        sqlx::query(statement.raw_scan)
            .bind(account)
            .bind(window.since)
            .bind(window.until)
            .bind(window.filters.technician)
            .bind(window.filters.client)
            .fetch_all(pool)
            .await?;
    }
    Ok(())
}

/// Copies the tables into schema `baseline` with primary keys only (no other index).
pub async fn build_copy(pool: &PgPool) -> Result<(), AppError> {
    let mut sql = String::from("DROP SCHEMA IF EXISTS baseline CASCADE; CREATE SCHEMA baseline;");
    for table in
        ["accounts", "users", "clients", "categories", "trees", "ai_sessions", "psa_activity_logs"]
    {
        write!(
            sql,
            "CREATE TABLE baseline.{table} AS SELECT * FROM public.{table};
             ALTER TABLE baseline.{table} ADD PRIMARY KEY (id);
             ANALYZE baseline.{table};"
        )
        .ok();
    }
    sqlx::raw_sql(&sql).execute(pool).await?;
    Ok(())
}
