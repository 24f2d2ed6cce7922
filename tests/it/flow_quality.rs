//! The Flow quality query against real PostgreSQL, scores worked out by hand from
//! tests/fixtures/flow_quality.sql.

use crate::common::{ACCOUNT_A, ACCOUNT_B};
use chrono::{DateTime, Utc};
use flowpilot_analytics::{
    flow_quality::FlowSort,
    model::{FlowQualityResponse, FlowQualityRow, Period},
    server::queries::{flow_quality::flow_quality, Window},
};
use sqlx::PgPool;

fn now() -> DateTime<Utc> {
    "2026-03-10T12:00:00Z".parse().unwrap()
}

async fn run(pool: &PgPool, period: Period, sort: FlowSort) -> FlowQualityResponse {
    flow_quality(pool, ACCOUNT_A, Window::ending_at(period, now()), sort).await.unwrap()
}

fn names(rows: &[FlowQualityRow]) -> Vec<&str> {
    rows.iter().map(|r| r.name.as_str()).collect()
}

fn find<'a>(r: &'a FlowQualityResponse, name: &str) -> &'a FlowQualityRow {
    r.flows.iter().find(|f| f.name == name).unwrap()
}

#[sqlx::test(fixtures("flow_quality"))]
async fn every_active_flow_is_scored(pool: PgPool) {
    let r = run(&pool, Period::Days7, FlowSort::Quality).await;
    assert_eq!(names(&r.flows), ["Foxtrot", "Alpha", "Charlie", "Bravo", "Delta"]);

    let alpha = find(&r, "Alpha");
    assert_eq!(alpha.usage_count, 4);
    assert_eq!(alpha.success_rate, Some(0.75));
    assert_eq!(alpha.avg_confidence, Some(0.75));
    // 0.75·0.5 + 0.5·0.3 + 1.0·0.2 (matched today)
    assert_eq!(alpha.quality_score, 0.725);
    assert_eq!(alpha.tree_type, "troubleshooting");

    // 1·0.5 + 1·0.3 + (1 − 5/90)·0.2
    assert_eq!(find(&r, "Foxtrot").quality_score, 0.989);
    // 0 + 0 + (1 − 1/90)·0.2
    let charlie = find(&r, "Charlie");
    assert_eq!((charlie.success_rate, charlie.quality_score), (Some(0.0), 0.198));
    assert_eq!(charlie.avg_confidence, Some(0.3));

    // Not used in the period: usage 0, no rates, recency only (45 days → 0.5).
    let bravo = find(&r, "Bravo");
    assert_eq!((bravo.usage_count, bravo.success_rate, bravo.avg_confidence), (0, None, None));
    assert_eq!(bravo.quality_score, 0.1);
    assert_eq!(bravo.tree_type, "procedure");
    // Never used at all.
    let delta = find(&r, "Delta");
    assert_eq!((delta.usage_count, delta.last_matched_at, delta.quality_score), (0, None, 0.0));
}

#[sqlx::test(fixtures("flow_quality"))]
async fn top_performers_and_needs_attention(pool: PgPool) {
    let r = run(&pool, Period::Days7, FlowSort::Quality).await;
    // Delta scores 0 and is no performer at all.
    assert_eq!(names(&r.top_performers), ["Foxtrot", "Alpha", "Charlie", "Bravo"]);
    // Bravo: 45 days unused; Delta: never used. Charlie's 0% success is over 2 sessions, a
    // small sample: not a reason to flag it.
    assert_eq!(names(&r.needs_attention), ["Bravo", "Delta"]);
}

#[sqlx::test(fixtures("flow_quality"))]
async fn a_low_success_rate_flags_a_flow_from_ten_sessions_on(pool: PgPool) {
    let add = |n: i32| {
        sqlx::query(
            "INSERT INTO ai_sessions (account_id, matched_flow_id, problem_domain, status, created_at)
             SELECT $1, 'aaaaaaaa-0000-0000-0000-0000000000f3', 'VPN', 'abandoned',
                    '2026-03-09 11:00Z'
             FROM generate_series(1, $2)",
        )
        .bind(ACCOUNT_A)
        .bind(n)
    };
    add(7).execute(&pool).await.unwrap();
    let r = run(&pool, Period::Days7, FlowSort::Quality).await;
    assert_eq!(find(&r, "Charlie").usage_count, 9);
    assert!(!names(&r.needs_attention).contains(&"Charlie"), "9 sessions: too few to judge");
    add(1).execute(&pool).await.unwrap();
    let r = run(&pool, Period::Days7, FlowSort::Quality).await;
    assert_eq!(
        (find(&r, "Charlie").usage_count, find(&r, "Charlie").success_rate),
        (10, Some(0.0))
    );
    assert!(names(&r.needs_attention).contains(&"Charlie"), "0% over 10 sessions");
}

#[sqlx::test(fixtures("flow_quality"))]
async fn each_sort(pool: PgPool) {
    let usage = run(&pool, Period::Days7, FlowSort::Usage).await;
    assert_eq!(names(&usage.flows), ["Alpha", "Charlie", "Foxtrot", "Bravo", "Delta"]);
    let success = run(&pool, Period::Days7, FlowSort::SuccessRate).await;
    assert_eq!(names(&success.flows), ["Foxtrot", "Alpha", "Charlie", "Bravo", "Delta"]);
    // The lists do not depend on the table's sort.
    assert_eq!(names(&usage.top_performers), ["Foxtrot", "Alpha", "Charlie", "Bravo"]);
}

#[sqlx::test(fixtures("flow_quality"))]
async fn a_longer_period_counts_older_matches(pool: PgPool) {
    let r = run(&pool, Period::Days90, FlowSort::Quality).await;
    let bravo = find(&r, "Bravo");
    assert_eq!(bravo.usage_count, 2);
    assert_eq!(bravo.success_rate, Some(1.0));
    assert_eq!(bravo.avg_confidence, Some(0.6));
    // 1·0.5 + 0.5·0.3 + 0.5·0.2
    assert_eq!(bravo.quality_score, 0.75);
    assert!(names(&r.needs_attention).contains(&"Bravo"), "still unused for 45 days");
}

#[sqlx::test(fixtures("flow_quality"))]
async fn inactive_flows_and_other_accounts_are_left_out(pool: PgPool) {
    let r = run(&pool, Period::Days90, FlowSort::Quality).await;
    assert!(!names(&r.flows).contains(&"Echo retired"));
    assert!(!names(&r.flows).contains(&"Golf"));
    let b =
        flow_quality(&pool, ACCOUNT_B, Window::ending_at(Period::Days7, now()), FlowSort::Quality)
            .await
            .unwrap();
    assert_eq!(names(&b.flows), ["Golf"]);
}
