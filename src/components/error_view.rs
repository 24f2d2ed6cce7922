use crate::error::AppError;
use leptos::prelude::*;

/// What a failed data load looks like: the error's user-facing message, never internals.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let title = match error.status_code() {
        401 => "Signed out",
        403 => "Not allowed",
        422 | 400 => "Invalid request",
        429 => "Slow down",
        _ => "Something went wrong",
    };
    view! {
        <div role="alert" class="glass-card-static border-l-2 border-rose-500 p-4">
            <p class="font-semibold text-rose-500">{title}</p>
            <p class="mt-1 text-sm text-muted-foreground">{error.user_message()}</p>
        </div>
    }
}
