//! How an error looks on a page: its title and user-facing message, never internals, with its
//! code in `data-error`.

use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    view! {
        <div role="alert" class="glass-card-static border-l-2 border-rose-500 p-4" data-error=error.code()>
            <h2 class="font-semibold text-rose-500">{error.title()}</h2>
            <p class="mt-1 text-sm text-muted-foreground">{error.user_message()}</p>
        </div>
    }
}

/// A rate limit, above the numbers that stay on screen. The page tries again by itself when the
/// wait is over: the hydrated page reloads its data, a page without JavaScript reloads itself.
#[component]
pub fn RateLimitNotice(error: AppError) -> impl IntoView {
    let seconds = error.retry_after_secs().unwrap_or(1);
    view! {
        <div role="alert" class="glass-card-static mb-4 border-l-2 border-amber-400 p-4" data-error=error.code()>
            <h2 class="font-semibold text-amber-400">{error.user_message()}</h2>
            <p class="mt-1 text-sm text-muted-foreground">
                "This view loads again by itself when the wait is over."
            </p>
            <noscript inner_html=format!(r#"<meta http-equiv="refresh" content="{seconds}">"#)></noscript>
        </div>
    }
}
