//! The filter pickers' choices (`FiltersResponse`): the account's technicians and clients, each
//! with its sessions in the window, the busiest first — counted from the rollups' twins like
//! Overview's breakdowns.

use super::{resolve, windowed};
use crate::{
    error::AppError,
    model::{FilterOption, Filters, FiltersResponse, ViewParams},
};
use sqlx::PgPool;
use uuid::Uuid;

pub const CHOICES_SQL: &str =
    statement!("raw_sessions.sql", "time_entry_facts.sql", "owner_facts.sql", "filter_choices.sql");

#[derive(sqlx::FromRow)]
struct Row {
    dimension: String,
    id: Uuid,
    name: String,
    sessions: i64,
}

pub async fn filters(
    pool: &PgPool,
    account_id: Uuid,
    view: &ViewParams,
) -> Result<FiltersResponse, AppError> {
    let resolved = resolve(pool, account_id, view).await?;
    // The choices do not narrow each other: counted unfiltered.
    let window = resolved.window.filtered(Filters::default());
    let rows: Vec<Row> = windowed(CHOICES_SQL, account_id, window).fetch_all(pool).await?;
    let (technicians, clients): (Vec<Row>, Vec<Row>) =
        rows.into_iter().partition(|row| row.dimension == "technician");
    let options = |rows: Vec<Row>| {
        rows.into_iter()
            .map(|r| FilterOption { id: r.id, name: r.name, sessions: r.sessions })
            .collect()
    };
    Ok(FiltersResponse {
        window: resolved.info,
        technicians: options(technicians),
        clients: options(clients),
    })
}
