//! The numbers behind a daily chart as a table in a disclosure: readable without JavaScript,
//! and by screen readers, whatever the chart draws.

use leptos::prelude::*;

#[component]
pub fn DailyTable(
    caption: &'static str,
    headers: &'static [&'static str],
    rows: Vec<Vec<String>>,
) -> impl IntoView {
    view! {
        <details class="mt-2 text-sm">
            <summary class="cursor-pointer text-muted-foreground">"Daily numbers"</summary>
            <table class="mt-2 w-full tabular-nums">
                <caption class="sr-only">{caption}</caption>
                <thead class="text-left text-muted-foreground">
                    <tr>
                        {headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|cells| {
                            view! {
                                <tr>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}
