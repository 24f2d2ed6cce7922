//! Passwords: argon2id hashes, and checking a sign-in against them at the same cost whether or
//! not the email is known.

use super::throttle::Throttle;
use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, Output, PasswordHash, PasswordHasher, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
use sqlx::PgPool;
use std::{
    sync::{mpsc, Arc, LazyLock, Mutex},
    time::Duration,
};
use tokio::sync::{oneshot, Semaphore};
use uuid::Uuid;

/// At most as many password verifications at once as the machine has cores (SPEC §10).
static CORES: LazyLock<usize> =
    LazyLock::new(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
/// A turn to verify: a flood of sign-ins queues here instead of taking every core.
static VERIFICATIONS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(*CORES));

/// A verification: the password, the stored hash, and where the verdict goes.
type Job = (String, String, oneshot::Sender<bool>);

/// Verifications run on a fixed set of threads, one per core, each verifying in its own argon2
/// memory (19 MiB), allocated once and reused: verifying with a fresh allocation each time kept
/// every one of them resident (measured: +19 MiB per verification, +222 MiB after a flood).
static VERIFIERS: LazyLock<Mutex<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..*CORES {
        let queue = queue.clone();
        let spawned = std::thread::Builder::new().name(format!("password-{n}")).spawn(move || {
            let mut memory = Vec::new();
            loop {
                let job = queue.lock().map(|q| q.recv());
                let Ok(Ok((password, stored, verdict))) = job else { return };
                let _ = verdict.send(verify_in(&mut memory, &password, &stored));
            }
        });
        if let Err(error) = spawned {
            tracing::error!("starting a password verification thread: {error}");
        }
    }
    Mutex::new(jobs)
});

/// Verifies on a verification thread.
async fn verify_on_worker(password: String, stored: String) -> Result<bool, AppError> {
    let (verdict, answer) = oneshot::channel();
    VERIFIERS
        .lock()
        .map_err(|_| AppError::internal("the password verifiers' queue is poisoned"))?
        .send((password, stored, verdict))
        .map_err(|_| AppError::internal("no password verification thread is running"))?;
    answer.await.map_err(|_| AppError::internal("a password verification thread stopped"))
}
/// A sign-in that cannot get a turn within this long is told to come back (429).
const TURN_WAIT: Duration = Duration::from_secs(10);

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::internal(format_args!("hashing a password: {e}")))
}

/// Verifies `password` against a PHC-format argon2 hash in `memory` (grown to the hash's cost
/// once, then reused); the comparison is constant-time.
fn verify_in(memory: &mut Vec<Block>, password: &str, stored: &str) -> bool {
    let mut verified = || -> Option<bool> {
        let hash = PasswordHash::new(stored).ok()?;
        let (salt, expected) = (hash.salt?, hash.hash?);
        let params = Params::try_from(&hash).ok()?;
        let algorithm = Algorithm::try_from(hash.algorithm).ok()?;
        let version = match hash.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let mut salt_bytes = [0u8; 64];
        let salt = salt.decode_b64(&mut salt_bytes).ok()?;
        if memory.len() < params.block_count() {
            memory.resize(params.block_count(), Block::default());
        }
        let mut out = vec![0u8; expected.len()];
        let blocks = &mut memory[..params.block_count()];
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
            .ok()?;
        Some(Output::new(&out).ok()? == expected)
    };
    verified().unwrap_or(false)
}

/// Checks credentials; an unknown email costs the same hash as a wrong password. The hash runs
/// under [`VERIFICATIONS`], and only if the attempt is still within its throttle once its turn
/// comes (others' failures may have used the budget up while it waited); the outcome is counted
/// against the throttle before the turn is given up.
pub async fn authenticate(
    pool: &PgPool,
    email: &str,
    password: &str,
    throttle: &Throttle,
) -> Result<Uuid, AppError> {
    let row: Option<(Uuid, String)> = sqlx::query_as("SELECT * FROM auth_user_by_email($1)")
        .bind(email.trim())
        .fetch_optional(pool)
        .await?;
    let _turn = tokio::time::timeout(TURN_WAIT, VERIFICATIONS.acquire())
        .await
        .map_err(|_| {
            crate::server::metrics::rate_limit_rejection("signin-busy");
            AppError::RateLimited { retry_after_secs: TURN_WAIT.as_secs() }
        })?
        .map_err(AppError::internal)?;
    throttle.check(pool).await?;
    let stored = row.as_ref().map_or_else(|| DUMMY_HASH.clone(), |(_, hash)| hash.clone());
    let matches = verify_on_worker(password.to_owned(), stored).await?;
    // Counted before the turn is given up, so the next in line sees this failure.
    match row {
        Some((id, _)) if matches => {
            throttle.succeeded(pool).await?;
            Ok(id)
        }
        _ => {
            throttle.failed(pool).await?;
            Err(AppError::unauthorized("Invalid email or password."))
        }
    }
}

/// Verified against when the email is unknown, so both paths cost one argon2 verification.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no user has this password", &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_in(&mut Vec::new(), "correct horse", &hash));
        assert!(!verify_in(&mut Vec::new(), "wrong horse", &hash));
        assert!(!verify_in(&mut Vec::new(), "anything", "not a hash"));
    }
}
