//! The sessions behind a number (SPEC §8): a view's sessions narrowed by the drill parameters,
//! newest first, a page at a time by keyset (the cursor is the last row's start and id, so the
//! 100th page costs what the first does and sessions written meanwhile never shift a page), with
//! the total; and one session with its PSA activity.

use super::{resolve, Window};
use crate::{
    drill::{Drill, DrillParams},
    error::AppError,
    model::{
        round1, round3, Named, PendingPush, PsaActivity, SessionDetail, SessionRow,
        SessionsResponse, ViewParams,
    },
};
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use sqlx::{postgres::PgArguments, query::QueryAs, FromRow, PgPool, Postgres};
use uuid::Uuid;

/// Rows a page holds unless `limit` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// A page of older sessions: those after the cursor ($13, $14; [`Cursor::newest`] for the
/// newest), newest first. The page is the next entries of the covering index, which is in the
/// list's order (an index-only scan, whatever the drill or the cached plan: migration …06);
/// then only its rows are read from the table.
const OLDER_SQL: &str = concat!(
    "WITH page AS (\nSELECT s.created_at, s.id FROM ai_sessions s\n",
    include_str!("sessions_where.sql"),
    "  AND (s.created_at, s.id) < ($13::timestamptz, $14::uuid)
ORDER BY s.created_at DESC, s.id DESC
LIMIT $15)\n",
    include_str!("session_columns.sql"),
    "JOIN page p ON p.id = s.id
WHERE s.account_id = $1
ORDER BY s.created_at DESC, s.id DESC"
);
/// A page of newer sessions: those before the cursor ($13, $14), oldest first (turned around
/// to newest first once read).
const NEWER_SQL: &str = concat!(
    "WITH page AS (\nSELECT s.created_at, s.id FROM ai_sessions s\n",
    include_str!("sessions_where.sql"),
    "  AND (s.created_at, s.id) > ($13::timestamptz, $14::uuid)
ORDER BY s.created_at, s.id
LIMIT $15)\n",
    include_str!("session_columns.sql"),
    "JOIN page p ON p.id = s.id
WHERE s.account_id = $1
ORDER BY s.created_at, s.id"
);
/// Sessions a CSV export reads per statement.
const EXPORT_BATCH: i64 = 10_000;
/// A batch of a CSV export: the `$15` sessions after the cursor ($13, $14), read straight from
/// the covering index in the list's order (it holds every column of the session the file has,
/// so no row of the table is visited), names joined by memoized lookups.
const EXPORT_SQL: &str = concat!(
    include_str!("session_columns.sql"),
    include_str!("sessions_where.sql"),
    "  AND (s.created_at, s.id) < ($13::timestamptz, $14::uuid)
ORDER BY s.created_at DESC, s.id DESC
LIMIT $15"
);
/// The total by counting the rows (any drill).
const COUNT_SQL: &str =
    concat!("SELECT count(*) FROM ai_sessions s\n", include_str!("sessions_where.sql"));
/// The total from the rollups, for a drill a tab counts ([`TotalFrom`]).
pub const SESSIONS_TOTAL_SQL: &str =
    statement!("raw_sessions.sql", "session_facts.sql", "sessions_total.sql");
pub const FLOW_TOTAL_SQL: &str =
    statement!("raw_sessions.sql", "flow_facts.sql", "sessions_flow_total.sql");

/// Where the list's total comes from. A drill of a domain (or none), a day and at most one
/// measure — a status, a tier or a funnel step, each kept by the rollups — or a flow with its
/// resolved or guided sessions, is summed from the same facts as the tabs' numbers, so a
/// number and the list it links to are equal by construction and cost what the tab costs.
/// Any other drill (two measures at once, a flow's day, domain, step, other status or tier)
/// counts the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalFrom {
    SessionFacts,
    FlowFacts,
    Rows,
}

impl TotalFrom {
    pub fn of(drill: &Drill) -> TotalFrom {
        let measures = [drill.status.is_some(), drill.tier.is_some(), drill.step.is_some()];
        let one_measure = measures.into_iter().filter(|set| *set).count() <= 1;
        let resolved = drill.status.is_none_or(|s| s == "resolved");
        let guided = drill.tier.is_none_or(|t| t == "guided");
        match drill.flow {
            None if one_measure => TotalFrom::SessionFacts,
            Some(_)
                if one_measure
                    && guided
                    && resolved
                    && drill.step.is_none()
                    && drill.day.is_none()
                    && drill.domain.is_none()
                    && !drill.unmapped =>
            {
                TotalFrom::FlowFacts
            }
            _ => TotalFrom::Rows,
        }
    }

