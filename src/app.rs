use crate::pages::{
    analytics::AnalyticsLayout,
    coverage::CoverageTab,
    flow_quality::FlowQualityTab,
    login::LoginPage,
    not_found::NotFound,
    overview::OverviewTab,
    psa::PsaTab,
    sessions::{SessionPage, SessionsPage},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app. ECharts comes from our own assets, named by a `<meta>`
/// the first chart of a page reads to load it (`components::chart`): tabs without a chart never
/// download it, and those with one after their first paint (SPEC §12). It and the stylesheet go
/// by names that change with their content (`server::assets`). On the server it also sets the
/// page's Content-Security-Policy, whose nonce Leptos puts on its scripts (the bundle is ours,
/// allowed by `'self'`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::headers::set_page_policy();
    #[cfg(feature = "ssr")]
    let echarts = crate::server::assets::echarts_src(&options);
    #[cfg(not(feature = "ssr"))]
    let echarts = crate::routes::ECHARTS_BUNDLE;
    view! {
        <!DOCTYPE html>
        <html lang="en" class="dark">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <meta name=crate::routes::ECHARTS_META content=echarts />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-background text-foreground antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="FlowPilot Analytics" />
        <Router>
            // Async SSR: the HTML is sent once the tab's data is in it, so the page is
            // complete without JavaScript.
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage />
                <ParentRoute path=path!("/analytics") view=AnalyticsLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=OverviewTab ssr=SsrMode::Async />
                    <Route path=path!("coverage") view=CoverageTab ssr=SsrMode::Async />
                    <Route path=path!("flow-quality") view=FlowQualityTab ssr=SsrMode::Async />
                    <Route path=path!("psa") view=PsaTab ssr=SsrMode::Async />
                    <Route path=path!("sessions") view=SessionsPage ssr=SsrMode::Async />
                    <Route path=path!("sessions/:id") view=SessionPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
