//! Generated data: the demo accounts (`seed --demo`) and sized data for tests and benchmarks
//! (`seed --accounts --sessions-per-account --days --rng-seed`). The same seed gives the same
//! accounts, flows and sessions, laid out relative to the moment of seeding. Sessions and PSA
//! logs are streamed with COPY. Seeding an account replaces any account of the same name, so
//! running it twice does not duplicate data.

mod catalogue;
mod copy;
mod generator;

use super::auth;
use crate::error::AppError;
use catalogue::{CLIENTS, DOMAINS, EXTRA_CATEGORY, NO_CLIENT_SHARE};
use chrono::{DateTime, Duration, Utc};
use generator::{generate_session, random_uuid, Flow};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use std::{fmt, time::Instant};
use uuid::Uuid;

pub const DEMO_PASSWORD: &str = "flowpilot-demo";

pub struct AccountSpec {
    pub name: String,
    pub timezone: String,
    pub admin_email: String,
    pub technician_email: String,
    pub sessions: u64,
    pub days: u32,
    pub rng_seed: u64,
}

/// Sized data: `accounts` accounts named "Seed account 001"…, each with its sessions spread
/// over the last `days` days.
#[derive(Debug, Clone, clap::Args)]
pub struct SeedOptions {
    #[arg(long, default_value_t = 1)]
    pub accounts: u32,
    #[arg(long, default_value_t = 10_000)]
    pub sessions_per_account: u64,
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    #[arg(long, default_value_t = 42)]
    pub rng_seed: u64,
}

pub struct SeedReport {
    pub accounts: u32,
    pub sessions: u64,
    pub activity_logs: u64,
    pub seconds: f64,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "seeded {} account(s): {} sessions, {} PSA activity logs in {:.1} s ({:.0} sessions/s)",
            self.accounts,
            self.sessions,
            self.activity_logs,
            self.seconds,
            self.sessions as f64 / self.seconds.max(1e-9)
        )
    }
}

pub struct DemoLogin {
    pub admin_email: String,
    pub other_admin_email: String,
    pub technician_email: String,
    pub report: SeedReport,
}

impl fmt::Display for DemoLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.report)?;
        writeln!(f, "Demo sign-in:  {}  /  {DEMO_PASSWORD}   (Northwind MSP)", self.admin_email)?;
        writeln!(
            f,
            "Other account: {}  /  {DEMO_PASSWORD}   (Contoso IT)",
            self.other_admin_email
        )?;
        write!(f, "Technician:    {}  /  {DEMO_PASSWORD}   (sees 403)", self.technician_email)
    }
}

pub fn demo_accounts(rng_seed: u64) -> [AccountSpec; 2] {
    [
        AccountSpec {
            name: "Northwind MSP".into(),
            timezone: "America/New_York".into(),
            admin_email: "admin@northwind.example".into(),
            technician_email: "tech@northwind.example".into(),
            sessions: 6_000,
            days: 90,
            rng_seed,
        },
        AccountSpec {
            name: "Contoso IT".into(),
            timezone: "Europe/Berlin".into(),
            admin_email: "admin@contoso.example".into(),
            technician_email: "tech@contoso.example".into(),
            sessions: 2_500,
            days: 90,
            rng_seed: rng_seed.wrapping_add(1),
        },
    ]
}

pub async fn seed_demo(pool: &PgPool, rng_seed: u64) -> Result<DemoLogin, AppError> {
    let accounts = demo_accounts(rng_seed);
    let report = seed_accounts(pool, &accounts).await?;
    Ok(DemoLogin {
        admin_email: accounts[0].admin_email.clone(),
        other_admin_email: accounts[1].admin_email.clone(),
        technician_email: accounts[0].technician_email.clone(),
        report,
    })
}

pub async fn seed_sized(pool: &PgPool, options: &SeedOptions) -> Result<SeedReport, AppError> {
    let specs: Vec<AccountSpec> = (1..=options.accounts)
        .map(|n| AccountSpec {
            name: format!("Seed account {n:03}"),
            timezone: "UTC".into(),
            admin_email: format!("admin{n:03}@seed.example"),
            technician_email: format!("tech{n:03}@seed.example"),
            sessions: options.sessions_per_account,
            days: options.days,
            rng_seed: options.rng_seed.wrapping_mul(1_000_003).wrapping_add(u64::from(n)),
        })
        .collect();
    seed_accounts(pool, &specs).await
}

