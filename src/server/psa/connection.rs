//! Each account's PSA connection (`psa_connections`), with the private key sealed at rest.

use super::{
    connectwise::{ConnectWise, Credentials},
    PsaProvider,
};
use crate::{error::AppError, server::secret_box::SecretBox};
use sqlx::{PgConnection, PgPool};
use std::time::Duration;
use uuid::Uuid;

/// An account's ConnectWise Manage connection, as given to `psa connect` (the private key is
/// read apart, never from the command line).
#[derive(Debug, Clone, clap::Args)]
pub struct NewConnection {
    /// Account name.
    #[arg(long = "account")]
    pub account_name: String,
    /// Base URL, e.g. https://na.myconnectwise.net
    #[arg(long)]
    pub site: String,
    #[arg(long = "company")]
    pub company_id: String,
    #[arg(long)]
    pub public_key: String,
    /// Read from standard input (`--private-key-stdin`) or FLOWPILOT_PSA_PRIVATE_KEY.
    #[arg(skip)]
    pub private_key: String,
    #[arg(long)]
    pub client_id: String,
    /// Allow a plain-http site (a local stub); a real PSA is only reached over https.
    #[arg(long)]
    pub allow_insecure_http: bool,
}

pub async fn save(pool: &PgPool, secrets: &SecretBox, new: &NewConnection) -> Result<(), AppError> {
    let insecure_allowed = new.allow_insecure_http && new.site.starts_with("http://");
    if !(new.site.starts_with("https://") || insecure_allowed) {
        return Err(AppError::validation(
            "The site must be an https URL such as https://na.myconnectwise.net \
             (a local http stub needs --allow-insecure-http).",
        ));
    }
    if new.private_key.trim().is_empty() {
        return Err(AppError::validation("The private key is empty."));
    }
    let saved = sqlx::query(
        "INSERT INTO psa_connections (account_id, site_url, company_id, public_key,
                                      private_key_encrypted, client_id)
         SELECT id, $2, $3, $4, $5, $6 FROM accounts WHERE name = $1
         ON CONFLICT (account_id) DO UPDATE SET
             site_url = EXCLUDED.site_url, company_id = EXCLUDED.company_id,
             public_key = EXCLUDED.public_key,
             private_key_encrypted = EXCLUDED.private_key_encrypted,
             client_id = EXCLUDED.client_id, updated_at = now()",
    )
    .bind(&new.account_name)
    .bind(new.site.trim_end_matches('/'))
    .bind(&new.company_id)
    .bind(&new.public_key)
    .bind(secrets.seal(&new.private_key))
    .bind(&new.client_id)
    .execute(pool)
    .await?
    .rows_affected();
    if saved == 0 {
        return Err(AppError::validation(format!("No account named \"{}\".", new.account_name)));
    }
    Ok(())
}

/// The account's PSA client, each request bounded by `timeout`; 409 when none is set up.
pub async fn load(
    conn: &mut PgConnection,
    secrets: Option<&SecretBox>,
    account_id: Uuid,
    timeout: Duration,
) -> Result<Box<dyn PsaProvider>, AppError> {
    let row: Option<(String, String, String, Vec<u8>, String)> = sqlx::query_as(
        "SELECT site_url, company_id, public_key, private_key_encrypted, client_id
         FROM psa_connections WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(conn)
    .await?;
    let (site, company_id, public_key, sealed, client_id) = row.ok_or_else(|| {
        AppError::conflict(
            "This account has no PSA connection; an admin sets one with `psa connect`.",
        )
    })?;
    let secrets = secrets.ok_or_else(|| AppError::internal("FLOWPILOT_SECRET_KEY is not set"))?;
    let private_key = secrets.open(&sealed).ok_or_else(|| {
        AppError::internal("the PSA private key does not open with FLOWPILOT_SECRET_KEY")
    })?;
    let client = ConnectWise::new(
        Credentials {
            site: &site,
            company_id: &company_id,
            public_key: &public_key,
            private_key: &private_key,
            client_id: &client_id,
        },
        timeout,
    )
    .map_err(AppError::internal)?;
    Ok(Box::new(client))
}
