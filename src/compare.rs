//! The change of a number against the previous window (SPEC §7): counts as a signed number and
//! a percentage, rates in percentage points, and whether the change is good or bad for that
//! metric. The page shows it with an arrow, the signed text and the words "better"/"worse", so
//! colour is never the only signal.

use crate::model::small_sample;

/// Which way a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Up,
    Down,
    /// Neither: more sessions is not good or bad in itself.
    Neither,
}

/// What a change means for the metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Better,
    Worse,
    Same,
    /// Changed, but not for better or worse (or not comparable).
    Neutral,
}

/// A metric's change against the previous window, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `▲`, `▼` or `=`.
    pub arrow: &'static str,
    /// "+12 (+8.5%)", "−2.1 pp", "no change".
    pub text: String,
    pub verdict: Verdict,
}

impl Change {
    /// A count: `+12 (+8.5%)`; the percentage is left out when the previous window had none.
    pub fn count(current: i64, previous: i64, better: Better) -> Change {
        let delta = current - previous;
        let text = if delta == 0 {
            "no change".to_owned()
        } else if previous == 0 {
            signed(delta as f64, 0, "")
        } else {
            let pct = delta as f64 / previous as f64 * 100.0;
            format!("{} ({})", signed(delta as f64, 0, ""), signed(pct, 1, "%"))
        };
        Change::new(delta as f64, text, better)
    }

    /// A rate (0..1): the difference in percentage points, `+2.1 pp`.
    pub fn rate(current: f64, previous: f64, better: Better) -> Change {
        let points = ((current - previous) * 1000.0).round() / 10.0;
        let text = if points == 0.0 { "no change".to_owned() } else { signed(points, 1, " pp") };
        Change::new(points, text, better)
    }

    /// A measured value (minutes, hours, a score) with its unit; none when either side has no
    /// value.
    pub fn value(
        current: Option<f64>,
        previous: Option<f64>,
        decimals: usize,
        unit: &str,
        better: Better,
    ) -> Option<Change> {
        let (current, previous) = (current?, previous?);
        let scale = 10f64.powi(decimals as i32);
        let delta = ((current - previous) * scale).round() / scale;
        let text =
            if delta == 0.0 { "no change".to_owned() } else { signed(delta, decimals, unit) };
        Some(Change::new(delta, text, better))
    }

    fn new(delta: f64, text: String, better: Better) -> Change {
        let arrow = if delta > 0.0 {
            "▲"
        } else if delta < 0.0 {
            "▼"
        } else {
            "="
        };
        let verdict = match (delta.partial_cmp(&0.0), better) {
            (Some(std::cmp::Ordering::Equal), _) => Verdict::Same,
            (_, Better::Neither) | (None, _) => Verdict::Neutral,
            (Some(std::cmp::Ordering::Greater), Better::Up)
            | (Some(std::cmp::Ordering::Less), Better::Down) => Verdict::Better,
            _ => Verdict::Worse,
        };
        Change { arrow, text, verdict }
    }

    /// The change between a window of `now` sessions and one of `before`: judged better or
    /// worse only when neither is a small sample (SPEC §7), else neutral.
    pub fn over_samples(self, now: i64, before: i64) -> Change {
        if (!small_sample(now) && !small_sample(before)) || self.verdict == Verdict::Same {
            return self;
        }
        Change { verdict: Verdict::Neutral, ..self }
    }

    /// The words that say what the colour says.
    pub fn verdict_text(&self) -> &'static str {
        match self.verdict {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Same | Verdict::Neutral => "",
        }
    }
}

/// A rate's change, `(rate, sessions)` now against the previous window's, judged only between
/// two large-enough samples; none when the previous window had no such row.
pub fn rate_change(now: (f64, i64), before: Option<(f64, i64)>, better: Better) -> Option<Change> {
    before.map(|(then, sessions)| Change::rate(now.0, then, better).over_samples(now.1, sessions))
}

/// `+12`, `−3.5 pp` (a real minus sign).
fn signed(value: f64, decimals: usize, unit: &str) -> String {
    let sign = if value > 0.0 {
        "+"
    } else if value < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{:.*}{unit}", decimals, value.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_the_signed_difference_and_percentage() {
        let c = Change::count(120, 100, Better::Neither);
        assert_eq!((c.arrow, c.text.as_str(), c.verdict), ("▲", "+20 (+20.0%)", Verdict::Neutral));
        let c = Change::count(5, 0, Better::Up);
        assert_eq!((c.text.as_str(), c.verdict), ("+5", Verdict::Better));
        let c = Change::count(90, 100, Better::Up);
        assert_eq!((c.arrow, c.text.as_str(), c.verdict), ("▼", "−10 (−10.0%)", Verdict::Worse));
        assert_eq!(Change::count(7, 7, Better::Up).verdict, Verdict::Same);
    }

    #[test]
    fn rates_change_in_points_and_direction_decides_good_or_bad() {
        let more_escalation = Change::rate(0.377, 0.30, Better::Down);
        assert_eq!(more_escalation.text, "+7.7 pp");
        assert_eq!((more_escalation.arrow, more_escalation.verdict), ("▲", Verdict::Worse));
        assert_eq!(more_escalation.verdict_text(), "worse");
        let more_resolution = Change::rate(0.5, 0.4, Better::Up);
        assert_eq!(
            (more_resolution.text.as_str(), more_resolution.verdict),
            ("+10.0 pp", Verdict::Better)
        );
        assert_eq!(Change::rate(0.5001, 0.5, Better::Up).text, "no change");
    }

    #[test]
    fn a_change_is_judged_only_between_two_large_enough_samples() {
        let judged = rate_change((0.4, 10), Some((0.5, 10)), Better::Up).unwrap();
        assert_eq!((judged.text.as_str(), judged.verdict), ("−10.0 pp", Verdict::Worse));
        for (now, then) in [(9, 10), (10, 9)] {
            let unjudged = rate_change((0.4, now), Some((0.5, then)), Better::Up).unwrap();
            assert_eq!((unjudged.text.as_str(), unjudged.verdict), ("−10.0 pp", Verdict::Neutral));
        }
        assert_eq!(rate_change((0.4, 10), None, Better::Up), None, "not there before");
        assert_eq!(Change::count(3, 3, Better::Up).over_samples(3, 3).verdict, Verdict::Same);
    }

    #[test]
    fn values_need_both_sides() {
        assert_eq!(Change::value(Some(12.5), None, 1, " min", Better::Down), None);
        let faster = Change::value(Some(10.0), Some(12.5), 1, " min", Better::Down).unwrap();
        assert_eq!((faster.text.as_str(), faster.verdict), ("−2.5 min", Verdict::Better));
    }
}