async fn seed_accounts(pool: &PgPool, specs: &[AccountSpec]) -> Result<SeedReport, AppError> {
    let started = Instant::now();
    let password_hash = auth::hash_password(DEMO_PASSWORD)?;
    let now = Utc::now();
    let mut report = SeedReport { accounts: 0, sessions: 0, activity_logs: 0, seconds: 0.0 };
    for spec in specs {
        let logs = seed_account(pool, spec, &password_hash, now).await?;
        report.accounts += 1;
        report.sessions += spec.sessions;
        report.activity_logs += logs;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// How many connections COPY an account's sessions and logs at once. The COPYs' foreign-key
/// checks and index upkeep are PostgreSQL's work, one core per connection: with one
/// connection the seed ran at one core (the generator near 0%).
const WRITERS: usize = 2;

/// One account, in three steps: its frame (the account, its users, flows and clients) in one
/// transaction; its sessions and logs generated in order and COPYed by [`WRITERS`]
/// connections at once, each in its own transaction with the rollup triggers deferred; then
/// one fold of its rollups and flow counters. Until the fold commits, the account's rollups
/// lag its rows: seed before serving it. If any step fails the account is removed, so no
/// half-seeded account is left (a process killed mid-seed leaves one, which the next seed of
/// that name replaces).
async fn seed_account(
    pool: &PgPool,
    spec: &AccountSpec,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.rng_seed);
    let mut tx = bulk_transaction(pool).await?;
    let frame = insert_frame(&mut tx, spec, password_hash, now, &mut rng).await?;
    tx.commit().await?;
    let account_id = frame.account_id;
    let seeded = async {
        let logs = stream_sessions(pool, spec, frame, &mut rng, now).await?;
        fold(pool, account_id).await?;
        Ok(logs)
    }
    .await;
    if seeded.is_err() {
        let mut tx = bulk_transaction(pool).await?;
        remove_accounts_named(&mut tx, &spec.name).await?;
        tx.commit().await?;
    }
    seeded
}

/// A transaction of the operator's bulk load, not a request: its COPYs and its fold take as
/// long as the account is large (the fold of 1M sessions, seconds), beyond the connection's
/// statement timeout.
async fn bulk_transaction(pool: &PgPool) -> Result<Transaction<'static, Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL statement_timeout = 0").execute(&mut *tx).await?;
    Ok(tx)
}

/// What the sessions are generated against.
struct Frame {
    account_id: Uuid,
    flows: Vec<Vec<Flow>>,
    clients: Spread,
    technicians: Spread,
}

/// Removes the accounts of this name and their users (a user outlives its account), rollups
/// and all (ON DELETE CASCADE): their rows' triggers are deferred, as they would only fold
/// changes into rollups about to be deleted; the deferral ends with the deletes.
async fn remove_accounts_named(conn: &mut PgConnection, name: &str) -> Result<(), AppError> {
    defer_rollups(conn, true).await?;
    sqlx::query("DELETE FROM users WHERE account_id IN (SELECT id FROM accounts WHERE name = $1)")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM accounts WHERE name = $1").bind(name).execute(&mut *conn).await?;
    defer_rollups(conn, false).await
}

/// Generates the account's sessions and logs in order (the same seed gives the same rows) and
/// hands each COPY batch to the next writer in turn; a session's logs travel in its batch.
async fn stream_sessions(
    pool: &PgPool,
    spec: &AccountSpec,
    mut frame: Frame,
    rng: &mut ChaCha8Rng,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    // A pool smaller than the writers would leave a writer waiting for a connection while
    // the generator waits for it to take a batch.
    let writers = WRITERS.min(pool.options().get_max_connections().max(1) as usize);
    let mut batches = Vec::with_capacity(writers);
    let mut tasks = Vec::with_capacity(writers);
    for _ in 0..writers {
        let (send, receive) = tokio::sync::mpsc::channel(1);
        batches.push(send);
        tasks.push(tokio::spawn(write_batches(pool.clone(), receive)));
    }
    let account_id = frame.account_id;
    let weights: Vec<u32> = DOMAINS.iter().map(|d| d.weight).collect();
    let total_weight: u32 = weights.iter().sum();
    let mut logs_written = 0u64;
    let mut batch = copy::Batch::default();
    let mut sent = 0usize;
    for n in 0..spec.sessions {
        let session = generate_session(rng, spec, &frame.flows, total_weight, now, n);
        // The technician and client come from generators of their own: drawn here, before the
        // logs that carry them, every value is what it was when they were drawn after.
        let client = (!frame.clients.rng.gen_bool(NO_CLIENT_SHARE)).then(|| frame.clients.pick());
        let owner = (frame.technicians.pick(), client);
        let pushed = session.write_logs_csv(rng, account_id, owner, now, &mut batch.logs);
        session.write_csv(account_id, owner, pushed, &mut batch.sessions);
        logs_written += pushed.logs;
        batch.count += 1;
        if batch.count == copy::SESSIONS_PER_COPY || n + 1 == spec.sessions {
            // A writer that stopped has its error to tell, below.
            if batches[sent % writers].send(std::mem::take(&mut batch)).await.is_err() {
                break;
            }
            sent += 1;
        }
    }
    drop(batches);
    let mut outcome = Ok(logs_written);
    for task in tasks {
        let written = task.await.map_err(AppError::internal).and_then(|r| r);
        if outcome.is_ok() {
            outcome = written.map(|()| logs_written);
        }
    }
    outcome
}

