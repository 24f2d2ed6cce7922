//! The tab bar: one link per data source, carrying the page's shared parameters along.

use crate::{page_state::use_link, routes::DataSource};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

const ACTIVE: &str = "bg-primary/10 text-foreground border-b-2 border-primary";
const INACTIVE: &str = "text-muted-foreground hover:text-foreground border-b-2 border-transparent";

#[component]
pub fn TabBar() -> impl IntoView {
    let location = use_location();
    let link = use_link();
    view! {
        <nav aria-label="Analytics tabs" class="-mb-px flex gap-1 overflow-x-auto">
            {DataSource::ALL
                .into_iter()
                .map(|source| {
                    let path = source.page();
                    let active = move || location.pathname.read().trim_end_matches('/') == path;
                    view! {
                        <a
                            href=move || link(path, &[])
                            aria-current=move || active().then_some("page")
                            class=move || {
                                format!(
                                    "whitespace-nowrap rounded-t-md px-4 py-2 text-sm font-medium {}",
                                    if active() { ACTIVE } else { INACTIVE },
                                )
                            }
                        >
                            {source.label()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
