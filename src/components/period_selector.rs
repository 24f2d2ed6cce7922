//! The window selector: period links and a date-range form, both plain HTML (links and a GET
//! form), so they work without JavaScript, keep the current tab and leave everything in the URL.
//! A period link drops a custom range; the form drops the period.

use super::get_form::{KeptFields, SubmitButton};
use crate::{
    href,
    model::{Period, WindowSpec},
    page_state::{use_link, use_view_params},
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Parameters a range submission keeps (the form sends only its own fields otherwise): the
/// filters and the tab's sort (and the sessions list's drill, [`href::DRILL_PARAMS`]).
const KEPT_BY_RANGE: [&str; 4] = ["technician", "client", "sort", "dir"];

#[component]
pub fn PeriodSelector() -> impl IntoView {
    let window = use_view_params();
    let location = use_location();
    let link = use_link();
    // What is shown as selected: the period asked for, or none while a range is.
    let selected = move || match window.read().spec() {
        Ok(WindowSpec::Period(period)) => Some(period),
        Ok(WindowSpec::Days { .. }) => None,
        Err(_) => Some(Period::default()),
    };
    let (from, to) = (move || window.read().from.clone(), move || window.read().to.clone());
    view! {
        <div class="mb-2 flex flex-wrap items-center gap-3">
            <nav aria-label="Period" class="flex gap-1 rounded-lg bg-muted p-1 text-sm">
                {Period::ALL
                    .into_iter()
                    .map(|option| {
                        let href = move || {
                            link(
                                &location.pathname.get(),
                                &[("period", option.as_str()), ("from", ""), ("to", "")],
                            )
                        };
                        let active = move || selected() == Some(option);
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
            <form
                method="get"
                action=move || location.pathname.get()
                aria-label="Date range"
                class="flex flex-wrap items-center gap-2 text-sm"
            >
                <label class="flex items-center gap-1 text-muted-foreground">
                    "From"
                    <input
                        type="date"
                        name="from"
                        required
                        value=from
                        class="rounded-md border border-border bg-transparent px-2 py-1 text-foreground"
                    />
                </label>
                <label class="flex items-center gap-1 text-muted-foreground">
                    "To"
                    <input
                        type="date"
                        name="to"
                        required
                        value=to
                        class="rounded-md border border-border bg-transparent px-2 py-1 text-foreground"
                    />
                </label>
                <KeptFields names=&KEPT_BY_RANGE also=&href::DRILL_PARAMS />
                <SubmitButton label="Apply" />
            </form>
        </div>
    }
}
