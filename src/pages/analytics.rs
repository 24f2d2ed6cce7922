//! The analytics page around the tabs: header, tab bar and period selector. The period lives in
//! the URL (`?period=`), so a link reproduces the view and every tab reads the same value.

use crate::{
    components::tabs::TabBar,
    error::AppError,
    model::{PageContext, Period},
};
use leptos::{prelude::*, server_fn::codec::GetUrl};
use leptos_router::{components::Outlet, hooks::use_query_map};

#[server(input = GetUrl, prefix = "/api/session", endpoint = "context")]
pub async fn get_page_context() -> Result<PageContext, AppError> {
    use crate::server::{api::as_admin, queries::account::page_context};
    as_admin(
        |state, admin| async move { page_context(&state.pool, admin, &state.config.app_url).await },
    )
    .await
}

/// The page context, loaded once by the layout and shared by the tabs.
#[derive(Clone, Copy)]
pub struct PageContextResource(pub Resource<Result<PageContext, AppError>>);

/// The raw `period` query value of the current URL ("" when absent): each tab hands it to its
/// server function, which validates it.
pub fn use_period_param() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("period").unwrap_or_default())
}

#[component]
pub fn AnalyticsLayout() -> impl IntoView {
    let context = Resource::new(|| (), |_| get_page_context());
    provide_context(PageContextResource(context));
    view! {
        <div class="min-h-screen">
            <header class="border-b border-border">
                <div class="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
                    <a href="/analytics" class="text-lg font-semibold tracking-tight">
                        "FlowPilot Analytics"
                    </a>
                    <div class="flex items-center gap-4 text-sm">
                    <Suspense>
                        {move || Suspend::new(async move {
                            context
                                .await
                                .map(|c| {
                                    view! {
                                        <span class="text-muted-foreground">
                                            <span class="text-foreground">{c.account_name}</span>
                                            " · "
                                            {c.email}
                                        </span>
                                    }
                                })
                                .ok()
                        })}
                    </Suspense>
                    <form method="post" action="/api/v1/auth/logout">
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
                <div class="flex flex-wrap items-end justify-between gap-4 border-b border-border">
                    <TabBar />
                    <PeriodSelector />
                </div>
                <Outlet />
            </main>
        </div>
    }
}

/// Links, not a form control: they work without JavaScript and keep the current tab.
#[component]
fn PeriodSelector() -> impl IntoView {
    let period = use_period_param();
    let location = leptos_router::hooks::use_location();
    let selected = move || Period::parse_param(Some(&period.get())).unwrap_or_default();
    view! {
        <nav aria-label="Period" class="mb-2 flex gap-1 rounded-lg bg-muted p-1 text-sm">
            {Period::ALL
                .into_iter()
                .map(|option| {
                    let href = move || format!("{}?period={option}", location.pathname.get());
                    let active = move || selected() == option;
                    view! {
                        <a
                            href=href
                            aria-current=move || active().then_some("true")
                            class=move || {
                                if active() {
                                    "rounded-md bg-primary/10 px-3 py-1 text-foreground"
                                } else {
                                    "rounded-md px-3 py-1 text-muted-foreground hover:text-foreground"
                                }
                            }
                        >
                            {option.as_str()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
