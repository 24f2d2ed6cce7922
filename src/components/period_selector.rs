//! The period selector: links, not a form control, so it works without JavaScript and keeps the
//! current tab.

use crate::{
    model::Period,
    page_state::{use_link, use_period_param},
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn PeriodSelector() -> impl IntoView {
    let period = use_period_param();
    let location = use_location();
    let link = use_link();
    let selected = move || Period::parse_param(Some(&period.get())).unwrap_or_default();
    view! {
        <nav aria-label="Period" class="mb-2 flex gap-1 rounded-lg bg-muted p-1 text-sm">
            {Period::ALL
                .into_iter()
                .map(|option| {
                    let href = move || link(&location.pathname.get(), &[("period", option.as_str())]);
                    let active = move || selected() == option;
                    view! {
                        <a
                            href=href
                            aria-current=move || active().then_some("true")
                            class=move || {
                                if active() {
                                    "rounded-md bg-primary/10 px-3 py-1 text-foreground"
                                } else {
                                    "rounded-md px-3 py-1 text-muted-foreground hover:text-foreground"
                                }
                            }
                        >
                            {option.as_str()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
