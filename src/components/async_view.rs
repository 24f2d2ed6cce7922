use crate::{components::error_view::ErrorView, error::AppError};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Shows a tab's data once its resource resolves: `ready` for the data, [`ErrorView`] for an
/// error, a quiet placeholder meanwhile.
#[component]
pub fn AsyncView<T, V>(resource: Resource<Result<T, AppError>>, ready: fn(T) -> V) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| {
            view! {
                <p class="text-sm text-muted-foreground" aria-busy="true">
                    "Loading…"
                </p>
            }
        }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(data) => ready(data).into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
