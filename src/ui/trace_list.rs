//! The list of loaded traces (a plain table; the full trace table with search, filters and windowing is
//! built on top of this).

use super::error_panel::ErrorPanel;
use super::shell::Navigator;
use super::state_badge::StateBadge;
use super::time::local_time;
use crate::data::TraceList;
use crate::format;
use crate::model::derive::truncate_chars;
use crate::model::Trace;
use leptos::prelude::*;
use std::rc::Rc;

/// Request previews are cut to this many characters in a cell; the full text is in the tooltip.
const CELL_PREVIEW_CHARS: usize = 120;

#[component]
pub fn TraceListView(list: TraceList) -> impl IntoView {
    let problems = list.problems.clone();
    let nothing_loaded = list.traces.is_empty();
    let summary = if list.more_available {
        format!("{} traces loaded, more on the server", list.traces.len())
    } else {
        format!("{} traces", list.traces.len())
    };
    let problem_view = (!problems.is_empty()).then(|| {
        let message = problems.iter().map(|p| format!("{}: {}", p.what, p.message)).collect::<Vec<_>>().join("\n");
        if nothing_loaded {
            view! { <ErrorPanel title="Could not read the trace files" message=message /> }.into_any()
        } else {
            view! { <p class="warning" role="alert">{format!("Some files could not be read. {message}")}</p> }.into_any()
        }
    });
    let rows: Vec<_> = list.traces.iter().map(|trace| view! { <TraceRow trace=trace.clone() /> }).collect();
    let table = (!nothing_loaded).then(|| {
        view! {
            <div class="table-scroll">
                <table class="trace-table">
                    <thead>
                        <tr>
                            <th>"Trace"</th>
                            <th>"Request"</th>
                            <th>"State"</th>
                            <th>"Request time"</th>
                            <th class="numeric">"Execution time"</th>
                            <th class="numeric">"Tokens"</th>
                            <th>"Session"</th>
                            <th>"User"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let empty = (nothing_loaded && problems.is_empty()).then(|| view! { <p class="empty">"No traces here yet."</p> });
    view! {
        <section class="trace-list">
            <p class="summary" data-testid="trace-count">{summary}</p>
            {problem_view}
            {empty}
            {table}
        </section>
    }
}

#[component]
fn TraceRow(trace: Rc<Trace>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let mut target = navigator.location();
    target.trace_id = Some(trace.info.trace_id.clone());
    let href = navigator.href(&target);
    let request = trace.request_preview().unwrap_or_default();
    let tokens = trace.token_usage().map(|usage| format::count(usage.total_tokens)).unwrap_or_default();
    view! {
        <tr class="trace-row">
            <td>
                <a class="trace-link" href=href on:click=move |event| {
                    if !event.ctrl_key() && !event.meta_key() && !event.shift_key() {
                        event.prevent_default();
                        navigator.go(target.clone());
                    }
                }>{trace.name()}</a>
                <div class="muted mono" title=trace.info.trace_id.clone()>{format::short_id(&trace.info.trace_id)}</div>
            </td>
            <td class="preview" title=request.clone()>{truncate_chars(&request, CELL_PREVIEW_CHARS)}</td>
            <td><StateBadge state=trace.info.state.clone() /></td>
            <td class="nowrap">{trace.info.request_time_ns.map(local_time)}</td>
            <td class="numeric nowrap">{trace.info.execution_duration_ns.map(format::duration_ns)}</td>
            <td class="numeric">{tokens}</td>
            <td class="mono nowrap">{trace.session().map(str::to_string)}</td>
            <td class="nowrap">{trace.user().map(str::to_string)}</td>
        </tr>
    }
}
