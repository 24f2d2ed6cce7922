//! A ranked list of horizontal bars: a label, its count (and optionally the conversion from the
//! step before) over a bar as wide as its share. Top domains and the push funnel use it.

use super::number_link::NumberLink;
use leptos::prelude::*;

pub struct Bar {
    pub label: String,
    pub count: i64,
    /// The conversion from the previous step, already formatted.
    pub conversion: Option<String>,
    /// The bar's width, 0–1.
    pub share: f64,
    /// The sessions the count counts, when there is a list of them.
    pub href: Option<String>,
}

#[component]
pub fn BarList(label: &'static str, bars: Vec<Bar>) -> impl IntoView {
    view! {
        <ol class="space-y-3" aria-label=label>
            {bars
                .into_iter()
                .map(|bar| {
                    let width = format!("width: {:.1}%", bar.share.clamp(0.0, 1.0) * 100.0);
                    let step = bar.label.clone();
                    view! {
                        <li data-step=step>
                            <div class="flex justify-between text-sm">
                                <span>{bar.label}</span>
                                <span class="tabular-nums">
                                    <span data-count="">
                                        <NumberLink href=bar.href>{bar.count}</NumberLink>
                                    </span>
                                    {bar
                                        .conversion
                                        .map(|rate| {
                                            view! {
                                                <span
                                                    class="ml-2 text-muted-foreground"
                                                    data-conversion=""
                                                >
                                                    {rate}
                                                </span>
                                            }
                                        })}
                                </span>
                            </div>
                            <div class="mt-1 h-2 rounded bg-muted">
                                <div class="h-2 rounded bg-primary" style=width></div>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
