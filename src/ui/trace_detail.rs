//! One trace: its header (name, id, state, duration, time, tokens, cost, session, user, tags) and its span
//! hierarchy. The full span viewer (timeline, span panel, chat) grows from here.

use super::assessments_pane::TraceAssessments;
use super::error_panel::ErrorPanel;
use super::shell::Navigator;
use super::state_badge::StateBadge;
use super::span_explorer::SpanExplorer;
use super::tag_editor::TagEditor;
use super::time::local_time;
use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::Trace;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn TraceDetail(source: Source, trace_id: String, rows: RwSignal<Vec<Arc<Trace>>>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let trace = LocalResource::new({
        let (trace_id, source) = (trace_id.clone(), source.clone());
        move || {
            let (source, trace_id, loaded) = (source.clone(), trace_id.clone(), rows.get_untracked());
            async move { data::load_trace(&source, &trace_id, &loaded).await }
        }
    });
    let back = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let mut home = navigator.location();
        home.trace_id = None;
        home.span_id = None;
        navigator.go(home);
    };
    view! {
        <section class="trace-detail">
            <a class="back-link" href="?" on:click=back>"← All traces"</a>
            {move || match trace.get() {
                None => view! { <p class="loading" role="status">{format!("Loading trace {trace_id}…")}</p> }.into_any(),
                Some(Err(message)) => view! {
                    <ErrorPanel title="Could not load this trace" message=message on_retry=Callback::new(move |_| trace.refetch()) />
                }.into_any(),
                Some(Ok(trace)) => {
                    // A confirmed tag change updates the table's row as well.
                    let on_changed = Callback::new(move |updated: Arc<Trace>| {
                        update_row(rows, &updated.info.trace_id, |row| row.info.tags = updated.info.tags.clone());
                    });
                    let assessments = TraceAssessments { list: RwSignal::new(trace.info.assessments.clone()), source: StoredValue::new(source.clone()) };
                    provide_context(assessments);
                    // So do added, edited and deleted assessments.
                    let trace_id = trace.info.trace_id.clone();
                    Effect::new(move |first: Option<()>| {
                        let list = assessments.list.get();
                        if first.is_some() {
                            update_row(rows, &trace_id, |row| row.info.assessments = list);
                        }
                    });
                    view! {
                        <TraceHeader trace=trace.clone() />
                        <TagEditor trace=trace.clone() source=source.clone() on_changed=on_changed />
                        <SpanExplorer trace=trace />
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Changes the table's copy of a trace, if the table holds it.
fn update_row(rows: RwSignal<Vec<Arc<Trace>>>, trace_id: &str, change: impl FnOnce(&mut Trace)) {
    rows.update(|rows| {
        if let Some(row) = rows.iter_mut().find(|row| row.info.trace_id == trace_id) {
            change(Arc::make_mut(row));
        }
    })
}

#[component]
fn TraceHeader(trace: Arc<Trace>) -> impl IntoView {
    let info = &trace.info;
    let mut facts: Vec<(&'static str, String)> = Vec::new();
    if let Some(duration) = info.execution_duration_ns {
        facts.push(("Execution time", format::duration_ns(duration)));
    }
    if let Some(time) = info.request_time_ns {
        facts.push(("Request time", local_time(time)));
    }
    if let Some(usage) = trace.token_usage() {
        facts.push(("Tokens", format::token_summary(&usage)));
    }
    if let Some(cost) = trace.cost() {
        facts.push(("Cost", format::cost_usd(cost.total_cost)));
    }
    if let Some(session) = trace.session() {
        facts.push(("Session", session.to_string()));
    }
    if let Some(user) = trace.user() {
        facts.push(("User", user.to_string()));
    }
    if let Some(run) = trace.run_id() {
        facts.push(("Run", run.to_string()));
    }
    let prompts = trace.linked_prompts();
    if !prompts.is_empty() {
        facts.push(("Prompts", prompts.iter().map(|p| format!("{} v{}", p.name, p.version)).collect::<Vec<_>>().join(", ")));
    }
    view! {
        <header class="trace-header">
            <h1>{trace.name()} " " <StateBadge state=info.state.clone() /></h1>
            <p class="mono muted">{info.trace_id.clone()}</p>
            <dl class="facts">
                {facts.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
            </dl>
        </header>
    }
}
