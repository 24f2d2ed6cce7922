//! The Coverage query against real PostgreSQL, expected rows worked out by hand from
//! tests/fixtures/coverage.sql.

use crate::common::{ACCOUNT_A, ACCOUNT_B};
use chrono::{DateTime, Utc};
use flowpilot_analytics::{
    model::{CoverageDomainRow, Period},
    server::queries::{coverage::coverage, Window},
};
use sqlx::PgPool;

fn now() -> DateTime<Utc> {
    "2026-03-10T12:00:00Z".parse().unwrap()
}

fn row(
    domain: &str,
    flow_count: i64,
    session_count: i64,
    rates: (f64, f64, f64),
    avg_resolution_minutes: Option<f64>,
) -> CoverageDomainRow {
    CoverageDomainRow {
        domain: domain.into(),
        flow_count,
        session_count,
        resolution_rate: rates.0,
        escalation_rate: rates.1,
        guided_rate: rates.2,
        avg_resolution_minutes,
    }
}

#[sqlx::test(fixtures("coverage"))]
async fn every_domain_with_flows_rates_and_resolution_time(pool: PgPool) {
    let c = coverage(&pool, ACCOUNT_A, Window::ending_at(Period::Days7, now())).await.unwrap();
    assert_eq!(
        c.domains,
        vec![
            row("Email", 5, 4, (0.75, 0.25, 0.75), Some(20.0)),
            row("Printers", 0, 3, (0.333, 0.0, 0.0), Some(12.0)),
            // Tie at 2 sessions: by domain. Account B's Backup flows do not count here.
            row("Backup", 0, 2, (0.0, 1.0, 0.5), None),
            row("VPN", 1, 2, (0.5, 0.0, 0.0), Some(45.0)),
        ]
    );
    assert_eq!(c.unmapped_session_count, 2);
    assert_eq!(c.total_domains, 4);
}

#[sqlx::test(fixtures("coverage"))]
async fn a_longer_period_takes_in_older_sessions(pool: PgPool) {
    let c = coverage(&pool, ACCOUNT_A, Window::ending_at(Period::Days30, now())).await.unwrap();
    let email = &c.domains[0];
    assert_eq!((email.domain.as_str(), email.session_count), ("Email", 5));
    assert_eq!(email.resolution_rate, 0.8);
    // (10 + 20 + 30 + 5) / 4
    assert_eq!(email.avg_resolution_minutes, Some(16.3));
}

#[sqlx::test(fixtures("coverage"))]
async fn other_accounts_are_scoped_out(pool: PgPool) {
    let c = coverage(&pool, ACCOUNT_B, Window::ending_at(Period::Days7, now())).await.unwrap();
    assert_eq!(
        c.domains,
        vec![
            row("Backup", 2, 1, (1.0, 0.0, 1.0), Some(10.0)),
            row("Email", 0, 1, (1.0, 0.0, 1.0), Some(10.0)),
        ]
    );
    assert_eq!(c.unmapped_session_count, 0);
}

#[sqlx::test(fixtures("coverage"))]
async fn a_period_without_sessions_is_empty(pool: PgPool) {
    let long_ago: DateTime<Utc> = "2025-01-01T00:00:00Z".parse().unwrap();
    let c = coverage(&pool, ACCOUNT_A, Window::ending_at(Period::Days90, long_ago)).await.unwrap();
    assert!(c.domains.is_empty());
    assert_eq!((c.unmapped_session_count, c.total_domains), (0, 0));
}
