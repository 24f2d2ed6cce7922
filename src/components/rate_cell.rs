//! Rates as the tables show them, honest about small samples (SPEC §7): a rate over fewer than
//! [`MIN_SAMPLE`](crate::model::MIN_SAMPLE) sessions is shown with its `n`, muted, and never
//! coloured good or bad.

use crate::{
    compare::Change,
    components::{
        levels::Level,
        metric_card::{or_dash, percent, ChangeLine},
        number_link::NumberLink,
    },
    model::small_sample,
};
use leptos::prelude::*;

const MUTED: &str = "text-muted-foreground";

/// A heatmap cell for a rate: coloured by `level` over enough sessions, neutral with its `n`
/// over too few. The value is always there as text, and its change when compared.
#[component]
pub fn RateCell(
    rate: f64,
    sessions: i64,
    level: fn(f64) -> Level,
    #[prop(optional_no_strip)] change: Option<Change>,
    /// The sessions the rate counts (its numerator), when there is a list of them.
    #[prop(optional_no_strip)]
    href: Option<String>,
) -> impl IntoView {
    let (classes, name) = if small_sample(sessions) {
        (MUTED, "small-sample")
    } else {
        let level = level(rate);
        (level.classes(), level.name())
    };
    view! {
        <td class=format!("px-3 py-2 {classes}") data-level=name>
            <NumberLink href>{percent(rate)}</NumberLink>
            {small_sample(sessions).then(|| view! { <SampleSize sessions /> })}
            {change.map(|change| view! { <ChangeLine change compact=true /> })}
        </td>
    }
}

/// A table cell for a rate that may be absent; muted with its `n` over a small sample.
#[component]
pub fn SampledRate(
    rate: Option<f64>,
    sessions: i64,
    #[prop(optional_no_strip)] change: Option<Change>,
) -> impl IntoView {
    let small = rate.is_some() && small_sample(sessions);
    view! {
        <td class=if small { "px-3 py-2 text-muted-foreground" } else { "px-3 py-2" }>
            {or_dash(rate, percent)}
            {small.then(|| view! { <SampleSize sessions /> })}
            {change.map(|change| view! { <ChangeLine change compact=true /> })}
        </td>
    }
}

#[component]
fn SampleSize(sessions: i64) -> impl IntoView {
    view! {
        <span class="ml-1 text-[0.7rem]" title="Too few sessions to judge">
            {format!("n = {sessions}")}
        </span>
    }
}
