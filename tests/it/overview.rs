//! The Overview query against real PostgreSQL, with expected numbers worked out by hand from
//! tests/fixtures/overview.sql.

use crate::common::{ACCOUNT_A, ACCOUNT_B};
use chrono::{DateTime, Utc};
use flowpilot_analytics::{
    model::{DomainCount, OverviewDay, Period},
    server::queries::{overview::overview, Window},
};
use sqlx::PgPool;

fn now() -> DateTime<Utc> {
    "2026-03-10T12:00:00Z".parse().unwrap()
}

fn day(date: &str, sessions: i64, resolved: i64, escalated: i64) -> OverviewDay {
    OverviewDay { date: date.into(), sessions, resolved, escalated }
}

#[sqlx::test(fixtures("overview"))]
async fn seven_days_counts_rates_and_averages(pool: PgPool) {
    let o = overview(&pool, ACCOUNT_A, Window::ending_at(Period::Days7, now())).await.unwrap();
    // s1, s2, s3, s4, s6: s5 sits exactly on the window start, s7 is older, s8 is in the future.
    assert_eq!(o.total_sessions, 5);
    assert_eq!(o.resolved_sessions, 2);
    assert_eq!(o.escalated_sessions, 1);
    assert_eq!(o.resolution_rate, 0.4);
    assert_eq!(o.escalation_rate, 0.2);
    assert_eq!(o.guided_rate, 0.4);
    // (0.9 + 0.6 + 0.8 + 0.3) / 4; s6 has no confidence.
    assert_eq!(o.avg_confidence, Some(0.65));
    // Resolved sessions only: (30 + 15) / 2 minutes.
    assert_eq!(o.avg_resolution_minutes, Some(22.5));
    assert_eq!(o.matched_flow_rate, 0.4);
}

#[sqlx::test(fixtures("overview"))]
async fn top_domains_break_ties_by_name_and_skip_unmapped(pool: PgPool) {
    let o = overview(&pool, ACCOUNT_A, Window::ending_at(Period::Days7, now())).await.unwrap();
    let expected = [("Email", 2), ("Printers", 1), ("VPN", 1)]
        .map(|(domain, n)| DomainCount { domain: domain.into(), session_count: n });
    assert_eq!(o.top_domains, expected);
}

#[sqlx::test(fixtures("overview"))]
async fn daily_trend_has_every_local_day_zero_filled(pool: PgPool) {
    let o = overview(&pool, ACCOUNT_A, Window::ending_at(Period::Days7, now())).await.unwrap();
    // Window (2026-03-03 07:00 EST, 2026-03-10 08:00 EDT] covers local days 03-03 … 03-10.
    assert_eq!(
        o.daily_trend,
        vec![
            day("2026-03-03", 2, 0, 0), // s4 at 23:30 EST (03-04 in UTC) and s6
            day("2026-03-04", 0, 0, 0),
            day("2026-03-05", 1, 1, 0),
            day("2026-03-06", 0, 0, 0),
            day("2026-03-07", 0, 0, 0),
            day("2026-03-08", 0, 0, 0),
            day("2026-03-09", 1, 0, 1), // s2 at 00:30 EDT, after the DST change
            day("2026-03-10", 1, 1, 0),
        ]
    );
    let summed: i64 = o.daily_trend.iter().map(|d| d.sessions).sum();
    assert_eq!(summed, o.total_sessions);
}

#[sqlx::test(fixtures("overview"))]
async fn thirty_days_adds_the_older_sessions(pool: PgPool) {
    let o = overview(&pool, ACCOUNT_A, Window::ending_at(Period::Days30, now())).await.unwrap();
    assert_eq!(o.total_sessions, 7);
    assert_eq!(o.resolved_sessions, 4);
    assert_eq!(o.resolution_rate, 0.571);
    assert_eq!(o.escalation_rate, 0.143);
    assert_eq!(o.guided_rate, 0.429);
    assert_eq!(o.avg_confidence, Some(0.72));
    // (30 + 15 + 20 + 10) / 4 = 18.75 → 18.8
    assert_eq!(o.avg_resolution_minutes, Some(18.8));
    assert_eq!(o.matched_flow_rate, 0.286);
    // 2026-02-08 … 2026-03-10 in New York.
    assert_eq!(o.daily_trend.len(), 31);
    assert_eq!(o.daily_trend.first().unwrap().date, "2026-02-08");
    assert_eq!(o.daily_trend.last().unwrap().date, "2026-03-10");
    assert_eq!(o.daily_trend.iter().map(|d| d.sessions).sum::<i64>(), 7);
}

#[sqlx::test(fixtures("overview"))]
async fn other_accounts_never_leak_in(pool: PgPool) {
    let b = overview(&pool, ACCOUNT_B, Window::ending_at(Period::Days7, now())).await.unwrap();
    assert_eq!(b.total_sessions, 2);
    assert_eq!(b.avg_confidence, Some(0.1));
    assert_eq!(
        b.top_domains.iter().map(|d| d.domain.as_str()).collect::<Vec<_>>(),
        ["Backup", "Email"]
    );
}

#[sqlx::test(fixtures("overview"))]
async fn an_empty_period_is_all_zeros_with_every_day_present(pool: PgPool) {
    let long_ago: DateTime<Utc> = "2025-01-31T12:00:00Z".parse().unwrap();
    let o = overview(&pool, ACCOUNT_A, Window::ending_at(Period::Days90, long_ago)).await.unwrap();
    assert_eq!(o.total_sessions, 0);
    assert_eq!(o.resolution_rate, 0.0);
    assert_eq!(o.guided_rate, 0.0);
    assert_eq!(o.avg_confidence, None);
    assert_eq!(o.avg_resolution_minutes, None);
    assert!(o.top_domains.is_empty());
    assert_eq!(o.daily_trend.len(), 91);
    assert!(o.daily_trend.iter().all(|d| d.sessions == 0));
}
