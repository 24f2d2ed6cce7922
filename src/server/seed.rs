//! Generated data: the demo accounts (`seed --demo`) and sized data for tests and benchmarks
//! (`seed --accounts --sessions-per-account --days --rng-seed`). The same seed gives the same
//! accounts, flows and sessions, laid out relative to the moment of seeding. Sessions and PSA
//! logs are streamed with COPY. Seeding an account replaces any account of the same name, so
//! running it twice does not duplicate data.

use super::auth;
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgConnection, PgPool};
use std::{fmt, fmt::Write as _, time::Instant};
use uuid::Uuid;

/// How each problem domain behaves: how often it occurs, which flows cover it, and how its
/// sessions tend to end.
struct DomainProfile {
    name: &'static str,
    weight: u32,
    flows: &'static [&'static str],
    resolve: f64,
    escalate: f64,
    minutes: f64,
    confidence: f64,
}

const DOMAINS: [DomainProfile; 12] = [
    DomainProfile {
        name: "Email",
        weight: 18,
        flows: &[
            "Outlook won't sync",
            "Shared mailbox access",
            "Mail flow / NDR triage",
            "Calendar permissions",
            "Mobile mail setup",
            "Phishing report",
        ],
        resolve: 0.82,
        escalate: 0.06,
        minutes: 18.0,
        confidence: 0.82,
    },
    DomainProfile {
        name: "VPN",
        weight: 12,
        flows: &["VPN client won't connect", "Split tunnel DNS", "MFA prompt loop"],
        resolve: 0.68,
        escalate: 0.14,
        minutes: 26.0,
        confidence: 0.71,
    },
    DomainProfile {
        name: "Printers",
        weight: 10,
        flows: &["Print queue stuck", "Driver reinstall"],
        resolve: 0.74,
        escalate: 0.09,
        minutes: 22.0,
        confidence: 0.74,
    },
    DomainProfile {
        name: "Network",
        weight: 9,
        flows: &["Wi-Fi drops", "No internet at site", "DHCP exhaustion", "Switch port down"],
        resolve: 0.55,
        escalate: 0.24,
        minutes: 41.0,
        confidence: 0.63,
    },
    DomainProfile {
        name: "Microsoft 365",
        weight: 11,
        flows: &[
            "License assignment",
            "Teams won't sign in",
            "OneDrive sync errors",
            "SharePoint permissions",
            "Password reset",
        ],
        resolve: 0.79,
        escalate: 0.08,
        minutes: 16.0,
        confidence: 0.8,
    },
    DomainProfile {
        name: "Active Directory",
        weight: 7,
        flows: &["Account lockout", "Group policy not applying"],
        resolve: 0.71,
        escalate: 0.12,
        minutes: 24.0,
        confidence: 0.72,
    },
    DomainProfile {
        name: "Backup",
        weight: 5,
        flows: &["Backup job failed"],
        resolve: 0.46,
        escalate: 0.31,
        minutes: 55.0,
        confidence: 0.55,
    },
    DomainProfile {
        name: "Endpoint Security",
        weight: 6,
        flows: &["Defender alert triage", "EDR agent offline", "Quarantine release"],
        resolve: 0.62,
        escalate: 0.2,
        minutes: 33.0,
        confidence: 0.66,
    },
    DomainProfile {
        name: "Hardware",
        weight: 6,
        flows: &[
            "Laptop won't boot",
            "Docking station",
            "Monitor no signal",
            "Battery health",
            "Keyboard / mouse",
        ],
        resolve: 0.66,
        escalate: 0.18,
        minutes: 38.0,
        confidence: 0.69,
    },
    DomainProfile {
        name: "Software Install",
        weight: 7,
        flows: &["Line-of-business app install", "Adobe licensing"],
        resolve: 0.77,
        escalate: 0.07,
        minutes: 20.0,
        confidence: 0.76,
    },
    DomainProfile {
        name: "Phones (VoIP)",
        weight: 5,
        flows: &[],
        resolve: 0.41,
        escalate: 0.34,
        minutes: 47.0,
        confidence: 0.48,
    },
    DomainProfile {
        name: "Licensing",
        weight: 4,
        flows: &[],
        resolve: 0.58,
        escalate: 0.22,
        minutes: 29.0,
        confidence: 0.52,
    },
];

/// Procedures that are organised under a category no session is classified into.
const EXTRA_CATEGORY: (&str, &[&str]) =
    ("Onboarding", &["New starter checklist", "Leaver offboarding"]);

/// Share of sessions the engine could not classify.
const UNMAPPED_SHARE: f64 = 0.05;
const SESSIONS_PER_COPY: usize = 20_000;

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

