//! `flowpilot-analytics [serve|migrate|seed|create-admin]`.

use super::{api_keys, auth, config::AppConfig, psa::connection, router, seed, state::AppState};
use crate::error::AppError;
use clap::{Args, Parser, Subcommand};
use sqlx::{migrate::MigrateDatabase, postgres::PgPoolOptions, PgPool, Postgres};
use std::{process::ExitCode, time::Duration};

#[derive(Parser)]
#[command(name = "flowpilot-analytics", version, about = "FlowPilot analytics for team admins")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the app (the default).
    Serve,
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Load generated data: `--demo` for the demo accounts, or sized data for tests and benchmarks.
    Seed(SeedArgs),
    /// Create (or update) a team admin, creating the account if it does not exist.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Account name.
        #[arg(long)]
        account: String,
        /// IANA timezone of a new account (day boundaries in charts).
        #[arg(long, default_value = "UTC")]
        timezone: String,
    },
    /// Measures every data source at scale beside the original plan (see docs/BENCHMARKS.md).
    Bench {
        #[arg(long, default_value = "bench")]
        label: String,
        #[arg(long, default_value_t = 1)]
        accounts: u32,
        #[arg(long, default_value_t = 1_000_000)]
        sessions_per_account: u64,
        #[arg(long, default_value_t = 30)]
        iterations: usize,
        #[arg(long, default_value_t = 3)]
        baseline_iterations: usize,
        /// Leave out the baseline of these sources (the original flow-quality plan scans the
        /// whole table twice per flow: hours at 10M sessions).
        #[arg(long, value_delimiter = ',')]
        skip_baseline: Vec<String>,
        /// Measure the data already in the database.
        #[arg(long)]
        skip_seed: bool,
        /// Append the Markdown section to this file (else print it).
        #[arg(long)]
        report: Option<std::path::PathBuf>,
    },
    /// API keys for the FlowPilot engine's ingest calls.
    #[command(subcommand)]
    ApiKey(ApiKeyCommand),
    /// The account's PSA connection.
    #[command(subcommand)]
    Psa(PsaCommand),
}

#[derive(Subcommand)]
enum ApiKeyCommand {
    /// Creates a key and prints it once; only its hash is stored.
    Create {
        #[arg(long)]
        account: String,
        /// A label to recognise the key by.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Revokes a key by its id or its printed prefix (fpk_xxxxxxxx).
    Revoke { key: String },
}

#[derive(Subcommand)]
enum PsaCommand {
    /// Sets the account's ConnectWise Manage connection (the private key is stored encrypted).
    Connect {
        #[arg(long)]
        account: String,
        /// Base URL, e.g. https://na.myconnectwise.net
        #[arg(long)]
        site: String,
        #[arg(long)]
        company: String,
        #[arg(long)]
        public_key: String,
        #[arg(long)]
        private_key: String,
        #[arg(long)]
        client_id: String,
    },
}

#[derive(Args)]
struct SeedArgs {
    /// The demo data set: two accounts with admins, technicians and 90 days of sessions.
    #[arg(long, conflicts_with_all = ["accounts", "sessions_per_account", "days"])]
    demo: bool,
    #[arg(long, default_value_t = 1)]
    accounts: u32,
    #[arg(long, default_value_t = 10_000)]
    sessions_per_account: u64,
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    #[arg(long, default_value_t = 42)]
    rng_seed: u64,
}

pub async fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    match execute(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command) -> Result<(), String> {
    let config = AppConfig::from_env()?;
    let pool = connect_and_migrate(&config).await?;
    match command {
        Command::Serve => serve(pool, config).await,
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Seed(args) if args.demo => {
            let login = seed::seed_demo(&pool, args.rng_seed).await.map_err(describe)?;
            println!("{login}");
            Ok(())
        }
        Command::Seed(args) => {
            let options = seed::SeedOptions {
                accounts: args.accounts,
                sessions_per_account: args.sessions_per_account,
                days: args.days,
                rng_seed: args.rng_seed,
            };
            let report = seed::seed_sized(&pool, &options).await.map_err(describe)?;
            println!("{report}");
            Ok(())
        }
        Command::Bench {
            label,
            accounts,
            sessions_per_account,
            iterations,
            baseline_iterations,
            skip_baseline,
            skip_seed,
            report,
        } => {
            let options = super::bench::BenchOptions {
                label,
                accounts,
                sessions_per_account,
                iterations: iterations.max(1),
                baseline_iterations: baseline_iterations.max(1),
                skip_baseline,
                skip_seed,
            };
            let section = super::bench::run(&pool, &config, &options).await.map_err(describe)?;
            match report {
                Some(path) => {
                    use std::io::Write;
                    let mut file = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&path)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    writeln!(file, "{section}").map_err(|e| e.to_string())?;
                    println!("{section}");
                }
                None => println!("{section}"),
            }
            Ok(())
        }
        Command::ApiKey(ApiKeyCommand::Create { account, name }) => {
            let created = api_keys::create(&pool, &account, &name).await.map_err(describe)?;
            println!(
                "API key for \"{account}\" (id {}), shown only now:\n{}",
                created.id, created.key
            );
            Ok(())
        }
        Command::ApiKey(ApiKeyCommand::Revoke { key }) => {
            if api_keys::revoke(&pool, &key).await.map_err(describe)? {
                println!("revoked");
                Ok(())
            } else {
                Err(format!("no live API key with id or prefix {key}"))
            }
        }
        Command::Psa(PsaCommand::Connect {
            account,
            site,
            company,
            public_key,
            private_key,
            client_id,
        }) => {
            let secrets = config
                .secrets
                .as_ref()
                .ok_or("set FLOWPILOT_SECRET_KEY (64 hex characters) to store PSA credentials")?;
            let new = connection::NewConnection {
                account_name: &account,
                site: &site,
                company_id: &company,
                public_key: &public_key,
                private_key: &private_key,
                client_id: &client_id,
            };
            connection::save(&pool, secrets, &new).await.map_err(describe)?;
            println!("PSA connection saved for \"{account}\"");
            Ok(())
        }
        Command::CreateAdmin { email, password, account, timezone } => {
            let outcome = create_admin(&pool, &email, &password, &account, &timezone)
                .await
                .map_err(describe)?;
            println!("{outcome}");
            Ok(())
        }
    }
}