    fn sql(self) -> &'static str {
        match self {
            TotalFrom::SessionFacts => SESSIONS_TOTAL_SQL,
            TotalFrom::FlowFacts => FLOW_TOTAL_SQL,
            TotalFrom::Rows => COUNT_SQL,
        }
    }
}
const ONE_SQL: &str =
    concat!(include_str!("session_columns.sql"), "WHERE s.account_id = $1 AND s.id = $2");
/// The session's PSA log, oldest first, with the state of the push that wrote each entry.
const ACTIVITY_SQL: &str = "
SELECT l.id, l.activity_type AS kind, l.created_at, (l.created_at AT TIME ZONE a.timezone) AS created_local,
       l.hours_logged AS hours, l.psa_ticket_id AS ticket, p.state AS push_state
FROM psa_activity_logs l
JOIN accounts a ON a.id = l.account_id
LEFT JOIN psa_pushes p ON p.account_id = l.account_id AND p.id = l.push_id
WHERE l.account_id = $1 AND l.session_id = $2
ORDER BY l.created_at, l.id";
/// The session's pushes that are not (yet) in its log: in flight or refused by the PSA.
const PENDING_SQL: &str = "
SELECT p.kind, p.state, p.sends, p.last_error, p.created_at, (p.created_at AT TIME ZONE a.timezone) AS created_local
FROM psa_pushes p
JOIN accounts a ON a.id = p.account_id
WHERE p.account_id = $1 AND p.session_id = $2 AND p.state <> 'confirmed'
ORDER BY p.created_at, p.id";

/// Where a page starts: after the session that started at `at` with id `id` (the last row of
/// the page before), in the list's order. Written `<microseconds since 1970>_<id>`. Ordered
/// as the list orders its rows: by start, then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    /// Where the list of `window` starts, newest first: just past its end (the newest
    /// instant it holds, with any id). The statements take a cursor, never NULL:
    /// `(created_at, id) < ($13, $14)` bounds the index range in any plan, while a "NULL or …"
    /// form is only a filter in the generic plan PostgreSQL caches under row-level security —
    /// the 100th page then read every session above it. The scan starts at one of its two
    /// upper bounds, `created_at <= until` or the cursor (it cannot tell which is tighter), so
    /// neither may lie far above the other: a first page that started at year 9999 read every
    /// session after a day 45 days back before reaching that day (84 ms at 1M, its 100th page 8).
    pub fn newest(window: &Window) -> Cursor {
        Cursor { at: window.until + chrono::TimeDelta::microseconds(1), id: Uuid::nil() }
    }

    /// Where the list of `window` ends, oldest last: just before its start.
    fn oldest(window: &Window) -> Cursor {
        Cursor { at: window.since, id: Uuid::max() }
    }

    /// This cursor, or the window's end on its side when it lies beyond it (a cursor from a
    /// wider window): the same rows, and an index range that starts inside the window.
    fn within(self, window: &Window) -> Cursor {
        // Not `clamp`, which panics on bounds the wrong way round.
        self.max(Cursor::oldest(window)).min(Cursor::newest(window))
    }

    pub fn parse(text: &str) -> Result<Option<Cursor>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let malformed = || {
            AppError::validation(
                "`cursor` is not one this list gave out; start again without it.".to_owned(),
            )
        };
        let (micros, id) = text.split_once('_').ok_or_else(malformed)?;
        let at = micros
            .parse::<i64>()
            .ok()
            .and_then(DateTime::<Utc>::from_timestamp_micros)
            .ok_or_else(malformed)?;
        let id = Uuid::try_parse(id).map_err(|_| malformed())?;
        Ok(Some(Cursor { at, id }))
    }

    pub fn text(&self) -> String {
        format!("{}_{}", self.at.timestamp_micros(), self.id)
    }
}

