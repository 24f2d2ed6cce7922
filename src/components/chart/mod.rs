//! A box that an ECharts chart draws into after hydration, once it is on or near the screen,
//! loading ECharts first if the page has not yet. The chart's option comes built by the server
//! ([`ChartOption`]). Effects do not run on the server, so the SSR HTML carries only the box;
//! each chart's data is also rendered as a table beside it, so nothing depends on the drawing.
//! The drawing itself (`draw`) exists only in the browser build. With `hrefs` (one per day), a
//! click anywhere over a day in the plot goes to that link (SPEC §8: the day's sessions); the
//! table's links are the same for keyboards, screen readers and no JavaScript.

#[cfg(feature = "hydrate")]
mod draw;

use crate::model::ChartOption;
use leptos::prelude::*;

#[component]
pub fn Chart(
    id: &'static str,
    label: &'static str,
    option: ChartOption,
    /// Per day of the chart, where a click on that day goes; none: the chart is not a link.
    #[prop(optional)]
    hrefs: Vec<String>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let class = if hrefs.is_empty() {
        "chart-box h-72 w-full"
    } else {
        "chart-box h-72 w-full cursor-pointer"
    };
    #[cfg(feature = "hydrate")]
    {
        // Draw once this very element is mounted (not an earlier one with the same id that a
        // period change is replacing), and again whenever the window is resized.
        let navigate = leptos_router::hooks::use_navigate();
        let go = move |day: usize| {
            if let Some(href) = hrefs.get(day) {
                navigate(href, Default::default());
            }
        };
        let drawing = StoredValue::new_local((option, std::rc::Rc::new(go) as draw::OnDay));
        // Whether the box has come near the screen (and so has been drawn).
        let near = StoredValue::new(false);
        let redraw = move |element: web_sys::Element| {
            draw::with_echarts(move || draw_when_mounted(element, drawing, 0));
        };
        // A chart below the fold (the phone's first screen is the cards) is drawn, and ECharts
        // downloaded, only when it is scrolled near: a first load that never reaches it never
        // pays for it (SPEC §12).
        Effect::new(move |_| {
            if let Some(element) = node.get() {
                let element: web_sys::Element = element.into();
                draw::when_near_screen(&element.clone(), move || {
                    near.try_update_value(|near| *near = true);
                    redraw(element);
                });
            }
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            if let Some(element) =
                node.get_untracked().filter(|_| near.try_get_value() == Some(true))
            {
                redraw(element.into());
            }
        });
        on_cleanup(move || resize.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (option, hrefs);
    view! { <div id=id node_ref=node role="img" aria-label=label class=class></div> }
}

/// Draws into `element` once it is in the document. The router builds a tab's view before it
/// inserts it, so a chart may be ready to draw while its box is still detached: it is looked at
/// again each frame, for up to about ten seconds. A chart whose component is gone meanwhile (a
/// period change replaced it) is not drawn.
#[cfg(feature = "hydrate")]
fn draw_when_mounted(
    element: web_sys::Element,
    drawing: StoredValue<(ChartOption, draw::OnDay), LocalStorage>,
    frames: u32,
) {
    if drawing.is_disposed() {
        return;
    }
    if element.is_connected() {
        drawing.try_with_value(|(option, go)| draw::draw(&element, option, go.clone()));
    } else if frames < 600 {
        request_animation_frame(move || draw_when_mounted(element, drawing, frames + 1));
    }
}
