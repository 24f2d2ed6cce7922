//! What the page has already loaded, kept for the page session: a tab's data for a given query
//! comes back from memory, without a request and without spending the rate limit. Entries live
//! [`LIFETIME_MS`] and at most [`CAPACITY`] are kept (the oldest goes first); a page reload
//! starts afresh. The data is read-only here, so nothing on the page invalidates it.

use crate::{
    error::AppError, href::query_string, model::ViewParams, page_state::use_view_params,
    routes::DataSource,
};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::{any::Any, collections::VecDeque, future::Future, sync::Arc};

/// How long a loaded answer is shown again without asking: ten minutes.
pub const LIFETIME_MS: f64 = 10.0 * 60.0 * 1000.0;
/// How many answers are kept.
pub const CAPACITY: usize = 48;

/// A tab's answer with the query that produced it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Loaded<T> {
    pub key: String,
    pub result: Result<T, AppError>,
}

type Entry = (String, f64, Arc<dyn Any + Send + Sync>);

/// The page session's answers, shared by the tabs (provided by the analytics layout).
#[derive(Clone, Copy)]
pub struct DataCache(StoredValue<VecDeque<Entry>>);

impl DataCache {
    pub fn provide() {
        provide_context(DataCache(StoredValue::new(VecDeque::new())));
    }

    /// The kept answer to `key`, if any. A cache whose page has been disposed (a render whose
    /// request is gone, with one of its loads still finishing) is a miss, never a panic.
    fn get<T: Clone + 'static>(self, key: &str) -> Option<T> {
        let now = now_ms();
        self.0.try_update_value(|entries| entries.retain(|(_, at, _)| now - at < LIFETIME_MS))?;
        self.0
            .try_with_value(|entries| {
                entries
                    .iter()
                    .find(|(k, ..)| k == key)
                    .and_then(|(.., v)| v.downcast_ref().cloned())
            })
            .flatten()
    }

    /// Keeps `value` as the answer to `key` (replacing an older one).
    pub fn put<T: Clone + Send + Sync + 'static>(self, key: &str, value: &T) {
        self.0.try_update_value(|entries| {
            entries.retain(|(k, ..)| k != key);
            if entries.len() >= CAPACITY {
                entries.pop_front();
            }
            entries.push_back((key.to_owned(), now_ms(), Arc::new(value.clone())));
        });
    }
}

#[cfg(feature = "hydrate")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// On the server a cache lives for one request: it never needs to expire.
#[cfg(not(feature = "hydrate"))]
fn now_ms() -> f64 {
    0.0
}

/// A tab's data for the current URL: from the cache when this query was loaded before in this
/// page session, else from `fetch` (the tab's server function, given the raw view).
pub fn use_tab_data<T, Fut>(
    source: DataSource,
    fetch: impl Fn(ViewParams) -> Fut + Copy + Send + Sync + 'static,
) -> Resource<Loaded<T>>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    use_cached_data(source.name(), |view| view, fetch)
}

/// Data named `name` for the current URL's view as `depends` keeps it (the parameters the data
/// depends on): from the cache when loaded before in this page session, else from `fetch`
/// (and then kept). Data that came with the server-rendered page was never fetched here:
/// whoever shows the data keeps it too ([`DataCache::put`] with the answer's key).
pub fn use_cached_data<T, Fut>(
    name: &'static str,
    depends: fn(ViewParams) -> ViewParams,
    fetch: impl Fn(ViewParams) -> Fut + Copy + Send + Sync + 'static,
) -> Resource<Loaded<T>>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let view = use_view_params();
    let cache = use_context::<DataCache>();
    Resource::new(
        move || depends(view.get()),
        move |window| {
            let key = format!("{name}?{}", query_string(window.pairs()));
            async move {
                if let Some(hit) = cache.and_then(|c| c.get::<T>(&key)) {
                    return Loaded { key, result: Ok(hit) };
                }
                let result = fetch(window).await;
                // Kept as soon as it arrives, even when the view has moved on before showing it.
                if let (Some(cache), Ok(data)) = (cache, &result) {
                    cache.put(&key, data);
                }
                Loaded { result, key }
            }
        },
    )
}
