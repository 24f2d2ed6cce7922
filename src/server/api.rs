//! The REST API of the analytics (`/api/v1/analytics/...`) and the helper that gives the
//! server functions the same identity, state and error rules. Both call the same query.

use super::{
    auth::{require_team_admin, Admin, CurrentUser},
    errors::internal,
    queries::{self, Window},
    state::AppState,
};
use crate::{
    error::AppError,
    model::{
        truncate_for_message, CoverageResponse, EnhancedPsaMetrics, FlowQualityResponse,
        OverviewResponse, Period,
    },
    quality::FlowSort,
};
use axum::{
    body::Body,
    extract::{RawQuery, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
    Json,
};
use chrono::Utc;
use leptos::prelude::use_context;
use std::future::Future;

/// The query string of an analytics request, with the parameters it may carry.
pub struct AnalyticsQuery {
    pairs: Vec<(String, String)>,
}

impl AnalyticsQuery {
    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        let pairs = serde_urlencoded::from_str(raw.unwrap_or_default()).map_err(|_| {
            AppError::bad_request(format!(
                "Malformed query string \"{}\".",
                truncate_for_message(raw.unwrap_or_default())
            ))
        })?;
        Ok(AnalyticsQuery { pairs })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    pub fn window(&self) -> Result<Window, AppError> {
        Self::window_for(self.get("period").unwrap_or_default())
    }

    /// The window of a raw `period` value ("" is the default) ending now.
    pub fn window_for(period: &str) -> Result<Window, AppError> {
        Ok(Window::ending_at(Period::parse_param(Some(period))?, Utc::now()))
    }
}

/// `GET /api/v1/analytics/flowpilot?period=7d|30d|90d`
pub async fn overview(
    State(state): State<AppState>,
    admin: Admin,
    RawQuery(raw): RawQuery,
) -> Result<Json<OverviewResponse>, AppError> {
    let window = AnalyticsQuery::parse(raw.as_deref())?.window()?;
    Ok(Json(queries::overview::overview(&state.pool, admin.account_id, window).await?))
}

/// `GET /api/v1/analytics/flowpilot/coverage?period=7d|30d|90d`
pub async fn coverage(
    State(state): State<AppState>,
    admin: Admin,
    RawQuery(raw): RawQuery,
) -> Result<Json<CoverageResponse>, AppError> {
    let window = AnalyticsQuery::parse(raw.as_deref())?.window()?;
    Ok(Json(queries::coverage::coverage(&state.pool, admin.account_id, window).await?))
}

/// `GET /api/v1/analytics/flowpilot/flow-quality?period=…&sort=quality|usage|success_rate`
pub async fn flow_quality(
    State(state): State<AppState>,
    admin: Admin,
    RawQuery(raw): RawQuery,
) -> Result<Json<FlowQualityResponse>, AppError> {
    let query = AnalyticsQuery::parse(raw.as_deref())?;
    let window = query.window()?;
    let sort = FlowSort::parse_param(query.get("sort"))?;
    Ok(Json(
        queries::flow_quality::flow_quality(&state.pool, admin.account_id, window, sort).await?,
    ))
}

/// `GET /api/v1/analytics/flowpilot/psa-metrics?period=7d|30d|90d`
pub async fn psa_metrics(
    State(state): State<AppState>,
    admin: Admin,
    RawQuery(raw): RawQuery,
) -> Result<Json<EnhancedPsaMetrics>, AppError> {
    let window = AnalyticsQuery::parse(raw.as_deref())?.window()?;
    Ok(Json(queries::psa::psa_metrics(&state.pool, admin.account_id, window).await?))
}

/// Runs a server function's body for the signed-in team admin. On error the HTTP status (and
/// `Retry-After`) follow the error, for the server function call and for an SSR page alike.
pub async fn as_admin<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Admin) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = async {
        let state =
            use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))?;
        let parts = use_context::<http::request::Parts>();
        let admin =
            require_team_admin(parts.as_ref().and_then(|p| p.extensions.get::<CurrentUser>()))?;
        body(state, admin).await
    }
    .await;
    if let (Err(error), Some(response)) = (&result, use_context::<leptos_axum::ResponseOptions>()) {
        response.set_status(
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let AppError::RateLimited { retry_after_secs } = error {
            response.insert_header(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
    }
    result
}

/// Server functions answer argument errors (decoded before our code runs) with a 500 whose
/// body is our `bad_request` error; this gives such responses the 400 their body declares.
pub async fn server_fn_arg_errors(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with(SERVER_FN_PREFIX);
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(AppError::BadRequest { .. }) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Where the analytics server functions are served (`#[server(prefix = ..)]`).
pub const SERVER_FN_PREFIX: &str = "/api/analytics/";
