//! FlowPilot Analytics: the analytics page for team admins, one crate built twice — the server
//! (`ssr`) and the WASM that hydrates it in the browser (`hydrate`).

#![recursion_limit = "256"]

pub mod app;
pub mod compare;
pub mod components;
pub mod data_cache;
pub mod drill;
pub mod error;
pub mod flow_quality;
pub mod href;
pub mod model;
pub mod page_state;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    // The tabs are lazy routes (their code a `.wasm` chunk of its own): the page hydrates once
    // the current route's chunk has arrived. (An error is an executor already started.)
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async move {
        leptos::mount::hydrate_from_async(body, app::App).await.forget();
        // A mark that the page now runs in the browser: clicks navigate client-side from here
        // on (the end-to-end tests wait for it).
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
}
