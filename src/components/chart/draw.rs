//! Chart options for ECharts, built with `charming` and drawn with its `WasmRenderer` (which
//! calls the global `echarts`, loaded by [`with_echarts`] when the first chart needs it).

use super::ChartSpec;
use crate::model::{OverviewDay, PsaDailyTrend};
use js_sys::{Array, Function, Object, Reflect};
use std::{
    rc::Rc,
    sync::atomic::{AtomicU32, Ordering},
};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use charming::{
    component::{Axis, Grid, Legend},
    element::{
        AreaStyle, AxisLabel, AxisType, ItemStyle, LineStyle, SplitLine, TextStyle, Tooltip,
        Trigger,
    },
    series::{Bar, Line},
    Chart, WasmRenderer,
};

const SESSIONS: &str = "#60a5fa";
const RESOLVED: &str = "#34d399";
const ESCALATED: &str = "#f43f5e";
const GRID_LINE: &str = "#1e293b";
const LABEL: &str = "#94a3b8";

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

/// What a click on the plot does with the day (the category's index) under it.
pub type OnDay = Rc<dyn Fn(usize)>;

/// Draws `spec` into `element`, replacing whatever chart it held; a click over a day calls
/// `on_day` with it.
pub fn draw(element: &web_sys::Element, spec: &ChartSpec, on_day: OnDay) {
    static DRAWS: AtomicU32 = AtomicU32::new(0);
    // Empty first, so the size measured is the container's, not the previous canvas's.
    element.set_inner_html("");
    let _ = element.remove_attribute("_echarts_instance_");
    let width = element.client_width().max(280) as u32;
    let height = element.client_height().max(200) as u32;
    let chart = match spec {
        ChartSpec::OverviewTrend(days) => overview_trend(days),
        ChartSpec::PsaTrend(days) => psa_trend(days),
    };
    // `WasmRenderer` finds its element by id: lend this element a unique one meanwhile.
    let id = element.id();
    let unique = format!("{id}-draw-{}", DRAWS.fetch_add(1, Ordering::Relaxed));
    element.set_id(&unique);
    let drawn = WasmRenderer::new(width, height).render(&unique, &chart);
    element.set_id(&id);
    match drawn {
        Ok(chart) => listen_for_days(chart.into(), on_day),
        Err(error) => leptos::logging::error!("chart {id} did not draw: {error:?}"),
    }
}

/// Calls the chart's method `name` (ECharts' API, which `charming` does not wrap).
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

fn value_axis() -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .axis_label(AxisLabel::new().color(LABEL))
        .split_line(SplitLine::new().line_style(LineStyle::new().color(GRID_LINE)))
}

fn day_axis(dates: impl Iterator<Item = String>) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .axis_label(AxisLabel::new().color(LABEL))
        .data(dates.map(|d| d[5..].to_owned()).collect())
}

fn psa_trend(days: &[PsaDailyTrend]) -> Chart {
    Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(0).text_style(TextStyle::new().color(LABEL)))
        .grid(Grid::new().left(40).right(48).top(40).bottom(28))
        .x_axis(day_axis(days.iter().map(|d| d.date.clone())))
        .y_axis(value_axis().name("Entries").min_interval(1))
        .y_axis(value_axis().name("Hours").split_line(SplitLine::new().show(false)))
        .series(
            Bar::new()
                .name("Time entries")
                .y_axis_index(0)
                .item_style(ItemStyle::new().color(SESSIONS))
                .data(days.iter().map(|d| d.entries).collect::<Vec<i64>>()),
        )
        .series(
            Line::new()
                .name("Hours")
                .y_axis_index(1)
                .smooth(true)
                .show_symbol(false)
                .item_style(ItemStyle::new().color(RESOLVED))
                .area_style(AreaStyle::new().opacity(0.2))
                .data(days.iter().map(|d| d.hours).collect::<Vec<f64>>()),
        )
}

fn overview_trend(days: &[OverviewDay]) -> Chart {
    let series = |name: &str, color: &str, pick: fn(&OverviewDay) -> i64| {
        Line::new()
            .name(name)
            .smooth(true)
            .show_symbol(false)
            .item_style(ItemStyle::new().color(color))
            .data(days.iter().map(pick).collect::<Vec<i64>>())
    };
    Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(0).text_style(TextStyle::new().color(LABEL)))
        .grid(Grid::new().left(40).right(16).top(40).bottom(28))
        .x_axis(day_axis(days.iter().map(|d| d.date.clone())))
        .y_axis(value_axis().min_interval(1))
        .series(series("Sessions", SESSIONS, |d| d.sessions))
        .series(series("Resolved", RESOLVED, |d| d.resolved))
        .series(series("Escalated", ESCALATED, |d| d.escalated))
}
