use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A plain form post to `/api/v1/auth/login`: it works the same with or without WASM.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let failed = move || query.read().get("error").is_some();
    let message = move || match query.read().get("error").as_deref() {
        Some("throttled") => "Too many failed sign-ins. Try again in 15 minutes.",
        _ => "Invalid email or password.",
    };
    view! {
        <Title text="Sign in · FlowPilot Analytics" />
        <main class="flex min-h-screen items-center justify-center px-4">
            <form
                method="post"
                action="/api/v1/auth/login"
                class="glass-card-static w-full max-w-sm space-y-4 p-6"
            >
                <h1 class="text-xl font-semibold">"Sign in to FlowPilot Analytics"</h1>
                <Show when=failed>
                    <p role="alert" class="rounded bg-rose-500/10 px-3 py-2 text-sm text-rose-500">
                        {message}
                    </p>
                </Show>
                <input type="hidden" name="next" value=next />
                <label class="block text-sm">
                    <span class="text-muted-foreground">"Email"</span>
                    <input
                        class="field mt-1"
                        type="email"
                        name="email"
                        required
                        autocomplete="username"
                    />
                </label>
                <label class="block text-sm">
                    <span class="text-muted-foreground">"Password"</span>
                    <input
                        class="field mt-1"
                        type="password"
                        name="password"
                        required
                        autocomplete="current-password"
                    />
                </label>
                <button type="submit" class="button-primary w-full">
                    "Sign in"
                </button>
            </form>
        </main>
    }
}
