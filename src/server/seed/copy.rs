//! Streams generated rows into PostgreSQL with COPY, a batch at a time.

use crate::error::AppError;
use sqlx::PgConnection;

/// Sessions (and their logs) sent per COPY.
pub const SESSIONS_PER_COPY: usize = 20_000;

/// One COPY's worth: sessions and their logs, as CSV.
#[derive(Default)]
pub struct Batch {
    pub sessions: String,
    pub logs: String,
    pub count: usize,
}

/// The batch's sessions, then their logs (which refer to them).
pub async fn flush(conn: &mut PgConnection, mut batch: Batch) -> Result<(), AppError> {
    copy_csv(
        conn,
        "COPY ai_sessions (account_id, id, user_id, problem_domain, status, confidence_tier,
                           confidence, matched_flow_id, psa_ticket_id, created_at, resolved_at,
                           note_pushed, time_entry_pushed, client_id, psa_activity_count)
         FROM STDIN (FORMAT csv)",
        &mut batch.sessions,
    )
    .await?;
    copy_csv(
        conn,
        "COPY psa_activity_logs (account_id, id, session_id, activity_type, hours_logged,
                                 psa_ticket_id, created_at, user_id, client_id)
         FROM STDIN (FORMAT csv)",
        &mut batch.logs,
    )
    .await
}

async fn copy_csv(
    conn: &mut PgConnection,
    statement: &str,
    csv: &mut String,
) -> Result<(), AppError> {
    if csv.is_empty() {
        return Ok(());
    }
    let mut copy = conn.copy_in_raw(statement).await?;
    copy.send(std::mem::take(csv).into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}
