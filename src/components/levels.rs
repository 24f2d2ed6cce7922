//! Colour levels: the Coverage heatmap's rules, one pure function per column, and the flow
//! quality score bar. Each cell or bar also shows its value as text, so colour is never the
//! only signal.

/// How a cell reads: green, amber or red.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Good,
    Warn,
    Bad,
}

impl Level {
    pub fn classes(self) -> &'static str {
        match self {
            Level::Good => "bg-emerald-400/10 text-emerald-400",
            Level::Warn => "bg-amber-400/10 text-amber-400",
            Level::Bad => "bg-rose-500/10 text-rose-500",
        }
    }

    /// The solid colour of a bar at this level.
    pub fn bar(self) -> &'static str {
        match self {
            Level::Good => "bg-emerald-400",
            Level::Warn => "bg-amber-400",
            Level::Bad => "bg-rose-500",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Good => "good",
            Level::Warn => "warn",
            Level::Bad => "bad",
        }
    }
}

/// Resolution %: green above 75%, amber 50–75%, red below 50%.
pub fn resolution_level(rate: f64) -> Level {
    if rate > 0.75 {
        Level::Good
    } else if rate >= 0.5 {
        Level::Warn
    } else {
        Level::Bad
    }
}

/// Escalation %: green below 10%, amber 10–25%, red above 25%.
pub fn escalation_level(rate: f64) -> Level {
    if rate < 0.1 {
        Level::Good
    } else if rate <= 0.25 {
        Level::Warn
    } else {
        Level::Bad
    }
}

/// Guided %: green above 60%, amber 30–60%, red below 30%.
pub fn guided_level(rate: f64) -> Level {
    if rate > 0.6 {
        Level::Good
    } else if rate >= 0.3 {
        Level::Warn
    } else {
        Level::Bad
    }
}

/// Flows: green at 5 or more, amber 1–4, red at none.
pub fn flows_level(count: i64) -> Level {
    match count {
        5.. => Level::Good,
        1..=4 => Level::Warn,
        _ => Level::Bad,
    }
}

/// The quality score bar: green from 70%, amber from 40%, red below.
pub fn score_level(score: f64) -> Level {
    if score >= 0.7 {
        Level::Good
    } else if score >= 0.4 {
        Level::Warn
    } else {
        Level::Bad
    }
}

#[cfg(test)]
mod tests {
    use super::{Level::*, *};

    #[test]
    fn resolution_boundaries() {
        assert_eq!(resolution_level(0.751), Good);
        assert_eq!(resolution_level(0.75), Warn);
        assert_eq!(resolution_level(0.5), Warn);
        assert_eq!(resolution_level(0.499), Bad);
        assert_eq!(resolution_level(0.0), Bad);
        assert_eq!(resolution_level(1.0), Good);
    }

    #[test]
    fn escalation_boundaries() {
        assert_eq!(escalation_level(0.0), Good);
        assert_eq!(escalation_level(0.099), Good);
        assert_eq!(escalation_level(0.1), Warn);
        assert_eq!(escalation_level(0.25), Warn);
        assert_eq!(escalation_level(0.251), Bad);
    }

    #[test]
    fn guided_boundaries() {
        assert_eq!(guided_level(0.601), Good);
        assert_eq!(guided_level(0.6), Warn);
        assert_eq!(guided_level(0.3), Warn);
        assert_eq!(guided_level(0.299), Bad);
    }

    #[test]
    fn flow_count_boundaries() {
        assert_eq!(flows_level(0), Bad);
        assert_eq!(flows_level(1), Warn);
        assert_eq!(flows_level(4), Warn);
        assert_eq!(flows_level(5), Good);
        assert_eq!(flows_level(40), Good);
    }

    #[test]
    fn score_bar_boundaries() {
        assert_eq!(score_level(0.7), Good);
        assert_eq!(score_level(0.699), Warn);
        assert_eq!(score_level(0.4), Warn);
        assert_eq!(score_level(0.399), Bad);
    }

    #[test]
    fn classes_are_the_spec_shades() {
        assert_eq!(Good.classes(), "bg-emerald-400/10 text-emerald-400");
        assert_eq!(Warn.classes(), "bg-amber-400/10 text-amber-400");
        assert_eq!(Bad.classes(), "bg-rose-500/10 text-rose-500");
    }
}
