//! The charts' ECharts options, built here from a tab's data with `charming` and sent to the
//! page as JSON ([`ChartOption`]): the browser only parses them and hands them to ECharts, so
//! none of this code is in the hydrate `.wasm` (SPEC §12).

use crate::model::{ChartOption, OverviewDay, PsaDailyTrend};
use charming::{
    component::{Axis, Grid, Legend},
    element::{
        AreaStyle, AxisLabel, AxisType, ItemStyle, LineStyle, SplitLine, TextStyle, Tooltip,
        Trigger,
    },
    series::{Bar, Line},
    Chart,
};

const SESSIONS: &str = "#60a5fa";
const RESOLVED: &str = "#34d399";
const ESCALATED: &str = "#f43f5e";
const GRID_LINE: &str = "#1e293b";
const LABEL: &str = "#94a3b8";

/// Sessions, resolved and escalated per day: one line each.
pub fn overview_trend(days: &[OverviewDay]) -> ChartOption {
    let series = |name: &str, color: &str, pick: fn(&OverviewDay) -> i64| {
        Line::new()
            .name(name)
            .smooth(true)
            .show_symbol(false)
            .item_style(ItemStyle::new().color(color))
            .data(days.iter().map(pick).collect::<Vec<i64>>())
    };
    option(
        by_day(days.iter().map(|d| d.date.as_str()), 16)
            .y_axis(value_axis().min_interval(1))
            .series(series("Sessions", SESSIONS, |d| d.sessions))
            .series(series("Resolved", RESOLVED, |d| d.resolved))
            .series(series("Escalated", ESCALATED, |d| d.escalated)),
    )
}

/// Time entries (bars, left axis) and hours (area, right axis) per day.
pub fn psa_trend(days: &[PsaDailyTrend]) -> ChartOption {
    option(
        // Room on the right for the hours axis.
        by_day(days.iter().map(|d| d.date.as_str()), 48)
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
            ),
    )
}

/// A chart's option as ECharts reads it. Serialising these plain structs cannot fail; if it
/// ever did, the option is empty and the page shows the day table without the drawing.
fn option(chart: Chart) -> ChartOption {
    ChartOption(serde_json::to_string(&chart).unwrap_or_default())
}

/// A chart over these days: the tooltip for a whole day, the legend on top, the plot's grid
/// (`right` px free on its right) and the days along the x axis.
fn by_day<'a>(dates: impl Iterator<Item = &'a str>, right: i64) -> Chart {
    Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(0).text_style(TextStyle::new().color(LABEL)))
        .grid(Grid::new().left(40).right(right).top(40).bottom(28))
        .x_axis(day_axis(dates))
}

fn value_axis() -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .axis_label(AxisLabel::new().color(LABEL))
        .split_line(SplitLine::new().line_style(LineStyle::new().color(GRID_LINE)))
}

/// The days as categories, labelled month-day ("03-14").
fn day_axis<'a>(dates: impl Iterator<Item = &'a str>) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .axis_label(AxisLabel::new().color(LABEL))
        .data(dates.map(|d| d.get(5..).unwrap_or(d).to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn parsed(option: &ChartOption) -> Value {
        serde_json::from_str(&option.0).expect("an option is JSON")
    }

    #[test]
    fn overview_option_has_a_category_per_day_and_a_line_per_measure() {
        let days: Vec<OverviewDay> = [("2026-03-14", 5, 3, 1), ("2026-03-15", 7, 4, 2)]
            .into_iter()
            .map(|(date, sessions, resolved, escalated)| OverviewDay {
                date: date.into(),
                sessions,
                resolved,
                escalated,
            })
            .collect();
        let option = parsed(&overview_trend(&days));
        // One x axis: charming writes it as an object, not a list of one.
        assert_eq!(option["xAxis"]["data"], serde_json::json!(["03-14", "03-15"]));
        let series = option["series"].as_array().expect("series");
        let names: Vec<&str> = series.iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Sessions", "Resolved", "Escalated"]);
        assert_eq!(series[0]["type"], "line");
        assert_eq!(series[0]["data"], serde_json::json!([5, 7]));
        assert_eq!(series[2]["data"], serde_json::json!([1, 2]));
    }

    #[test]
    fn psa_option_puts_entries_and_hours_on_their_own_axes() {
        let days = vec![
            PsaDailyTrend { date: "2026-03-14".into(), entries: 2, hours: 1.5 },
            PsaDailyTrend { date: "2026-03-15".into(), entries: 0, hours: 0.0 },
        ];
        let option = parsed(&psa_trend(&days));
        assert_eq!(option["yAxis"].as_array().map(Vec::len), Some(2));
        assert_eq!(option["series"][0]["type"], "bar");
        assert_eq!(option["series"][0]["data"], serde_json::json!([2, 0]));
        assert_eq!(option["series"][1]["yAxisIndex"], 1.0);
        assert_eq!(option["series"][1]["data"], serde_json::json!([1.5, 0.0]));
    }
}
