//! "Add to evaluation dataset", as MLflow's UI offers: pick a dataset of the experiment or name a new one,
//! and the selected traces become its records.

use crate::data::{self, DatasetTarget};
use crate::location::Source;
use crate::model::Trace;
use leptos::prelude::*;
use std::sync::Arc;

const NEW: &str = "__new__";

#[component]
pub fn DatasetPanel(
    source: Source,
    /// The traces to add.
    chosen: Signal<Vec<Arc<Trace>>>,
    /// Told what happened when the records are in.
    on_done: Callback<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let datasets = LocalResource::new({
        let source = source.clone();
        move || {
            let source = source.clone();
            async move { data::datasets(&source).await }
        }
    });
    let choice = RwSignal::new(NEW.to_string());
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let adding = RwSignal::new(false);

    let add = move |_| {
        let target = if choice.get_untracked() == NEW {
            let name = new_name.get_untracked().trim().to_string();
            if name.is_empty() {
                error.set(Some("Name the new dataset.".into()));
                return;
            }
            DatasetTarget::New(name)
        } else {
            let id = choice.get_untracked();
            match datasets.get_untracked().and_then(|found| found.ok()).and_then(|all| all.into_iter().find(|d| d.dataset_id == id)) {
                Some(dataset) => DatasetTarget::Existing(dataset),
                None => return,
            }
        };
        adding.set(true);
        error.set(None);
        let (source, traces) = (source.clone(), chosen.get_untracked());
        leptos::task::spawn_local(async move {
            match data::add_to_dataset(&source, target, &traces).await {
                Ok((dataset, inserted, updated)) => {
                    on_done.run(format!(
                        "Added {} traces to the dataset {} ({inserted} new records, {updated} updated).",
                        traces.len(),
                        dataset.name
                    ));
                    on_close.run(());
                }
                // What the user chose stays, to retry.
                Err(message) => error.set(Some(format!("Nothing was added: {message}"))),
            }
            adding.set(false);
        });
    };

    view! {
        <div class="dataset-panel" role="dialog" aria-label="Add to evaluation dataset">
            <label>
                "Dataset"
                <select aria-label="Dataset" on:change=move |e| choice.set(event_target_value(&e)) prop:value=move || choice.get()>
                    <option value=NEW>"New dataset…"</option>
                    {move || datasets.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|dataset| view! {
                        <option value=dataset.dataset_id.clone()>{dataset.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || choice.get() == NEW>
                <input class="tag-input" aria-label="New dataset name" placeholder="name" prop:value=move || new_name.get() on:input=move |e| new_name.set(event_target_value(&e)) />
            </Show>
            <button class="button primary" disabled=move || adding.get() on:click=add>
                {move || if adding.get() { "Adding…".to_string() } else { format!("Add {} traces", chosen.with(Vec::len)) }}
            </button>
            <button class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
            {move || match datasets.get() {
                Some(Err(message)) => Some(view! { <p class="warning">{format!("Could not list the datasets: {message}")}</p> }),
                _ => None,
            }}
            {move || error.get().map(|message| view! { <p class="warning" role="alert">{message}</p> })}
        </div>
    }
}
