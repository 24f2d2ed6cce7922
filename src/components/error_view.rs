use crate::error::AppError;
use leptos::prelude::*;

/// What a failed data load looks like: the error's title and user-facing message, never
/// internals; `data-error` carries its code.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    view! {
        <div role="alert" class="glass-card-static border-l-2 border-rose-500 p-4" data-error=error.code()>
            <h2 class="font-semibold text-rose-500">{error.title()}</h2>
            <p class="mt-1 text-sm text-muted-foreground">{error.user_message()}</p>
        </div>
    }
}
