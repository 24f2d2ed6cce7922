//! Flow quality's rules: the score, the needs-attention rule, which flows are marked best and
//! worst, and the table's orderings. Pure, so the server scores with it and the browser sorts
//! with it.

use crate::{
    error::AppError,
    model::{round3, small_sample, truncate_for_message, FlowQualityRow},
};
use std::{cmp::Ordering, str::FromStr};

/// Days after which recency reaches 0.
const RECENCY_DAYS: f64 = 90.0;
/// A flow unused this many days needs attention.
pub const STALE_DAYS: i64 = 30;
/// How many flows are marked best (and worst).
pub const TOP_N: usize = 5;

/// 1.0 when last matched today (in the account's timezone), falling linearly to 0.0 at 90
/// days; 0.0 when never matched.
pub fn recency(days_since_match: Option<i64>) -> f64 {
    match days_since_match {
        None => 0.0,
        Some(days) => (1.0 - days.max(0) as f64 / RECENCY_DAYS).max(0.0),
    }
}

/// `success·0.5 + guided·0.3 + recency·0.2`, a missing rate counting as 0; 3 decimals.
pub fn quality_score(success_rate: Option<f64>, guided_rate: Option<f64>, recency: f64) -> f64 {
    let score =
        success_rate.unwrap_or(0.0) * 0.5 + guided_rate.unwrap_or(0.0) * 0.3 + recency * 0.2;
    round3(score)
}

/// Success below 50% over enough sessions to judge (not a small sample), or not used for 30
/// days or more (never used counts).
pub fn needs_attention(
    success_rate: Option<f64>,
    sessions: i64,
    days_since_match: Option<i64>,
) -> bool {
    success_rate.is_some_and(|rate| rate < 0.5 && !small_sample(sessions))
        || days_since_match.is_none_or(|days| days >= STALE_DAYS)
}

/// The orderings the API accepts (`sort=`): each highest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FlowSort {
    #[default]
    Quality,
    Usage,
    SuccessRate,
}

impl FlowSort {
    /// The `sort=` values, as [`FromStr`] reads them.
    pub const NAMES: [&'static str; 3] = ["quality", "usage", "success_rate"];

    pub fn parse_param(value: Option<&str>) -> Result<Self, AppError> {
        match value.map(str::trim) {
            None | Some("") => Ok(FlowSort::default()),
            Some(text) => text.parse(),
        }
    }

    pub fn column(self) -> Column {
        match self {
            FlowSort::Quality => Column::Quality,
            FlowSort::Usage => Column::Usage,
            FlowSort::SuccessRate => Column::SuccessRate,
        }
    }
}

impl FromStr for FlowSort {
    type Err = AppError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "quality" => Ok(FlowSort::Quality),
            "usage" => Ok(FlowSort::Usage),
            "success_rate" => Ok(FlowSort::SuccessRate),
            other => Err(AppError::validation(format!(
                "Unknown sort \"{}\". Allowed values: {}.",
                truncate_for_message(other),
                FlowSort::NAMES.join(", ")
            ))),
        }
    }
}

/// The table's sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Usage,
    SuccessRate,
    LastUsed,
    AvgConfidence,
    Quality,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Name,
        Column::Usage,
        Column::SuccessRate,
        Column::LastUsed,
        Column::AvgConfidence,
        Column::Quality,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Usage => "usage",
            Column::SuccessRate => "success_rate",
            Column::LastUsed => "last_used",
            Column::AvgConfidence => "avg_confidence",
            Column::Quality => "quality",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Name => "Flow name",
            Column::Usage => "Usage",
            Column::SuccessRate => "Success rate",
            Column::LastUsed => "Last used",
            Column::AvgConfidence => "Avg confidence",
            Column::Quality => "Quality score",
        }
    }

    /// The first click on a header sorts names A→Z and numbers highest first.
    pub fn default_descending(self) -> bool {
        self != Column::Name
    }

    /// Reads the page's `sort` value; unknown values fall back to the quality score.
    pub fn from_key(key: &str) -> Column {
        Column::ALL.into_iter().find(|c| c.key() == key).unwrap_or(Column::Quality)
    }
}

