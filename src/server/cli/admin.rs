//! Account administration from the command line: team admins and account time zones.

use crate::{error::AppError, server::auth};
use sqlx::PgPool;

/// A team admin as `create-admin` takes it. The password never comes from the command line
/// (where `ps` and shell history would show it).
#[derive(Debug, Clone, clap::Args)]
pub struct NewAdmin {
    #[arg(long)]
    pub email: String,
    /// Read the password from standard input (else it is read from FLOWPILOT_ADMIN_PASSWORD).
    #[arg(long)]
    pub password_stdin: bool,
    /// Account name.
    #[arg(long)]
    pub account: String,
    /// IANA timezone of a new account (day boundaries in charts).
    #[arg(long, default_value = "UTC")]
    pub timezone: String,
}

/// Creates the account if needed and makes `email` its team admin with this password.
pub async fn create_admin(
    pool: &PgPool,
    new: &NewAdmin,
    password: &str,
) -> Result<String, AppError> {
    let email = new.email.trim();
    let account = new.account.trim();
    if !email.contains('@') || email.len() > 320 {
        return Err(AppError::validation(format!("\"{email}\" is not an email address.")));
    }
    if password.chars().count() < 8 {
        return Err(AppError::validation("The password needs at least 8 characters."));
    }
    if account.is_empty() {
        return Err(AppError::validation("The account name cannot be empty."));
    }
    ensure_timezone(pool, &new.timezone).await?;
    let hash = auth::hash_password(password)?;
    let mut tx = pool.begin().await?;
    let (account_id,): (uuid::Uuid,) = sqlx::query_as(
        "INSERT INTO accounts (name, timezone) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
         RETURNING id",
    )
    .bind(account)
    .bind(&new.timezone)
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
    let verb = if updated == 0 { "created" } else { "updated" };
    Ok(format!("{verb} team admin {email} for account \"{account}\""))
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
