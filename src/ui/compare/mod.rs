//! Runs compared side by side (`compare=<id>,<id>[,…]`): a summary of each run, the first divergence named
//! with a way to jump to it, the steps aligned row by row with their deltas against the first run (repeated
//! steps folded), and the selected step's inputs and outputs diffed. The rules are `model::compare`'s.

mod detail;
mod state;
mod steps;
mod summary;

use crate::data;
use crate::location::Source;
use crate::model;
use crate::model::compare::{check_runs, compare_steps, steps_of};
use crate::model::Trace;
use crate::pacing;
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
            // Loaded, then each run's steps worked out in a task of its own and aligned in another, so that no
            // task holds the page long (two 5,000-span runs).
            let traces = LocalResource::new(move || {
                let (source, ids, ready) = (source.clone(), trace_ids.clone(), ready.get());
                let loaded = if ready { rows.get_untracked() } else { Vec::new() };
                async move {
                    if !ready {
                        return None;
                    }
                    let results = futures::future::join_all(ids.iter().map(|id| data::load_trace(&source, id, &loaded))).await;
                    let traces = match results.into_iter().collect::<Result<Vec<_>, data::DataError>>() {
                        Ok(traces) => traces,
                        Err(error) => return Some(Err(error)),
                    };
                    let mut steps = Vec::with_capacity(traces.len());
                    for trace in &traces {
                        pacing::sleep(0).await;
                        steps.push(steps_of(trace));
                    }
                    pacing::sleep(0).await;
                    Some(Ok((traces, Arc::new(compare_steps(steps)))))
                }
            });
            (move || match traces.get().flatten() {
                None => view! { <p class="loading" role="status">{format!("Loading the {count} traces to compare…")}</p> }.into_any(),
                Some(Err(message)) => view! {
                    <ErrorPanel title="Could not load the traces to compare" message=message on_retry=Callback::new(move |_| traces.refetch()) />
                }
                .into_any(),
                Some(Ok((traces, comparison))) => view! { <Comparison traces=traces comparison=comparison /> }.into_any(),
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
fn Comparison(traces: Vec<Arc<Trace>>, comparison: Arc<model::compare::Comparison>) -> impl IntoView {
    let state = CompareState::new(traces, comparison);
    view! {
        <RunsSummary state=state />
        <DivergenceBanner state=state />
        <StepsList state=state />
        <StepDetail state=state />
    }
}
