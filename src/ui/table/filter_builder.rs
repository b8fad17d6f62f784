//! The filter dropdown: builds clauses without typing, offering the values the loaded traces hold, and
//! hands them over as AST clauses (printed into the search box, so they are valid syntax by construction).
//! Its rules are `query::builder`'s.

use crate::model::Trace;
use crate::query::builder::{Choices, FilterForm};
use crate::query::Clause;
use crate::sorting::btree_set;
use leptos::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;

#[component]
pub fn FilterBuilder(
    /// The loaded traces the choices come from.
    traces: Signal<Vec<Arc<Trace>>>,
    on_apply: Callback<Vec<Clause>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let choices = Memo::new(move |_| traces.with(|traces| Choices::of(traces)));
    let form = RwSignal::new(FilterForm::default());
    let problem = RwSignal::new(None::<String>);
    let apply = move |_| match form.with_untracked(FilterForm::clauses) {
        Ok(clauses) => {
            on_apply.run(clauses);
            problem.set(None);
            open.set(false);
        }
        Err(unquotable) => problem.set(Some(unquotable.to_string())),
    };
    let pick = move |values: fn(&Choices) -> BTreeSet<String>| Signal::derive(move || choices.with(values));
    view! {
        <div class="filter-menu">
            <button class="button" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>"Filters"</button>
            <Show when=move || open.get()>
                <div class="filter-builder" role="dialog" aria-label="Build a filter">
                    <label>"State"
                        <select on:change=move |e| form.update(|f| f.state = event_target_value(&e))>
                            <option value="">"Any"</option>
                            <option value="OK">"OK"</option>
                            <option value="ERROR">"ERROR"</option>
                            <option value="IN_PROGRESS">"IN_PROGRESS"</option>
                        </select>
                    </label>
                    <label>"Trace name"<ChoiceSelect values=pick(|c| c.names.clone()) on_change=Callback::new(move |v| form.update(|f| f.name = v)) /></label>
                    <label>"User"<ChoiceSelect values=pick(|c| c.users.clone()) on_change=Callback::new(move |v| form.update(|f| f.user = v)) /></label>
                    <label>"Session"
                        <input list="filter-sessions" placeholder="Any" prop:value=move || form.with(|f| f.session.clone()) on:input=move |e| form.update(|f| f.session = event_target_value(&e)) />
                        <datalist id="filter-sessions">{move || options(choices.with(|c| c.sessions.clone()))}</datalist>
                    </label>
                    <label>"Run"<ChoiceSelect values=pick(|c| c.runs.clone()) on_change=Callback::new(move |v| form.update(|f| f.run = v)) /></label>
                    <label>"Tag"
                        <span class="pair">
                            <ChoiceSelect label="Tag key" values=pick(|c| c.tag_keys.clone()) on_change=Callback::new(move |v| form.update(|f| f.tag_key = v)) />
                            <input aria-label="Tag value" placeholder="value" prop:value=move || form.with(|f| f.tag_value.clone()) on:input=move |e| form.update(|f| f.tag_value = event_target_value(&e)) />
                        </span>
                    </label>
                    <FeedbackChoice form=form choices=choices />
                    <label>"Execution time (ms)"
                        <span class="pair">
                            <input type="number" min="0" aria-label="At least (ms)" placeholder="min" prop:value=move || form.with(|f| f.min_ms.clone()) on:input=move |e| form.update(|f| f.min_ms = event_target_value(&e)) />
                            <input type="number" min="0" aria-label="At most (ms)" placeholder="max" prop:value=move || form.with(|f| f.max_ms.clone()) on:input=move |e| form.update(|f| f.max_ms = event_target_value(&e)) />
                        </span>
                    </label>
                    <label>"Request time"
                        <span class="pair">
                            <input type="datetime-local" aria-label="From" on:input=move |e| form.update(|f| f.from_ms = local_time_ms(&event_target_value(&e))) />
                            <input type="datetime-local" aria-label="To" on:input=move |e| form.update(|f| f.to_ms = local_time_ms(&event_target_value(&e))) />
                        </span>
                    </label>
                    {move || problem.get().map(|problem| view! { <p class="warning" role="alert">{problem}</p> })}
                    <div class="builder-actions">
                        <button class="button primary" on:click=apply>"Add to search"</button>
                        <button class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </div>
    }
}

/// A feedback's name, then one of the values the loaded traces hold for it.
#[component]
fn FeedbackChoice(form: RwSignal<FilterForm>, choices: Memo<Choices>) -> impl IntoView {
    let names = Signal::derive(move || choices.with(|c| btree_set(c.feedback.iter().map(|(name, _)| name.clone()))));
    let values = move || {
        let name = form.with(|f| f.feedback_name.clone());
        options(choices.with(|c| c.feedback.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_default()))
    };
    let choose_name = Callback::new(move |name| {
        form.update(|f| {
            f.feedback_name = name;
            f.feedback_value.clear();
        })
    });
    view! {
        <label>"Feedback"
            <span class="pair">
                <ChoiceSelect label="Feedback name" values=names on_change=choose_name />
                <select aria-label="Feedback value" prop:value=move || form.with(|f| f.feedback_value.clone()) on:change=move |e| form.update(|f| f.feedback_value = event_target_value(&e))>
                    <option value="">"Any value"</option>
                    {values}
                </select>
            </span>
        </label>
    }
}

/// A select of "Any" and the given values.
#[component]
fn ChoiceSelect(
    values: Signal<BTreeSet<String>>,
    on_change: Callback<String>,
    /// Its accessible name, when it is not its label's.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    view! {
        <select aria-label=label on:change=move |e| on_change.run(event_target_value(&e))>
            <option value="">"Any"</option>
            {move || options(values.get())}
        </select>
    }
}

fn options(values: BTreeSet<String>) -> impl IntoView {
    values.into_iter().map(|value| view! { <option value=value.clone()>{value.clone()}</option> }).collect_view()
}

/// A datetime-local value (the viewer's local time) as Unix milliseconds; None when empty or invalid.
fn local_time_ms(local: &str) -> Option<f64> {
    let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local)).get_time();
    (!local.is_empty() && millis.is_finite()).then_some(millis)
}
