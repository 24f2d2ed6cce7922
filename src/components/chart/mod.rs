//! A box that an ECharts chart (built with `charming`) draws into after hydration. Effects do
//! not run on the server, so the SSR HTML carries only the box; each chart's data is also
//! rendered as a table beside it, so nothing depends on the drawing. The drawing itself
//! (`draw`) exists only in the browser build.

#[cfg(feature = "hydrate")]
mod draw;

use crate::model::{OverviewDay, PsaDailyTrend};
use leptos::prelude::*;

/// What to draw: plain data, so the same value can be rendered on the server and drawn in the
/// browser.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartSpec {
    /// Sessions, resolved and escalated per day.
    OverviewTrend(Vec<OverviewDay>),
    /// Time entries (bars, left axis) and hours (area, right axis) per day.
    PsaTrend(Vec<PsaDailyTrend>),
}

#[component]
pub fn Chart(id: &'static str, label: &'static str, spec: ChartSpec) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        // Draw once this very element is mounted (not an earlier one with the same id that a
        // period change is replacing), and again whenever the window is resized.
        let spec = StoredValue::new(spec);
        Effect::new(move |_| {
            if let Some(element) = node.get() {
                spec.with_value(|spec| draw::draw(&element, spec));
            }
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            if let Some(element) = node.get_untracked() {
                spec.with_value(|spec| draw::draw(&element, spec));
            }
        });
        on_cleanup(move || resize.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = spec;
    view! { <div id=id node_ref=node role="img" aria-label=label class="chart-box h-72 w-full"></div> }
}
