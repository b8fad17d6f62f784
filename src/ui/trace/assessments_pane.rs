//! The assessments of the open trace: feedback and expectations on the trace and on the selected span, with
//! value, rationale, source and time, and the history of the ones they overrode. Against a server, the user
//! adds feedback or an expectation (to the trace or the span), edits and deletes them. A refused write
//! keeps what the user typed, with the server's message.

use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::assessment_edit;
use crate::model::{Assessment, AssessmentKind, Trace};
use crate::ui::browser::time::local_time;
use leptos::prelude::*;
use serde_json::Value;
use std::sync::Arc;

/// The open trace's assessments as they change, shared by the panes that show them.
#[derive(Clone, Copy)]
pub struct TraceAssessments {
    pub list: RwSignal<Vec<Assessment>>,
    pub source: StoredValue<Source>,
}

/// Remembers who is assessing, so the source id is typed once.
const ASSESSOR_KEY: &str = "trace-viewer.assessor";

#[component]
pub fn AssessmentsPane(
    trace: Arc<Trace>,
    span_index: usize,
    /// Selects the span an assessment on another span is about.
    on_select: Callback<usize>,
) -> impl IntoView {
    let store = expect_context::<TraceAssessments>();
    let editable = store.source.with_value(Source::is_writable);
    let span = &trace.spans[span_index];
    let (span_id, span_name) = (span.span_id.clone(), span.name.clone());
    let trace_id = trace.info.trace_id.clone();

    let group = {
        let span_id = span_id.clone();
        move |on_span: bool| {
            let span_id = span_id.clone();
            move || {
                store.list.with(|list| {
                    list.iter()
                        .filter(|a| a.valid && if on_span { a.span_id.as_deref() == Some(span_id.as_str()) } else { a.span_id.is_none() })
                        .cloned()
                        .collect::<Vec<_>>()
                })
            }
        }
    };
    let on_trace = group(false);
    let on_span = group(true);
    // Assessments on the other spans, each with the span it is about (index and name), so they are found
    // from any span.
    let elsewhere = {
        let (span_id, trace) = (span_id.clone(), trace.clone());
        move || {
            store.list.with(|list| {
                list.iter()
                    .filter(|a| a.valid)
                    .filter_map(|a| {
                        let on = a.span_id.as_ref().filter(|id| **id != span_id)?;
                        let index = trace.spans.iter().position(|span| span.span_id == *on);
                        Some((a.clone(), index.map(|index| (index, trace.spans[index].name.clone()))))
                    })
                    .collect::<Vec<_>>()
            })
        }
    };
    let cards = move |assessments: Vec<Assessment>| {
        if assessments.is_empty() {
            return view! { <p class="muted">"None"</p> }.into_any();
        }
        assessments
            .into_iter()
            .map(|assessment| view! { <AssessmentCard assessment=assessment editable=editable /> })
            .collect_view()
            .into_any()
    };

    view! {
        <div class="assessments">
            <section class="span-section">
                <h3>"On the trace"</h3>
                {move || cards(on_trace())}
            </section>
            <section class="span-section">
                <h3>{format!("On span {span_name}")}</h3>
                {move || cards(on_span())}
            </section>
            {move || {
                let others = elsewhere();
                (!others.is_empty()).then(|| view! {
                    <section class="span-section">
                        <h3>"On other spans"</h3>
                        <ul class="other-assessments">
                            {others.into_iter().map(|(assessment, span)| {
                                let (value, tone) = format::assessment_value(&assessment);
                                view! {
                                    <li>
                                        <strong>{assessment.name.clone()}</strong>
                                        <span class=format!("chip chip-{tone}")><span class="chip-value">{value}</span></span>
                                        {match span {
                                            Some((index, name)) => view! {
                                                <button class="link-button" on:click=move |_| on_select.run(index)>{format!("on span {name}")}</button>
                                            }.into_any(),
                                            None => view! { <span class="muted">"on a span not in this trace"</span> }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            }}
            {editable.then(|| view! { <AddAssessment trace_id=trace_id span_id=span_id /> })}
        </div>
    }
}

#[component]
fn AssessmentCard(assessment: Assessment, editable: bool) -> impl IntoView {
    let store = expect_context::<TraceAssessments>();
    let (value_text, tone) = format::assessment_value(&assessment);
    let (kind, full_value, error) = match &assessment.kind {
        AssessmentKind::Feedback { value, error } => ("feedback", value.clone(), error.clone()),
        AssessmentKind::Expectation { value } => ("expectation", value.clone(), None),
    };
    let history: Vec<Assessment> = store.list.with_untracked(|list| assessment_edit::overridden(list, &assessment));
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let draft_value = RwSignal::new(assessment_edit::value_text(&full_value));
    let draft_rationale = RwSignal::new(assessment.rationale.clone().unwrap_or_default());
    let assessment = StoredValue::new(assessment);

    let save = move |_| {
        let (edited, changed) =
            assessment.with_value(|a| assessment_edit::edited(a, &draft_value.get_untracked(), &draft_rationale.get_untracked()));
        problem.set(None);
        if !changed.any() {
            editing.set(false);
            return;
        }
        leptos::task::spawn_local(async move {
            match data::update_assessment(&store.source.get_value(), &edited, changed).await {
                Ok(stored) => {
                    editing.set(false);
                    store.list.update(|list| replace(list, stored));
                }
                Err(message) => problem.set(Some(format!("Not saved: {message}"))),
            }
        });
    };
    let delete = move |_| {
        let (trace_id, id) = assessment.with_value(|a| (a.trace_id.clone(), a.assessment_id.clone()));
        problem.set(None);
        leptos::task::spawn_local(async move {
            match data::delete_assessment(&store.source.get_value(), &trace_id, &id).await {
                Ok(()) => store.list.update(|list| list.retain(|a| a.assessment_id != id)),
                Err(message) => {
                    confirming.set(false);
                    problem.set(Some(format!("Not deleted: {message}")));
                }
            }
        });
    };

    let a = assessment.get_value();
    let source = match &a.source_id {
        Some(id) => format!("{} · {id}", format::assessment_source(&a.source_type)),
        None => format::assessment_source(&a.source_type).to_string(),
    };
    view! {
        <article class="assessment" data-assessment-name=a.name.clone() data-assessment-id=a.assessment_id.clone()>
            <header>
                <strong class="assessment-name">{a.name.clone()}</strong>
                <span class=format!("chip chip-{tone}")><span class="chip-value">{value_text}</span></span>
                <span class="badge">{kind}</span>
            </header>
            {error.map(|error| view! {
                <p class="warning">{format!("The judge failed: {} {}", error.code.unwrap_or_default(), error.message.unwrap_or_default())}</p>
            })}
            {matches!(full_value, Value::Object(_) | Value::Array(_)).then(|| view! { <crate::ui::widgets::json_tree::JsonTree value=full_value.clone() /> })}
            {a.rationale.clone().map(|rationale| view! { <p class="rationale">{rationale}</p> })}
            <p class="muted small">{source} {a.last_update_time_ns.or(a.create_time_ns).map(|time| format!(" · {}", local_time(time)))}</p>
            {(!history.is_empty()).then(|| view! {
                <details class="assessment-history">
                    <summary>{format!("Overrides ({})", history.len())}</summary>
                    {history.into_iter().map(|old| {
                        let (text, _) = format::assessment_value(&old);
                        let who = old.source_id.clone().unwrap_or_else(|| format::assessment_source(&old.source_type).to_string());
                        view! { <p class="muted small">{format!("{text} by {who}")}{old.rationale.map(|r| format!(": {r}"))}</p> }
                    }).collect_view()}
                </details>
            })}
            {editable.then(|| view! {
                <Show when=move || editing.get() fallback=move || view! {
                    <div class="assessment-actions">
                        <button class="button small" on:click=move |_| editing.set(true)>"Edit"</button>
                        <Show when=move || confirming.get() fallback=move || view! {
                            <button class="button small" on:click=move |_| confirming.set(true)>"Delete"</button>
                        }>
                            <span>"Delete this assessment?"</span>
                            <button class="button small danger" on:click=delete>"Delete"</button>
                            <button class="button small" on:click=move |_| confirming.set(false)>"Keep"</button>
                        </Show>
                    </div>
                }>
                    <div class="assessment-form">
                        <label>"Value"<input aria-label="Value" prop:value=move || draft_value.get() on:input=move |e| draft_value.set(event_target_value(&e)) /></label>
                        <label>"Rationale"<textarea aria-label="Rationale" prop:value=move || draft_rationale.get() on:input=move |e| draft_rationale.set(event_target_value(&e))></textarea></label>
                        <div class="assessment-actions">
                            <button class="button small primary" on:click=save>"Save"</button>
                            <button class="button small" on:click=move |_| editing.set(false)>"Cancel"</button>
                        </div>
                    </div>
                </Show>
            })}
            {move || problem.get().map(|message| view! { <p class="warning" role="alert">{message}</p> })}
        </article>
    }
}

#[component]
fn AddAssessment(trace_id: String, span_id: String) -> impl IntoView {
    let store = expect_context::<TraceAssessments>();
    let expectation = RwSignal::new(false);
    let on_span = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let rationale = RwSignal::new(String::new());
    let assessor = RwSignal::new(crate::ui::browser::storage::load_text(ASSESSOR_KEY).unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let name_text = name.get_untracked().trim().to_string();
        if name_text.is_empty() || value.get_untracked().trim().is_empty() {
            problem.set(Some("An assessment needs a name and a value.".into()));
            return;
        }
        let parsed = assessment_edit::typed_value(&value.get_untracked());
        let who = assessor.get_untracked().trim().to_string();
        crate::ui::browser::storage::save_text(ASSESSOR_KEY, &who);
        let assessment = Assessment {
            assessment_id: String::new(),
            name: name_text,
            trace_id: trace_id.clone(),
            span_id: on_span.get_untracked().then(|| span_id.clone()),
            source_type: "HUMAN".into(),
            source_id: Some(if who.is_empty() { "trace-viewer".into() } else { who }),
            create_time_ns: None,
            last_update_time_ns: None,
            kind: if expectation.get_untracked() {
                AssessmentKind::Expectation { value: parsed }
            } else {
                AssessmentKind::Feedback { value: parsed, error: None }
            },
            rationale: Some(rationale.get_untracked()).filter(|r| !r.trim().is_empty()),
            metadata: Default::default(),
            overrides: None,
            valid: true,
        };
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let result = data::create_assessment(&store.source.get_value(), &assessment).await;
            busy.set(false);
            match result {
                Ok(stored) => {
                    store.list.update(|list| list.push(stored));
                    // Cleared only once the server has it.
                    name.set(String::new());
                    value.set(String::new());
                    rationale.set(String::new());
                }
                Err(message) => problem.set(Some(format!("Not added: {message}"))),
            }
        });
    };

    view! {
        <form class="assessment-form add-assessment" on:submit=submit>
            <h3>"Add an assessment"</h3>
            <div class="segmented">
                <label><input type="radio" name="assessment-kind" prop:checked=move || !expectation.get() on:change=move |_| expectation.set(false) />"Feedback"</label>
                <label><input type="radio" name="assessment-kind" prop:checked=move || expectation.get() on:change=move |_| expectation.set(true) />"Expectation"</label>
            </div>
            <div class="segmented">
                <label><input type="radio" name="assessment-target" prop:checked=move || !on_span.get() on:change=move |_| on_span.set(false) />"On the trace"</label>
                <label><input type="radio" name="assessment-target" prop:checked=move || on_span.get() on:change=move |_| on_span.set(true) />"On this span"</label>
            </div>
            <label>"Name"<input aria-label="Assessment name" placeholder="e.g. correctness" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) /></label>
            <label>"Value"<input aria-label="Assessment value" placeholder="true, 0.8, or text" prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e)) /></label>
            <label>"Rationale"<textarea aria-label="Assessment rationale" prop:value=move || rationale.get() on:input=move |e| rationale.set(event_target_value(&e))></textarea></label>
            <label>"Your name"<input aria-label="Assessor" placeholder="source id" prop:value=move || assessor.get() on:input=move |e| assessor.set(event_target_value(&e)) /></label>
            <button class="button primary" type="submit" prop:disabled=move || busy.get()>{move || if busy.get() { "Adding…" } else { "Add" }}</button>
            {move || problem.get().map(|message| view! { <p class="warning" role="alert">{message}</p> })}
        </form>
    }
}

fn replace(list: &mut [Assessment], stored: Assessment) {
    if let Some(slot) = list.iter_mut().find(|a| a.assessment_id == stored.assessment_id) {
        *slot = stored;
    }
}
