use super::number_link::NumberLink;
use crate::compare::{Change, Verdict};
use leptos::prelude::*;

/// One KPI: a label over a large value (a link to the sessions it counts, when there is one),
/// with an optional hint and its change against the previous window below.
#[component]
pub fn MetricCard(
    label: &'static str,
    value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional_no_strip)] change: Option<Change>,
    #[prop(optional_no_strip)] href: Option<String>,
) -> impl IntoView {
    view! {
        <div class="glass-card-static p-4" role="group" aria-label=label>
            <p class="text-xs uppercase tracking-wide text-muted-foreground">{label}</p>
            <p class="mt-1 text-2xl font-semibold tabular-nums" data-metric=label>
                <NumberLink href>{value}</NumberLink>
            </p>
            {hint.map(|hint| view! { <p class="mt-1 text-xs text-muted-foreground">{hint}</p> })}
            {change.map(|change| view! { <ChangeLine change /> })}
        </div>
    }
}

/// "▲ +2.1 pp, worse vs previous": arrow, signed text and the verdict in words, coloured by the
/// verdict. `compact` (in a table cell) leaves out "vs previous".
#[component]
pub fn ChangeLine(change: Change, #[prop(optional)] compact: bool) -> impl IntoView {
    let class = match change.verdict {
        Verdict::Better => "text-emerald-400",
        Verdict::Worse => "text-rose-400",
        Verdict::Same | Verdict::Neutral => "text-muted-foreground",
    };
    let marker = change.verdict_text();
    let verdict = match change.verdict_text() {
        "" => String::new(),
        words => format!(", {words}"),
    };
    view! {
        <span
            class=format!("mt-1 block text-xs font-normal tabular-nums {class}")
            data-change=marker
        >
            <span aria-hidden="true">{change.arrow}" "</span>
            {change.text}
            {verdict}
            {(!compact).then(|| view! { <span class="text-muted-foreground">" vs previous"</span> })}
        </span>
    }
}

/// `0.823` → `"82.3%"`.
pub fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// A value that may be absent (no sessions to average over) shows as an em dash.
pub fn or_dash(value: Option<f64>, format: impl Fn(f64) -> String) -> String {
    value.map(format).unwrap_or_else(|| "—".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_shows_one_decimal() {
        assert_eq!(percent(0.823), "82.3%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(1.0), "100.0%");
    }

    #[test]
    fn missing_values_show_a_dash() {
        assert_eq!(or_dash(None, |v| v.to_string()), "—");
        assert_eq!(or_dash(Some(2.5), |v| format!("{v} min")), "2.5 min");
    }
}
