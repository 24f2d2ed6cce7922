//! `flowpilot-analytics bench`: every data source at scale, beside the original plan's query
//! shapes in the same run (same data, same machine, same minute), written up as Markdown.
//! Not part of CI: `scripts/bench.sh` runs it at the sizes of docs/BENCHMARKS.md.

use super::{
    auth,
    config::AppConfig,
    queries::{self, Window},
    router,
    seed::{self, SeedOptions},
    state::AppState,
};
use crate::{error::AppError, model::Period, quality::FlowSort};
use axum::{body::Body, http::Request};
use serde_json::Value;
use sqlx::{postgres::PgPoolOptions, Connection, Executor, PgConnection, PgPool};
use std::{
    fmt::Write as _,
    future::Future,
    time::{Duration, Instant},
};
use tower::ServiceExt;
use uuid::Uuid;

pub struct BenchOptions {
    pub label: String,
    pub accounts: u32,
    pub sessions_per_account: u64,
    pub iterations: usize,
    pub baseline_iterations: usize,
    /// Sources (by name) whose baseline is not run.
    pub skip_baseline: Vec<String>,
    pub skip_seed: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Source {
    Overview,
    Coverage,
    FlowQuality,
    Psa,
}

const SOURCES: [Source; 4] = [Source::Overview, Source::Coverage, Source::FlowQuality, Source::Psa];

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Overview => "overview",
            Source::Coverage => "coverage",
            Source::FlowQuality => "flow-quality",
            Source::Psa => "psa-metrics",
        }
    }

    fn endpoint(self) -> &'static str {
        match self {
            Source::Overview => "/api/v1/analytics/flowpilot",
            Source::Coverage => "/api/v1/analytics/flowpilot/coverage",
            Source::FlowQuality => "/api/v1/analytics/flowpilot/flow-quality",
            Source::Psa => "/api/v1/analytics/flowpilot/psa-metrics",
        }
    }

    /// The tab's page, server-rendered with its data (SsrMode::Async).
    fn page(self) -> &'static str {
        match self {
            Source::Overview => "/analytics",
            Source::Coverage => "/analytics/coverage",
            Source::FlowQuality => "/analytics/flow-quality",
            Source::Psa => "/analytics/psa",
        }
    }

    fn statements(self) -> &'static [&'static str] {
        match self {
            Source::Overview => queries::overview::STATEMENTS,
            Source::Coverage => queries::coverage::STATEMENTS,
            Source::FlowQuality => queries::flow_quality::STATEMENTS,
            Source::Psa => queries::psa::STATEMENTS,
        }
    }

    /// Our query, as the server runs it.
    async fn ours(self, pool: &PgPool, account: Uuid, window: Window) -> Result<(), AppError> {
        match self {
            Source::Overview => queries::overview::overview(pool, account, window).await.map(drop),
            Source::Coverage => queries::coverage::coverage(pool, account, window).await.map(drop),
            Source::FlowQuality => {
                queries::flow_quality::flow_quality(pool, account, window, FlowSort::Quality)
                    .await
                    .map(drop)
            }
            Source::Psa => queries::psa::psa_metrics(pool, account, window).await.map(drop),
        }
    }

    /// The original plan's shape, on tables with primary keys only: coverage as three queries,
    /// flow quality as two COUNTs per flow; overview and PSA as one scan of the raw rows per
    /// metric (our queries before the daily rollups).
    async fn baseline(self, pool: &PgPool, account: Uuid, window: Window) -> Result<(), AppError> {
        match self {
            Source::Overview => raw_scans(pool, account, window, BASELINE_OVERVIEW).await,
            Source::Psa => raw_scans(pool, account, window, BASELINE_PSA).await,
            Source::Coverage => {
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
            Source::FlowQuality => {
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
}

async fn time<F, Fut>(times: usize, mut run: F) -> Result<Vec<Duration>, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), AppError>>,
{
    let mut samples = Vec::with_capacity(times);
    for _ in 0..times {
        let started = Instant::now();
        run().await?;
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(samples)
}

/// Nearest-rank percentile of sorted samples, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// Rows read by scans and shared buffers touched, from `EXPLAIN (ANALYZE, BUFFERS)`.
async fn explain(
    pool: &PgPool,
    sql: &str,
    account: Uuid,
    window: Window,
) -> Result<(f64, i64), AppError> {
    let plan: (Value,) = sqlx::query_as(&format!("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"))
        .bind(account)
        .bind(window.since)
        .bind(window.until)
        .fetch_one(pool)
        .await?;
    let root = &plan.0[0]["Plan"];
    fn rows(node: &Value) -> f64 {
        let own = if node.get("Relation Name").is_some() {
            node["Actual Rows"].as_f64().unwrap_or(0.0)
                * node["Actual Loops"].as_f64().unwrap_or(1.0)
        } else {
            0.0
        };
        own + node["Plans"].as_array().map(|c| c.iter().map(rows).sum()).unwrap_or(0.0)
    }
    let buffers = root["Shared Hit Blocks"].as_i64().unwrap_or(0)
        + root["Shared Read Blocks"].as_i64().unwrap_or(0);
    Ok((rows(root), buffers))
}

/// GET through the router as the signed-in admin; anything but 2xx is an error.
async fn get_ok(app: &axum::Router, path: &str, cookie: &str) -> Result<(), AppError> {
    let request = Request::get(path).header("cookie", cookie).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.map_err(super::errors::internal)?;
    let status = response.status();
    let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
    if status.is_success() {
        Ok(())
    } else {
        Err(super::errors::internal(format!("{path}: {status}")))
    }
}

/// Each of our statements beside the same metric computed by scanning the raw rows, without
/// the daily rollups (same parameters, same columns): the baseline for overview and PSA, and
/// what tests/rollups.rs holds the rollup-backed statements to.
pub const RAW_EQUIVALENTS: &[(&str, &str)] = &[
    (queries::overview::TOTALS_SQL, include_str!("bench_baseline/overview_totals.sql")),
    (queries::overview::DAILY_SQL, include_str!("bench_baseline/daily_sessions.sql")),
    (queries::overview::TOP_DOMAINS_SQL, include_str!("bench_baseline/top_domains.sql")),
    (queries::coverage::COVERAGE_SQL, include_str!("bench_baseline/coverage.sql")),
    (queries::flow_quality::FLOW_QUALITY_SQL, include_str!("bench_baseline/flow_quality.sql")),
    (queries::psa::TOTALS_SQL, include_str!("bench_baseline/psa_totals.sql")),
    (queries::psa::FUNNEL_SQL, include_str!("bench_baseline/psa_funnel.sql")),
    (queries::psa::DAILY_SQL, include_str!("bench_baseline/psa_daily.sql")),
];
const BASELINE_OVERVIEW: &[(&str, &str)] = RAW_EQUIVALENTS.split_at(3).0;
const BASELINE_PSA: &[(&str, &str)] = RAW_EQUIVALENTS.split_at(5).1;

async fn raw_scans(
    pool: &PgPool,
    account: Uuid,
    window: Window,
    statements: &[(&str, &str)],
) -> Result<(), AppError> {
    for (_, sql) in statements {
        sqlx::query(sql)
            .bind(account)
            .bind(window.since)
            .bind(window.until)
            .fetch_all(pool)
            .await?;
    }
    Ok(())
}

async fn build_baseline(pool: &PgPool) -> Result<(), AppError> {
    let mut sql = String::from("DROP SCHEMA IF EXISTS baseline CASCADE; CREATE SCHEMA baseline;");
    for table in ["accounts", "categories", "trees", "ai_sessions", "psa_activity_logs"] {
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

pub async fn run(
    pool: &PgPool,
    config: &AppConfig,
    options: &BenchOptions,
) -> Result<String, AppError> {
    let mut report = String::new();
    let total_sessions = u64::from(options.accounts) * options.sessions_per_account;
    if !options.skip_seed {
        let seeded = seed::seed_sized(
            pool,
            &SeedOptions {
                accounts: options.accounts,
                sessions_per_account: options.sessions_per_account,
                days: 90,
                rng_seed: 7,
            },
        )
        .await?;
        writeln!(report, "Seeding: {seeded}.").ok();
    }
    let started = Instant::now();
    sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    build_baseline(pool).await?;
    writeln!(
        report,
        "VACUUM ANALYZE and the baseline copy: {:.1} s.\n",
        started.elapsed().as_secs_f64()
    )
    .ok();

    let (account,): (Uuid,) =
        sqlx::query_as("SELECT id FROM accounts WHERE name = 'Seed account 001'")
            .fetch_one(pool)
            .await?;
    let baseline_pool = PgPoolOptions::new()
        .max_connections(2)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("SET search_path TO baseline").await?;
                Ok(())
            })
        })
        .connect(&config.database_url)
        .await?;

    // The JSON endpoints, through the real router, as a team admin of the account.
    let state = AppState::new(
        leptos::prelude::LeptosOptions::builder().output_name("flowpilot-analytics").build(),
        pool.clone(),
        AppConfig { rate_limit_per_minute: 1_000_000, ..config.clone() },
    );
    let app = router::build(state);
    let email = format!("bench-{}@seed.example", Uuid::new_v4());
    let hash = auth::hash_password("bench-password")?;
    let admin: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, role, account_id) VALUES ($1, $2, 'team_admin', $3) RETURNING id",
    )
    .bind(&email)
    .bind(hash)
    .bind(account)
    .fetch_one(pool)
    .await?;
    let cookie = format!("{}={}", auth::SESSION_COOKIE, auth::create_session(pool, admin).await?);

    writeln!(
        report,
        "| source | period | query p50 | p95 | p99 | fresh connection p50 | endpoint p50 | p95 | p99 | page p50 | page − query | rows read | buffers | baseline p50 | baseline ÷ ours |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    .ok();
    let mut p95_by: Vec<(Source, Period, f64)> = Vec::new();
    for source in SOURCES {
        for period in Period::ALL {
            let window = Window::ending_at(period, chrono::Utc::now());
            source.ours(pool, account, window).await?;
            let warm = time(options.iterations, || source.ours(pool, account, window)).await?;
            let fresh = time(options.iterations.min(10), || async {
                let mut conn = PgConnection::connect(&config.database_url).await?;
                conn.execute("DISCARD ALL").await?;
                let single =
                    PgPoolOptions::new().max_connections(1).connect_lazy(&config.database_url)?;
                drop(conn);
                let result = source.ours(&single, account, window).await;
                single.close().await;
                result
            })
            .await?;
            let path = format!("{}?period={period}", source.endpoint());
            let endpoint = time(options.iterations, || get_ok(&app, &path, &cookie)).await?;
            let page = format!("{}?period={period}", source.page());
            let page = time(options.iterations, || get_ok(&app, &page, &cookie)).await?;
            let (mut rows, mut buffers) = (0.0, 0);
            for sql in source.statements() {
                let (r, b) = explain(pool, sql, account, window).await?;
                rows += r;
                buffers += b;
            }
            let ours50 = percentile(&warm, 50.0);
            let baseline = if options.skip_baseline.iter().any(|s| s == source.name()) {
                "not run | —".to_owned()
            } else {
                source.baseline(&baseline_pool, account, window).await?;
                let times = time(options.baseline_iterations, || {
                    source.baseline(&baseline_pool, account, window)
                })
                .await?;
                let base50 = percentile(&times, 50.0);
                format!("{base50:.1} | {:.1}×", base50 / ours50)
            };
            let page50 = percentile(&page, 50.0);
            p95_by.push((source, period, percentile(&warm, 95.0)));
            writeln!(
                report,
                "| {} | {period} | {ours50:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {page50:.1} | {:.1} | {rows:.0} | {buffers} | {baseline} |",
                source.name(),
                percentile(&warm, 95.0),
                percentile(&warm, 99.0),
                percentile(&fresh, 50.0),
                percentile(&endpoint, 50.0),
                percentile(&endpoint, 95.0),
                percentile(&endpoint, 99.0),
                page50 - ours50,
            )
            .ok();
        }
    }
    writeln!(
        report,
        "\nTimes in ms; {} warm runs per cell ({} for the baseline, {} on fresh connections).",
        options.iterations,
        options.baseline_iterations,
        options.iterations.min(10)
    )
    .ok();
    writeln!(report, "\n90-day p95 ÷ 7-day p95:").ok();
    for source in SOURCES {
        let p = |period| {
            p95_by
                .iter()
                .find(|(s, q, _)| *s == source && *q == period)
                .map(|t| t.2)
                .unwrap_or(f64::NAN)
        };
        writeln!(report, "- {}: {:.1}×", source.name(), p(Period::Days90) / p(Period::Days7)).ok();
    }
    sqlx::query("DELETE FROM users WHERE id = $1").bind(admin).execute(pool).await?;
    baseline_pool.close().await;
    Ok(format!(
        "### {} — {} sessions in {} account(s), measured account: {} sessions\n\n{report}",
        options.label, total_sessions, options.accounts, options.sessions_per_account
    ))
}
