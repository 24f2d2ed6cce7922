//! Every path the app answers on, named once: the pages, the REST API and the four data sources
//! behind the tabs. Pages, the router and the benchmark read them here. (Leptos route
//! definitions in `app.rs` and `#[server]` attributes need literals; the integration tests
//! request every data source by these names, so a literal that drifts fails them.)

/// The analytics page: the Overview tab, parent of the other tabs.
pub const ANALYTICS: &str = "/analytics";
pub const LOGIN: &str = "/login";
/// The sessions behind a number (SPEC §8), and one session (`/analytics/sessions/{id}`).
pub const SESSIONS_PAGE: &str = "/analytics/sessions";
/// Liveness: the process answers.
pub const HEALTH: &str = "/healthz";
/// Readiness: the database answers and its migrations are current.
pub const READY: &str = "/readyz";

/// The REST API's OpenAPI 3.1 document, and the reference page rendered from it.
pub const API_OPENAPI: &str = "/api/openapi.json";
pub const API_DOCS: &str = "/api/docs";

/// The ECharts bundle the pages load (`npm run build:echarts` writes it into `public/`).
pub const ECHARTS_BUNDLE: &str = "/vendor/echarts.min.js";
/// The `<meta name>` by which the page names the bundle's URL (with its fingerprint) for the
/// first chart to load (`components::chart`).
pub const ECHARTS_META: &str = "flowpilot-echarts";

pub const API_LOGIN: &str = "/api/v1/auth/login";
pub const API_LOGOUT: &str = "/api/v1/auth/logout";
/// The tabs' server functions live below this (`#[server(prefix = ..)]`).
pub const SERVER_FN_ANALYTICS: &str = "/api/analytics";
/// The page context's server function lives below this.
pub const SERVER_FN_SESSION: &str = "/api/session";

/// The filter pickers' choices (technicians and clients with their sessions in a window).
pub const API_FILTERS: &str = "/api/v1/analytics/flowpilot/filters";
/// The sessions behind a number (SPEC §8): a page of a view's drilled sessions, and one session.
pub const API_ANALYTICS_SESSIONS: &str = "/api/v1/analytics/flowpilot/sessions";
pub const API_ANALYTICS_SESSION: &str = "/api/v1/analytics/flowpilot/sessions/{id}";
/// The sessions list as CSV (every row, streamed).
pub const API_SESSIONS_CSV: &str = "/api/v1/analytics/flowpilot/sessions.csv";

pub const API_SESSIONS: &str = "/api/v1/sessions";
pub const API_SESSION_MATCH: &str = "/api/v1/sessions/{id}/match";
pub const API_SESSION_OUTCOME: &str = "/api/v1/sessions/{id}/outcome";
pub const API_SESSION_TICKET: &str = "/api/v1/sessions/{id}/ticket";
pub const API_PSA_NOTES: &str = "/api/v1/sessions/{id}/psa/notes";
pub const API_PSA_TIME_ENTRIES: &str = "/api/v1/sessions/{id}/psa/time-entries";
pub const API_PSA_STATUS: &str = "/api/v1/sessions/{id}/psa/status";

/// The four data sources of the analytics, one per tab: each has a tab page, a REST endpoint
/// and a server function, all answering with the same response shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataSource {
    Overview,
    Coverage,
    FlowQuality,
    Psa,
}

impl DataSource {
    pub const ALL: [DataSource; 4] =
        [DataSource::Overview, DataSource::Coverage, DataSource::FlowQuality, DataSource::Psa];

    /// The source's name in the REST API, the server function and reports.
    pub fn name(self) -> &'static str {
        match self {
            DataSource::Overview => "overview",
            DataSource::Coverage => "coverage",
            DataSource::FlowQuality => "flow-quality",
            DataSource::Psa => "psa-metrics",
        }
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            DataSource::Overview => "Overview",
            DataSource::Coverage => "Coverage",
            DataSource::FlowQuality => "Flow Quality",
            DataSource::Psa => "PSA",
        }
    }

    /// The tab's page.
    pub fn page(self) -> &'static str {
        match self {
            DataSource::Overview => "/analytics",
            DataSource::Coverage => "/analytics/coverage",
            DataSource::FlowQuality => "/analytics/flow-quality",
            DataSource::Psa => "/analytics/psa",
        }
    }

    /// The REST endpoint (`GET`, JSON).
    pub fn api_path(self) -> &'static str {
        match self {
            DataSource::Overview => "/api/v1/analytics/flowpilot",
            DataSource::Coverage => "/api/v1/analytics/flowpilot/coverage",
            DataSource::FlowQuality => "/api/v1/analytics/flowpilot/flow-quality",
            DataSource::Psa => "/api/v1/analytics/flowpilot/psa-metrics",
        }
    }

    /// The CSV export of the tab's table (SPEC §8; the Overview's is its daily table).
    pub fn csv_path(self) -> &'static str {
        match self {
            DataSource::Overview => "/api/v1/analytics/flowpilot/overview.csv",
            DataSource::Coverage => "/api/v1/analytics/flowpilot/coverage.csv",
            DataSource::FlowQuality => "/api/v1/analytics/flowpilot/flow-quality.csv",
            DataSource::Psa => "/api/v1/analytics/flowpilot/psa-metrics.csv",
        }
    }

    /// The tab's server function (`GET`, JSON; a test holds `#[server]` to it).
    pub fn server_fn_path(self) -> String {
        format!("{SERVER_FN_ANALYTICS}/{}", self.name())
    }
}

/// True for paths of the analytics page (the layout and its tabs).
pub fn is_analytics_page(path: &str) -> bool {
    path == ANALYTICS || path.strip_prefix(ANALYTICS).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_is_a_tab_of_the_analytics_page() {
        for source in DataSource::ALL {
            assert!(is_analytics_page(source.page()), "{source:?}");
        }
        assert!(!is_analytics_page("/analyticsx"));
        assert!(is_analytics_page("/analytics/psa"));
    }
}
