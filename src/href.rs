//! Links: percent-encoding and query strings, for the page's links and the server's redirects
//! alike. The analytics page keeps its shared parameters in the URL, so every link built here
//! carries them along.

use crate::routes;

/// Query parameters the whole analytics page shares (every tab reads them): a link to another
/// tab, another period or another sort keeps them (the window and the filters).
pub const SHARED_PARAMS: [&str; 5] = ["period", "from", "to", "technician", "client"];

/// The drill-down's parameters (SPEC §8, [`crate::drill`]): links within the sessions list keep
/// them too (another period, another filter, a removed chip of another parameter, its CSV),
/// links elsewhere do not. The list's page (`cursor`, `before`) is never kept: a new view starts at
/// its newest sessions.
pub const DRILL_PARAMS: [&str; 7] = ["domain", "unmapped", "flow", "status", "tier", "step", "day"];

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The sign-in page, coming back to `next` afterwards.
pub fn login_then(next: &str) -> String {
    format!("{}?{}", routes::LOGIN, query_string([("next", next)]))
}

/// `name=value&…`, every part encoded.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A link to `path` with the parameters in `set` (in that order, empty values left out), then
/// the page's shared parameters that `set` does not name, read from the current URL (and, to
/// the sessions list, the drill parameters).
pub fn link(path: &str, current: impl Fn(&str) -> Option<String>, set: &[(&str, &str)]) -> String {
    let lists_sessions = path == routes::SESSIONS_PAGE || path == routes::API_SESSIONS_CSV;
    let drill: &[&str] = if lists_sessions { &DRILL_PARAMS } else { &[] };
    let kept: Vec<(&str, String)> = SHARED_PARAMS
        .iter()
        .chain(drill)
        .copied()
        .filter(|name| set.iter().all(|(set_name, _)| set_name != name))
        .filter_map(|name| current(name).map(|value| (name, value)))
        .collect();
    let pairs = set
        .iter()
        .copied()
        .chain(kept.iter().map(|(name, value)| (*name, value.as_str())))
        .filter(|(_, value)| !value.is_empty());
    let query = query_string(pairs);
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(period: Option<&str>) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| (name == "period").then(|| period.map(str::to_owned)).flatten()
    }

    #[test]
    fn links_keep_the_shared_parameters_and_set_their_own_first() {
        assert_eq!(link("/analytics/psa", url(Some("7d")), &[]), "/analytics/psa?period=7d");
        assert_eq!(link("/analytics/psa", url(None), &[]), "/analytics/psa");
        assert_eq!(
            link("/analytics", url(Some("7d")), &[("period", "90d")]),
            "/analytics?period=90d"
        );
        assert_eq!(
            link("/analytics/flow-quality", url(Some("7d")), &[("sort", "usage"), ("dir", "asc")]),
            "/analytics/flow-quality?sort=usage&dir=asc&period=7d"
        );
    }

    #[test]
    fn links_within_the_sessions_list_keep_the_drill_and_others_do_not() {
        let current = |name: &str| match name {
            "period" => Some("7d".to_owned()),
            "domain" => Some("VPN".to_owned()),
            "cursor" => Some("1_x".to_owned()),
            _ => None,
        };
        assert_eq!(
            link(routes::SESSIONS_PAGE, current, &[("period", "90d")]),
            "/analytics/sessions?period=90d&domain=VPN"
        );
        assert_eq!(
            link(routes::SESSIONS_PAGE, current, &[("domain", "")]),
            "/analytics/sessions?period=7d"
        );
        assert_eq!(link("/analytics/coverage", current, &[]), "/analytics/coverage?period=7d");
    }

    #[test]
    fn sign_in_keeps_where_the_visitor_was_going() {
        assert_eq!(
            login_then("/analytics/coverage?period=7d"),
            "/login?next=%2Fanalytics%2Fcoverage%3Fperiod%3D7d"
        );
    }

    #[test]
    fn values_are_encoded_and_empty_ones_left_out() {
        assert_eq!(link("/analytics", url(Some("7d&x=1")), &[]), "/analytics?period=7d%26x%3D1");
        assert_eq!(link("/analytics", url(Some("")), &[]), "/analytics");
        assert_eq!(query_string([("next", "/a?b=c d")]), "next=%2Fa%3Fb%3Dc%20d");
    }
}
