use leptos::prelude::*;

/// A routed tab whose content is not built yet.
#[component]
pub fn NotBuiltYet(tab: &'static str) -> impl IntoView {
    view! {
        <section class="glass-card-static p-8 text-center" aria-label=tab>
            <h2 class="text-lg font-semibold">{tab}</h2>
            <p class="mt-2 text-muted-foreground">"This tab is not built yet."</p>
        </section>
    }
}
