//! Streams generated rows into PostgreSQL with COPY, a batch at a time.

use crate::error::AppError;
use sqlx::PgConnection;

/// Sessions (and their logs) sent per COPY.
pub const SESSIONS_PER_COPY: usize = 20_000;

pub async fn flush(
    conn: &mut PgConnection,
    sessions_csv: &mut String,
    logs_csv: &mut String,
) -> Result<(), AppError> {
    copy_csv(
        conn,
        "COPY ai_sessions (account_id, id, user_id, problem_domain, status, confidence_tier,
                           confidence, matched_flow_id, psa_ticket_id, created_at, resolved_at,
                           note_pushed, time_entry_pushed, client_id, psa_activity_count)
         FROM STDIN (FORMAT csv)",
        sessions_csv,
    )
    .await?;
    copy_csv(
        conn,
        "COPY psa_activity_logs (account_id, id, session_id, activity_type, hours_logged,
                                 psa_ticket_id, created_at, user_id, client_id)
         FROM STDIN (FORMAT csv)",
        logs_csv,
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
