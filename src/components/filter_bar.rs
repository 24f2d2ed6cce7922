//! The technician and client filters (SPEC §7): a chip for each filter in force, each with a
//! link that removes it, and a GET form with the two pickers — plain HTML, so it works without
//! JavaScript, and everything stays in the URL.

use super::get_form::{KeptFields, SubmitButton};
use crate::{
    href,
    model::{FilterOption, FiltersResponse, ViewParams},
    page_state::{use_link, use_view_params},
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Parameters the pickers' form keeps (it sends only its own fields otherwise; and the sessions
/// list's drill, [`href::DRILL_PARAMS`]).
const KEPT_BY_FILTERS: [&str; 5] = ["period", "from", "to", "sort", "dir"];

/// One filter: its query parameter, its labels, its value in the view and its choices.
struct Picker {
    param: &'static str,
    label: &'static str,
    all: &'static str,
    value: fn(&ViewParams) -> &str,
    options: fn(&FiltersResponse) -> &[FilterOption],
}

const TECHNICIAN: Picker = Picker {
    param: "technician",
    label: "Technician",
    all: "All technicians",
    value: |view| &view.technician,
    options: |choices| &choices.technicians,
};
const CLIENT: Picker = Picker {
    param: "client",
    label: "Client",
    all: "All clients",
    value: |view| &view.client,
    options: |choices| &choices.clients,
};

#[component]
pub fn FilterBar(choices: FiltersResponse) -> impl IntoView {
    let view_params = use_view_params();
    let location = use_location();
    let link = use_link();
    let choices = StoredValue::new(choices);
    // The filter in force, if any: its id and name.
    let chosen = move |picker: &Picker| {
        let id = (picker.value)(&view_params.read()).trim().parse::<uuid::Uuid>().ok()?;
        let name = choices.with_value(|c| {
            (picker.options)(c).iter().find(|o| o.id == id).map(|o| o.name.clone())
        });
        Some((id, name.unwrap_or_else(|| "unknown".to_owned())))
    };
    let chip = move |picker: &'static Picker| {
        move || {
            chosen(picker).map(|(_, name)| {
                let remove = link(&location.pathname.get(), &[(picker.param, "")]);
                view! {
                    <span class="filter-chip inline-flex items-center gap-1 rounded-full bg-primary/10 px-3 py-1">
                        <span class="text-muted-foreground">{picker.label}": "</span>
                        <span>{name.clone()}</span>
                        <a
                            href=remove
                            class="ml-1 text-muted-foreground hover:text-foreground"
                            aria-label=format!("Remove the {} filter ({name})", picker.label.to_lowercase())
                        >
                            "×"
                        </a>
                    </span>
                }
            })
        }
    };
    let select = move |picker: &'static Picker| {
        let options = choices.with_value(|c| (picker.options)(c).to_vec());
        view! {
            <label class="flex items-center gap-1 text-muted-foreground">
                {picker.label}
                <select
                    name=picker.param
                    class="max-w-[14rem] rounded-md border border-border bg-transparent px-2 py-1 text-foreground"
                >
                    <option value="">{picker.all}</option>
                    {options
                        .into_iter()
                        .map(|option| {
                            let id = option.id;
                            let selected = move || chosen(picker).is_some_and(|(c, _)| c == id);
                            view! {
                                <option value=id.to_string() selected=selected>
                                    {format!("{} ({})", option.name, option.sessions)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <div class="flex flex-wrap items-center gap-3 text-sm" data-testid="filters">
            {chip(&TECHNICIAN)}
            {chip(&CLIENT)}
            <form
                method="get"
                action=move || location.pathname.get()
                aria-label="Filters"
                class="flex flex-wrap items-center gap-2"
            >
                {select(&TECHNICIAN)}
                {select(&CLIENT)}
                <KeptFields names=&KEPT_BY_FILTERS also=&href::DRILL_PARAMS />
                <SubmitButton label="Filter" />
            </form>
        </div>
    }
}
