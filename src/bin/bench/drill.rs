//! SPEC §8 through the real router, 90 days: the sessions list for each drill parameter (and a
//! filter), its first page and its 100th (after 4,950 sessions, reached by its cursor) —
//! keyset pagination should make the two cost the same; and the sessions CSV export's speed
//! and memory.

use crate::measure::{get_json, get_ok, percentile, time};
use flowpilot_analytics::{
    drill::DrillParams, error::AppError, routes, server::queries::sessions::TotalFrom,
};
use sqlx::PgPool;
use std::fmt::Write as _;
use uuid::Uuid;

/// Rows before the 100th page of 50.
const BEFORE_PAGE_100: i64 = 99 * 50;

pub async fn drill_down(
    report: &mut String,
    app: &axum::Router,
    cookie: &str,
    pool: &PgPool,
    account: Uuid,
    iterations: u64,
) -> Result<(), AppError> {
    let busiest = |sql: &'static str| async move {
        sqlx::query_scalar::<_, String>(sql).bind(account).fetch_one(pool).await
    };
    let domain = busiest(
        "SELECT problem_domain FROM ai_sessions WHERE account_id = $1 AND problem_domain IS NOT NULL
         GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    )
    .await?;
    let flow = busiest(
        "SELECT matched_flow_id::text FROM ai_sessions WHERE account_id = $1
           AND matched_flow_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    )
    .await?;
    let technician = busiest(
        "SELECT user_id::text FROM ai_sessions WHERE account_id = $1 AND user_id IS NOT NULL
         GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    )
    .await?;
    let day = busiest(
        "SELECT ((now() AT TIME ZONE timezone)::date - 45)::text FROM accounts WHERE id = $1",
    )
    .await?;
    let domain = serde_urlencoded::to_string([("domain", &domain)]).map_err(AppError::internal)?;
    writeln!(
        report,
        "\n#### Drill-down (SPEC §8): the sessions list through the router, 90 days\n\n\
         Each drill is what a number on a tab links to. \"first\" is the newest 50; \"100th\" \
         the 50 after 4,950 sessions, asked for by the cursor the 99th page gives out. \
         \"total\" says how the total was found: from the rollups (what a tab's number is \
         summed from) or by counting the rows.\n\n\
         | drill | total | first page p50 | p95 | 100th page p50 | p95 | 100th ÷ first (p50) |\n\
         |---|---|---|---|---|---|---|"
    )
    .ok();
    let drills = [
        ("none".to_owned(), String::new()),
        ("busiest domain".to_owned(), domain.clone()),
        ("status=escalated".to_owned(), "status=escalated".to_owned()),
        ("tier=guided".to_owned(), "tier=guided".to_owned()),
        ("step=time_entry".to_owned(), "step=time_entry".to_owned()),
        ("a day (45 days ago)".to_owned(), format!("day={day}")),
        ("busiest flow".to_owned(), format!("flow={flow}")),
        ("status=abandoned".to_owned(), "status=abandoned".to_owned()),
        ("tier=exploratory".to_owned(), "tier=exploratory".to_owned()),
        // Two measures at once: no tab links to it, and the rollups do not keep it.
        ("status=resolved&tier=guided".to_owned(), "status=resolved&tier=guided".to_owned()),
        (
            "busiest domain, busiest technician".to_owned(),
            format!("{domain}&technician={technician}"),
        ),
    ];
    for (name, drill) in drills {
        let base = format!("{}?period=90d&{drill}", routes::API_ANALYTICS_SESSIONS);
        let first = get_json(app, &base, cookie).await?;
        let total = first["total"].as_i64().unwrap_or(0);
        let counted = DrillParams::read(|key| url_value(&drill, key)).drill()?;
        let how = match TotalFrom::of(&counted) {
            TotalFrom::Rows => "counted",
            _ => "rollups",
        };
        let times = time(iterations, || get_ok(app, &base, cookie)).await?;
        let (p50, p95) = (percentile(&times, 50.0), percentile(&times, 95.0));
        let later = match cursor_after(app, &base, cookie, BEFORE_PAGE_100).await? {
            Some(cursor) => {
                let path = format!("{base}&cursor={cursor}");
                let times = time(iterations, || get_ok(app, &path, cookie)).await?;
                let (l50, l95) = (percentile(&times, 50.0), percentile(&times, 95.0));
                format!("{l50:.1} | {l95:.1} | {:.2}×", l50 / p50)
            }
            None => "— | — | —".to_owned(),
        };
        writeln!(report, "| {name} | {total} ({how}) | {p50:.1} | {p95:.1} | {later} |").ok();
    }
    Ok(())
}

/// A value of `query` (`a=b&c=d`), decoded.
fn url_value(query: &str, key: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// The cursor after the first `rows` sessions of the list at `base`, walked 200 at a time.
async fn cursor_after(
    app: &axum::Router,
    base: &str,
    cookie: &str,
    rows: i64,
) -> Result<Option<String>, AppError> {
    let (mut seen, mut cursor) = (0, String::new());
    while seen < rows {
        let limit = (rows - seen).min(200);
        let after = if cursor.is_empty() { String::new() } else { format!("&cursor={cursor}") };
        let page = get_json(app, &format!("{base}&limit={limit}{after}"), cookie).await?;
        let Some(next) = page["next_cursor"].as_str() else { return Ok(None) };
        seen += limit;
        cursor = next.to_owned();
    }
    Ok(Some(cursor))
}

/// The sessions CSV of the whole 90 days through the router, read as the client would (chunk
/// by chunk, nothing kept): rows per second, and the process's resident memory before and at
/// its highest while the export runs (sampled every chunk).
pub async fn csv_export(
    report: &mut String,
    app: &axum::Router,
    cookie: &str,
) -> Result<(), AppError> {
    use axum::body::Body;
    use futures_util::StreamExt;
    use tower::ServiceExt;
    let path = format!("{}?period=90d", routes::API_SESSIONS_CSV);
    let request = axum::http::Request::get(&path)
        .header("cookie", cookie)
        .body(Body::empty())
        .map_err(AppError::internal)?;
    let before = resident_kb();
    let start = std::time::Instant::now();
    let response = app.clone().oneshot(request).await.map_err(AppError::internal)?;
    if !response.status().is_success() {
        return Err(AppError::internal(format!("{path}: {}", response.status())));
    }
    let (mut lines, mut bytes, mut highest) = (0u64, 0u64, before);
    let mut body = response.into_body().into_data_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(AppError::internal)?;
        bytes += chunk.len() as u64;
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        highest = highest.max(resident_kb());
    }
    let seconds = start.elapsed().as_secs_f64();
    let rows = lines.saturating_sub(1);
    writeln!(
        report,
        "\n#### CSV export (SPEC §8): every session of 90 days, streamed through the router\n\n\
         | export | rows | MB | seconds | rows/s | resident memory before → highest (MB) | growth (MB) |\n\
         |---|---|---|---|---|---|---|\n\
         | sessions.csv?period=90d | {rows} | {:.1} | {seconds:.2} | {:.0} | {:.1} → {:.1} | {:.1} |",
        bytes as f64 / 1e6,
        rows as f64 / seconds,
        before as f64 / 1024.0,
        highest as f64 / 1024.0,
        (highest - before) as f64 / 1024.0,
    )
    .ok();
    Ok(())
}

/// This process's resident memory (VmRSS), in KiB; 0 where /proc is not there.
fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}
