//! The numbers behind a daily chart as a table in a disclosure: readable without JavaScript,
//! and by screen readers, whatever the chart draws. With `hrefs`, each row's count leads to
//! that day's sessions.

use super::number_link::NumberLink;
use leptos::prelude::*;

#[component]
pub fn DailyTable(
    caption: &'static str,
    headers: &'static [&'static str],
    rows: Vec<Vec<String>>,
    /// Per row, the link of its second cell (the day's count).
    #[prop(optional)]
    hrefs: Vec<String>,
) -> impl IntoView {
    let mut hrefs = hrefs.into_iter();
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
                            let mut href = hrefs.next();
                            let cells = cells
                                .into_iter()
                                .enumerate()
                                .map(|(i, c)| {
                                    let href = if i == 1 { href.take() } else { None };
                                    view! { <td><NumberLink href>{c}</NumberLink></td> }
                                })
                                .collect_view();
                            view! { <tr>{cells}</tr> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}
