//! Runs compared side by side (`compare=<id>,<id>[,…]`): a summary of each run, the first divergence named
//! with a way to jump to it, the steps aligned row by row with their deltas against the first run (repeated
//! steps folded), and the selected step's inputs and outputs diffed. The rules are `model::compare`'s.

mod detail;
mod state;
mod steps;
mod summary;

use crate::data;
use crate::location::Source;
use crate::model::compare::{check_runs, compare};
use crate::model::Trace;
use crate::ui::widgets::back_to_list::BackToList;
use crate::ui::widgets::error_panel::ErrorPanel;
use detail::StepDetail;
use leptos::prelude::*;
use state::CompareState;
use std::sync::Arc;
use steps::StepsList;
use summary::{DivergenceBanner, RunsSummary};

#[component]
pub fn CompareRuns(
    source: Source,
    trace_ids: Vec<String>,
    /// The loaded rows (a file's traces are taken from them).
    rows: ReadSignal<Vec<Arc<Trace>>>,
    /// Whether the rows are all there (files are still being read otherwise).
    ready: Signal<bool>,
) -> impl IntoView {
    let body = match check_runs(&trace_ids) {
        Err(message) => view! { <ErrorPanel title="Cannot compare these traces" message=message /> }.into_any(),
        Ok(()) => {
            let count = trace_ids.len();
            let traces = LocalResource::new(move || {
                let (source, ids, ready) = (source.clone(), trace_ids.clone(), ready.get());
                let loaded = if ready { rows.get_untracked() } else { Vec::new() };
                async move {
                    match ready {
                        true => Some(futures::future::join_all(ids.iter().map(|id| data::load_trace(&source, id, &loaded))).await),
                        false => None,
                    }
                }
            });
            (move || match traces.get().flatten() {
                None => view! { <p class="loading" role="status">{format!("Loading the {count} traces to compare…")}</p> }.into_any(),
                Some(results) => match results.into_iter().collect::<Result<Vec<_>, data::DataError>>() {
                    Err(message) => view! {
                        <ErrorPanel title="Could not load the traces to compare" message=message on_retry=Callback::new(move |_| traces.refetch()) />
                    }
                    .into_any(),
                    Ok(traces) => view! { <Comparison traces=traces /> }.into_any(),
                },
            })
            .into_any()
        }
    };
    view! {
        <section class="compare" aria-label="Compare runs">
            <BackToList leave=|location| location.compare.clear() />
            <h2 class="compare-title">"Compare runs"</h2>
            {body}
        </section>
    }
}

/// The comparison of loaded traces.
#[component]
fn Comparison(traces: Vec<Arc<Trace>>) -> impl IntoView {
    let comparison = compare(&traces.iter().map(Arc::as_ref).collect::<Vec<_>>());
    let state = CompareState::new(traces, comparison);
    view! {
        <RunsSummary state=state />
        <DivergenceBanner state=state />
        <StepsList state=state />
        <StepDetail state=state />
    }
}
