//! One generated session and the PSA activity logged for it, written as CSV rows for COPY.

use super::{
    catalogue::{DOMAINS, UNMAPPED_SHARE},
    AccountSpec,
};
use chrono::{DateTime, Duration, Utc};
use rand::{seq::SliceRandom, Rng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use uuid::Uuid;

pub struct Flow {
    pub id: Uuid,
    /// Matched only by sessions older than 35 days, so it shows as unused for 30+ days.
    pub stale: bool,
}

pub struct GeneratedSession {
    id: Uuid,
    domain: Option<&'static str>,
    status: &'static str,
    tier: Option<&'static str>,
    confidence: Option<f64>,
    matched_flow: Option<Uuid>,
    ticket: Option<String>,
    created_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
}

pub fn generate_session(
    rng: &mut ChaCha8Rng,
    spec: &AccountSpec,
    flows: &[Vec<Flow>],
    total_weight: u32,
    now: DateTime<Utc>,
    n: u64,
) -> GeneratedSession {
    let age_seconds = loop {
        let age = rng.gen_range(0..i64::from(spec.days) * 86_400);
        // Fewer tickets at the weekend.
        let weekday = (now - Duration::seconds(age)).format("%u").to_string();
        if !(weekday == "6" || weekday == "7") || rng.gen_bool(0.35) {
            break age;
        }
    };
    let created_at = now - Duration::seconds(age_seconds);
    let age_days = age_seconds / 86_400;

    let mut pick = rng.gen_range(0..total_weight);
    let domain_index = DOMAINS
        .iter()
        .position(|d| {
            if pick < d.weight {
                true
            } else {
                pick -= d.weight;
                false
            }
        })
        .unwrap_or(0);
    let profile = &DOMAINS[domain_index];
    let unmapped = rng.gen_bool(UNMAPPED_SHARE);

    let candidates: Vec<&Flow> = if unmapped {
        Vec::new()
    } else {
        flows[domain_index].iter().filter(|f| !f.stale || age_days > 35).collect()
    };
    let matched_flow = (!candidates.is_empty() && rng.gen_bool(0.7))
        .then(|| candidates.choose(rng).map(|f| f.id))
        .flatten();

    let has_confidence = rng.gen_bool(0.97);
    let boost = if matched_flow.is_some() { 0.08 } else { -0.12 };
    let confidence = has_confidence.then(|| {
        let noise: f64 = rng.gen_range(-0.25..0.25);
        ((profile.confidence + boost + noise).clamp(0.05, 0.99) * 1000.0).round() / 1000.0
    });
    let tier = confidence.map(|c| match c {
        c if c >= 0.75 && matched_flow.is_some() => "guided",
        c if c >= 0.45 => "assisted",
        _ => "exploratory",
    });

    let still_open = age_seconds < 3 * 3600 && rng.gen_bool(0.6);
    let lift = if tier == Some("guided") { 0.1 } else { 0.0 };
    let roll: f64 = rng.gen();
    let status = if still_open {
        "active"
    } else if roll < (profile.resolve + lift).min(0.97) {
        "resolved"
    } else if roll < (profile.resolve + lift + profile.escalate).min(0.99) {
        "escalated"
    } else {
        "abandoned"
    };
    let resolved_at = matches!(status, "resolved" | "escalated").then(|| {
        let minutes = profile.minutes * rng.gen_range(0.3..2.2);
        (created_at + Duration::seconds((minutes * 60.0) as i64)).min(now)
    });
    // ConnectWise ticket ids are numbers.
    let ticket = rng.gen_bool(0.65).then(|| (100_000 + n).to_string());
    GeneratedSession {
        id: random_uuid(rng),
        domain: (!unmapped).then_some(profile.name),
        status,
        tier,
        confidence,
        matched_flow,
        ticket,
        created_at,
        resolved_at,
    }
}

/// What was logged for a session: its row carries the funnel flags and the activity count the
/// logs' trigger would have set (the seed defers the triggers).
#[derive(Clone, Copy)]
pub struct Pushed {
    pub logs: u64,
    note: bool,
    time_entry: bool,
}

impl GeneratedSession {
    pub fn write_csv(
        &self,
        account_id: Uuid,
        (technician_id, client_id): (Uuid, Option<Uuid>),
        pushed: Pushed,
        out: &mut String,
    ) {
        let _ = writeln!(
            out,
            "{account_id},{},{technician_id},{},{},{},{},{},{},{},{},{},{},{},{}",
            self.id,
            csv_text(self.domain),
            self.status,
            self.tier.unwrap_or_default(),
            self.confidence.map(|c| c.to_string()).unwrap_or_default(),
            self.matched_flow.map(|f| f.to_string()).unwrap_or_default(),
            self.ticket.as_deref().unwrap_or_default(),
            self.created_at.to_rfc3339(),
            self.resolved_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            pushed.note,
            pushed.time_entry,
            client_id.map(|c| c.to_string()).unwrap_or_default(),
            pushed.logs,
        );
    }

    /// Notes for most linked sessions (some get two), time entries for most finished ones,
    /// a status update for some resolved ones. Each log carries its session's technician and
    /// client, and no previous entry: a session has at most one time entry here.
    pub fn write_logs_csv(
        &self,
        rng: &mut ChaCha8Rng,
        account_id: Uuid,
        (technician_id, client_id): (Uuid, Option<Uuid>),
        now: DateTime<Utc>,
        out: &mut String,
    ) -> Pushed {
        let Some(ticket) = &self.ticket else {
            return Pushed { logs: 0, note: false, time_entry: false };
        };
        let at = |minutes: i64| {
            (self.resolved_at.unwrap_or(self.created_at) + Duration::minutes(minutes)).min(now)
        };
        let mut rows = Vec::new();
        if rng.gen_bool(0.8) {
            rows.push(("note_posted", None, at(2)));
            if rng.gen_bool(0.2) {
                rows.push(("note_posted", None, at(4)));
            }
        }
        if self.resolved_at.is_some() && rng.gen_bool(0.6) {
            let quarters: u32 = rng.gen_range(1..=12);
            rows.push(("time_entry_posted", Some(f64::from(quarters) * 0.25), at(5)));
        }
        if self.status == "resolved" && rng.gen_bool(0.3) {
            rows.push(("status_updated", None, at(6)));
        }
        for (kind, hours, created_at) in &rows {
            let _ = writeln!(
                out,
                "{account_id},{},{},{kind},{},{ticket},{},{technician_id},{}",
                random_uuid(rng),
                self.id,
                hours.map(|h| h.to_string()).unwrap_or_default(),
                created_at.to_rfc3339(),
                client_id.map(|c| c.to_string()).unwrap_or_default(),
            );
        }
        Pushed {
            logs: rows.len() as u64,
            note: rows.iter().any(|(kind, ..)| *kind == "note_posted"),
            time_entry: rows.iter().any(|(kind, ..)| *kind == "time_entry_posted"),
        }
    }
}

fn csv_text(value: Option<&str>) -> String {
    value.map(|v| format!("\"{}\"", v.replace('"', "\"\""))).unwrap_or_default()
}

pub fn random_uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}