/// `limit`: 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent.
pub fn parse_limit(text: &str) -> Result<i64, AppError> {
    match text.trim() {
        "" => Ok(DEFAULT_LIMIT),
        text => text.parse::<i64>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
            AppError::validation(format!(
                "`limit` must be a whole number from 1 to {MAX_LIMIT}, not \"{}\".",
                crate::model::truncate_for_message(text)
            ))
        }),
    }
}

#[derive(FromRow)]
struct Row {
    id: Uuid,
    created_at: DateTime<Utc>,
    created_local: NaiveDateTime,
    user_id: Option<Uuid>,
    technician: Option<String>,
    client_id: Option<Uuid>,
    client: Option<String>,
    domain: Option<String>,
    flow_id: Option<Uuid>,
    flow: Option<String>,
    status: String,
    tier: Option<String>,
    confidence: Option<f64>,
    resolved_at: Option<DateTime<Utc>>,
    resolved_local: Option<NaiveDateTime>,
    minutes_to_resolve: Option<f64>,
    ticket: Option<String>,
    psa_site: Option<String>,
    psa_activity_count: i64,
}

impl Row {
    fn session(self) -> SessionRow {
        let named = |id: Option<Uuid>, name: Option<String>| {
            id.map(|id| Named { id, name: name.unwrap_or_default() })
        };
        let ticket_url = match (&self.psa_site, &self.ticket) {
            (Some(site), Some(ticket)) => Some(ticket_url(site, ticket)),
            _ => None,
        };
        SessionRow {
            id: self.id,
            started_at: local_time(self.created_at, self.created_local),
            technician: named(self.user_id, self.technician),
            client: named(self.client_id, self.client),
            domain: self.domain,
            flow: named(self.flow_id, self.flow),
            status: self.status,
            tier: self.tier,
            confidence: self.confidence.map(round3),
            minutes_to_resolve: self.minutes_to_resolve.map(round1),
            ticket: self.ticket,
            ticket_url,
            psa_activity_count: self.psa_activity_count,
        }
    }
}

