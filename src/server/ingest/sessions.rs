//! Session events: open, match, outcome, ticket link — and the flow counters they keep
//! (usage count, success rate, last match). Locks are always taken session first, then flows,
//! then — by the write's rollup triggers — the day's rollup rows, so concurrent events on the
//! same session or flow cannot deadlock.

use super::{Request, SessionId};
use crate::error::AppError;
use axum::{http::StatusCode, response::Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

/// A session as the ingest API returns it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SessionOut {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub problem_domain: Option<String>,
    pub status: String,
    pub confidence_tier: Option<String>,
    pub confidence: Option<f64>,
    pub matched_flow_id: Option<Uuid>,
    pub psa_ticket_id: Option<String>,
    pub client_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

const SESSION_COLUMNS: &str = "id, user_id, problem_domain, status, confidence_tier, confidence,
     matched_flow_id, psa_ticket_id, client_id, created_at, resolved_at";

/// The session, locked for this transaction; another account's session is not found.
pub async fn lock_session(
    conn: &mut PgConnection,
    account_id: Uuid,
    id: Uuid,
) -> Result<SessionOut, AppError> {
    sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM ai_sessions WHERE account_id = $1 AND id = $2 FOR UPDATE"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::not_found("No such session."))
}

fn answer(
    status: StatusCode,
    session: &SessionOut,
) -> Result<(StatusCode, serde_json::Value), AppError> {
    Ok((status, json!(session)))
}

/// A new session (`POST /api/v1/sessions`).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenSession {
    /// The problem domain the engine classified the session into (at most 100 characters).
    problem_domain: Option<String>,
    /// The technician: a user of the caller's account.
    user_id: Option<Uuid>,
    client: Option<ClientRef>,
}

/// The client a session is for, found by name in the caller's account (any case) or created.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientRef {
    /// 1 to 200 characters; matched without regard to case.
    name: String,
    /// The client's company id in the PSA (at most 100 characters); fills an empty one.
    psa_company_id: Option<String>,
}

impl ClientRef {
    /// The client's id: the account's client of this name, created if there is none. A PSA
    /// company id fills an empty one and never overwrites another.
    async fn find_or_create(
        self,
        conn: &mut PgConnection,
        account: Uuid,
    ) -> Result<Uuid, AppError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::validation("client.name needs 1 to 200 characters."));
        }
        let company = self.psa_company_id.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if company.is_some_and(|c| c.chars().count() > 100) {
            return Err(AppError::validation("client.psa_company_id has at most 100 characters."));
        }
        Ok(sqlx::query_scalar(
            "INSERT INTO clients (account_id, name, psa_company_id) VALUES ($1, $2, $3)
             ON CONFLICT (account_id, lower(name)) DO UPDATE
                 SET psa_company_id = coalesce(clients.psa_company_id, EXCLUDED.psa_company_id)
             RETURNING id",
        )
        .bind(account)
        .bind(name)
        .bind(company)
        .fetch_one(conn)
        .await?)
    }
}

/// `POST /api/v1/sessions` — `{problem_domain?, user_id?, client?: {name, psa_company_id?}}` →
/// 201 with the session.
pub async fn open(request: Request) -> Response {
    request
        .run(|tx, request| {
            Box::pin(async move {
                let body: OpenSession = request.json()?;
                let account = request.client.account_id;
                let domain =
                    body.problem_domain.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
                if domain.as_ref().is_some_and(|d| d.chars().count() > 200) {
                    return Err(AppError::validation("problem_domain has at most 200 characters."));
                }
                if let Some(user) = body.user_id {
                    let known: Option<(Uuid,)> =
                        sqlx::query_as("SELECT id FROM users WHERE id = $1 AND account_id = $2")
                            .bind(user)
                            .bind(account)
                            .fetch_optional(&mut **tx)
                            .await?;
                    known.ok_or_else(|| AppError::not_found("No such technician."))?;
                }
                let client = match body.client {
                    Some(client) => Some(client.find_or_create(tx, account).await?),
                    None => None,
                };
                let session: SessionOut = sqlx::query_as(&format!(
                    "INSERT INTO ai_sessions (account_id, problem_domain, user_id, client_id)
                     VALUES ($1, $2, $3, $4)
                     RETURNING {SESSION_COLUMNS}"
                ))
                .bind(account)
                .bind(domain)
                .bind(body.user_id)
                .bind(client)
                .fetch_one(&mut **tx)
                .await?;
                answer(StatusCode::CREATED, &session)
            })
        })
        .await
}

