//! A tiny run of the benchmark binary, so it keeps working; the real figures come from
//! scripts/bench.sh, never from CI.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::process::Command;

#[sqlx::test]
async fn the_benchmark_measures_every_source_and_period_against_the_baseline(
    _: PgPoolOptions,
    options: PgConnectOptions,
) {
    let url = crate::common::database_url(&options);
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_flowpilot-bench"))
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .args(["--label", "smoke", "--accounts", "2", "--sessions-per-account", "400"])
            .args([
                "--iterations",
                "2",
                "--baseline-iterations",
                "1",
                "--skip-baseline",
                "coverage",
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}\n{}", String::from_utf8_lossy(&output.stderr));
    for source in ["overview", "coverage", "flow-quality", "psa-metrics"] {
        for period in ["7d", "30d", "90d"] {
            let row = format!("| {source} | {period} |");
            assert!(report.contains(&row), "{row} missing from:\n{report}");
        }
    }
    // Each endpoint filtered by a technician and by a client, beside the raw scan.
    for source in ["overview", "coverage", "flow-quality", "psa-metrics"] {
        for filter in ["technician", "client"] {
            let row = format!("| {source} | 90d | {filter} |");
            assert!(report.contains(&row), "{row} missing from:\n{report}");
        }
    }
    // The sessions list for each drill; 400 sessions hold no 100th page.
    for drill in [
        "| none | ",
        "| status=escalated | ",
        "| busiest flow | ",
        "| status=abandoned | ",
        "| status=resolved&tier=guided | ",
    ] {
        assert!(report.contains(drill), "{drill} missing from:\n{report}");
    }
    assert!(report.contains("(rollups) |") && report.contains("(counted) |"), "{report}");
    assert!(report.contains("| — | — | — |"), "{report}");
    // The export streams the measured account's sessions of 90 days (its oldest may have
    // just left the window).
    let export = report.split("| sessions.csv?period=90d | ").nth(1).expect("the CSV export row");
    let rows: u64 = export.split(' ').next().unwrap().parse().unwrap();
    assert!((390..=400).contains(&rows), "{rows} rows exported: {report}");
    assert!(report.contains("800 sessions in 2 account(s)"), "{report}");
    assert!(report.contains("× |"), "ratios are reported: {report}");
    assert_eq!(report.matches("not run | — |").count(), 3, "coverage's baseline skipped: {report}");
}

#[test]
fn the_product_binary_offers_no_benchmark() {
    let output = Command::new(env!("CARGO_BIN_EXE_flowpilot-analytics")).arg("--help").output();
    let help = String::from_utf8_lossy(&output.unwrap().stdout).to_lowercase();
    assert!(help.contains("seed") && help.contains("serve"), "{help}");
    assert!(!help.contains("bench"), "{help}");
}