/// An instant as RFC 3339 on the account's wall clock, with that moment's offset.
fn local_time(at: DateTime<Utc>, local: NaiveDateTime) -> String {
    let offset = (local - at.naive_utc()).num_seconds() as i32;
    FixedOffset::east_opt(offset)
        .map(|zone| at.with_timezone(&zone).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_else(|| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

/// A ticket's page in ConnectWise Manage, on the account's site.
fn ticket_url(site: &str, ticket: &str) -> String {
    let query = serde_urlencoded::to_string([("service_recid", ticket)]).unwrap_or_default();
    format!(
        "{}/v4_6_release/services/system_io/Service/fv_sr100_request.rsp?{query}",
        site.trim_end_matches('/')
    )
}

fn drilled<'q, T>(
    sql: &'q str,
    account_id: Uuid,
    window: Window,
    drill: &Drill,
) -> QueryAs<'q, Postgres, T, PgArguments>
where
    T: for<'r> FromRow<'r, sqlx::postgres::PgRow>,
{
    super::windowed(sql, account_id, window)
        .bind(drill.domain.clone())
        .bind(drill.unmapped)
        .bind(drill.flow)
        .bind(drill.status)
        .bind(drill.tier)
        .bind(drill.step)
        .bind(drill.day)
}

/// Which page of a list: `cursor` (the page after that row: older) or `before` (the page
/// before that row: newer), raw; neither is the newest page.
#[derive(Debug, Clone, Default)]
pub struct PageAsk {
    pub cursor: String,
    pub before: String,
    pub limit: String,
}

/// A page of the view's drilled sessions and their total.
pub async fn list(
    pool: &PgPool,
    account_id: Uuid,
    view: &ViewParams,
    drill: &DrillParams,
    ask: &PageAsk,
) -> Result<SessionsResponse, AppError> {
    let drill = drill.drill()?;
    let (after, before) = (Cursor::parse(&ask.cursor)?, Cursor::parse(&ask.before)?);
    if after.is_some() && before.is_some() {
        return Err(AppError::validation("Send `cursor` or `before`, not both."));
    }
    let limit = parse_limit(&ask.limit)?;
    let (window, info) = drill_window(pool, account_id, view, &drill).await?;
    let (sql, from) = match before {
        Some(before) => (NEWER_SQL, before.within(&window)),
        None => (OLDER_SQL, after.map_or(Cursor::newest(&window), |after| after.within(&window))),
    };
    // One row past the page tells whether there is another page that way.
    let page = drilled::<Row>(sql, account_id, window, &drill)
        .bind(from.at)
        .bind(from.id)
        .bind(limit + 1)
        .fetch_all(pool);
    let total = async {
        let sql = TotalFrom::of(&drill).sql();
        let (total,): (i64,) = drilled(sql, account_id, window, &drill).fetch_one(pool).await?;
        Ok::<_, sqlx::Error>(total)
    };
    let (mut rows, total) = tokio::try_join!(page, total)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    if before.is_some() {
        rows.reverse();
    }
    let at = |row: Option<&Row>| row.map(|row| Cursor { at: row.created_at, id: row.id }.text());
    // Older pages exist past a full page read newest-first, and always before the row a newer
    // page was read from; newer pages, before any page read from a cursor.
    let (older, newer) = if before.is_some() { (true, more) } else { (more, after.is_some()) };
    Ok(SessionsResponse {
        next_cursor: older.then(|| at(rows.last())).flatten(),
        prev_cursor: newer.then(|| at(rows.first())).flatten(),
        sessions: rows.into_iter().map(Row::session).collect(),
        total,
        window: info,
    })
}

/// A day's bounds in the account's zone, in the window's half-open form (as `resolve` binds
/// `from`/`to`).
const DAY_SQL: &str = "
SELECT ($2::date::timestamp AT TIME ZONE timezone) - interval '1 microsecond',
       (($2::date + 1)::timestamp AT TIME ZONE timezone) - interval '1 microsecond'
FROM accounts WHERE id = $1";

/// The view's window for a drill: with a `day`, narrowed to that local day (only its part
/// inside the window), so that the day bounds the index range exactly as the window does —
/// the one place the `day` parameter restricts the list, its count and its export; the
/// rollup totals also pick the day's facts. (Computed inside the statement, the day's bounds
/// were a filter rather than an index bound under row-level security: a day 45 days back read
/// every session after it, 150–200 ms at 1M.) Also the window the answer reports.
async fn drill_window(
    pool: &PgPool,
    account_id: Uuid,
    view: &ViewParams,
    drill: &Drill,
) -> Result<(Window, crate::model::WindowInfo), AppError> {
    let resolved = resolve(pool, account_id, view).await?;
    let mut window = resolved.window;
    if let Some(day) = drill.day {
        let (since, until): (DateTime<Utc>, DateTime<Utc>) =
            sqlx::query_as(DAY_SQL).bind(account_id).bind(day).fetch_one(pool).await?;
        window.since = window.since.max(since);
        // A day outside the window leaves it empty: (since, since].
        window.until = window.until.min(until).max(window.since);
    }
    Ok((window, resolved.info))
}

/// The sessions export's columns.
pub const CSV_HEADER: [&str; 12] = [
    "started_at",
    "session_id",
    "technician",
    "client",
    "domain",
    "flow",
    "status",
    "tier",
    "confidence",
    "minutes_to_resolve",
    "ticket",
    "psa_activity_count",
];

/// A sessions export whose parameters were checked: what it lists and the window it covers.
pub struct Export {
    account_id: Uuid,
    window: Window,
    drill: Drill,
    pub info: crate::model::WindowInfo,
    pub account_name: String,
}

impl Export {
    /// Checks the parameters (422, 404) and resolves the window, before anything is sent.
    pub async fn prepare(
        pool: &PgPool,
        account_id: Uuid,
        view: &ViewParams,
        drill: &DrillParams,
    ) -> Result<Export, AppError> {
        let drill = drill.drill()?;
        let (window, info) = drill_window(pool, account_id, view, &drill).await?;
        let account_name: String = sqlx::query_scalar("SELECT name FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(pool)
            .await?;
        Ok(Export { account_id, window, drill, info, account_name })
    }

    /// Writes every session, newest first, [`EXPORT_BATCH`] at a time: each batch is the next
    /// by keyset, read while the one before is written. Each statement is short (none outlives
    /// the statement timeout however large the export), holds no snapshot across the export
    /// and gives its connection back before its rows are written, so a slow client holds
    /// memory for two batches and no connection. Sessions written meanwhile newer than the
    /// first batch are not in the file; none is written twice.
    pub async fn write(self, pool: PgPool, mut writer: crate::server::csv::Writer) {
        let read = |after: Cursor| {
            drilled::<Row>(EXPORT_SQL, self.account_id, self.window, &self.drill)
                .bind(after.at)
                .bind(after.id)
                .bind(EXPORT_BATCH)
                // Planned for each batch's parameters: a cached generic plan guesses one row
                // for the drill's "parameter IS NULL OR …" tests and joins the names by loops
                // over whole tables, 2.5× slower per batch.
                .persistent(false)
                .fetch_all(&pool)
        };
        let result = async {
            let mut batch = read(Cursor::newest(&self.window)).await?;
            loop {
                let more = batch.len() as i64 == EXPORT_BATCH;
                let after = batch.last().map(|row| Cursor { at: row.created_at, id: row.id });
                let next = async {
                    match after {
                        Some(after) if more => read(after).await.map(Some),
                        _ => Ok(None),
                    }
                };
                let written = async {
                    for row in &batch {
                        if !writer.record(&row.csv_fields()).await {
                            return false;
                        }
                    }
                    true
                };
                let (next, open) = tokio::join!(next, written);
                match (open, next?) {
                    (true, Some(rows)) => batch = rows,
                    _ => return Ok::<_, sqlx::Error>(()),
                }
            }
        }
        .await;
        writer.finish(result.map_err(|e| e.to_string())).await;
    }
}

impl Row {
    /// The export's record, in [`CSV_HEADER`]'s order.
    fn csv_fields(&self) -> [std::borrow::Cow<'_, str>; 12] {
        fn text(value: &Option<String>) -> std::borrow::Cow<'_, str> {
            value.as_deref().unwrap_or("").into()
        }
        [
            local_time(self.created_at, self.created_local).into(),
            self.id.to_string().into(),
            text(&self.technician),
            text(&self.client),
            text(&self.domain),
            text(&self.flow),
            self.status.as_str().into(),
            text(&self.tier),
            crate::server::csv::number(self.confidence.map(round3)).into(),
            crate::server::csv::number(self.minutes_to_resolve.map(round1)).into(),
            text(&self.ticket),
            self.psa_activity_count.to_string().into(),
        ]
    }
}

/// Instants as RFC 3339 on the account's wall clock (the flow-quality export's last use).
pub async fn local_times(
    pool: &PgPool,
    account_id: Uuid,
    instants: &[DateTime<Utc>],
) -> Result<Vec<String>, AppError> {
    let rows: Vec<(DateTime<Utc>, NaiveDateTime)> = sqlx::query_as(
        "SELECT t, t AT TIME ZONE a.timezone FROM unnest($2::timestamptz[]) WITH ORDINALITY u(t, n)
         JOIN accounts a ON a.id = $1 ORDER BY n",
    )
    .bind(account_id)
    .bind(instants)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(at, local)| local_time(at, local)).collect())
}

