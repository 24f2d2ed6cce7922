//! The REST API of the analytics: one `GET` handler serves the four data sources
//! (`/api/v1/analytics/flowpilot[/coverage|/flow-quality|/psa-metrics]`, with `period=` or
//! `from=&to=`, `compare=previous` and `sort=`), calling the same queries as the tabs' server
//! functions and spending the same budget.

use super::{
    identity::Admin,
    queries::{self, SourceAnswer},
    rate_limit,
    state::AppState,
};
use crate::{
    error::AppError,
    flow_quality::FlowSort,
    model::{truncate_for_message, WindowParams},
    routes::DataSource,
};
use axum::{
    extract::{RawQuery, State},
    routing::{get, MethodRouter},
    Json,
};

/// The query string of an analytics request, with the parameters it may carry.
struct AnalyticsQuery {
    pairs: Vec<(String, String)>,
}

impl AnalyticsQuery {
    fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        let pairs = serde_urlencoded::from_str(raw.unwrap_or_default()).map_err(|_| {
            AppError::bad_request(format!(
                "Malformed query string \"{}\".",
                truncate_for_message(raw.unwrap_or_default())
            ))
        })?;
        Ok(AnalyticsQuery { pairs })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
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
    rate_limit::spend_analytics(state, admin.user_id, source).await?;
    let query = AnalyticsQuery::parse(raw_query)?;
    let text = |name| query.get(name).unwrap_or_default().to_owned();
    let window = WindowParams { period: text("period"), from: text("from"), to: text("to") };
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
    queries::requested(&state.pool, admin.account_id, source, &window, compare, sort).await
}
