//! The response shapes of the analytics API and the inputs they are asked for with. Shared by
//! the server (queries, JSON API) and the browser (server function results). Field names are
//! the API's contract with its clients.

use crate::{error::AppError, href::encode_component};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// The analytics window: the period starts `days()` days before now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    #[serde(rename = "7d")]
    Days7,
    #[default]
    #[serde(rename = "30d")]
    Days30,
    #[serde(rename = "90d")]
    Days90,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Days7, Period::Days30, Period::Days90];

    pub fn days(self) -> i32 {
        match self {
            Period::Days7 => 7,
            Period::Days30 => 30,
            Period::Days90 => 90,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Days7 => "7d",
            Period::Days30 => "30d",
            Period::Days90 => "90d",
        }
    }

    /// Reads an optional query value: absent or empty means the default (30d).
    pub fn parse_param(value: Option<&str>) -> Result<Self, AppError> {
        match value.map(str::trim) {
            None | Some("") => Ok(Period::default()),
            Some(text) => text.parse(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = AppError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Period::ALL.into_iter().find(|p| p.as_str() == text).ok_or_else(|| {
            AppError::validation(format!(
                "Unknown period \"{}\". Allowed values: 7d, 30d, 90d.",
                truncate_for_message(text)
            ))
        })
    }
}

/// A rate over fewer sessions than this is a small sample (SPEC §7): shown with its `n`, muted,
/// never coloured good or bad and never a reason to flag a flow.
pub const MIN_SAMPLE: i64 = 10;

/// Whether a rate over `sessions` is too small a sample to judge.
pub fn small_sample(sessions: i64) -> bool {
    sessions < MIN_SAMPLE
}

/// The longest custom window, in days (SPEC §7).
pub const MAX_WINDOW_DAYS: i64 = 366;

/// What a view of the analytics asks for, as its raw query values ("" when absent): the window
/// — `period`, or `from` and `to` (account-local days, both inclusive) — and the filters
/// `technician` (a user id) and `client` (a client id). [`ViewParams::spec`] and
/// [`ViewParams::filters`] are the one place that decides which values are valid; the server
/// adds "`to` is not after today" and "the ids are the account's".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ViewParams {
    pub period: String,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub technician: String,
    #[serde(default)]
    pub client: String,
}

/// The filters of a view (SPEC §7): only the sessions of this technician, of this client, or
/// both; and the PSA logs of those sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub technician: Option<uuid::Uuid>,
    pub client: Option<uuid::Uuid>,
}

impl Filters {
    pub fn any(&self) -> bool {
        self.technician.is_some() || self.client.is_some()
    }
}

/// A valid window request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSpec {
    /// The last N days up to now.
    Period(Period),
    /// Whole local days `from..=to` (clipped at now).
    Days { from: chrono::NaiveDate, to: chrono::NaiveDate },
}

impl ViewParams {
    /// The view's parameters read by name from a query (absent: "").
    pub fn read(value: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name| value(name).unwrap_or_default();
        ViewParams {
            period: text("period"),
            from: text("from"),
            to: text("to"),
            technician: text("technician"),
            client: text("client"),
        }
    }

    /// Which window is asked for; 422 naming the rule that is broken.
    pub fn spec(&self) -> Result<WindowSpec, AppError> {
        let (period, from, to) = (self.period.trim(), self.from.trim(), self.to.trim());
        match (from.is_empty(), to.is_empty()) {
            (true, true) => Ok(WindowSpec::Period(Period::parse_param(Some(period))?)),
            (false, false) if !period.is_empty() => {
                Err(AppError::validation("Send either `period` or `from` and `to`, not both."))
            }
            (false, false) => {
                let (from, to) = (parse_day("from", from)?, parse_day("to", to)?);
                if from > to {
                    return Err(AppError::validation(format!(
                        "`from` ({from}) must not be after `to` ({to})."
                    )));
                }
                if (to - from).num_days() + 1 > MAX_WINDOW_DAYS {
                    return Err(AppError::validation(format!(
                        "A window spans at most {MAX_WINDOW_DAYS} days; {from} to {to} is {}.",
                        (to - from).num_days() + 1
                    )));
                }
                Ok(WindowSpec::Days { from, to })
            }
            _ => Err(AppError::validation("Send both `from` and `to` (YYYY-MM-DD), or neither.")),
        }
    }

    /// The window alone, without the filters.
    pub fn window_only(self) -> Self {
        ViewParams { technician: String::new(), client: String::new(), ..self }
    }

