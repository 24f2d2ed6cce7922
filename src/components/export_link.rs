//! "Export CSV" beside a table (SPEC §8): a plain download link to the table's CSV with the
//! view's parameters (and, for the sessions list, its drill), so it works without JavaScript.

use crate::page_state::use_link;
use leptos::prelude::*;

#[component]
pub fn ExportLink(
    /// The CSV endpoint.
    path: &'static str,
    /// What the file holds, for screen readers ("the coverage table"). The accessible name
    /// begins with the visible text, as WCAG 2.5.3 (label in name) asks: voice control users
    /// say what they see.
    what: &'static str,
) -> impl IntoView {
    let link = use_link();
    view! {
        <a
            href=move || link(path, &[])
            download=""
            rel="external"
            aria-label=format!("Export CSV of {what}")
            class="text-xs text-muted-foreground underline-offset-2 hover:text-foreground hover:underline"
        >
            "Export CSV"
        </a>
    }
}