/// One writer: its own connection and transaction, the rollup triggers deferred, a COPY per
/// batch it is handed, committed when the batches end.
async fn write_batches(
    pool: PgPool,
    mut batches: tokio::sync::mpsc::Receiver<copy::Batch>,
) -> Result<(), AppError> {
    let mut tx = bulk_transaction(&pool).await?;
    defer_rollups(&mut tx, true).await?;
    while let Some(batch) = batches.recv().await {
        copy::flush(&mut tx, batch).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Folds the account's rows into its rollups once (`rebuild_rollups`, one pass grouped by day)
/// and sets its flows' counters.
async fn fold(pool: &PgPool, account_id: Uuid) -> Result<(), AppError> {
    let mut tx = bulk_transaction(pool).await?;
    sqlx::query("SELECT rebuild_rollups($1)").bind(account_id).execute(&mut *tx).await?;
    refresh_flow_counters(&mut tx, account_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The account, its users, categories, flows, clients and technicians: replacing any account
/// of the same name.
async fn insert_frame(
    conn: &mut PgConnection,
    spec: &AccountSpec,
    password_hash: &str,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Result<Frame, AppError> {
    remove_accounts_named(conn, &spec.name).await?;
    // Users of these addresses may be another account's: their sessions fold as usual.
    sqlx::query("DELETE FROM users WHERE lower(email) IN (lower($1), lower($2))")
        .bind(&spec.admin_email)
        .bind(&spec.technician_email)
        .execute(&mut *conn)
        .await?;

    let account_id = random_uuid(rng);
    sqlx::query("INSERT INTO accounts (id, name, timezone, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account_id)
        .bind(&spec.name)
        .bind(&spec.timezone)
        .bind(now - Duration::days(i64::from(spec.days) + 30))
        .execute(&mut *conn)
        .await?;
    let technician_id = random_uuid(rng);
    for (id, email, role) in [
        (random_uuid(rng), &spec.admin_email, "team_admin"),
        (technician_id, &spec.technician_email, "technician"),
    ] {
        sqlx::query(
            "INSERT INTO users (id, account_id, email, password_hash, role) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(account_id)
        .bind(email)
        .bind(password_hash)
        .bind(role)
        .execute(&mut *conn)
        .await?;
    }

    let flows = insert_categories_and_flows(conn, rng, account_id, now).await?;
    let clients = insert_clients(conn, spec.rng_seed, account_id).await?;
    let technicians =
        insert_technicians(conn, spec, account_id, technician_id, password_hash).await?;
    Ok(Frame { account_id, flows, clients, technicians })
}

/// Defers the rollup triggers for the rest of the transaction, or ends that (the migration
/// 20261130000001: a bulk writer folds its rows once and sets what the triggers would have
/// set on them).
async fn defer_rollups(conn: &mut PgConnection, defer: bool) -> Result<(), AppError> {
    sqlx::query("SELECT set_config('flowpilot.defer_rollups', $1, true)")
        .bind(if defer { "on" } else { "off" })
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How sessions spread over an account's clients or technicians: the n-th busiest with weight
/// 1/n, drawn from a generator of its own (so adding them left every other generated value as
/// it was).
struct Spread {
    rng: ChaCha8Rng,
    ids: Vec<Uuid>,
    /// Cumulative weights, for picking.
    cumulative: Vec<f64>,
}

impl Spread {
    fn new(rng: ChaCha8Rng, ids: Vec<Uuid>) -> Self {
        let cumulative = (1..=ids.len())
            .scan(0.0, |total, n| {
                *total += 1.0 / n as f64;
                Some(*total)
            })
            .collect();
        Spread { rng, ids, cumulative }
    }

    /// The client or technician of the next session.
    fn pick(&mut self) -> Uuid {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let point = self.rng.gen_range(0.0..total);
        let index = self.cumulative.partition_point(|&c| c <= point);
        self.ids[index.min(self.ids.len() - 1)]
    }
}

/// 8 to 15 clients (SPEC §7).
async fn insert_clients(
    conn: &mut PgConnection,
    rng_seed: u64,
    account_id: Uuid,
) -> Result<Spread, AppError> {
    let mut rng = ChaCha8Rng::seed_from_u64(rng_seed ^ 0xC11E_5EED);
    let count = rng.gen_range(8..=CLIENTS.len());
    let mut ids = Vec::new();
    for (n, name) in CLIENTS.iter().take(count).enumerate() {
        let id = random_uuid(&mut rng);
        sqlx::query(
            "INSERT INTO clients (account_id, id, name, psa_company_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(account_id)
        .bind(id)
        .bind(name)
        .bind(format!("CW-{}", 1000 + n))
        .execute(&mut *conn)
        .await?;
        ids.push(id);
    }
    Ok(Spread::new(rng, ids))
}

/// 4 to 9 technicians: the named one (the busiest) and `tech+2@…` onwards, who sign in with the
/// demo password too (and see the 403 a technician sees).
async fn insert_technicians(
    conn: &mut PgConnection,
    spec: &AccountSpec,
    account_id: Uuid,
    named: Uuid,
    password_hash: &str,
) -> Result<Spread, AppError> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.rng_seed ^ 0x7EC4_5EED);
    let count = rng.gen_range(4..=9);
    let (local, domain) = spec.technician_email.split_once('@').unwrap_or(("tech", "example"));
    let mut ids = vec![named];
    for n in 2..=count {
        let id = random_uuid(&mut rng);
        sqlx::query(
            "INSERT INTO users (id, account_id, email, password_hash, role)
             VALUES ($1, $2, $3, $4, 'technician')",
        )
        .bind(id)
        .bind(account_id)
        .bind(format!("{local}+{n}@{domain}"))
        .bind(password_hash)
        .execute(&mut *conn)
        .await?;
        ids.push(id);
    }
    Ok(Spread::new(rng, ids))
}

async fn insert_categories_and_flows(
    conn: &mut PgConnection,
    rng: &mut ChaCha8Rng,
    account_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Vec<Flow>>, AppError> {
    let mut by_domain = Vec::with_capacity(DOMAINS.len());
    let categories = DOMAINS
        .iter()
        .map(|d| (d.name, d.flows, "troubleshooting"))
        .chain(std::iter::once((EXTRA_CATEGORY.0, EXTRA_CATEGORY.1, "procedure")));
    for (index, (category, names, tree_type)) in categories.enumerate() {
        let mut flows = Vec::new();
        if names.is_empty() {
            by_domain.push(flows);
            continue;
        }
        let category_id = random_uuid(rng);
        sqlx::query("INSERT INTO categories (account_id, id, name) VALUES ($1, $2, $3)")
            .bind(account_id)
            .bind(category_id)
            .bind(category)
            .execute(&mut *conn)
            .await?;
        for (position, name) in names.iter().enumerate() {
            let id = random_uuid(rng);
            // Every fourth flow of a domain with several is stale; one in nine is retired.
            let stale = names.len() > 2 && position % 4 == 3;
            let active = !(names.len() > 3 && position == names.len() - 1 && rng.gen_bool(0.5));
            sqlx::query(
                "INSERT INTO trees (account_id, id, category_id, name, tree_type, is_active,
                                    gallery_sort_order, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(account_id)
            .bind(id)
            .bind(category_id)
            .bind(*name)
            .bind(tree_type)
            .bind(active)
            .bind(i32::try_from(index * 10 + position).unwrap_or(i32::MAX))
            .bind(now - Duration::days(180))
            .execute(&mut *conn)
            .await?;
            if active {
                flows.push(Flow { id, stale });
            }
        }
        by_domain.push(flows);
    }
    by_domain.truncate(DOMAINS.len());
    Ok(by_domain)
}

/// The flow counters the write path keeps (usage, success rate, last match), computed once for
/// the generated history — after the fold, whose rollups the success rate is summed from.
async fn refresh_flow_counters(conn: &mut PgConnection, account_id: Uuid) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE trees t
         SET usage_count = s.matched,
             success_rate = flow_success_rate(t.account_id, t.id),
             last_matched_at = s.last_matched
         FROM (SELECT matched_flow_id,
                      count(*) AS matched,
                      max(created_at) AS last_matched
               FROM ai_sessions
               WHERE account_id = $1 AND matched_flow_id IS NOT NULL
               GROUP BY matched_flow_id) s
         WHERE t.account_id = $1 AND t.id = s.matched_flow_id",
    )
    .bind(account_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
