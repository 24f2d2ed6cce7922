//! Passwords: argon2id hashes, and checking a sign-in against them at the same cost whether or
//! not the email is known.

use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use sqlx::PgPool;
use uuid::Uuid;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::internal(format_args!("hashing a password: {e}")))
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

/// Checks credentials; an unknown email costs the same hash as a wrong password.
pub async fn authenticate(pool: &PgPool, email: &str, password: &str) -> Result<Uuid, AppError> {
    let row: Option<(Uuid, String)> = sqlx::query_as(
        "SELECT id, password_hash FROM users WHERE lower(email) = lower($1) AND is_active",
    )
    .bind(email.trim())
    .fetch_optional(pool)
    .await?;
    let password = password.to_owned();
    let verified = tokio::task::spawn_blocking(move || match &row {
        Some((id, hash)) => verify_password(&password, hash).then_some(*id),
        None => {
            let _ = verify_password(&password, &DUMMY_HASH);
            None
        }
    })
    .await
    .map_err(AppError::internal)?;
    verified.ok_or(AppError::unauthorized("Invalid email or password."))
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
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
