//! `flowpilot-bench`: every data source at scale, beside the original plan's query shapes in
//! the same run (same data, same machine, same minute), written up as Markdown. Not part of
//! the product binary nor of CI (a smoke run is): `scripts/bench.sh` runs it at the sizes of
//! docs/BENCHMARKS.md against a database of its own.

mod baseline;
mod drill;
mod ingest_load;
mod measure;

use clap::Parser;
use flowpilot_analytics::{
    error::AppError,
    flow_quality::FlowSort,
    model::{self, Period},
    routes::DataSource,
    server::{
        auth,
        cli::init_logging,
        config::AppConfig,
        database,
        queries::{self, Window},
        router,
        seed::{self, SeedOptions},
        state::AppState,
        tenant,
    },
};
use measure::{explain, get_ok, percentile, time};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, Executor, PgConnection, PgPool,
};
use std::{fmt::Write as _, io::Write as _, process::ExitCode, str::FromStr, time::Instant};
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "flowpilot-bench",
    about = "Measures every data source at scale beside the original plan"
)]
struct BenchOptions {
    /// The report section's title.
    #[arg(long, default_value = "bench")]
    label: String,
    #[arg(long, default_value_t = 1)]
    accounts: u32,
    #[arg(long, default_value_t = 1_000_000)]
    sessions_per_account: u64,
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    iterations: u64,
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    baseline_iterations: u64,
    /// Leave out the baseline of these sources (the original flow-quality plan scans the whole
    /// table twice per flow: hours at 10M sessions).
    #[arg(long, value_delimiter = ',')]
    skip_baseline: Vec<String>,
    /// Measure the data already in the database.
    #[arg(long)]
    skip_seed: bool,
    /// Instead of the data sources: drive the ingest API of the server at this base URL
    /// (after seeding, unless --skip-seed), then check the rollups against a rebuild.
    #[arg(long)]
    ingest_load: Option<String>,
    /// Ingest load: concurrent clients, one account each.
    #[arg(long, default_value_t = 16)]
    workers: usize,
    /// Ingest load: how long to drive it.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Measure only these parts, for a quick look (with --skip-seed, on data already there):
    /// sources, windows, filters, drill, csv. All of them when not given.
    #[arg(long, value_delimiter = ',', value_parser = ["sources", "windows", "filters", "drill", "csv"])]
    only: Vec<String>,
    /// Append the Markdown section to this file (it is printed either way).
    #[arg(long)]
    report: Option<std::path::PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    let options = BenchOptions::parse();
    match bench(&options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(options: &BenchOptions) -> Result<(), String> {
    let config = AppConfig::from_env()?;
    let pool = PgPool::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| format!("migrating: {e}"))?;
    let section = match &options.ingest_load {
        Some(server) => ingest(&pool, &config, options, server).await,
        None => measure(&pool, &config, options).await,
    }
    .map_err(|e| e.user_message())?;
    if let Some(path) = &options.report {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        writeln!(file, "{section}").map_err(|e| e.to_string())?;
    }
    println!("{section}");
    Ok(())
}

/// Our query for one data source, as the server runs it.
async fn ours(
    pool: &PgPool,
    source: DataSource,
    account: Uuid,
    window: Window,
) -> Result<(), AppError> {
    queries::answer(pool, account, source, window, FlowSort::Quality).await.map(drop)
}

/// The sessions every run measures on: `accounts` × `sessions_per_account` over 90 days.
fn seed_options(options: &BenchOptions) -> SeedOptions {
    SeedOptions {
        accounts: options.accounts,
        sessions_per_account: options.sessions_per_account,
        days: 90,
        rng_seed: 7,
    }
}

/// The ingest load, on top of the seeded sessions.
async fn ingest(
    pool: &PgPool,
    config: &AppConfig,
    options: &BenchOptions,
    server: &str,
) -> Result<String, AppError> {
    let mut report = format!(
        "### {}

",
        options.label
    );
    if !options.skip_seed {
        let seeded = seed::seed_sized(pool, &seed_options(options)).await?;
        writeln!(
            report,
            "Seeding: {seeded}.
"
        )
        .ok();
        sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    }
    report
        .push_str(&ingest_load::run(pool, config, server, options.workers, options.seconds).await?);
    Ok(report)
}

async fn measure(
    pool: &PgPool,
    config: &AppConfig,
    options: &BenchOptions,
) -> Result<String, AppError> {
    let mut report = String::new();
    let wants = |part: &str| options.only.is_empty() || options.only.iter().any(|o| o == part);
    let total_sessions = u64::from(options.accounts) * options.sessions_per_account;
    if !options.skip_seed {
        let seeded = seed::seed_sized(pool, &seed_options(options)).await?;
        writeln!(report, "Seeding: {seeded}.").ok();
    }
    let started = Instant::now();
    sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    if wants("sources") {
        baseline::build_copy(pool).await?;
    }
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

    // The server's own pool: the app role under row-level security, bound per checkout.
    let app_pool = database::app_pool(
        PgConnectOptions::from_str(&config.database_url).map_err(AppError::internal)?,
        &config.database,
    );
    // The JSON endpoints, through the real router, as a team admin of the account.
    let state = AppState::new(
        leptos::prelude::LeptosOptions::builder().output_name("flowpilot-analytics").build(),
        app_pool.clone(),
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
    let cookie = format!(
        "{}={}",
        auth::session::cookie_name(config.secure_cookies),
        auth::create_session(pool, admin).await?
    );

    if wants("sources") {
        let run = Sources {
            pool,
            config,
            options,
            app: &app,
            cookie: &cookie,
            app_pool: &app_pool,
            baseline_pool: &baseline_pool,
            account,
        };
        sources(&mut report, run).await?;
    }
    if wants("windows") {
        windows_and_comparison(&mut report, &app, &cookie, pool, account, options).await?;
    }
    if wants("filters") {
        filters(&mut report, &app, &cookie, pool, account, options).await?;
    }
    if wants("drill") {
        drill::drill_down(&mut report, &app, &cookie, pool, account, options.iterations).await?;
    }
    if wants("csv") {
        drill::csv_export(&mut report, &app, &cookie).await?;
    }
    sqlx::query("DELETE FROM users WHERE id = $1").bind(admin).execute(pool).await?;
    baseline_pool.close().await;
    app_pool.close().await;
    Ok(format!(
        "### {} — {} sessions in {} account(s), measured account: {} sessions\n\n{report}",
        options.label, total_sessions, options.accounts, options.sessions_per_account
    ))
}

/// What measuring the data sources reads: the owner's pool, the server's (the app role under
/// row-level security), the baseline copy's, the router and a signed-in admin of `account`.
struct Sources<'a> {
    pool: &'a PgPool,
    config: &'a AppConfig,
    options: &'a BenchOptions,
    app: &'a axum::Router,
    cookie: &'a str,
    app_pool: &'a PgPool,
    baseline_pool: &'a PgPool,
    account: Uuid,
}

/// Each data source for each period: its statements as the server runs them (warm, as the app
/// role, on a fresh connection), through the router as JSON and as a page, what EXPLAIN says
/// they read, and the original plan's shape beside them.
async fn sources(report: &mut String, run: Sources<'_>) -> Result<(), AppError> {
    let Sources { pool, config, options, app, cookie, app_pool, baseline_pool, account } = run;
    writeln!(
        report,
        "| source | period | query p50 | p95 | p99 | as app role p50 | p95 | app role ÷ owner (p50) | fresh connection p50 | endpoint p50 | p95 | p99 | page p50 | page − query | rows read | buffers | baseline p50 | baseline ÷ ours |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    .ok();
    let mut p95_by: Vec<(DataSource, Period, f64)> = Vec::new();
    for source in DataSource::ALL {
        for period in Period::ALL {
            let window = Window::ending_at(period, chrono::Utc::now());
            ours(pool, source, account, window).await?;
            let warm = time(options.iterations, || ours(pool, source, account, window)).await?;
            // The same statements as the server runs them: as the app role, bound to the account
            // (row-level security on), against the owner's run above (which bypasses it).
            let app_role = time(options.iterations, || {
                tenant::scoped(account, ours(app_pool, source, account, window))
            })
            .await?;
            let fresh = time(options.iterations.min(10), || async {
                let mut conn = PgConnection::connect(&config.database_url).await?;
                conn.execute("DISCARD ALL").await?;
                let single =
                    PgPoolOptions::new().max_connections(1).connect_lazy(&config.database_url)?;
                drop(conn);
                let result = ours(&single, source, account, window).await;
                single.close().await;
                result
            })
            .await?;
            let path = format!("{}?period={period}", source.api_path());
            let endpoint = time(options.iterations, || get_ok(app, &path, cookie)).await?;
            let page = format!("{}?period={period}", source.page());
            let page = time(options.iterations, || get_ok(app, &page, cookie)).await?;
            let (mut rows, mut buffers) = (0.0, 0);
            for sql in queries::statements(source) {
                let (r, b) = explain(pool, sql, account, window).await?;
                rows += r;
                buffers += b;
            }
            let ours50 = percentile(&warm, 50.0);
            let baseline = if options.skip_baseline.iter().any(|s| s == source.name()) {
                "not run | —".to_owned()
            } else {
                baseline::run(baseline_pool, source, account, window).await?;
                let times = time(options.baseline_iterations, || {
                    baseline::run(baseline_pool, source, account, window)
                })
                .await?;
                let base50 = percentile(&times, 50.0);
                format!("{base50:.1} | {:.1}×", base50 / ours50)
            };
            let page50 = percentile(&page, 50.0);
            p95_by.push((source, period, percentile(&warm, 95.0)));
            writeln!(
                report,
                "| {} | {period} | {ours50:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2}× | {:.1} | {:.1} | {:.1} | {:.1} | {page50:.1} | {:.1} | {rows:.0} | {buffers} | {baseline} |",
                source.name(),
                percentile(&warm, 95.0),
                percentile(&warm, 99.0),
                percentile(&app_role, 50.0),
                percentile(&app_role, 95.0),
                percentile(&app_role, 50.0) / ours50,
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
    for source in DataSource::ALL {
        let p = |period| {
            p95_by
                .iter()
                .find(|(s, q, _)| *s == source && *q == period)
                .map(|t| t.2)
                .unwrap_or(f64::NAN)
        };
        writeln!(report, "- {}: {:.1}×", source.name(), p(Period::Days90) / p(Period::Days7)).ok();
    }
    Ok(())
}

/// SPEC §7 through the real router: each endpoint for 90 days alone; 30 days compared with the
/// 30 before (both full of data); 90 days compared with the previous 90 (before the seed's
/// data: empty); a 365-day custom range (ending today) compared with the 365 days before.
async fn windows_and_comparison(
    report: &mut String,
    app: &axum::Router,
    cookie: &str,
    pool: &PgPool,
    account: Uuid,
    options: &BenchOptions,
) -> Result<(), AppError> {
    let (today,): (chrono::NaiveDate,) =
        sqlx::query_as("SELECT (now() AT TIME ZONE timezone)::date FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_one(pool)
            .await?;
    let year = format!("from={}&to={today}", today - chrono::Duration::days(364));
    let cases = [
        ("90d", "period=90d".to_owned()),
        // The seed spans 90 days: only a window whose previous one holds data shows what
        // comparing costs.
        ("30d, compare=previous", "period=30d&compare=previous".to_owned()),
        ("90d, compare=previous", "period=90d&compare=previous".to_owned()),
        ("365-day range, compare=previous", format!("{year}&compare=previous")),
    ];
    writeln!(
        report,
        "\n#### Windows and comparison (SPEC §7), endpoint through the router\n\n| source | window | p50 | p95 | p99 | ÷ 90d alone (p50) |\n|---|---|---|---|---|---|"
    )
    .ok();
    for source in DataSource::ALL {
        let mut alone = f64::NAN;
        for (name, query) in &cases {
            let path = format!("{}?{query}", source.api_path());
            get_ok(app, &path, cookie).await?;
            let times = time(options.iterations, || get_ok(app, &path, cookie)).await?;
            let p50 = percentile(&times, 50.0);
            if alone.is_nan() {
                alone = p50;
            }
            writeln!(
                report,
                "| {} | {name} | {p50:.1} | {:.1} | {:.1} | {:.2}× |",
                source.name(),
                percentile(&times, 95.0),
                percentile(&times, 99.0),
                p50 / alone
            )
            .ok();
        }
    }
    Ok(())
}

/// SPEC §7's filters through the real router: each endpoint compared with the previous window
/// and filtered by the account's busiest technician, then by its busiest client, then by a
/// technician without sessions, for 90 days and a 365-day range; beside the raw scan of the same statements, filtered alike, for the
/// current window alone (the reference statements, on the same tables).
async fn filters(
    report: &mut String,
    app: &axum::Router,
    cookie: &str,
    pool: &PgPool,
    account: Uuid,
    options: &BenchOptions,
) -> Result<(), AppError> {
    let busiest = |column: &str| {
        format!(
            "SELECT {column} FROM ai_sessions WHERE account_id = $1 AND {column} IS NOT NULL
             GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
    };
    let technician: Uuid =
        sqlx::query_scalar(&busiest("user_id")).bind(account).fetch_one(pool).await?;
    let client: Uuid =
        sqlx::query_scalar(&busiest("client_id")).bind(account).fetch_one(pool).await?;
    // A user of the account who ran no session: what a new technician's filter reads.
    let quiet: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.account_id = $1
           AND NOT EXISTS (SELECT 1 FROM ai_sessions s WHERE s.account_id = $1 AND s.user_id = u.id)
         ORDER BY u.id LIMIT 1",
    )
    .bind(account)
    .fetch_one(pool)
    .await?;
    let (share_t, share_c): (f64, f64) = sqlx::query_as(
        "SELECT avg((user_id = $2)::int)::float8, avg((client_id = $3)::int)::float8
         FROM ai_sessions WHERE account_id = $1",
    )
    .bind(account)
    .bind(technician)
    .bind(client)
    .fetch_one(pool)
    .await?;
    writeln!(
        report,
        "\n#### Filters (SPEC §7), endpoint through the router, compare=previous\n\nThe busiest \
         technician has {:.0}% of the account's sessions, the busiest client {:.0}%; \"quiet \
         technician\" is a user with none (a new technician: the planner must not scan the table \
         for so rare a value). \"raw scan\" \
         runs the source's statements as scans of the raw rows (the reference statements), \
         filtered alike, for the current window only.\n\n| source | window | filter | p50 | p95 | \
         p99 | raw scan p50 | raw ÷ ours (p50) |\n|---|---|---|---|---|---|---|---|",
        share_t * 100.0,
        share_c * 100.0
    )
    .ok();
    let now = chrono::Utc::now();
    let (today,): (chrono::NaiveDate,) =
        sqlx::query_as("SELECT (now() AT TIME ZONE timezone)::date FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_one(pool)
            .await?;
    let year = format!("from={}&to={today}", today - chrono::Duration::days(364));
    let windows = [
        ("90d", "period=90d".to_owned(), chrono::Duration::days(90)),
        ("365-day range", year, chrono::Duration::days(365)),
    ];
    let by = [
        ("technician", model::Filters { technician: Some(technician), client: None }),
        ("client", model::Filters { technician: None, client: Some(client) }),
        ("quiet technician", model::Filters { technician: Some(quiet), client: None }),
    ];
    for source in DataSource::ALL {
        for (window_name, window_query, length) in &windows {
            for (filter_name, filters) in &by {
                let id = filters.technician.or(filters.client).unwrap_or_default();
                let param = if filters.technician.is_some() { "technician" } else { "client" };
                let path =
                    format!("{}?{window_query}&compare=previous&{param}={id}", source.api_path());
                get_ok(app, &path, cookie).await?;
                let times = time(options.iterations, || get_ok(app, &path, cookie)).await?;
                let window = Window { since: now - *length, until: now, filters: *filters };
                let raw = time(options.baseline_iterations, || {
                    baseline::raw_scans(pool, source, account, window)
                })
                .await?;
                let (p50, raw50) = (percentile(&times, 50.0), percentile(&raw, 50.0));
                writeln!(
                    report,
                    "| {} | {window_name} | {filter_name} | {p50:.1} | {:.1} | {:.1} | {raw50:.1} | {:.1}× |",
                    source.name(),
                    percentile(&times, 95.0),
                    percentile(&times, 99.0),
                    raw50 / p50
                )
                .ok();
            }
        }
    }
    Ok(())
}
