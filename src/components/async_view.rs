use crate::{
    components::error_view::ErrorView, error::AppError, model::PageContext,
    page_state::PageContextResource,
};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Shows a tab's data once its resource (and the page context) resolves: `ready` for the data,
/// [`ErrorView`] for an error, a quiet placeholder meanwhile.
#[component]
pub fn AsyncView<T, V>(
    resource: Resource<Result<T, AppError>>,
    ready: fn(T, PageContext) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let PageContextResource(context) = expect_context();
    view! {
        <Suspense fallback=|| {
            view! {
                <p class="text-sm text-muted-foreground" aria-busy="true">
                    "Loading…"
                </p>
            }
        }>
            {move || Suspend::new(async move {
                match (resource.await, context.await) {
                    (Ok(data), Ok(context)) => ready(data, context).into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
