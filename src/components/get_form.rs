//! What the page's plain GET forms (the date range, the filters) share: they work without
//! JavaScript, so the parameters they do not ask for themselves ride along as hidden fields.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Hidden fields with the current URL's values of `names` and `also` (absent or empty ones left
/// out).
#[component]
pub fn KeptFields(
    names: &'static [&'static str],
    #[prop(optional)] also: &'static [&'static str],
) -> impl IntoView {
    let query = use_query_map();
    names
        .iter()
        .chain(also)
        .map(|&name| {
            move || {
                query
                    .read()
                    .get(name)
                    .filter(|value| !value.is_empty())
                    .map(|value| view! { <input type="hidden" name=name value=value /> })
            }
        })
        .collect_view()
}

/// The form's submit button.
#[component]
pub fn SubmitButton(label: &'static str) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="rounded-md bg-primary/10 px-3 py-1 text-foreground hover:bg-primary/20"
        >
            {label}
        </button>
    }
}