/// The guided flow a session was matched to.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchFlow {
    /// A flow of the caller's account.
    flow_id: Uuid,
    /// From 0 to 1.
    confidence: f64,
    /// `guided`, `assisted` or `exploratory`.
    confidence_tier: String,
}

/// `POST /api/v1/sessions/{id}/match` — `{flow_id, confidence, confidence_tier}`.
/// Matching counts one use of the flow (`usage_count + 1`, `last_matched_at = now()`, in one
/// statement). Matching again to the same flow only updates confidence; matching to another
/// flow moves the use: the old flow loses it and both success rates are recomputed.
pub async fn matched(SessionId(id): SessionId, request: Request) -> Response {
    request
        .run(move |tx, request| {
            Box::pin(async move {
                let body: MatchFlow = request.json()?;
                if !(0.0..=1.0).contains(&body.confidence) {
                    return Err(AppError::validation("confidence must be between 0 and 1."));
                }
                if !["guided", "assisted", "exploratory"].contains(&body.confidence_tier.as_str()) {
                    return Err(AppError::validation(
                        "confidence_tier must be one of guided, assisted, exploratory.",
                    ));
                }
                let account = request.client.account_id;
                let session = lock_session(tx, account, id).await?;
                let previous = session.matched_flow_id.filter(|old| *old != body.flow_id);
                // A new match counts a use; matching the same flow again only moves confidence.
                let moved = Move {
                    to: (session.matched_flow_id != Some(body.flow_id)).then_some(body.flow_id),
                    from: previous,
                };
                let mut flows = vec![body.flow_id];
                flows.extend(previous);
                flows.sort();
                let locked: Vec<(Uuid,)> = sqlx::query_as(
                    "SELECT id FROM trees WHERE account_id = $1 AND id = ANY($2) AND (is_active OR id <> $3)
                     ORDER BY id FOR UPDATE",
                )
                .bind(account)
                .bind(&flows)
                .bind(body.flow_id)
                .fetch_all(&mut **tx)
                .await?;
                if !locked.iter().any(|(flow,)| *flow == body.flow_id) {
                    return Err(AppError::not_found("No such active flow."));
                }

                let session: SessionOut = sqlx::query_as(&format!(
                    "UPDATE ai_sessions SET matched_flow_id = $3, confidence = $4, confidence_tier = $5
                     WHERE account_id = $1 AND id = $2
                     RETURNING {SESSION_COLUMNS}"
                ))
                .bind(account)
                .bind(id)
                .bind(body.flow_id)
                .bind(body.confidence)
                .bind(&body.confidence_tier)
                .fetch_one(&mut **tx)
                .await?;
                update_flows(tx, account, &flows, moved).await?;
                answer(StatusCode::OK, &session)
            })
        })
        .await
}

/// How a session ended.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// `resolved`, `escalated` or `abandoned`.
    status: String,
}

