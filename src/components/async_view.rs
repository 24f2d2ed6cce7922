//! A tab's data on screen. While another query loads, the numbers already shown stay, dimmed
//! and marked busy; a rate limit keeps them too, says how long to wait and tries again by
//! itself; any other error takes their place.

use crate::{
    components::{
        error_view::{ErrorView, RateLimitNotice},
        window_note::WindowNote,
    },
    data_cache::{DataCache, Loaded},
    error::AppError,
    model::{PageContext, Windowed},
    page_state::PageContextResource,
};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use std::time::Duration;

#[component]
pub fn AsyncView<T, V>(
    resource: Resource<Loaded<T>>,
    ready: fn(T, PageContext) -> V,
) -> impl IntoView
where
    T: Windowed + Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let PageContextResource(context) = expect_context();
    let cache = use_context::<DataCache>();
    // The data on screen, kept to stay there through a rate limit.
    let shown = ArcStoredValue::new(None::<T>);
    let (pending, set_pending) = loading_state();
    retry_when_allowed(resource);
    let (busy, dim, loading) = (pending.clone(), pending.clone(), pending);
    view! {
        <div
            aria-busy=move || busy().to_string()
            class=move || if dim() { "opacity-60 transition-opacity" } else { "transition-opacity" }
        >
            <Show when=move || loading()>
                <p role="status" class="mb-2 text-sm text-muted-foreground">"Loading…"</p>
            </Show>
            <Transition
                fallback=|| view! { <p class="text-sm text-muted-foreground">"Loading…"</p> }
                set_pending
            >
                {move || {
                    let shown = shown.clone();
                    Suspend::new(async move {
                        let Loaded { key, result } = resource.await;
                        match (result, context.await) {
                            (Ok(data), Ok(context)) => {
                                if let Some(cache) = cache {
                                    cache.put(&key, &data);
                                }
                                shown.set_value(Some(data.clone()));
                                let window = data.window().clone();
                                let previous = data.previous_window().cloned();
                                view! {
                                    <WindowNote window previous />
                                    {ready(data, context)}
                                }
                                .into_any()
                            }
                            (Err(error @ AppError::RateLimited { .. }), Ok(context)) => {
                                let kept = shown.get_value().map(|data| ready(data, context));
                                view! { <RateLimitNotice error /> {kept} }.into_any()
                            }
                            (Err(error), _) | (_, Err(error)) => view! { <ErrorView error /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </div>
    }
}

/// Whether the tab is loading another query, and its setter for the Transition. A signal in
/// the browser; on the server always false (the page is sent loaded), so server rendering never
/// reads reactive state here — it may render the view after this component's owner is gone,
/// and a read then panics.
#[cfg(feature = "hydrate")]
fn loading_state() -> (impl Fn() -> bool + Clone + Send + Sync + 'static, SignalSetter<bool>) {
    let pending = ArcRwSignal::new(false);
    let set = pending.clone();
    (move || pending.get(), SignalSetter::map(move |busy| set.set(busy)))
}

#[cfg(not(feature = "hydrate"))]
fn loading_state() -> (impl Fn() -> bool + Clone + Send + Sync + 'static, SignalSetter<bool>) {
    (|| false, SignalSetter::map(|_| {}))
}

/// In the browser: once a rate limit's wait is over, load again.
fn retry_when_allowed<T>(resource: Resource<Loaded<T>>)
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    Effect::new(move |_| {
        let wait = resource.with(|loaded| {
            loaded
                .as_ref()
                .and_then(|l| l.result.as_ref().err())
                .and_then(AppError::retry_after_secs)
        });
        if let Some(seconds) = wait {
            // Cancelled if the tab goes away (or loads again) before the wait is over.
            let refetch = move || resource.refetch();
            if let Ok(timer) = set_timeout_with_handle(refetch, Duration::from_secs(seconds)) {
                on_cleanup(move || timer.clear());
            }
        }
    });
}
