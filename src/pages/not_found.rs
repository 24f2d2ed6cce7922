use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="mx-auto max-w-md p-8">
            <h1 class="text-2xl font-semibold">"Page not found"</h1>
            <p class="mt-2 text-muted-foreground">
                <a class="underline" href="/analytics">
                    "Go to the analytics"
                </a>
            </p>
        </main>
    }
}
