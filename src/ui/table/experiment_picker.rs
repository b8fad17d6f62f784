//! Choosing experiments on a tracking server: filter by name, open one, or tick several and open them
//! together.

use crate::api::Experiment;
use crate::location::ViewLocation;
use crate::ui::navigation::Navigator;
use leptos::prelude::*;

#[component]
pub fn ExperimentPicker(experiments: Vec<Experiment>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let filter = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let open = move |experiment_ids: Vec<String>| {
        if let Some(source) = navigator.location().source.with_experiments(experiment_ids) {
            navigator.go(ViewLocation::of(source));
        }
    };
    let total = experiments.len();
    let experiments = StoredValue::new(experiments);
    let visible = move || {
        let needle = filter.get().to_lowercase();
        experiments.with_value(|all| {
            all.iter()
                .filter(|e| needle.is_empty() || e.name.to_lowercase().contains(&needle) || e.experiment_id == needle)
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section class="experiment-picker">
            <h2>"Choose experiments"</h2>
            <p class="hint">{format!("{total} experiment{} on {}", if total == 1 { "" } else { "s" }, navigator.location().source.label())}</p>
            <div class="picker-bar">
                <input
                    class="search-input"
                    type="search"
                    placeholder="Filter by name or id"
                    aria-label="Filter experiments"
                    prop:value=move || filter.get()
                    on:input=move |event| filter.set(event_target_value(&event))
                />
                <button
                    class="button primary"
                    disabled=move || chosen.with(Vec::is_empty)
                    on:click=move |_| open(chosen.get())
                >
                    {move || format!("Open {} selected", chosen.with(Vec::len))}
                </button>
            </div>
            <ul class="experiment-list">
                <For each=visible key=|experiment| experiment.experiment_id.clone() let:experiment>
                    {
                        let id = experiment.experiment_id.clone();
                        let id_for_check = id.clone();
                        view! {
                            <li class="experiment-row">
                                <input
                                    type="checkbox"
                                    aria-label=format!("Select {}", experiment.name)
                                    on:change=move |event| {
                                        let checked = event_target_checked(&event);
                                        chosen.update(|ids| {
                                            ids.retain(|other| other != &id_for_check);
                                            if checked {
                                                ids.push(id_for_check.clone());
                                            }
                                        });
                                    }
                                />
                                <button class="link-button" on:click=move |_| open(vec![id.clone()])>
                                    {experiment.name.clone()}
                                </button>
                                <span class="muted">{format!("id {}", experiment.experiment_id)}</span>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
