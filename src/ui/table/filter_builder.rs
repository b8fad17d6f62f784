//! The filter dropdown: builds clauses without typing, offering the values the loaded traces hold, and
//! hands them over as AST clauses (printed into the search box, so they are valid syntax by construction).

use crate::model::{AssessmentKind, Trace};
use crate::query::{Clause, Field, Op, Operand};
use crate::sorting::{btree_set, sort_by};
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;

const ANY: &str = "";

/// Distinct values the loaded traces hold for each choice.
#[derive(Clone, Default, PartialEq)]
struct Choices {
    names: BTreeSet<String>,
    users: BTreeSet<String>,
    sessions: BTreeSet<String>,
    runs: BTreeSet<String>,
    tag_keys: BTreeSet<String>,
    /// Feedback name → distinct values, as filter text (`true`, `friendly`, `0.8`).
    feedback: Vec<(String, BTreeSet<String>)>,
}

impl Choices {
    fn of(traces: &[Arc<Trace>]) -> Choices {
        let mut choices = Choices::default();
        for trace in traces {
            choices.names.insert(trace.name());
            choices.users.extend(trace.user().map(str::to_string));
            choices.sessions.extend(trace.session().map(str::to_string));
            choices.runs.extend(trace.run_id().map(str::to_string));
            choices.tag_keys.extend(trace.user_tags().map(|(key, _)| key.clone()));
            for assessment in trace.feedback().filter(|a| a.valid) {
                let AssessmentKind::Feedback { value, error: None } = &assessment.kind else { continue };
                let text = match value {
                    Value::String(text) => text.clone(),
                    Value::Bool(_) | Value::Number(_) => value.to_string(),
                    _ => continue,
                };
                match choices.feedback.iter_mut().find(|(name, _)| *name == assessment.name) {
                    Some((_, values)) => {
                        values.insert(text);
                    }
                    None => choices.feedback.push((assessment.name.clone(), btree_set([text]))),
                }
            }
        }
        choices.names.remove("");
        sort_by(&mut choices.feedback, Ord::cmp);
        choices
    }
}

