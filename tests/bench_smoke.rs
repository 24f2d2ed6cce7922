//! A tiny run of the benchmark, so it keeps working; the real figures come from
//! scripts/bench.sh, never from CI.

use flowpilot_analytics::server::{
    bench::{run, BenchOptions},
    config::AppConfig,
};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};

#[sqlx::test]
async fn the_benchmark_measures_every_source_and_period_against_the_baseline(
    _: PgPoolOptions,
    options: PgConnectOptions,
) {
    let database = options.get_database().unwrap().to_owned();
    let base = std::env::var("DATABASE_URL").unwrap();
    let url = format!("{}/{database}", base.rsplit_once('/').unwrap().0);
    let pool = PgPool::connect(&url).await.unwrap();
    let config = AppConfig { database_url: url, ..AppConfig::for_tests() };
    let report = run(
        &pool,
        &config,
        &BenchOptions {
            label: "smoke".into(),
            accounts: 2,
            sessions_per_account: 400,
            iterations: 2,
            baseline_iterations: 1,
            skip_baseline: vec!["coverage".into()],
            skip_seed: false,
        },
    )
    .await
    .unwrap();
    for source in ["overview", "coverage", "flow-quality", "psa-metrics"] {
        for period in ["7d", "30d", "90d"] {
            let row = format!("| {source} | {period} |");
            assert!(report.contains(&row), "{row} missing from:\n{report}");
        }
    }
    assert!(report.contains("800 sessions in 2 account(s)"), "{report}");
    assert!(report.contains("× |"), "ratios are reported: {report}");
    assert_eq!(report.matches("not run | — |").count(), 3, "coverage's baseline skipped: {report}");
}
