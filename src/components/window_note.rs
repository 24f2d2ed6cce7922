//! What a tab's numbers cover (SPEC §7): the days, the time zone they are in, the window they
//! are compared with, and when they were computed.

use crate::model::WindowInfo;
use leptos::prelude::*;

#[component]
pub fn WindowNote(window: WindowInfo, previous: Option<WindowInfo>) -> impl IntoView {
    let days = |w: &WindowInfo| {
        if w.from == w.to {
            w.from.clone()
        } else {
            format!("{} to {}", w.from, w.to)
        }
    };
    let compared = previous.map(|p| format!(" · compared with {}", days(&p)));
    view! {
        <p class="mb-3 text-xs text-muted-foreground" data-window=window.from.clone()>
            {days(&window)}
            {compared}
            {format!(" · days in {} · as of {}", window.timezone, as_of(&window.as_of))}
        </p>
    }
}

/// `2026-11-29T14:50:07Z` → `2026-11-29 14:50 UTC`.
fn as_of(rfc3339: &str) -> String {
    match rfc3339.strip_suffix('Z').and_then(|t| t.split_once('T')) {
        Some((date, time)) => format!("{date} {} UTC", time.get(..5).unwrap_or(time)),
        None => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn as_of_reads_as_minutes_in_utc() {
        assert_eq!(super::as_of("2026-11-29T14:50:07Z"), "2026-11-29 14:50 UTC");
        assert_eq!(super::as_of("garbage"), "garbage");
    }
}
