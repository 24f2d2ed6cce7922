//! Links: percent-encoding and query strings, for the page's links and the server's redirects
//! alike. The analytics page keeps its shared parameters in the URL, so every link built here
//! carries them along.

/// Query parameters the whole analytics page shares (every tab reads them): a link to another
/// tab, another period or another sort keeps them.
pub const SHARED_PARAMS: [&str; 3] = ["period", "from", "to"];

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

/// `name=value&…`, every part encoded.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A link to `path` with the parameters in `set` (in that order, empty values left out), then
/// the page's shared parameters that `set` does not name, read from the current URL.
pub fn link(path: &str, current: impl Fn(&str) -> Option<String>, set: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, String)> = SHARED_PARAMS
        .into_iter()
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
    fn values_are_encoded_and_empty_ones_left_out() {
        assert_eq!(link("/analytics", url(Some("7d&x=1")), &[]), "/analytics?period=7d%26x%3D1");
        assert_eq!(link("/analytics", url(Some("")), &[]), "/analytics");
        assert_eq!(query_string([("next", "/a?b=c d")]), "next=%2Fa%3Fb%3Dc%20d");
    }
}
