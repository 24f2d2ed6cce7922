//! Draws a chart: ECharts (the global `echarts`, loaded by [`with_echarts`] when the first
//! chart needs it) given the option the server built.

use crate::model::ChartOption;
use js_sys::{Array, Function, Object, Reflect, JSON};
use std::{cell::Cell, rc::Rc};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// The id of the `<script>` that loads the bundle, once per page.
const BUNDLE_SCRIPT: &str = "echarts-bundle";

/// Runs `then` once ECharts is there: at once when it is, else when the bundle has loaded. The
/// first chart of a page asks for it (after the page was painted and hydrated); later charts
/// wait on the same script. Tabs without a chart never download it (SPEC §12).
pub fn with_echarts(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return };
    if Reflect::get(&window, &JsValue::from_str("echarts")).is_ok_and(|e| !e.is_undefined()) {
        then();
        return;
    }
    let Some(document) = window.document() else { return };
    let script = match document.get_element_by_id(BUNDLE_SCRIPT) {
        Some(script) => script,
        None => {
            let meta =
                document.query_selector(&format!("meta[name=\"{}\"]", crate::routes::ECHARTS_META));
            let src = meta.ok().flatten().and_then(|meta| meta.get_attribute("content"));
            let (Some(src), Ok(script), Ok(Some(head))) =
                (src, document.create_element("script"), document.query_selector("head"))
            else {
                leptos::logging::error!("the page names no ECharts bundle");
                return;
            };
            script.set_id(BUNDLE_SCRIPT);
            let _ = script.set_attribute("src", &src);
            let _ = head.append_child(&script);
            script
        }
    };
    let loaded = Closure::once_into_js(then);
    let _ = script.add_event_listener_with_callback("load", loaded.unchecked_ref());
}

/// Runs `then` once `element` is within [`NEAR`] of the visible part of the page (at once when
/// it already is), or at once where the browser cannot tell.
pub fn when_near_screen(element: &web_sys::Element, then: impl FnOnce() + 'static) {
    let then = Rc::new(Cell::new(Some(then)));
    let run = {
        let then = then.clone();
        move || {
            if let Some(then) = then.take() {
                then();
            }
        }
    };
    let seen = run.clone();
    let callback = Closure::<dyn Fn(Array, IntersectionObserver)>::new(
        move |entries: Array, observer: IntersectionObserver| {
            let near = entries
                .iter()
                .any(|entry| entry.unchecked_into::<IntersectionObserverEntry>().is_intersecting());
            if near {
                observer.disconnect();
                seen();
            }
        },
    );
    let options = IntersectionObserverInit::new();
    options.set_root_margin(NEAR);
    match IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options) {
        Ok(observer) => {
            observer.observe(element);
            // The observer owns the callback: it is freed with the observer.
            let _ = callback.into_js_value();
        }
        Err(_) => run(),
    }
}

/// How far outside the screen a chart starts to load: a little ahead of the scroll.
const NEAR: &str = "200px";

/// What a click on the plot does with the day (the category's index) under it.
pub type OnDay = Rc<dyn Fn(usize)>;

/// Draws `option` into `element`, replacing whatever chart it held; a click over a day calls
/// `on_day` with it.
pub fn draw(element: &web_sys::Element, option: &ChartOption, on_day: OnDay) {
    // Empty first, so the size measured is the container's, not the previous canvas's.
    element.set_inner_html("");
    let _ = element.remove_attribute("_echarts_instance_");
    let size = Object::new();
    let _ = Reflect::set(&size, &"width".into(), &element.client_width().max(280).into());
    let _ = Reflect::set(&size, &"height".into(), &element.client_height().max(200).into());
    let Ok(parsed) = JSON::parse(&option.0) else {
        leptos::logging::error!("chart {}: its option is not JSON", element.id());
        return;
    };
    let echarts = web_sys::window()
        .and_then(|window| Reflect::get(&window, &JsValue::from_str("echarts")).ok())
        .unwrap_or_default();
    let Some(chart) = call(&echarts, "init", &Array::of3(element, &JsValue::NULL, &size)) else {
        leptos::logging::error!("chart {}: ECharts is not loaded", element.id());
        return;
    };
    call(&chart, "setOption", &Array::of1(&parsed));
    listen_for_days(chart, on_day);
}

/// Calls the chart's method `name` (ECharts' API).
fn call(target: &JsValue, name: &str, args: &Array) -> Option<JsValue> {
    let method = Reflect::get(target, &JsValue::from_str(name)).ok()?;
    method.dyn_into::<Function>().ok()?.apply(target, args).ok()
}

/// A click anywhere in the plot area (not only on a line's point, which is a few pixels wide)
/// counts as a click on the day under it: the pixel's category on the x axis.
fn listen_for_days(chart: JsValue, on_day: OnDay) {
    let Some(canvas) = call(&chart, "getZr", &Array::new()) else { return };
    let clicked = chart.clone();
    let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let at = |axis: &str| Reflect::get(&event, &JsValue::from_str(axis)).unwrap_or_default();
        let point = Array::of2(&at("offsetX"), &at("offsetY"));
        let inside = call(&clicked, "containPixel", &Array::of2(&"grid".into(), &point));
        if inside.and_then(|v| v.as_bool()) != Some(true) {
            return;
        }
        // In the first series' coordinates the point is [day index, value].
        let finder = Object::new();
        let _ = Reflect::set(&finder, &"seriesIndex".into(), &0.into());
        let data = call(&clicked, "convertFromPixel", &Array::of2(&finder, &point));
        let day = data.map(|data| Array::from(&data).get(0));
        if let Some(day) = day.and_then(|v| v.as_f64()).filter(|d| *d >= 0.0) {
            on_day(day.round() as usize);
        }
    });
    // The canvas owns the handler: it is freed with the chart's canvas, not before.
    call(&canvas, "on", &Array::of2(&"click".into(), &handler.into_js_value()));
}