fn describe(error: AppError) -> String {
    error.user_message()
}

async fn connect_and_migrate(config: &AppConfig) -> Result<PgPool, String> {
    let url = &config.database_url;
    let exists = Postgres::database_exists(url)
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at DATABASE_URL: {e}"))?;
    if !exists {
        Postgres::create_database(url).await.map_err(|e| format!("creating the database: {e}"))?;
    }
    let pool = PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .map_err(|e| format!("connecting to PostgreSQL: {e}"))?;
    sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| format!("migrating: {e}"))?;
    Ok(pool)
}

async fn serve(pool: PgPool, config: AppConfig) -> Result<(), String> {
    let leptos_config = leptos::prelude::get_configuration(Some("Leptos.toml"))
        .map_err(|e| format!("reading Leptos.toml: {e}"))?;
    let options = leptos_config.leptos_options;
    let addr = options.site_addr;
    let state = AppState::new(options, pool.clone(), config);
    spawn_housekeeping(state.clone());
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("binding {addr}: {e}"))?;
    tracing::info!("serving FlowPilot Analytics at http://{addr}");
    axum::serve(listener, router::build(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("server: {e}"))
}

/// Every minute: forget idle rate-limit keys and delete expired sign-in sessions.
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            state.limiter.forget_idle_keys();
            if let Err(error) = sqlx::query("DELETE FROM auth_sessions WHERE expires_at < now()")
                .execute(&state.pool)
                .await
            {
                tracing::warn!("expiring sign-in sessions: {error}");
            }
        }
    });
}

/// Creates the account if needed and makes `email` its team admin with this password.
pub async fn create_admin(
    pool: &PgPool,
    email: &str,
    password: &str,
    account: &str,
    timezone: &str,
) -> Result<String, AppError> {
    let email = email.trim();
    let account = account.trim();
    if !email.contains('@') || email.len() > 320 {
        return Err(AppError::validation(format!("\"{email}\" is not an email address.")));
    }
    if password.chars().count() < 8 {
        return Err(AppError::validation("The password needs at least 8 characters."));
    }
    if account.is_empty() {
        return Err(AppError::validation("The account name cannot be empty."));
    }
    ensure_timezone(pool, timezone).await?;
    let hash = auth::hash_password(password)?;
    let mut tx = pool.begin().await?;
    let (account_id,): (uuid::Uuid,) = sqlx::query_as(
        "INSERT INTO accounts (name, timezone) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
         RETURNING id",
    )
    .bind(account)
    .bind(timezone)
    .fetch_one(&mut *tx)
    .await?;
    let updated = sqlx::query(
        "UPDATE users SET password_hash = $2, account_id = $3, role = 'team_admin', is_active = true
         WHERE lower(email) = lower($1)",
    )
    .bind(email)
    .bind(&hash)
    .bind(account_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query(
            "INSERT INTO users (email, password_hash, role, account_id)
             VALUES ($1, $2, 'team_admin', $3)",
        )
        .bind(email)
        .bind(&hash)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(if updated == 0 {
        format!("created team admin {email} for account \"{account}\"")
    } else {
        format!("updated team admin {email} for account \"{account}\"")
    })
}

pub async fn ensure_timezone(pool: &PgPool, timezone: &str) -> Result<(), AppError> {
    let (known,): (bool,) =
        sqlx::query_as("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)")
            .bind(timezone)
            .fetch_one(pool)
            .await?;
    if known {
        Ok(())
    } else {
        Err(AppError::validation(format!(
            "Unknown timezone \"{timezone}\": use an IANA name such as Europe/Berlin."
        )))
    }
}
