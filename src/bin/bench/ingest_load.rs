//! The ingest API under load (SPEC §12): the real server, over HTTP on loopback, driven by
//! `workers` clients — each an account of its own with its own API key, as the FlowPilot engine
//! of many MSPs would be — each taking session after session through open → match → ticket →
//! outcome → a note pushed to ConnectWise, every request with its `Idempotency-Key`. The
//! ConnectWise it pushes to is a stub served by this process (it confirms at once, so what is
//! measured is ours). Afterwards the rollups of every account are checked equal to a rebuild.

use super::measure::percentile;
use axum::{
    routing::{get, patch, post},
    Json, Router,
};
use flowpilot_analytics::{
    error::AppError,
    server::{api_keys, config::AppConfig, psa::connection, rollup_check},
};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::{
    fmt::Write as _,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};
use uuid::Uuid;

/// The five events of a session, in the order each worker sends them, with the status each
/// answers when it worked (a new session and a push are created).
const EVENTS: [(&str, u16); 5] =
    [("open", 201), ("match", 200), ("ticket", 200), ("outcome", 200), ("push note", 201)];

/// A ConnectWise that confirms everything at once, on an ephemeral loopback port; its URL.
async fn stub_psa() -> Result<String, AppError> {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let created = || async { Json(json!({ "id": NEXT_ID.fetch_add(1, Ordering::Relaxed) })) };
    let base = "/v4_6_release/apis/3.0";
    let app = Router::new()
        .route(
            &format!("{base}/service/tickets/{{ticket}}/notes"),
            post(created).get(|| async { Json(json!([])) }),
        )
        .route(&format!("{base}/time/entries"), post(created).get(|| async { Json(json!([])) }))
        .route(&format!("{base}/service/tickets/{{ticket}}"), patch(created))
        .route("/healthz", get(|| async { "ok" }));
    let listener =
        tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(AppError::internal)?;
    let address = listener.local_addr().map_err(AppError::internal)?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{address}"))
}

/// One worker's account: created with a flow, an API key and a connection to the stub.
async fn account(
    pool: &PgPool,
    config: &AppConfig,
    psa: &str,
    n: usize,
) -> Result<(Uuid, Uuid, String), AppError> {
    let name = format!("Load account {n:03} {}", Uuid::new_v4());
    let account: Uuid = sqlx::query_scalar(
        "INSERT INTO accounts (name, timezone) VALUES ($1, 'Europe/Berlin') RETURNING id",
    )
    .bind(&name)
    .fetch_one(pool)
    .await?;
    let flow: Uuid = sqlx::query_scalar(
        "INSERT INTO trees (account_id, name) VALUES ($1, 'VPN connect') RETURNING id",
    )
    .bind(account)
    .fetch_one(pool)
    .await?;
    let key = api_keys::create(pool, &name, "load").await?.key;
    let secrets = config.secrets.as_ref().ok_or_else(|| {
        AppError::validation("FLOWPILOT_SECRET_KEY is needed for the PSA connection.")
    })?;
    let new = connection::NewConnection {
        account_name: name,
        site: psa.to_owned(),
        company_id: "load".into(),
        public_key: "load".into(),
        private_key: "load".into(),
        client_id: "load".into(),
        allow_insecure_http: true,
    };
    connection::save(pool, secrets, &new).await?;
    Ok((account, flow, key))
}

#[derive(Default)]
struct Tally {
    /// Latencies per event, in [`EVENTS`] order.
    latencies: [Vec<Duration>; 5],
    /// Answers that were not the event's success, by (event, status).
    failures: Vec<(usize, u16, String)>,
    sessions: u64,
}

async fn worker(
    http: reqwest::Client,
    server: String,
    key: String,
    flow: Uuid,
    n: usize,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut i = 0u64;
    while Instant::now() < until {
        i += 1;
        let tag = format!("w{n}-s{i}");
        let domain = ["VPN", "Email", "Network", "Printing"][(i % 4) as usize];
        let open =
            json!({ "problem_domain": domain, "client": { "name": format!("Client {}", i % 7) } });
        let Some(session) =
            send(&http, &server, &key, 0, "/api/v1/sessions", &open, &tag, &mut tally)
                .await
                .and_then(|body| body["id"].as_str().map(str::to_owned))
        else {
            continue;
        };
        let outcome = if i.is_multiple_of(3) { "escalated" } else { "resolved" };
        let steps: [(usize, String, Value); 4] = [
            (
                1,
                "match".into(),
                json!({ "flow_id": flow, "confidence": 0.8, "confidence_tier": "guided" }),
            ),
            (2, "ticket".into(), json!({ "psa_ticket_id": format!("{}", 100_000 + i) })),
            (3, "outcome".into(), json!({ "status": outcome })),
            (4, "psa/notes".into(), json!({ "text": format!("Load note {tag}") })),
        ];
        for (event, path, body) in steps {
            let path = format!("/api/v1/sessions/{session}/{path}");
            if send(&http, &server, &key, event, &path, &body, &tag, &mut tally).await.is_none() {
                break;
            }
        }
        tally.sessions += 1;
    }
    tally
}