/// `POST /api/v1/sessions/{id}/outcome` — `{status: resolved|escalated|abandoned}`; the matched
/// flow's success rate is recomputed in the same transaction.
pub async fn outcome(SessionId(id): SessionId, request: Request) -> Response {
    request
        .run(move |tx, request| {
            Box::pin(async move {
                let body: Outcome = request.json()?;
                if !["resolved", "escalated", "abandoned"].contains(&body.status.as_str()) {
                    return Err(AppError::validation(
                        "status must be one of resolved, escalated, abandoned.",
                    ));
                }
                let account = request.client.account_id;
                // The session's row lock, then its flow's, then the write (whose triggers take
                // the day's rollup rows): the module's lock order, the one every event keeps.
                let locked = lock_session(tx, account, id).await?;
                if let Some(flow) = locked.matched_flow_id {
                    lock_flows(tx, account, &[flow]).await?;
                }
                let session: SessionOut = sqlx::query_as(&format!(
                    "UPDATE ai_sessions
                     SET status = $3,
                         resolved_at = CASE WHEN $3 IN ('resolved', 'escalated')
                                            THEN greatest(now(), created_at) END
                     WHERE account_id = $1 AND id = $2
                     RETURNING {SESSION_COLUMNS}"
                ))
                .bind(account)
                .bind(id)
                .bind(&body.status)
                .fetch_one(&mut **tx)
                .await?;
                if let Some(flow) = session.matched_flow_id {
                    update_flows(tx, account, &[flow], Move::default()).await?;
                }
                answer(StatusCode::OK, &session)
            })
        })
        .await
}

/// The PSA ticket a session works on.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// The ticket's id in the PSA.
    psa_ticket_id: String,
}

/// `POST /api/v1/sessions/{id}/ticket` — `{psa_ticket_id}` links the session to a PSA ticket.
pub async fn ticket(SessionId(id): SessionId, request: Request) -> Response {
    request
        .run(move |tx, request| {
            Box::pin(async move {
                let body: Ticket = request.json()?;
                let ticket = body.psa_ticket_id.trim();
                if ticket.is_empty() || ticket.chars().count() > 100 {
                    return Err(AppError::validation(
                        "psa_ticket_id must have 1 to 100 characters.",
                    ));
                }
                let account = request.client.account_id;
                let session: SessionOut = sqlx::query_as(&format!(
                    "UPDATE ai_sessions SET psa_ticket_id = $3 WHERE account_id = $1 AND id = $2
                     RETURNING {SESSION_COLUMNS}"
                ))
                .bind(account)
                .bind(id)
                .bind(ticket)
                .fetch_optional(&mut **tx)
                .await?
                .ok_or_else(|| AppError::not_found("No such session."))?;
                answer(StatusCode::OK, &session)
            })
        })
        .await
}

/// What a match does to the flows' use counts: `to` gains one (its last match is now), `from`
/// loses one.
#[derive(Default)]
struct Move {
    to: Option<Uuid>,
    from: Option<Uuid>,
}

/// Locks the account's `flows` in id order (the module's lock order, after the session).
async fn lock_flows(
    tx: &mut Transaction<'static, Postgres>,
    account_id: Uuid,
    flows: &[Uuid],
) -> Result<(), AppError> {
    sqlx::query(
        "SELECT 1 FROM trees WHERE account_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE",
    )
    .bind(account_id)
    .bind(flows)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The counters of `flows`, whose rows this transaction has locked: the uses `moved`, and each
/// flow's success rate (`flow_success_rate`, migration 20261207000002: summed from the flow's
/// day rollups) — after the session's write, in a statement of its own, so the sum holds that
/// write (its triggers folded it) and every committed one.
async fn update_flows(
    tx: &mut Transaction<'static, Postgres>,
    account_id: Uuid,
    flows: &[Uuid],
    moved: Move,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE trees
         SET usage_count = CASE WHEN id = $3 THEN usage_count + 1
                                WHEN id = $4 THEN greatest(usage_count - 1, 0)
                                ELSE usage_count END,
             last_matched_at = CASE WHEN id = $3 THEN now() ELSE last_matched_at END,
             success_rate = flow_success_rate(account_id, id)
         WHERE account_id = $1 AND id = ANY($2)",
    )
    .bind(account_id)
    .bind(flows)
    .bind(moved.to)
    .bind(moved.from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
