//! The operator's command line, run as the real binary against the test's database: secrets
//! come from standard input or the environment, never from the command line.

use crate::common::{app, database_url, post};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

/// Runs `flowpilot-analytics args…` with `env`, writing `stdin` to it.
async fn run(url: &str, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let (url, stdin) = (url.to_owned(), stdin.to_owned());
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let env: Vec<(String, String)> =
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowpilot-analytics"))
            .args(&args)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .env_remove("FLOWPILOT_ADMIN_PASSWORD")
            .env_remove("FLOWPILOT_PSA_PRIVATE_KEY")
            .envs(env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn signs_in(pool: &PgPool, password: &str) -> bool {
    let body = serde_json::json!({ "email": "ops@acme.example", "password": password }).to_string();
    post(&app(pool.clone()), "/api/v1/auth/login", "application/json", &body).await.status == 200
}

#[sqlx::test]
async fn create_admin_reads_the_password_from_stdin_or_the_environment_only(
    _: PgPoolOptions,
    options: PgConnectOptions,
) {
    let url = database_url(&options);
    let admin = ["create-admin", "--email", "ops@acme.example", "--account", "Acme"];

    let on_the_line =
        run(&url, &[&admin[..], &["--password", "on the command line"]].concat(), &[], "").await;
    assert!(!on_the_line.status.success(), "{}", said(&on_the_line));
    assert!(said(&on_the_line).contains("--password"), "{}", said(&on_the_line));

    let none = run(&url, &admin, &[], "").await;
    assert!(!none.status.success());
    assert!(said(&none).contains("FLOWPILOT_ADMIN_PASSWORD"), "{}", said(&none));

    let piped =
        run(&url, &[&admin[..], &["--password-stdin"]].concat(), &[], "from standard input\n")
            .await;
    assert!(piped.status.success(), "{}", said(&piped));
    let pool = PgPool::connect(&url).await.unwrap();
    assert!(signs_in(&pool, "from standard input").await);

    let from_env =
        run(&url, &admin, &[("FLOWPILOT_ADMIN_PASSWORD", "from the environment")], "").await;
    assert!(from_env.status.success(), "{}", said(&from_env));
    assert!(signs_in(&pool, "from the environment").await);
    assert!(!signs_in(&pool, "from standard input").await);
}

#[sqlx::test]
async fn psa_connect_reads_the_private_key_apart_and_wants_https(
    _: PgPoolOptions,
    options: PgConnectOptions,
) {
    let url = database_url(&options);
    let secret_key = ("FLOWPILOT_SECRET_KEY", "42".repeat(32));
    let env =
        [(secret_key.0, secret_key.1.as_str()), ("FLOWPILOT_ADMIN_PASSWORD", "admin password")];
    let made =
        run(&url, &["create-admin", "--email", "ops@acme.example", "--account", "Acme"], &env, "")
            .await;
    assert!(made.status.success(), "{}", said(&made));
    let connect = |site: &'static str| {
        ["psa", "connect", "--account", "Acme", "--site", site, "--company", "acme"]
            .into_iter()
            .chain(["--public-key", "pub", "--client-id", "cid"])
            .collect::<Vec<_>>()
    };

    let on_the_line = run(
        &url,
        &[&connect("https://psa.example")[..], &["--private-key", "k"]].concat(),
        &env,
        "",
    )
    .await;
    assert!(!on_the_line.status.success(), "{}", said(&on_the_line));

    let plain_http = run(
        &url,
        &[&connect("http://127.0.0.1:9")[..], &["--private-key-stdin"]].concat(),
        &env,
        "key\n",
    )
    .await;
    assert!(!plain_http.status.success());
    assert!(said(&plain_http).contains("--allow-insecure-http"), "{}", said(&plain_http));

    let stub =
        [&connect("http://127.0.0.1:9")[..], &["--private-key-stdin", "--allow-insecure-http"]]
            .concat();
    let saved = run(&url, &stub, &env, "the private key\n").await;
    assert!(saved.status.success(), "{}", said(&saved));

    let pool = PgPool::connect(&url).await.unwrap();
    let (sealed,): (Vec<u8>,) = sqlx::query_as("SELECT private_key_encrypted FROM psa_connections")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!sealed.windows(15).any(|w| w == b"the private key"), "stored sealed, not in clear");
}