#[derive(FromRow)]
struct ActivityRow {
    id: Uuid,
    kind: String,
    created_at: DateTime<Utc>,
    created_local: NaiveDateTime,
    hours: Option<f64>,
    ticket: Option<String>,
    push_state: Option<String>,
}

#[derive(FromRow)]
struct PendingRow {
    kind: String,
    state: String,
    sends: i32,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    created_local: NaiveDateTime,
}

/// One session of the account with its PSA activity; another account's (or no) session is 404.
pub async fn one(pool: &PgPool, account_id: Uuid, id: &str) -> Result<SessionDetail, AppError> {
    let not_found = || AppError::not_found("No such session in this account.");
    let id = Uuid::try_parse(id.trim()).map_err(|_| not_found())?;
    let (row, activity, pending) = tokio::try_join!(
        sqlx::query_as::<_, Row>(ONE_SQL).bind(account_id).bind(id).fetch_optional(pool),
        sqlx::query_as::<_, ActivityRow>(ACTIVITY_SQL).bind(account_id).bind(id).fetch_all(pool),
        sqlx::query_as::<_, PendingRow>(PENDING_SQL).bind(account_id).bind(id).fetch_all(pool),
    )?;
    let row = row.ok_or_else(not_found)?;
    let resolved_at = match (row.resolved_at, row.resolved_local) {
        (Some(at), Some(local)) => Some(local_time(at, local)),
        _ => None,
    };
    Ok(SessionDetail {
        resolved_at,
        session: row.session(),
        psa_activity: activity
            .into_iter()
            .map(|a| PsaActivity {
                id: a.id,
                kind: a.kind,
                at: local_time(a.created_at, a.created_local),
                hours: a.hours,
                ticket: a.ticket,
                push_state: a.push_state,
            })
            .collect(),
        pending_pushes: pending
            .into_iter()
            .map(|p| PendingPush {
                kind: p.kind,
                state: p.state,
                sends: i64::from(p.sends),
                last_error: p.last_error,
                at: local_time(p.created_at, p.created_local),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_refuses_anything_else() {
        let cursor = Cursor {
            at: DateTime::from_timestamp_micros(1_764_446_400_123_456).unwrap(),
            id: Uuid::from_u128(7),
        };
        assert_eq!(Cursor::parse(&cursor.text()).unwrap(), Some(cursor));
        assert_eq!(Cursor::parse("").unwrap(), None);
        for bad in
            ["x", "12_", "_00000000-0000-0000-0000-000000000007", "1.5_x", "9999999999999999999_a"]
        {
            assert_eq!(Cursor::parse(bad).unwrap_err().status_code(), 422, "{bad}");
        }
    }

    #[test]
    fn the_total_comes_from_the_rollups_for_any_single_measure() {
        let drill = |pairs: &[(&str, &str)]| {
            crate::drill::DrillParams::read(|name| {
                pairs.iter().find(|(key, _)| *key == name).map(|(_, v)| (*v).to_owned())
            })
            .drill()
            .unwrap()
        };
        let flow = "2b1f6f4e-8a7e-4c55-9d0a-9a3d8f0e1a11";
        for pairs in [
            vec![],
            vec![("domain", "VPN"), ("status", "escalated")],
            vec![("domain", "VPN"), ("tier", "guided")],
            vec![("unmapped", "true")],
            vec![("day", "2026-03-29"), ("status", "resolved")],
            vec![("step", "time_entry")],
            vec![("status", "active")],
            vec![("status", "abandoned"), ("domain", "VPN")],
            vec![("tier", "assisted")],
            vec![("tier", "exploratory"), ("day", "2026-03-29")],
        ] {
            assert_eq!(TotalFrom::of(&drill(&pairs)), TotalFrom::SessionFacts, "{pairs:?}");
        }
        assert_eq!(TotalFrom::of(&drill(&[("flow", flow)])), TotalFrom::FlowFacts);
        assert_eq!(
            TotalFrom::of(&drill(&[("flow", flow), ("status", "resolved")])),
            TotalFrom::FlowFacts
        );
        for pairs in [
            vec![("status", "resolved"), ("tier", "guided")],
            vec![("step", "linked"), ("status", "escalated")],
            vec![("flow", flow), ("status", "escalated")],
            vec![("flow", flow), ("day", "2026-03-29")],
            vec![("flow", flow), ("domain", "VPN")],
        ] {
            assert_eq!(TotalFrom::of(&drill(&pairs)), TotalFrom::Rows, "{pairs:?}");
        }
    }

    #[test]
    fn limit_is_one_to_two_hundred() {
        assert_eq!(parse_limit("").unwrap(), DEFAULT_LIMIT);
        assert_eq!(parse_limit("200").unwrap(), 200);
        for bad in ["0", "201", "-1", "ten", "1.5"] {
            assert_eq!(parse_limit(bad).unwrap_err().status_code(), 422, "{bad}");
        }
    }

    #[test]
    fn times_carry_the_accounts_offset_and_ticket_links_are_encoded() {
        let at = DateTime::parse_from_rfc3339("2026-03-29T01:30:00Z").unwrap().to_utc();
        let local = NaiveDateTime::parse_from_str("2026-03-29 03:30:00", "%Y-%m-%d %H:%M:%S");
        assert_eq!(local_time(at, local.unwrap()), "2026-03-29T03:30:00+02:00");
        assert_eq!(
            ticket_url("https://cw.example.com/", "12 & 3"),
            "https://cw.example.com/v4_6_release/services/system_io/Service/fv_sr100_request.rsp?service_recid=12+%26+3"
        );
    }
}
