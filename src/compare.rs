//! The change of a number against the previous window (SPEC §7): counts as a signed number and
//! a percentage, rates in percentage points, and whether the change is good or bad for that
//! metric. The page shows it with an arrow, the signed text and the words "better"/"worse", so
//! colour is never the only signal.

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

    /// The same change, judged neither better nor worse (a small sample on either side).
    pub fn unjudged(self) -> Change {
        let verdict = if self.verdict == Verdict::Same { Verdict::Same } else { Verdict::Neutral };
        Change { verdict, ..self }
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
    fn values_need_both_sides() {
        assert_eq!(Change::value(Some(12.5), None, 1, " min", Better::Down), None);
        let faster = Change::value(Some(10.0), Some(12.5), 1, " min", Better::Down).unwrap();
        assert_eq!((faster.text.as_str(), faster.verdict), ("−2.5 min", Verdict::Better));
    }
}