#[component]
pub fn FilterBuilder(
    /// The loaded traces the choices come from.
    traces: Signal<Vec<Arc<Trace>>>,
    on_apply: Callback<Vec<Clause>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let choices = Memo::new(move |_| traces.with(|traces| Choices::of(traces)));
    let state = RwSignal::new(ANY.to_string());
    let name = RwSignal::new(ANY.to_string());
    let user = RwSignal::new(ANY.to_string());
    let session = RwSignal::new(String::new());
    let run = RwSignal::new(ANY.to_string());
    let tag_key = RwSignal::new(ANY.to_string());
    let tag_value = RwSignal::new(String::new());
    let feedback_name = RwSignal::new(ANY.to_string());
    let feedback_value = RwSignal::new(ANY.to_string());
    let min_ms = RwSignal::new(String::new());
    let max_ms = RwSignal::new(String::new());
    let from_time = RwSignal::new(String::new());
    let to_time = RwSignal::new(String::new());

    let apply = move |_| {
        let text = |field: Field, value: String| Clause { field, op: Op::Eq, value: Operand::Text(value) };
        let number = |field: Field, op: Op, value: f64| Clause { field, op, value: Operand::Number(format!("{value}"), value) };
        let mut clauses = Vec::new();
        let chosen = |signal: RwSignal<String>| Some(signal.get_untracked()).filter(|value| !value.trim().is_empty());
        if let Some(value) = chosen(state) {
            clauses.push(text(Field::Status, value));
        }
        if let Some(value) = chosen(name) {
            clauses.push(text(Field::Name, value));
        }
        if let Some(value) = chosen(user) {
            clauses.push(text(Field::Metadata("mlflow.trace.user".into()), value));
        }
        if let Some(value) = chosen(session) {
            clauses.push(text(Field::Metadata("mlflow.trace.session".into()), value.trim().to_string()));
        }
        if let Some(value) = chosen(run) {
            clauses.push(text(Field::RunId, value));
        }
        if let Some(key) = chosen(tag_key) {
            clauses.push(text(Field::Tag(key), tag_value.get_untracked()));
        }
        if let Some(feedback) = chosen(feedback_name) {
            match chosen(feedback_value) {
                // Numbers read as "at least"; other values must match.
                Some(value) => match value.parse::<f64>() {
                    Ok(score) => clauses.push(number(Field::Feedback(feedback), Op::Ge, score)),
                    Err(_) => clauses.push(text(Field::Feedback(feedback), value)),
                },
                None => clauses.push(Clause { field: Field::Feedback(feedback), op: Op::IsNotNull, value: Operand::None }),
            }
        }
        if let Some(ms) = chosen(min_ms).and_then(|v| v.trim().parse::<f64>().ok()) {
            clauses.push(number(Field::ExecutionTimeMs, Op::Ge, ms));
        }
        if let Some(ms) = chosen(max_ms).and_then(|v| v.trim().parse::<f64>().ok()) {
            clauses.push(number(Field::ExecutionTimeMs, Op::Le, ms));
        }
        for (signal, op) in [(from_time, Op::Ge), (to_time, Op::Le)] {
            if let Some(local) = chosen(signal) {
                // A datetime-local value is the viewer's local time; the filter takes Unix milliseconds.
                let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&local)).get_time();
                if millis.is_finite() {
                    clauses.push(number(Field::TimestampMs, op, millis));
                }
            }
        }
        on_apply.run(clauses);
        open.set(false);
    };

    let options = move |values: BTreeSet<String>| {
        values.into_iter().map(|value| view! { <option value=value.clone()>{value.clone()}</option> }).collect_view()
    };
    view! {
        <div class="filter-menu">
            <button class="button" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>"Filters"</button>
            <Show when=move || open.get()>
                <div class="filter-builder" role="dialog" aria-label="Build a filter">
                    <label>"State"
                        <select on:change=move |e| state.set(event_target_value(&e))>
                            <option value="">"Any"</option>
                            <option value="OK">"OK"</option>
                            <option value="ERROR">"ERROR"</option>
                            <option value="IN_PROGRESS">"IN_PROGRESS"</option>
                        </select>
                    </label>
                    <label>"Trace name"
                        <select on:change=move |e| name.set(event_target_value(&e))>
                            <option value="">"Any"</option>
                            {move || options(choices.with(|c| c.names.clone()))}
                        </select>
                    </label>
                    <label>"User"
                        <select on:change=move |e| user.set(event_target_value(&e))>
                            <option value="">"Any"</option>
                            {move || options(choices.with(|c| c.users.clone()))}
                        </select>
                    </label>
                    <label>"Session"
                        <input list="filter-sessions" placeholder="Any" prop:value=move || session.get() on:input=move |e| session.set(event_target_value(&e)) />
                        <datalist id="filter-sessions">{move || options(choices.with(|c| c.sessions.clone()))}</datalist>
                    </label>
                    <label>"Run"
                        <select on:change=move |e| run.set(event_target_value(&e))>
                            <option value="">"Any"</option>
                            {move || options(choices.with(|c| c.runs.clone()))}
                        </select>
                    </label>
                    <label>"Tag"
                        <span class="pair">
                            <select aria-label="Tag key" on:change=move |e| tag_key.set(event_target_value(&e))>
                                <option value="">"Any"</option>
                                {move || options(choices.with(|c| c.tag_keys.clone()))}
                            </select>
                            <input aria-label="Tag value" placeholder="value" prop:value=move || tag_value.get() on:input=move |e| tag_value.set(event_target_value(&e)) />
                        </span>
                    </label>
                    <label>"Feedback"
                        <span class="pair">
                            <select aria-label="Feedback name" on:change=move |e| { feedback_name.set(event_target_value(&e)); feedback_value.set(String::new()); }>
                                <option value="">"Any"</option>
                                {move || options(choices.with(|c| btree_set(c.feedback.iter().map(|(name, _)| name.clone()))))}
                            </select>
                            <select aria-label="Feedback value" prop:value=move || feedback_value.get() on:change=move |e| feedback_value.set(event_target_value(&e))>
                                <option value="">"Any value"</option>
                                {move || {
                                    let name = feedback_name.get();
                                    options(choices.with(|c| c.feedback.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_default()))
                                }}
                            </select>
                        </span>
                    </label>
                    <label>"Execution time (ms)"
                        <span class="pair">
                            <input type="number" min="0" aria-label="At least (ms)" placeholder="min" prop:value=move || min_ms.get() on:input=move |e| min_ms.set(event_target_value(&e)) />
                            <input type="number" min="0" aria-label="At most (ms)" placeholder="max" prop:value=move || max_ms.get() on:input=move |e| max_ms.set(event_target_value(&e)) />
                        </span>
                    </label>
                    <label>"Request time"
                        <span class="pair">
                            <input type="datetime-local" aria-label="From" prop:value=move || from_time.get() on:input=move |e| from_time.set(event_target_value(&e)) />
                            <input type="datetime-local" aria-label="To" prop:value=move || to_time.get() on:input=move |e| to_time.set(event_target_value(&e)) />
                        </span>
                    </label>
                    <div class="builder-actions">
                        <button class="button primary" on:click=apply>"Add to search"</button>
                        <button class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </div>
    }
}
