//! The REST API of the analytics: one `GET` handler serves the four data sources
//! (`/api/v1/analytics/flowpilot[/coverage|/flow-quality|/psa-metrics]`, with `period=` or
//! `from=&to=`, `technician=`, `client=`, `compare=previous` and `sort=`), calling the same
//! queries as the tabs' server functions and spending the same budget; the filter pickers'
//! choices (`…/filters`); and the sessions behind a number (`…/sessions`, `…/sessions/{id}`).

use super::{
    identity::Admin,
    queries::{self, sessions::PageAsk, SourceAnswer},
    rate_limit,
    state::AppState,
};
use crate::{
    drill::DrillParams,
    error::AppError,
    flow_quality::FlowSort,
    model::{truncate_for_message, FiltersResponse, SessionDetail, SessionsResponse, ViewParams},
    routes::DataSource,
};
use axum::{
    extract::{Path, RawQuery, State},
    routing::{get, MethodRouter},
    Json,
};

/// The query string of an analytics request (JSON or CSV), with the parameters it may carry.
pub(super) struct AnalyticsQuery {
    pairs: Vec<(String, String)>,
}

impl AnalyticsQuery {
    pub(super) fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        let pairs = serde_urlencoded::from_str(raw.unwrap_or_default()).map_err(|_| {
            AppError::bad_request(format!(
                "Malformed query string \"{}\".",
                truncate_for_message(raw.unwrap_or_default())
            ))
        })?;
        Ok(AnalyticsQuery { pairs })
    }

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// A value by name, owned (what the parameter readers take).
    pub(super) fn value(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }
}

/// `GET` of the filter pickers' choices for a window (its own budget beside the sources').
pub async fn filters(
    State(state): State<AppState>,
    admin: Admin,
    RawQuery(raw): RawQuery,
) -> Result<Json<FiltersResponse>, AppError> {
    rate_limit::spend_analytics(&state, admin.user_id, rate_limit::FILTERS).await?;
    let query = AnalyticsQuery::parse(raw.as_deref())?;
    let view = ViewParams::read(|name| query.value(name));
    Ok(Json(queries::filters::filters(&state.pool, admin.account_id, &view).await?))
}

/// `GET` of a page of the sessions behind a number: the window, the filters and the drill
/// parameters of SPEC §8, `cursor` (older than the page before: its `next_cursor`) or `before`
/// (newer: a page's `prev_cursor`), and `limit` (1–200, default 50).
pub async fn sessions(
    State(state): State<AppState>,
    admin: Admin,
    RawQuery(raw): RawQuery,
) -> Result<Json<SessionsResponse>, AppError> {
    rate_limit::spend_analytics(&state, admin.user_id, rate_limit::SESSIONS).await?;
    let query = AnalyticsQuery::parse(raw.as_deref())?;
    let text = |name: &str| query.value(name);
    let (view, drill) = (ViewParams::read(text), DrillParams::read(text));
    let ask = PageAsk {
        cursor: text("cursor").unwrap_or_default(),
        before: text("before").unwrap_or_default(),
        limit: text("limit").unwrap_or_default(),
    };
    Ok(Json(queries::sessions::list(&state.pool, admin.account_id, &view, &drill, &ask).await?))
}

/// `GET` of one session of the account with its PSA activity (another account's: 404).
pub async fn session(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> Result<Json<SessionDetail>, AppError> {
    rate_limit::spend_analytics(&state, admin.user_id, rate_limit::SESSION).await?;
    Ok(Json(queries::sessions::one(&state.pool, admin.account_id, &id).await?))
}

/// `GET` of one data source: 200 with its response, or the error as JSON.
pub fn endpoint(source: DataSource) -> MethodRouter<AppState> {
    get(move |State(state): State<AppState>, admin: Admin, RawQuery(raw): RawQuery| async move {
        analytics(&state, admin, source, raw.as_deref()).await.map(Json)
    })
}

async fn analytics(
    state: &AppState,
    admin: Admin,
    source: DataSource,
    raw_query: Option<&str>,
) -> Result<SourceAnswer, AppError> {
    rate_limit::spend_analytics(state, admin.user_id, source.name()).await?;
    let query = AnalyticsQuery::parse(raw_query)?;
    let view = ViewParams::read(|name| query.value(name));
    let compare = match query.get("compare").map(str::trim) {
        None | Some("") => false,
        Some("previous") => true,
        Some(other) => {
            return Err(AppError::validation(format!(
                "Unknown compare \"{}\". Allowed value: previous.",
                truncate_for_message(other)
            )))
        }
    };
    let sort = match source {
        DataSource::FlowQuality => FlowSort::parse_param(query.get("sort"))?,
        _ => FlowSort::default(),
    };
    queries::requested(&state.pool, admin.account_id, source, &view, compare, sort).await
}
