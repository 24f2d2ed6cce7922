//! The analytics page around the tabs: header, tab bar and period selector. The period lives in
//! the URL (`?period=`), so a link reproduces the view and every tab reads the same value. A
//! signed-in user who may not see the analytics gets no tabs, and the tab shows the error its
//! data load meets, with the status it carries (403).

use crate::{
    components::{filter_bar::FilterBar, period_selector::PeriodSelector, tabs::TabBar},
    data_cache::{use_cached_data, DataCache, Loaded},
    error::AppError,
    model::{FiltersResponse, PageContext, ViewParams},
    page_state::PageContextResource,
    routes,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::{components::Outlet, hooks::use_location};

#[server(input = GetUrl, prefix = "/api/session", endpoint = "context")]
pub async fn get_page_context() -> Result<PageContext, AppError> {
    use crate::server::{queries::account::page_context, server_fns::as_admin};
    as_admin(
        |state, admin| async move { page_context(&state.pool, admin, &state.config.app_url).await },
    )
    .await
}

/// The filter pickers' choices for the window (`period` or `from`/`to`, raw; validated on the
/// server). Filters do not narrow the choices. Metered like a tab (their own budget), but
/// part of the page rather than its subject: an error here leaves the page's status to the tab
/// and only hides the pickers.
#[server(input = GetUrl, prefix = "/api/analytics", endpoint = "filters")]
pub async fn get_filters(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<FiltersResponse, AppError> {
    use crate::server::{queries::filters::filters, rate_limit, server_fns::for_admin};
    let view = crate::model::ViewParams { period, from, to, ..Default::default() };
    for_admin(|state, admin| async move {
        rate_limit::spend_analytics(&state, admin.user_id, rate_limit::FILTERS).await?;
        filters(&state.pool, admin.account_id, &view).await
    })
    .await
}

#[component]
pub fn AnalyticsLayout() -> impl IntoView {
    let context = Resource::new(|| (), |_| get_page_context());
    provide_context(PageContextResource(context));
    DataCache::provide();
    // Keyed by the window alone: applying a filter does not reload the choices; a window seen
    // before in this page session comes from memory, as a tab's data does.
    let choices = use_cached_data("filters", ViewParams::window_only, |v| {
        get_filters(v.period, v.from, v.to)
    });
    let cache = use_context::<DataCache>();
    // One session's page has no window and no filters: no selector, no pickers.
    let location = use_location();
    let windowed = move || {
        let path = location.pathname.read();
        !path.strip_prefix(routes::SESSIONS_PAGE).is_some_and(|rest| rest.starts_with('/'))
    };
    view! {
        <div class="min-h-screen">
            <header class="border-b border-border">
                <div class="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
                    <a href=routes::ANALYTICS class="text-lg font-semibold tracking-tight">
                        "FlowPilot Analytics"
                    </a>
                    <div class="flex items-center gap-4 text-sm">
                        <Suspense>
                            {move || Suspend::new(async move {
                                context.await.ok().map(|c| view! { <SignedInAs context=c /> })
                            })}
                        </Suspense>
                        <form method="post" action=routes::API_LOGOUT>
                            <button
                                type="submit"
                                class="text-sm text-muted-foreground hover:text-foreground"
                            >
                                "Sign out"
                            </button>
                        </form>
                    </div>
                </div>
            </header>
            <main class="mx-auto max-w-6xl space-y-6 px-4 py-6">
                // Tabs only for those who may open them. The tab below stays outside this
                // Suspense, so it renders (and loads its data) once; for anyone else it shows
                // the error its own data load meets.
                <Suspense>
                    {move || Suspend::new(async move {
                        context.await.ok().map(|_| view! {
                            <div class="flex flex-wrap items-end justify-between gap-4 border-b border-border">
                                <TabBar />
                                <Show when=windowed>
                                    <PeriodSelector />
                                </Show>
                            </div>
                        })
                    })}
                </Suspense>
                // The pickers; while they load, or when their window is invalid (the tab says
                // why), nothing.
                <Suspense>
                    {move || Suspend::new(async move {
                        let Loaded { key, result } = choices.await;
                        let choices = result.ok()?;
                        if let Some(cache) = cache {
                            cache.put(&key, &choices);
                        }
                        Some(view! {
                            <Show when=windowed>
                                <FilterBar choices=choices.clone() />
                            </Show>
                        })
                    })}
                </Suspense>
                <Outlet />
            </main>
        </div>
    }
}

#[component]
fn SignedInAs(context: PageContext) -> impl IntoView {
    view! {
        <span class="text-muted-foreground">
            <span class="text-foreground">{context.account_name}</span>
            " · "
            {context.email}
        </span>
    }
}
