use crate::pages::{
    analytics::AnalyticsLayout,
    coverage::CoverageRoute,
    flow_quality::FlowQualityRoute,
    login::LoginPage,
    not_found::NotFound,
    overview::OverviewRoute,
    psa::PsaRoute,
    sessions::{SessionRoute, SessionsRoute},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, Lazy, SsrMode,
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

/// The routes. The tabs, the sessions list and one session are lazy routes (`LazyRoute`, built
/// with `cargo leptos build --split`): each one's code is a `.wasm` chunk of its own, fetched
/// when the page first shows that route — on a first load once the main `.wasm` runs, the page
/// hydrating when they have arrived — so no page downloads every tab's code (SPEC §12). The
/// chunks are not named in the page for preloading: on a phone that put them ahead of the
/// first paint (Lighthouse LCP 2.1 → 2.7–2.9 s), for less blocking time (docs/BENCHMARKS.md;
/// leptos_axum 0.8.10 means to name them itself, but finds no manifest). The layout and the
/// sign-in page stay in the main `.wasm`: split out, they made every first load larger.
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
                    <Route path=path!("") view={Lazy::<OverviewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("coverage") view={Lazy::<CoverageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("flow-quality") view={Lazy::<FlowQualityRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("psa") view={Lazy::<PsaRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("sessions") view={Lazy::<SessionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("sessions/:id") view={Lazy::<SessionRoute>::new()} ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