/// Sorts rows by `column`; missing values (never used, no rate) always come last, and ties
/// go by name so the order is stable.
pub fn sort_rows(rows: &mut [FlowQualityRow], column: Column, descending: bool) {
    rows.sort_by(|a, b| {
        let primary = match column {
            Column::Name => Some(a.name.to_lowercase().cmp(&b.name.to_lowercase())),
            Column::Usage => Some(a.usage_count.cmp(&b.usage_count)),
            Column::SuccessRate => compare_present(a.success_rate, b.success_rate),
            Column::LastUsed => compare_present(a.last_matched_at, b.last_matched_at),
            Column::AvgConfidence => compare_present(a.avg_confidence, b.avg_confidence),
            Column::Quality => a.quality_score.partial_cmp(&b.quality_score),
        };
        let primary = match primary {
            Some(order) if descending => order.reverse(),
            Some(order) => order,
            None => nulls_last(column, a, b),
        };
        primary.then_with(|| a.name.cmp(&b.name)).then_with(|| a.flow_id.cmp(&b.flow_id))
    });
}

/// `None` when either side is missing: those are ordered by [`nulls_last`] whatever the
/// direction.
fn compare_present<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<Ordering> {
    match (a, b) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ => None,
    }
}

fn nulls_last(column: Column, a: &FlowQualityRow, b: &FlowQualityRow) -> Ordering {
    let missing = |row: &FlowQualityRow| match column {
        Column::SuccessRate => row.success_rate.is_none(),
        Column::LastUsed => row.last_matched_at.is_none(),
        Column::AvgConfidence => row.avg_confidence.is_none(),
        _ => false,
    };
    missing(a).cmp(&missing(b))
}

/// The flows that stand out, by id, best (or worst) first: the `TOP_N` best by quality score
/// (a flow scoring 0 is never a top performer) and the `TOP_N` worst of the rest. The API's
/// `top_performers` and the table's green and red edges both come from here.
#[derive(Debug, Default, PartialEq)]
pub struct RowMarks {
    pub top: Vec<String>,
    pub bottom: Vec<String>,
}

