//! A number that leads to the sessions behind it (SPEC §8): the number itself is the link,
//! dotted-underlined so it reads as one, and plain text where there is nothing to link to.

use leptos::prelude::*;

#[component]
pub fn NumberLink(
    #[prop(optional_no_strip)] href: Option<String>,
    children: Children,
) -> impl IntoView {
    match href {
        Some(href) => view! {
            <a
                href=href
                data-drill=""
                class="underline decoration-dotted underline-offset-4 hover:decoration-solid"
            >
                {children()}
            </a>
        }
        .into_any(),
        None => children().into_any(),
    }
}
