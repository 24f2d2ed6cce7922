//! What every part of the analytics page reads: the window in the URL, the page context the
//! layout loads once, and links that keep the page's shared parameters. Pages and components
//! both use it, so neither has to reach into the other.

use crate::{
    error::AppError,
    href,
    model::{PageContext, ViewParams},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The page context, loaded once by the layout and shared by the tabs.
#[derive(Clone, Copy)]
pub struct PageContextResource(pub Resource<Result<PageContext, AppError>>);

/// The view of the current URL as raw query values (the window and the filters; "" when
/// absent): each tab hands them to its server function, which validates them.
pub fn use_view_params() -> Memo<ViewParams> {
    let query = use_query_map();
    Memo::new(move |_| ViewParams::read(|name| query.read().get(name)))
}

/// `sessions(set)`: a link to the sessions behind a number (SPEC §8) — the current view's
/// window and filters with the drill parameters in `set`.
pub fn use_sessions_link() -> impl Fn(&[(&str, &str)]) -> String + Copy + Send + Sync + 'static {
    let link = use_link();
    move |set| link(crate::routes::SESSIONS_PAGE, set)
}

/// `link(path, set)`: a link to `path` with `set`, keeping the shared parameters of the current
/// URL (see [`href::link`]). Reactive: call it inside a closure.
pub fn use_link() -> impl Fn(&str, &[(&str, &str)]) -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move |path, set| {
        let query = query.read();
        href::link(path, |name| query.get(name), set)
    }
}
