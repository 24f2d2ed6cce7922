//! A breakdown of the window by technician or by client (SPEC §7): each row's sessions, rates
//! (muted with their `n` over a small sample), resolution time and hours logged; its name links
//! to the same view filtered by it (the window and the other filter kept), its sessions to the
//! list of them.

use crate::{
    components::{metric_card::or_dash, number_link::NumberLink, rate_cell::SampledRate},
    model::BreakdownRow,
    page_state::{use_link, use_sessions_link},
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn BreakdownTable(
    /// The table's title ("By technician").
    caption: &'static str,
    /// The header of the name column ("Technician").
    name: &'static str,
    /// The filter a row applies (`technician`, `client`).
    param: &'static str,
    rows: Vec<BreakdownRow>,
) -> impl IntoView {
    let link = use_link();
    let sessions = use_sessions_link();
    let location = use_location();
    let body = if rows.is_empty() {
        view! { <p class="text-sm text-muted-foreground">"No sessions in this period."</p> }
            .into_any()
    } else {
        view! {
            <table aria-label=caption class="w-full text-left text-sm tabular-nums">
                <thead class="text-xs uppercase tracking-wide text-muted-foreground">
                    <tr>
                        <th scope="col" class="px-3 py-2">{name}</th>
                        <th scope="col" class="px-3 py-2">"Sessions"</th>
                        <th scope="col" class="px-3 py-2">"Resolution"</th>
                        <th scope="col" class="px-3 py-2">"Escalation"</th>
                        <th scope="col" class="px-3 py-2">"Avg resolution"</th>
                        <th scope="col" class="px-3 py-2">"Hours logged"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let id = row.id.to_string();
                            let listed = sessions(&[(param, &id)]);
                            let href = move || link(&location.pathname.get(), &[(param, &id)]);
                            view! {
                                <tr class="border-t border-border">
                                    <th scope="row" class="px-3 py-2 font-normal">
                                        <a
                                            href=href
                                            class="underline-offset-2 hover:underline"
                                            title=format!("Only {}", row.name)
                                        >
                                            {row.name.clone()}
                                        </a>
                                    </th>
                                    <td class="px-3 py-2">
                                        <NumberLink href=Some(listed)>{row.sessions}</NumberLink>
                                    </td>
                                    <SampledRate rate=Some(row.resolution_rate) sessions=row.sessions />
                                    <SampledRate rate=Some(row.escalation_rate) sessions=row.sessions />
                                    <td class="px-3 py-2">
                                        {or_dash(row.avg_resolution_minutes, |m| format!("{m:.1} min"))}
                                    </td>
                                    <td class="px-3 py-2">{format!("{:.2}", row.hours_logged)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <div class="glass-card-static min-w-0 overflow-x-auto p-4">
            <h2 class="mb-2 text-sm font-semibold">{caption}</h2>
            {body}
        </div>
    }
}
