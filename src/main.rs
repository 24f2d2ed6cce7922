//! Bootstrap only: the command line decides what runs (see `server::cli`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    flowpilot_analytics::server::cli::run().await
}
