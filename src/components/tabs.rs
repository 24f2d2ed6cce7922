use crate::pages::analytics::use_period_param;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The four tabs of SPEC §4, as links that carry the period along.
pub const TABS: [(&str, &str); 4] = [
    ("Overview", "/analytics"),
    ("Coverage", "/analytics/coverage"),
    ("Flow Quality", "/analytics/flow-quality"),
    ("PSA", "/analytics/psa"),
];

const ACTIVE: &str = "bg-primary/10 text-foreground border-b-2 border-primary";
const INACTIVE: &str = "text-muted-foreground hover:text-foreground border-b-2 border-transparent";

#[component]
pub fn TabBar() -> impl IntoView {
    let location = use_location();
    let period = use_period_param();
    view! {
        <nav aria-label="Analytics tabs" class="-mb-px flex gap-1 overflow-x-auto">
            {TABS
                .into_iter()
                .map(|(label, path)| {
                    let active = move || location.pathname.read().trim_end_matches('/') == path;
                    let href = move || {
                        let period = period.get();
                        if period.is_empty() { path.to_owned() } else { format!("{path}?period={period}") }
                    };
                    view! {
                        <a
                            href=href
                            aria-current=move || active().then_some("page")
                            class=move || {
                                format!(
                                    "whitespace-nowrap rounded-t-md px-4 py-2 text-sm font-medium {}",
                                    if active() { ACTIVE } else { INACTIVE },
                                )
                            }
                        >
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