    /// The filters asked for; 422 for a value that is not an id.
    pub fn filters(&self) -> Result<Filters, AppError> {
        Ok(Filters {
            technician: parse_id("technician", "user", &self.technician)?,
            client: parse_id("client", "client", &self.client)?,
        })
    }

    /// The query pairs that reproduce this view (empty values left out by links).
    pub fn pairs(&self) -> [(&'static str, &str); 5] {
        [
            ("period", &self.period),
            ("from", &self.from),
            ("to", &self.to),
            ("technician", &self.technician),
            ("client", &self.client),
        ]
    }
}

fn parse_id(name: &str, what: &str, text: &str) -> Result<Option<uuid::Uuid>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    uuid::Uuid::try_parse(text).map(Some).map_err(|_| {
        AppError::validation(format!(
            "`{name}` must be a {what} id (a UUID), not \"{}\".",
            truncate_for_message(text)
        ))
    })
}

/// A `YYYY-MM-DD` query value named `name`; 422 naming it otherwise (the window's `from`/`to`
/// and the drill's `day` alike).
pub fn parse_day(name: &str, text: &str) -> Result<chrono::NaiveDate, AppError> {
    day_from_ymd(text).ok_or_else(|| {
        AppError::validation(format!(
            "`{name}` must be a date as YYYY-MM-DD, not \"{}\".",
            truncate_for_message(text)
        ))
    })
}

/// Exactly `YYYY-MM-DD`, a day that exists. Read by hand rather than with chrono's format
/// parser, which would otherwise be compiled into the browser's `.wasm` for this alone.
fn day_from_ymd(text: &str) -> Option<chrono::NaiveDate> {
    let bytes = text.as_bytes();
    let layout = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !layout {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// What a response covers (SPEC §7): its first and last local day, the account's time zone
/// those days are in, and when it was computed (RFC 3339).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WindowInfo {
    pub from: String,
    pub to: String,
    pub timezone: String,
    pub as_of: String,
}

/// A response that carries its window and, when compared, the previous window's answer.
pub trait Windowed: Sized {
    fn set_window(&mut self, window: WindowInfo, previous: Option<Self>);
    fn window(&self) -> &WindowInfo;
    /// The previous window, when the answer was compared.
    fn previous_window(&self) -> Option<&WindowInfo>;
}

macro_rules! windowed {
    ($($response:ty),+) => {$(
        impl Windowed for $response {
            fn set_window(&mut self, window: WindowInfo, previous: Option<Self>) {
                self.window = window;
                self.previous = previous.map(Box::new);
            }

            fn window(&self) -> &WindowInfo {
                &self.window
            }

            fn previous_window(&self) -> Option<&WindowInfo> {
                self.previous.as_ref().map(|p| &p.window)
            }
        }
    )+};
}
windowed!(OverviewResponse, CoverageResponse, FlowQualityResponse, EnhancedPsaMetrics);

/// An ECharts option as JSON text. The server builds it from the data (`server::charts`, with
/// `charming`), so the browser only parses it and hands it to ECharts: no chart-building code
/// in the hydrate `.wasm` (SPEC §12).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChartOption(pub String);

/// A tab's answer with the chart drawn from it: what a tab with a chart loads for the page
/// (its server function). The JSON API answers `data` alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Charted<T> {
    pub data: T,
    pub chart: ChartOption,
}

impl<T: Windowed> Windowed for Charted<T> {
    fn set_window(&mut self, window: WindowInfo, previous: Option<Self>) {
        self.data.set_window(window, previous.map(|p| p.data));
    }

    fn window(&self) -> &WindowInfo {
        self.data.window()
    }

    fn previous_window(&self) -> Option<&WindowInfo> {
        self.data.previous_window()
    }
}

/// The sessions list covers a window but is never compared: it has no previous answer.
impl Windowed for SessionsResponse {
    fn set_window(&mut self, window: WindowInfo, _: Option<Self>) {
        self.window = window;
    }

    fn window(&self) -> &WindowInfo {
        &self.window
    }

    fn previous_window(&self) -> Option<&WindowInfo> {
        None
    }
}

