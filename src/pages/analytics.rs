//! The analytics page around the tabs: header, tab bar and period selector. The period lives in
//! the URL (`?period=`), so a link reproduces the view and every tab reads the same value. A
//! signed-in user who may not see the analytics gets no tabs, and the tab shows the error its
//! data load meets, with the status it carries (403).

use crate::{
    components::{period_selector::PeriodSelector, tabs::TabBar},
    data_cache::DataCache,
    error::AppError,
    model::PageContext,
    page_state::PageContextResource,
    routes,
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::components::Outlet;

#[server(input = GetUrl, prefix = "/api/session", endpoint = "context")]
pub async fn get_page_context() -> Result<PageContext, AppError> {
    use crate::server::{queries::account::page_context, server_fns::as_admin};
    as_admin(
        |state, admin| async move { page_context(&state.pool, admin, &state.config.app_url).await },
    )
    .await
}

#[component]
pub fn AnalyticsLayout() -> impl IntoView {
    let context = Resource::new(|| (), |_| get_page_context());
    provide_context(PageContextResource(context));
    DataCache::provide();
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
                                <PeriodSelector />
                            </div>
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