pub struct SeedOptions {
    pub accounts: u32,
    pub sessions_per_account: u64,
    pub days: u32,
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
        let mut tx = pool.begin().await?;
        let logs = seed_account(&mut tx, spec, &password_hash, now).await?;
        tx.commit().await?;
        report.accounts += 1;
        report.sessions += spec.sessions;
        report.activity_logs += logs;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

struct Flow {
    id: Uuid,
    /// Matched only by sessions older than 35 days, so it shows as unused for 30+ days.
    stale: bool,
}

async fn seed_account(
    conn: &mut PgConnection,
    spec: &AccountSpec,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.rng_seed);
    sqlx::query("DELETE FROM accounts WHERE name = $1")
        .bind(&spec.name)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM users WHERE lower(email) IN (lower($1), lower($2))")
        .bind(&spec.admin_email)
        .bind(&spec.technician_email)
        .execute(&mut *conn)
        .await?;

    let account_id = random_uuid(&mut rng);
    sqlx::query("INSERT INTO accounts (id, name, timezone, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account_id)
        .bind(&spec.name)
        .bind(&spec.timezone)
        .bind(now - Duration::days(i64::from(spec.days) + 30))
        .execute(&mut *conn)
        .await?;
    let technician_id = random_uuid(&mut rng);
    for (id, email, role) in [
        (random_uuid(&mut rng), &spec.admin_email, "team_admin"),
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

    let flows = insert_categories_and_flows(conn, &mut rng, account_id, now).await?;
    let weights: Vec<u32> = DOMAINS.iter().map(|d| d.weight).collect();
    let total_weight: u32 = weights.iter().sum();

    let mut logs_written = 0u64;
    let mut sessions_csv = String::new();
    let mut logs_csv = String::new();
    let mut pending = 0usize;
    for n in 0..spec.sessions {
        let session = generate_session(&mut rng, spec, &flows, total_weight, now, n);
        let pushed = session.write_logs_csv(&mut rng, account_id, now, &mut logs_csv);
        session.write_csv(account_id, technician_id, pushed, &mut sessions_csv);
        logs_written += pushed.logs;
        pending += 1;
        if pending == SESSIONS_PER_COPY {
            flush(conn, &mut sessions_csv, &mut logs_csv).await?;
            pending = 0;
        }
    }
    flush(conn, &mut sessions_csv, &mut logs_csv).await?;
    refresh_flow_counters(conn, account_id).await?;
    Ok(logs_written)
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

struct GeneratedSession {
    id: Uuid,
    domain: Option<&'static str>,
    status: &'static str,
    tier: Option<&'static str>,
    confidence: Option<f64>,
    matched_flow: Option<Uuid>,
    ticket: Option<String>,
    created_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
}

fn generate_session(
    rng: &mut ChaCha8Rng,
    spec: &AccountSpec,
    flows: &[Vec<Flow>],
    total_weight: u32,
    now: DateTime<Utc>,
    n: u64,
) -> GeneratedSession {
    let age_seconds = loop {
        let age = rng.gen_range(0..i64::from(spec.days) * 86_400);
        // Fewer tickets at the weekend.
        let weekday = (now - Duration::seconds(age)).format("%u").to_string();
        if !(weekday == "6" || weekday == "7") || rng.gen_bool(0.35) {
            break age;
        }
    };
    let created_at = now - Duration::seconds(age_seconds);
    let age_days = age_seconds / 86_400;

    let mut pick = rng.gen_range(0..total_weight);
    let domain_index = DOMAINS
        .iter()
        .position(|d| {
            if pick < d.weight {
                true
            } else {
                pick -= d.weight;
                false
            }
        })
        .unwrap_or(0);
    let profile = &DOMAINS[domain_index];
    let unmapped = rng.gen_bool(UNMAPPED_SHARE);

    let candidates: Vec<&Flow> = if unmapped {
        Vec::new()
    } else {
        flows[domain_index].iter().filter(|f| !f.stale || age_days > 35).collect()
    };
    let matched_flow = (!candidates.is_empty() && rng.gen_bool(0.7))
        .then(|| candidates.choose(rng).map(|f| f.id))
        .flatten();

    let has_confidence = rng.gen_bool(0.97);
    let boost = if matched_flow.is_some() { 0.08 } else { -0.12 };
    let confidence = has_confidence.then(|| {
        let noise: f64 = rng.gen_range(-0.25..0.25);
        ((profile.confidence + boost + noise).clamp(0.05, 0.99) * 1000.0).round() / 1000.0
    });
    let tier = confidence.map(|c| match c {
        c if c >= 0.75 && matched_flow.is_some() => "guided",
        c if c >= 0.45 => "assisted",
        _ => "exploratory",
    });

    let still_open = age_seconds < 3 * 3600 && rng.gen_bool(0.6);
    let lift = if tier == Some("guided") { 0.1 } else { 0.0 };
    let roll: f64 = rng.gen();
    let status = if still_open {
        "active"
    } else if roll < (profile.resolve + lift).min(0.97) {
        "resolved"
    } else if roll < (profile.resolve + lift + profile.escalate).min(0.99) {
        "escalated"
    } else {
        "abandoned"
    };
    let resolved_at = matches!(status, "resolved" | "escalated").then(|| {
        let minutes = profile.minutes * rng.gen_range(0.3..2.2);
        (created_at + Duration::seconds((minutes * 60.0) as i64)).min(now)
    });
    // ConnectWise ticket ids are numbers.
    let ticket = rng.gen_bool(0.65).then(|| (100_000 + n).to_string());
    GeneratedSession {
        id: random_uuid(rng),
        domain: (!unmapped).then_some(profile.name),
        status,
        tier,
        confidence,
        matched_flow,
        ticket,
        created_at,
        resolved_at,
    }
}

/// What was logged for a session: its row carries the funnel flags, so the logs' trigger has
/// no session to update.
#[derive(Clone, Copy)]
struct Pushed {
    logs: u64,
    note: bool,
    time_entry: bool,
}

impl GeneratedSession {
    fn write_csv(&self, account_id: Uuid, technician_id: Uuid, pushed: Pushed, out: &mut String) {
        let _ = writeln!(
            out,
            "{account_id},{},{technician_id},{},{},{},{},{},{},{},{},{},{}",
            self.id,
            csv_text(self.domain),
            self.status,
            self.tier.unwrap_or_default(),
            self.confidence.map(|c| c.to_string()).unwrap_or_default(),
            self.matched_flow.map(|f| f.to_string()).unwrap_or_default(),
            self.ticket.as_deref().unwrap_or_default(),
            self.created_at.to_rfc3339(),
            self.resolved_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            pushed.note,
            pushed.time_entry,
        );
    }

    /// Notes for most linked sessions (some get two), time entries for most finished ones,
    /// a status update for some resolved ones.
    fn write_logs_csv(
        &self,
        rng: &mut ChaCha8Rng,
        account_id: Uuid,
        now: DateTime<Utc>,
        out: &mut String,
    ) -> Pushed {
        let Some(ticket) = &self.ticket else {
            return Pushed { logs: 0, note: false, time_entry: false };
        };
        let at = |minutes: i64| {
            (self.resolved_at.unwrap_or(self.created_at) + Duration::minutes(minutes)).min(now)
        };
        let mut rows = Vec::new();
        if rng.gen_bool(0.8) {
            rows.push(("note_posted", None, at(2)));
            if rng.gen_bool(0.2) {
                rows.push(("note_posted", None, at(4)));
            }
        }
        if self.resolved_at.is_some() && rng.gen_bool(0.6) {
            let quarters: u32 = rng.gen_range(1..=12);
            rows.push(("time_entry_posted", Some(f64::from(quarters) * 0.25), at(5)));
        }
        if self.status == "resolved" && rng.gen_bool(0.3) {
            rows.push(("status_updated", None, at(6)));
        }
        for (kind, hours, created_at) in &rows {
            let _ = writeln!(
                out,
                "{account_id},{},{},{kind},{},{ticket},{}",
                random_uuid(rng),
                self.id,
                hours.map(|h| h.to_string()).unwrap_or_default(),
                created_at.to_rfc3339()
            );
        }
        Pushed {
            logs: rows.len() as u64,
            note: rows.iter().any(|(kind, ..)| *kind == "note_posted"),
            time_entry: rows.iter().any(|(kind, ..)| *kind == "time_entry_posted"),
        }
    }
}

fn csv_text(value: Option<&str>) -> String {
    value.map(|v| format!("\"{}\"", v.replace('"', "\"\""))).unwrap_or_default()
}

async fn flush(
    conn: &mut PgConnection,
    sessions_csv: &mut String,
    logs_csv: &mut String,
) -> Result<(), AppError> {
    copy_csv(
        conn,
        "COPY ai_sessions (account_id, id, user_id, problem_domain, status, confidence_tier,
                           confidence, matched_flow_id, psa_ticket_id, created_at, resolved_at,
                           note_pushed, time_entry_pushed)
         FROM STDIN (FORMAT csv)",
        sessions_csv,
    )
    .await?;
    copy_csv(
        conn,
        "COPY psa_activity_logs (account_id, id, session_id, activity_type, hours_logged,
                                 psa_ticket_id, created_at)
         FROM STDIN (FORMAT csv)",
        logs_csv,
    )
    .await
}

async fn copy_csv(
    conn: &mut PgConnection,
    statement: &str,
    csv: &mut String,
) -> Result<(), AppError> {
    if csv.is_empty() {
        return Ok(());
    }
    let mut copy = conn.copy_in_raw(statement).await?;
    copy.send(std::mem::take(csv).into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

/// The counters the write path keeps (SPEC §5), computed once for the generated history.
async fn refresh_flow_counters(conn: &mut PgConnection, account_id: Uuid) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE trees t
         SET usage_count = s.matched,
             success_rate = round((s.resolved::numeric / s.matched), 3)::float8,
             last_matched_at = s.last_matched
         FROM (SELECT matched_flow_id,
                      count(*) AS matched,
                      count(*) FILTER (WHERE status = 'resolved') AS resolved,
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

fn random_uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}