/// Echoes user input back in an error message without letting it grow the response.
pub fn truncate_for_message(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Rounds to 3 decimals, the precision of every rate in the API.
pub fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// `part ÷ total` rounded to 3 decimals; 0 when there is nothing to divide.
pub fn rate(part: i64, total: i64) -> f64 {
    if total <= 0 {
        0.0
    } else {
        round3(part as f64 / total as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OverviewDay {
    pub date: String,
    pub sessions: i64,
    pub resolved: i64,
    pub escalated: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DomainCount {
    pub domain: String,
    pub session_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OverviewResponse {
    pub total_sessions: i64,
    pub resolved_sessions: i64,
    pub escalated_sessions: i64,
    pub resolution_rate: f64,
    pub escalation_rate: f64,
    pub guided_rate: f64,
    pub avg_confidence: Option<f64>,
    pub avg_resolution_minutes: Option<f64>,
    pub matched_flow_rate: f64,
    pub daily_trend: Vec<OverviewDay>,
    pub top_domains: Vec<DomainCount>,
    /// The 20 busiest technicians of the window (SPEC §7).
    #[serde(default)]
    pub by_technician: Vec<BreakdownRow>,
    /// The 20 busiest clients of the window.
    #[serde(default)]
    pub by_client: Vec<BreakdownRow>,
    /// The window this answer covers (SPEC §7).
    #[serde(default)]
    pub window: WindowInfo,
    /// The same answer for the window of equal length before it, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub previous: Option<Box<Self>>,
}

/// One technician's or client's sessions in the window (Overview's breakdowns, SPEC §7), and
/// the hours their sessions' time entries logged in it. A technician is named by email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub sessions: i64,
    pub resolution_rate: f64,
    pub escalation_rate: f64,
    pub avg_resolution_minutes: Option<f64>,
    pub hours_logged: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageDomainRow {
    pub domain: String,
    pub flow_count: i64,
    pub session_count: i64,
    pub resolution_rate: f64,
    pub escalation_rate: f64,
    pub guided_rate: f64,
    pub avg_resolution_minutes: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageResponse {
    pub domains: Vec<CoverageDomainRow>,
    pub unmapped_session_count: i64,
    pub total_domains: i64,
    /// The window this answer covers (SPEC §7).
    #[serde(default)]
    pub window: WindowInfo,
    /// The same answer for the window of equal length before it, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub previous: Option<Box<Self>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FlowQualityRow {
    pub flow_id: String,
    pub name: String,
    pub tree_type: String,
    pub usage_count: i64,
    pub success_rate: Option<f64>,
    pub last_matched_at: Option<chrono::DateTime<chrono::Utc>>,
    pub avg_confidence: Option<f64>,
    pub quality_score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FlowQualityResponse {
    pub flows: Vec<FlowQualityRow>,
    pub top_performers: Vec<FlowQualityRow>,
    pub needs_attention: Vec<FlowQualityRow>,
    /// The window this answer covers (SPEC §7).
    #[serde(default)]
    pub window: WindowInfo,
    /// The same answer for the window of equal length before it, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub previous: Option<Box<Self>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PsaFunnel {
    pub total_sessions: i64,
    pub linked_to_ticket: i64,
    pub doc_pushed: i64,
    pub time_entry_logged: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PsaDailyTrend {
    pub date: String,
    pub entries: i64,
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnhancedPsaMetrics {
    pub total_time_entries: i64,
    pub total_hours_logged: f64,
    pub avg_hours_per_session: f64,
    pub push_funnel: PsaFunnel,
    pub daily_trend: Vec<PsaDailyTrend>,
    /// The window this answer covers (SPEC §7).
    #[serde(default)]
    pub window: WindowInfo,
    /// The same answer for the window of equal length before it, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub previous: Option<Box<Self>>,
}

impl PsaFunnel {
    /// The steps in order, with their labels.
    pub fn steps(&self) -> [(&'static str, i64); 4] {
        [
            ("All sessions", self.total_sessions),
            ("Linked to a ticket", self.linked_to_ticket),
            ("Note pushed", self.doc_pushed),
            ("Time entry logged", self.time_entry_logged),
        ]
    }
}

/// The share of `from` that reached `to`; none when nothing entered the step.
pub fn conversion(from: i64, to: i64) -> Option<f64> {
    (from > 0).then(|| round3(to as f64 / from as f64))
}

/// Hours are reported to a hundredth.
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// One choice of a filter picker (SPEC §7): a technician (named by email: users have no other
/// name) or a client, with its sessions in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FilterOption {
    pub id: uuid::Uuid,
    pub name: String,
    pub sessions: i64,
}

/// `GET /api/v1/analytics/flowpilot/filters`: the choices of the two filters for a window, the
/// busiest first. Technicians are the account's users who are technicians or ran a session in
/// the window; clients are all the account's clients.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FiltersResponse {
    pub window: WindowInfo,
    pub technicians: Vec<FilterOption>,
    pub clients: Vec<FilterOption>,
}

/// Something a session refers to — its technician (named by email), client or flow — by id and
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Named {
    pub id: uuid::Uuid,
    pub name: String,
}

/// One session of the sessions list (SPEC §8). Times are RFC 3339 on the account's wall clock,
/// with that moment's offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionRow {
    pub id: uuid::Uuid,
    pub started_at: String,
    pub technician: Option<Named>,
    pub client: Option<Named>,
    pub domain: Option<String>,
    pub flow: Option<Named>,
    pub status: String,
    pub tier: Option<String>,
    pub confidence: Option<f64>,
    /// Minutes from start to resolution, for a resolved session.
    pub minutes_to_resolve: Option<f64>,
    pub ticket: Option<String>,
    /// The ticket in the account's ConnectWise, when the account has a PSA connection.
    pub ticket_url: Option<String>,
    pub psa_activity_count: i64,
}

/// `GET /api/v1/analytics/flowpilot/sessions`: a page of the sessions behind a number, newest
/// first; `next_cursor` asks (as `cursor=`) for the older page after it (null on the last),
/// `prev_cursor` (as `before=`) for the newer page before it (null on the first); `total`
/// counts them all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionsResponse {
    pub sessions: Vec<SessionRow>,
    pub next_cursor: Option<String>,
    #[serde(default)]
    pub prev_cursor: Option<String>,
    pub total: i64,
    pub window: WindowInfo,
}

/// One entry of a session's PSA log: a note, a time entry or a status update as it reached the
/// PSA, with the state of the push that wrote it (none for entries not written by a push).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PsaActivity {
    pub id: uuid::Uuid,
    /// `note_posted`, `time_entry_posted` or `status_updated`.
    pub kind: String,
    pub at: String,
    pub hours: Option<f64>,
    pub ticket: Option<String>,
    pub push_state: Option<String>,
}

/// A push of the session not (yet) in its log: `pending` (may be in the PSA; being confirmed)
/// or `failed` (the PSA refused it), with how often it was sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PendingPush {
    /// `note`, `time_entry` or `status`.
    pub kind: String,
    pub state: String,
    pub sends: i64,
    pub last_error: Option<String>,
    pub at: String,
}

/// `GET /api/v1/analytics/flowpilot/sessions/{id}`: the session and its PSA activity, oldest
/// first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionDetail {
    #[serde(flatten)]
    pub session: SessionRow,
    pub resolved_at: Option<String>,
    pub psa_activity: Vec<PsaActivity>,
    pub pending_pushes: Vec<PendingPush>,
}

/// Who is looking and where the main FlowPilot app (flow editor) lives; loaded once per page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageContext {
    pub account_name: String,
    pub email: String,
    /// Base URL of the FlowPilot app, without a trailing slash ("" = this origin).
    pub app_url: String,
}

impl PageContext {
    pub fn flow_editor(&self, flow_id: &str) -> String {
        format!("{}/trees/{}/edit", self.app_url, encode_component(flow_id))
    }

    pub fn new_flow(&self, category: &str) -> String {
        format!("{}/trees/new?category={}", self.app_url, encode_component(category))
    }
}

/// Minutes are reported to a tenth.
pub fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_parses_the_three_allowed_values() {
        assert_eq!("7d".parse::<Period>().unwrap(), Period::Days7);
        assert_eq!("30d".parse::<Period>().unwrap(), Period::Days30);
        assert_eq!("90d".parse::<Period>().unwrap(), Period::Days90);
        assert_eq!(Period::Days90.days(), 90);
    }

    #[test]
    fn a_day_is_exactly_yyyy_mm_dd_and_exists() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(day_from_ymd("2026-03-14"), day(2026, 3, 14));
        assert_eq!(day_from_ymd("2024-02-29"), day(2024, 2, 29));
        assert_eq!(day_from_ymd("0001-01-01"), day(1, 1, 1));
        for text in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-03-1",
            "2026-03-014",
            "2026/03/14",
            "+026-03-14",
            "2026-03-1a",
            " 2026-03-1",
            "",
            "2026-0３-14",
        ] {
            assert_eq!(day_from_ymd(text), None, "{text:?}");
        }
    }

    fn params(period: &str, from: &str, to: &str) -> ViewParams {
        ViewParams { period: period.into(), from: from.into(), to: to.into(), ..Default::default() }
    }

    #[test]
    fn filters_are_ids_or_absent_and_a_malformed_one_is_named() {
        let id = "aaaaaaaa-0000-0000-0000-000000000001";
        let view = |technician: &str, client: &str| ViewParams {
            technician: technician.into(),
            client: client.into(),
            ..Default::default()
        };
        assert_eq!(view("", "").filters().unwrap(), Filters::default());
        assert!(!view("", "").filters().unwrap().any());
        let both = view(id, &format!(" {id} ")).filters().unwrap();
        assert_eq!(both.technician, Some(id.parse().unwrap()));
        assert_eq!(both.client, Some(id.parse().unwrap()));
        assert!(both.any());
        let bad = view("alice", "").filters().unwrap_err().to_string();
        assert!(bad.contains("`technician` must be a user id"), "{bad}");
        let bad = view("", "42").filters().unwrap_err().to_string();
        assert!(bad.contains("`client` must be a client id"), "{bad}");
    }

    #[test]
    fn a_window_is_a_period_or_a_valid_range_and_each_broken_rule_is_named() {
        let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
        assert_eq!(params("", "", "").spec().unwrap(), WindowSpec::Period(Period::Days30));
        assert_eq!(params("7d", "", "").spec().unwrap(), WindowSpec::Period(Period::Days7));
        assert_eq!(
            params("", "2026-03-01", "2026-03-01").spec().unwrap(),
            WindowSpec::Days { from: day("2026-03-01"), to: day("2026-03-01") }
        );
        // 2028 is a leap year: 366 days is the most.
        assert!(params("", "2028-01-01", "2028-12-31").spec().is_ok());
        for (bad, rule) in [
            (params("7d", "2026-03-01", "2026-03-02"), "not both"),
            (params("", "2026-03-01", ""), "or neither"),
            (params("", "", "2026-03-01"), "or neither"),
            (params("", "2026-3-1", "2026-03-02"), "YYYY-MM-DD"),
            (params("", "2026-02-30", "2026-03-02"), "YYYY-MM-DD"),
            (params("", "2026-03-02", "2026-03-01"), "must not be after"),
            (params("", "2027-01-01", "2028-01-02"), "at most 366 days"),
            (params("1y", "", ""), "Allowed values"),
        ] {
            let error = bad.spec().unwrap_err();
            assert_eq!(error.status_code(), 422, "{bad:?}");
            assert!(error.to_string().contains(rule), "{bad:?}: {error}");
        }
    }

    #[test]
    fn period_defaults_to_30d_when_absent_or_empty() {
        assert_eq!(Period::parse_param(None).unwrap(), Period::Days30);
        assert_eq!(Period::parse_param(Some("")).unwrap(), Period::Days30);
    }

    #[test]
    fn unknown_period_is_a_validation_error_naming_the_allowed_values() {
        for bad in ["1d", "30", "30D", "365d", "-7d", "7d;drop"] {
            let err = bad.parse::<Period>().unwrap_err();
            assert_eq!(err.status_code(), 422, "{bad}");
            let message = err.to_string();
            assert!(message.contains("7d, 30d, 90d"), "{message}");
        }
    }

    #[test]
    fn long_input_is_truncated_in_the_message() {
        let long = "x".repeat(500);
        let message = long.parse::<Period>().unwrap_err().to_string();
        assert!(message.len() < 120, "{message}");
    }

    #[test]
    fn period_round_trips_through_serde_as_its_query_value() {
        assert_eq!(serde_json::to_string(&Period::Days7).unwrap(), "\"7d\"");
        assert_eq!(serde_json::from_str::<Period>("\"90d\"").unwrap(), Period::Days90);
    }

    #[test]
    fn rate_is_rounded_to_three_decimals_and_zero_without_sessions() {
        assert_eq!(rate(1, 3), 0.333);
        assert_eq!(rate(2, 3), 0.667);
        assert_eq!(rate(5, 5), 1.0);
        assert_eq!(rate(0, 7), 0.0);
        assert_eq!(rate(0, 0), 0.0);
        assert_eq!(rate(3, 0), 0.0);
        assert_eq!(rate(1, 8), 0.125);
    }

    #[test]
    fn links_to_the_flowpilot_app_are_encoded() {
        let context = PageContext {
            account_name: "A".into(),
            email: "a@b.c".into(),
            app_url: "https://app.example".into(),
        };
        assert_eq!(
            context.new_flow("Phones (VoIP)"),
            "https://app.example/trees/new?category=Phones%20%28VoIP%29"
        );
        assert_eq!(context.flow_editor("abc-1"), "https://app.example/trees/abc-1/edit");
    }

    #[test]
    fn conversion_never_divides_by_zero() {
        assert_eq!(conversion(0, 0), None);
        assert_eq!(conversion(0, 5), None);
        assert_eq!(conversion(8, 0), Some(0.0));
        assert_eq!(conversion(3, 2), Some(0.667));
        assert_eq!(conversion(4, 4), Some(1.0));
    }

    #[test]
    fn round3_rounds_half_away_from_zero() {
        assert_eq!(round3(0.1235), 0.124);
        assert_eq!(round3(12.3456), 12.346);
    }
}
