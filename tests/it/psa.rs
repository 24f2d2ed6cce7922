//! The PSA metrics against real PostgreSQL, expected figures worked out by hand from
//! tests/fixtures/psa.sql.

use crate::common::{ACCOUNT_A, ACCOUNT_B};
use chrono::{DateTime, Utc};
use flowpilot_analytics::{
    model::{Period, PsaDailyTrend, PsaFunnel},
    server::queries::{psa::psa_metrics, Window},
};
use sqlx::PgPool;

fn now() -> DateTime<Utc> {
    "2026-03-31T12:00:00Z".parse().unwrap()
}

fn day(date: &str, entries: i64, hours: f64) -> PsaDailyTrend {
    PsaDailyTrend { date: date.into(), entries, hours }
}

#[sqlx::test(fixtures("psa"))]
async fn time_entries_hours_and_average_per_session(pool: PgPool) {
    let m = psa_metrics(&pool, ACCOUNT_A, Window::ending_at(Period::Days7, now())).await.unwrap();
    // 1.5 + 0.75 + 0.25 + 2.0 + 1.0, posted in the window (S6's 4.0 h is older).
    assert_eq!(m.total_time_entries, 5);
    assert_eq!(m.total_hours_logged, 5.5);
    // Over S1, S2, S3 and S6: 5.5 / 4 = 1.375
    assert_eq!(m.avg_hours_per_session, 1.38);
}

#[sqlx::test(fixtures("psa"))]
async fn the_funnel_counts_each_session_once_per_step(pool: PgPool) {
    let m = psa_metrics(&pool, ACCOUNT_A, Window::ending_at(Period::Days7, now())).await.unwrap();
    assert_eq!(
        m.push_funnel,
        PsaFunnel {
            total_sessions: 6,    // S1–S5, S7
            linked_to_ticket: 5,  // all but S5
            doc_pushed: 3,        // S1 (two notes), S2, S4
            time_entry_logged: 2, // S1, S2; S3 logged time but never pushed a note
        }
    );
}

#[sqlx::test(fixtures("psa"))]
async fn the_trend_has_every_local_day_across_the_dst_change(pool: PgPool) {
    let m = psa_metrics(&pool, ACCOUNT_A, Window::ending_at(Period::Days7, now())).await.unwrap();
    assert_eq!(
        m.daily_trend,
        vec![
            day("2026-03-24", 0, 0.0),
            day("2026-03-25", 1, 1.0),
            day("2026-03-26", 0, 0.0),
            day("2026-03-27", 1, 2.0),
            day("2026-03-28", 0, 0.0),
            day("2026-03-29", 1, 0.75), // 23:30Z on the 28th is 00:30 CET
            day("2026-03-30", 2, 1.75), // 22:30Z on the 29th is 00:30 CEST
            day("2026-03-31", 0, 0.0),
        ]
    );
}

#[sqlx::test(fixtures("psa"))]
async fn other_accounts_and_empty_periods(pool: PgPool) {
    let b = psa_metrics(&pool, ACCOUNT_B, Window::ending_at(Period::Days7, now())).await.unwrap();
    assert_eq!(
        (b.total_time_entries, b.total_hours_logged, b.avg_hours_per_session),
        (1, 9.0, 9.0)
    );
    assert_eq!(b.push_funnel.total_sessions, 1);
    assert_eq!(b.push_funnel.time_entry_logged, 1);

    let long_ago: DateTime<Utc> = "2025-06-01T00:00:00Z".parse().unwrap();
    let empty =
        psa_metrics(&pool, ACCOUNT_A, Window::ending_at(Period::Days30, long_ago)).await.unwrap();
    assert_eq!((empty.total_time_entries, empty.total_hours_logged), (0, 0.0));
    assert_eq!(empty.avg_hours_per_session, 0.0);
    assert_eq!(empty.push_funnel.total_sessions, 0);
    assert_eq!(empty.daily_trend.len(), 31);
    assert!(empty.daily_trend.iter().all(|d| d.entries == 0 && d.hours == 0.0));
}
