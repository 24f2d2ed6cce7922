//! `flowpilot-analytics [serve|migrate|seed|create-admin|api-key|psa]`: what an operator runs.
//! Parsing and dispatch only; each command's work lives with what it works on.

mod admin;
mod serve;

pub use admin::{create_admin, ensure_timezone, NewAdmin};

use super::{api_keys, config::AppConfig, database, psa::connection, seed};
use crate::error::AppError;
use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;

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
    /// Load generated data: `--demo` for the demo accounts, or sized data for tests.
    Seed(SeedArgs),
    /// Create (or update) a team admin, creating the account if it does not exist.
    CreateAdmin(NewAdmin),
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
        #[command(flatten)]
        connection: connection::NewConnection,
        /// Read the private key from standard input (else from FLOWPILOT_PSA_PRIVATE_KEY).
        #[arg(long)]
        private_key_stdin: bool,
    },
}

#[derive(Args)]
struct SeedArgs {
    /// The demo data set: two accounts with admins, technicians and 90 days of sessions.
    #[arg(long, conflicts_with_all = ["accounts", "sessions_per_account", "days"])]
    demo: bool,
    #[command(flatten)]
    sized: seed::SeedOptions,
}

/// Sets up logging for a command-line process (the server, the benchmark).
/// `FLOWPILOT_LOG_FORMAT=json`: one JSON object per line, the request's `request_id` and
/// `account_id` under `span` (a bad value is reported by the configuration, which runs next).
pub fn init_logging() {
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
    );
    if super::config::log_format().unwrap_or(false) {
        logs.json().with_current_span(true).with_span_list(false).init();
    } else {
        logs.init();
    }
}

pub async fn run() -> ExitCode {
    init_logging();
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
    let pool = database::connect_and_migrate(&config).await?;
    let output = match command {
        Command::Serve => return serve::serve(pool, config).await,
        Command::Migrate => "migrations applied".to_owned(),
        Command::Seed(args) if args.demo => {
            seed::seed_demo(&pool, args.sized.rng_seed).await.map_err(describe)?.to_string()
        }
        Command::Seed(args) => {
            seed::seed_sized(&pool, &args.sized).await.map_err(describe)?.to_string()
        }
        Command::CreateAdmin(new) => {
            let password = secret(new.password_stdin, "FLOWPILOT_ADMIN_PASSWORD", "password")?;
            create_admin(&pool, &new, &password).await.map_err(describe)?
        }
        Command::ApiKey(ApiKeyCommand::Create { account, name }) => {
            let created = api_keys::create(&pool, &account, &name).await.map_err(describe)?;
            format!(
                "API key for \"{account}\" (id {}), shown only now:\n{}",
                created.id, created.key
            )
        }
        Command::ApiKey(ApiKeyCommand::Revoke { key }) => {
            if !api_keys::revoke(&pool, &key).await.map_err(describe)? {
                return Err(format!("no live API key with id or prefix {key}"));
            }
            "revoked".to_owned()
        }
        Command::Psa(PsaCommand::Connect { connection: mut new, private_key_stdin }) => {
            new.private_key =
                secret(private_key_stdin, "FLOWPILOT_PSA_PRIVATE_KEY", "private key")?;
            let secrets = config
                .secrets
                .as_ref()
                .ok_or("set FLOWPILOT_SECRET_KEY (64 hex characters) to store PSA credentials")?;
            connection::save(&pool, secrets, &new).await.map_err(describe)?;
            format!("PSA connection saved for \"{}\"", new.account_name)
        }
    };
    println!("{output}");
    Ok(())
}

/// A secret, from standard input (its first line) or else from the environment variable —
/// never from the command line, where `ps` and shell history would show it.
fn secret(from_stdin: bool, variable: &str, what: &str) -> Result<String, String> {
    let value = if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| format!("reading the {what}: {e}"))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        std::env::var(variable).unwrap_or_default()
    };
    if value.is_empty() {
        return Err(format!(
            "give the {what} on standard input (--{}-stdin) or in {variable}",
            what.replace(' ', "-")
        ));
    }
    Ok(value)
}

fn describe(error: AppError) -> String {
    error.user_message()
}