/// One request; its body when it answered the event's success.
#[expect(clippy::too_many_arguments, reason = "one request's parts, all needed")]
async fn send(
    http: &reqwest::Client,
    server: &str,
    key: &str,
    event: usize,
    path: &str,
    body: &Value,
    tag: &str,
    tally: &mut Tally,
) -> Option<Value> {
    let started = Instant::now();
    let response = http
        .post(format!("{server}{path}"))
        .bearer_auth(key)
        .header("idempotency-key", format!("{tag}-{event}"))
        .json(body)
        .send()
        .await;
    let (status, text) = match response {
        Ok(response) => (response.status().as_u16(), response.text().await.unwrap_or_default()),
        Err(error) => (0, error.to_string()),
    };
    tally.latencies[event].push(started.elapsed());
    if status == EVENTS[event].1 {
        serde_json::from_str(&text).ok()
    } else {
        tally.failures.push((event, status, text.chars().take(200).collect()));
        None
    }
}

/// The rollups of `account` against a rebuild, in a transaction that is rolled back: true
/// when every row that counts anything is the same (floats to within their noise).
async fn rollups_exact(pool: &PgPool, account: Uuid) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let kept = rollup_check::rows(&mut tx, account).await?;
    sqlx::query("SELECT rebuild_rollups($1)").bind(account).execute(&mut *tx).await?;
    let rebuilt = rollup_check::rows(&mut tx, account).await?;
    tx.rollback().await?;
    Ok(!kept.is_empty() && rollup_check::same(&Value::Array(kept), &Value::Array(rebuilt)))
}

/// Drives the server at `server` for `seconds` with `workers` clients; the report's section.
pub async fn run(
    pool: &PgPool,
    config: &AppConfig,
    server: &str,
    workers: usize,
    seconds: u64,
) -> Result<String, AppError> {
    let psa = stub_psa().await?;
    let mut accounts = Vec::new();
    for n in 0..workers {
        accounts.push(account(pool, config, &psa, n).await?);
    }
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(workers)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(AppError::internal)?;
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let handles: Vec<_> = accounts
        .iter()
        .enumerate()
        .map(|(n, (_, flow, key))| {
            tokio::spawn(worker(http.clone(), server.to_owned(), key.clone(), *flow, n, until))
        })
        .collect();
    let mut total = Tally::default();
    for handle in handles {
        let tally = handle.await.map_err(AppError::internal)?;
        for (all, mine) in total.latencies.iter_mut().zip(tally.latencies) {
            all.extend(mine);
        }
        total.failures.extend(tally.failures);
        total.sessions += tally.sessions;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut exact = 0;
    for (account, ..) in &accounts {
        exact += usize::from(rollups_exact(pool, *account).await?);
    }

    let events: usize = total.latencies.iter().map(Vec::len).sum();
    let ok = events - total.failures.len();
    let mut report = String::new();
    writeln!(
        report,
        "#### Ingest API under load\n\n{workers} clients (one account and API key each) over HTTP \
         on loopback for {seconds} s, each taking sessions through open → match → ticket → \
         outcome → note pushed (stub ConnectWise in the load process), every request with an \
         `Idempotency-Key`; server, PostgreSQL and clients on the same {} cores.\n",
        std::thread::available_parallelism().map(usize::from).unwrap_or(0)
    )
    .ok();
    writeln!(
        report,
        "- **{:.0} events/s** ({ok} answered as expected of {events} in {elapsed:.1} s; {} \
         sessions completed, {:.0} sessions/s)\n- failures: {}\n- rollups equal to a rebuild \
         afterwards: **{exact} of {} accounts**\n",
        ok as f64 / elapsed,
        total.sessions,
        total.sessions as f64 / elapsed,
        total.failures.len(),
        accounts.len()
    )
    .ok();
    writeln!(report, "| event | requests | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|").ok();
    for ((name, _), latencies) in EVENTS.iter().zip(total.latencies.iter_mut()) {
        latencies.sort();
        writeln!(
            report,
            "| {name} | {} | {:.1} | {:.1} | {:.1} |",
            latencies.len(),
            percentile(latencies, 50.0),
            percentile(latencies, 95.0),
            percentile(latencies, 99.0)
        )
        .ok();
    }
    for (event, status, body) in total.failures.iter().take(5) {
        writeln!(report, "\n- a failed {}: {status} {body}", EVENTS[*event].0).ok();
    }
    Ok(report)
}
