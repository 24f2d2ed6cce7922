//! Drill-down (SPEC §8): which of a view's sessions a number on a tab counted. A heatmap cell is
//! a domain and a status or tier, a flow row a flow, a funnel step a step, a chart point a day.
//! The sessions list (`/analytics/sessions`, its JSON and CSV) takes these beside the window
//! and the filters of [`crate::model::ViewParams`]; links build them here, the server parses
//! them here — one place decides which values are valid.
//!
//! Decisions where SPEC §8 is silent:
//! - Parameters combine with AND; `domain` and `unmapped=true` exclude each other (422).
//! - `step` is the push funnel's, each step within the one before: `linked` (has a ticket),
//!   `note_pushed` (linked, a note pushed), `time_entry` (that, and a time entry logged).
//! - `day` is an account-local day; only its part inside the window counts (a day outside the
//!   window lists nothing rather than widening the window).

use crate::{
    error::AppError,
    model::{parse_day, truncate_for_message},
};
use serde::{Deserialize, Serialize};

/// A session's status, as stored and as the `status` parameter names it.
pub const STATUSES: [&str; 4] = ["active", "resolved", "escalated", "abandoned"];
/// A session's confidence tier (`tier`).
pub const TIERS: [&str; 3] = ["guided", "assisted", "exploratory"];
/// The push funnel's steps after "all sessions" (`step`).
pub const STEPS: [&str; 3] = ["linked", "note_pushed", "time_entry"];

/// The drill parameters as raw query values ("" when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DrillParams {
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub unmapped: String,
    #[serde(default)]
    pub flow: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub day: String,
}

/// Valid drill parameters: `None` (or `false`) leaves that side unrestricted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drill {
    pub domain: Option<String>,
    pub unmapped: bool,
    pub flow: Option<uuid::Uuid>,
    pub status: Option<&'static str>,
    pub tier: Option<&'static str>,
    pub step: Option<&'static str>,
    pub day: Option<chrono::NaiveDate>,
}

impl DrillParams {
    /// The parameters read by name from a query (absent: "").
    pub fn read(value: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name| value(name).unwrap_or_default();
        DrillParams {
            domain: text("domain"),
            unmapped: text("unmapped"),
            flow: text("flow"),
            status: text("status"),
            tier: text("tier"),
            step: text("step"),
            day: text("day"),
        }
    }

    /// The drill asked for; 422 naming the parameter and what it accepts.
    pub fn drill(&self) -> Result<Drill, AppError> {
        let domain = Some(self.domain.trim()).filter(|d| !d.is_empty());
        let unmapped = match self.unmapped.trim() {
            "" | "false" => false,
            "true" => true,
            other => return Err(unknown("unmapped", other, &["true", "false"])),
        };
        if unmapped && domain.is_some() {
            return Err(AppError::validation(
                "Send `domain` or `unmapped=true`, not both: a session has one domain or none.",
            ));
        }
        if domain.is_some_and(|d| d.chars().count() > 200) {
            return Err(AppError::validation("`domain` is at most 200 characters."));
        }
        let flow = match self.flow.trim() {
            "" => None,
            text => Some(uuid::Uuid::try_parse(text).map_err(|_| {
                AppError::validation(format!(
                    "`flow` must be a flow id (a UUID), not \"{}\".",
                    truncate_for_message(text)
                ))
            })?),
        };
        let day = match self.day.trim() {
            "" => None,
            text => Some(parse_day("day", text)?),
        };
        Ok(Drill {
            domain: domain.map(str::to_owned),
            unmapped,
            flow,
            status: one_of("status", &self.status, &STATUSES)?,
            tier: one_of("tier", &self.tier, &TIERS)?,
            step: one_of("step", &self.step, &STEPS)?,
            day,
        })
    }

    /// The query pairs that reproduce this drill (empty values left out by links).
    pub fn pairs(&self) -> [(&'static str, &str); 7] {
        [
            ("domain", &self.domain),
            ("unmapped", &self.unmapped),
            ("flow", &self.flow),
            ("status", &self.status),
            ("tier", &self.tier),
            ("step", &self.step),
            ("day", &self.day),
        ]
    }

    /// Whether any drill parameter is set.
    pub fn any(&self) -> bool {
        self.pairs().iter().any(|(_, value)| !value.trim().is_empty())
    }
}

fn one_of(
    name: &str,
    text: &str,
    allowed: &[&'static str],
) -> Result<Option<&'static str>, AppError> {
    match text.trim() {
        "" => Ok(None),
        text => allowed
            .iter()
            .find(|value| **value == text)
            .map(|value| Some(*value))
            .ok_or_else(|| unknown(name, text, allowed)),
    }
}

fn unknown(name: &str, text: &str, allowed: &[&str]) -> AppError {
    AppError::validation(format!(
        "Unknown {name} \"{}\". Allowed values: {}.",
        truncate_for_message(text),
        allowed.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> DrillParams {
        DrillParams::read(|name| {
            pairs.iter().find(|(key, _)| *key == name).map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn nothing_asked_drills_nothing() {
        assert_eq!(params(&[]).drill().unwrap(), Drill::default());
        assert!(!params(&[]).any());
    }

    #[test]
    fn every_parameter_parses() {
        let flow = "2b1f6f4e-8a7e-4c55-9d0a-9a3d8f0e1a11";
        let drill = params(&[
            ("domain", " VPN "),
            ("flow", flow),
            ("status", "escalated"),
            ("tier", "guided"),
            ("step", "note_pushed"),
            ("day", "2026-03-29"),
        ])
        .drill()
        .unwrap();
        assert_eq!(drill.domain.as_deref(), Some("VPN"));
        assert_eq!(drill.flow, Some(uuid::Uuid::parse_str(flow).unwrap()));
        assert_eq!(
            (drill.status, drill.tier, drill.step),
            (Some("escalated"), Some("guided"), Some("note_pushed"))
        );
        assert_eq!(drill.day, chrono::NaiveDate::from_ymd_opt(2026, 3, 29));
        assert!(params(&[("unmapped", "true")]).drill().unwrap().unmapped);
    }

    #[test]
    fn bad_values_are_422_naming_the_parameter() {
        for (pairs, needle) in [
            (vec![("status", "closed")], "Unknown status \"closed\". Allowed values: active,"),
            (vec![("tier", "x")], "Unknown tier"),
            (vec![("step", "doc")], "linked, note_pushed, time_entry"),
            (vec![("unmapped", "yes")], "Unknown unmapped"),
            (vec![("flow", "vpn")], "`flow` must be a flow id"),
            (vec![("day", "2026-02-30")], "`day` must be a date"),
            (vec![("day", "29.03.2026")], "`day` must be a date"),
            (vec![("domain", "VPN"), ("unmapped", "true")], "not both"),
        ] {
            let err = params(&pairs).drill().unwrap_err();
            assert_eq!(err.status_code(), 422, "{pairs:?}");
            assert!(err.to_string().contains(needle), "{pairs:?}: {err}");
        }
        let long = "d".repeat(201);
        assert_eq!(params(&[("domain", &long)]).drill().unwrap_err().status_code(), 422);
    }
}
