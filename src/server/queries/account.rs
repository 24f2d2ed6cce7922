//! Who is signed in, for the page header and links.

use crate::{error::AppError, model::PageContext, server::identity::Admin};
use sqlx::PgPool;

pub async fn page_context(
    pool: &PgPool,
    admin: Admin,
    app_url: &str,
) -> Result<PageContext, AppError> {
    let (account_name, email): (String, String) = sqlx::query_as(
        "SELECT a.name, u.email FROM users u JOIN accounts a ON a.id = u.account_id
         WHERE u.id = $1 AND a.id = $2",
    )
    .bind(admin.user_id)
    .bind(admin.account_id)
    .fetch_one(pool)
    .await?;
    Ok(PageContext { account_name, email, app_url: app_url.to_owned() })
}
