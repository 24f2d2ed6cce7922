//! Chart options for ECharts, built with `charming` and drawn with its `WasmRenderer` (which
//! calls the global `echarts` loaded by the shell).

use crate::{components::chart::ChartSpec, model::OverviewDay};
use charming::{
    component::{Axis, Grid, Legend},
    element::{AxisLabel, AxisType, ItemStyle, LineStyle, SplitLine, TextStyle, Tooltip, Trigger},
    series::Line,
    Chart, WasmRenderer,
};

const SESSIONS: &str = "#60a5fa";
const RESOLVED: &str = "#34d399";
const ESCALATED: &str = "#f43f5e";
const GRID_LINE: &str = "#1e293b";
const LABEL: &str = "#94a3b8";

pub fn draw(id: &str, spec: &ChartSpec) {
    let Some(element) = leptos::prelude::document().get_element_by_id(id) else {
        return;
    };
    let width = element.client_width().max(280) as u32;
    let height = element.client_height().max(200) as u32;
    element.set_inner_html("");
    let _ = element.remove_attribute("_echarts_instance_");
    let chart = match spec {
        ChartSpec::OverviewTrend(days) => overview_trend(days),
    };
    if let Err(error) = WasmRenderer::new(width, height).render(id, &chart) {
        leptos::logging::error!("chart {id} did not draw: {error:?}");
    }
}

fn overview_trend(days: &[OverviewDay]) -> Chart {
    let labels: Vec<String> = days.iter().map(|d| d.date[5..].to_owned()).collect();
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
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .axis_label(AxisLabel::new().color(LABEL))
                .data(labels),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min_interval(1)
                .axis_label(AxisLabel::new().color(LABEL))
                .split_line(SplitLine::new().line_style(LineStyle::new().color(GRID_LINE))),
        )
        .series(series("Sessions", SESSIONS, |d| d.sessions))
        .series(series("Resolved", RESOLVED, |d| d.resolved))
        .series(series("Escalated", ESCALATED, |d| d.escalated))
}