pub fn row_marks(flows: &[FlowQualityRow]) -> RowMarks {
    let mut ranked = flows.to_vec();
    sort_rows(&mut ranked, Column::Quality, true);
    let top: Vec<String> = ranked
        .iter()
        .filter(|f| f.quality_score > 0.0)
        .take(TOP_N)
        .map(|f| f.flow_id.clone())
        .collect();
    let bottom = ranked
        .iter()
        .rev()
        .filter(|f| !top.contains(&f.flow_id))
        .take(TOP_N)
        .map(|f| f.flow_id.clone())
        .collect();
    RowMarks { top, bottom }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, usage: i64, success: Option<f64>, score: f64) -> FlowQualityRow {
        FlowQualityRow {
            flow_id: name.into(),
            name: name.into(),
            tree_type: "troubleshooting".into(),
            usage_count: usage,
            success_rate: success,
            last_matched_at: None,
            avg_confidence: None,
            quality_score: score,
        }
    }

    fn names(rows: &[FlowQualityRow]) -> Vec<&str> {
        rows.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn recency_today_45_days_90_days_and_never() {
        assert_eq!(recency(Some(0)), 1.0);
        assert_eq!(recency(Some(45)), 0.5);
        assert_eq!(recency(Some(90)), 0.0);
        assert_eq!(recency(Some(400)), 0.0);
        assert_eq!(recency(None), 0.0);
        // A match stamped after "now" (clock skew) counts as today.
        assert_eq!(recency(Some(-1)), 1.0);
    }

    #[test]
    fn score_weights_success_guided_and_recency() {
        assert_eq!(quality_score(Some(1.0), Some(1.0), 1.0), 1.0);
        assert_eq!(quality_score(Some(0.8), Some(0.5), 0.5), 0.65);
        assert_eq!(quality_score(None, None, 0.0), 0.0);
        assert_eq!(quality_score(None, Some(0.5), 1.0), 0.35);
        assert_eq!(quality_score(Some(2.0 / 3.0), Some(1.0 / 3.0), 0.9), 0.613);
    }

    #[test]
    fn needs_attention_at_its_boundaries() {
        assert!(needs_attention(Some(0.499), 10, Some(0)));
        assert!(!needs_attention(Some(0.5), 10, Some(0)));
        assert!(!needs_attention(Some(0.9), 10, Some(29)));
        assert!(needs_attention(Some(0.9), 10, Some(30)));
        assert!(needs_attention(None, 0, None), "never used");
        assert!(!needs_attention(None, 0, Some(3)), "used recently, not in this period");
        // A small sample never flags for its success rate; staleness still does.
        assert!(!needs_attention(Some(0.0), 9, Some(0)));
        assert!(needs_attention(Some(0.0), 9, Some(30)));
    }

    #[test]
    fn api_sort_values_and_the_422_for_others() {
        assert_eq!(FlowSort::parse_param(None).unwrap(), FlowSort::Quality);
        assert_eq!(FlowSort::parse_param(Some("usage")).unwrap(), FlowSort::Usage);
        assert_eq!(FlowSort::parse_param(Some("success_rate")).unwrap(), FlowSort::SuccessRate);
        let err = FlowSort::parse_param(Some("name; drop table")).unwrap_err();
        assert_eq!(err.status_code(), 422);
        assert!(err.to_string().contains("quality, usage, success_rate"));
    }

    #[test]
    fn sorting_puts_missing_values_last_in_both_directions() {
        let mut rows =
            vec![row("b", 3, None, 0.2), row("a", 5, Some(0.4), 0.5), row("c", 1, Some(0.9), 0.9)];
        sort_rows(&mut rows, Column::SuccessRate, true);
        assert_eq!(names(&rows), ["c", "a", "b"]);
        sort_rows(&mut rows, Column::SuccessRate, false);
        assert_eq!(names(&rows), ["a", "c", "b"]);
        sort_rows(&mut rows, Column::Usage, true);
        assert_eq!(names(&rows), ["a", "b", "c"]);
        sort_rows(&mut rows, Column::Quality, true);
        assert_eq!(names(&rows), ["c", "a", "b"]);
        sort_rows(&mut rows, Column::Name, false);
        assert_eq!(names(&rows), ["a", "b", "c"]);
    }

    #[test]
    fn ties_are_broken_by_name() {
        let mut rows = vec![row("z", 2, None, 0.5), row("m", 2, None, 0.5), row("a", 2, None, 0.5)];
        sort_rows(&mut rows, Column::Quality, true);
        assert_eq!(names(&rows), ["a", "m", "z"]);
    }

    #[test]
    fn the_best_five_score_above_zero_and_the_worst_five_are_the_rest() {
        let scores = [0.9, 0.0, 0.5, 0.7, 0.0, 0.3, 0.8, 0.6, 0.1, 0.2, 0.0];
        let rows: Vec<FlowQualityRow> = scores
            .iter()
            .enumerate()
            .map(|(i, &score)| row(&format!("f{i:02}"), 1, None, score))
            .collect();
        let marks = row_marks(&rows);
        assert_eq!(marks.top, ["f00", "f06", "f03", "f07", "f02"]);
        // Worst first; ties at 0 go by name, so reversed the last name comes first.
        assert_eq!(marks.bottom, ["f10", "f04", "f01", "f08", "f09"]);

        // Three flows, one unused: two top performers, the third is only the worst.
        let few = [row("a", 1, None, 0.4), row("b", 0, None, 0.0), row("c", 1, None, 0.6)];
        let marks = row_marks(&few);
        assert_eq!(marks.top, ["c", "a"]);
        assert_eq!(marks.bottom, ["b"]);
        assert_eq!(row_marks(&[]), RowMarks::default());
    }

    #[test]
    fn page_sort_keys_round_trip() {
        for column in Column::ALL {
            assert_eq!(Column::from_key(column.key()), column);
        }
        assert_eq!(Column::from_key("bogus"), Column::Quality);
    }
}
