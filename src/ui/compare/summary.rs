//! Above the steps: each run's totals side by side, and the banner naming the first divergence.

use super::state::CompareState;
use crate::format;
use crate::model::compare::RunSummary;
use crate::ui::navigation::Navigator;
use crate::ui::widgets::state_badge::StateBadge;
use leptos::prelude::*;

#[component]
pub fn RunsSummary(state: CompareState) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let runs = state.traces.get_value();
    let summaries: Vec<RunSummary> = runs.iter().map(|trace| RunSummary::of(trace)).collect();
    let cells = |value: &dyn Fn(&RunSummary) -> String| summaries.iter().map(|summary| view! { <td>{value(summary)}</td> }).collect_view();
    let open = move |trace_id: String| {
        let mut next = navigator.location();
        next.compare.clear();
        next.trace_id = Some(trace_id);
        navigator.go(next);
    };
    view! {
        <div class="compare-summary-frame">
            <table class="summary-table compare-summary">
                <thead>
                    <tr>
                        <th scope="col"></th>
                        {runs.iter().enumerate().map(|(run, trace)| {
                            let trace_id = trace.info.trace_id.clone();
                            view! {
                                <th scope="col" data-run=run>
                                    <span class="run-label">{format!("Run {}", run + 1)}</span>
                                    <button class="link-button" title=format!("Open {trace_id}") on:click=move |_| open(trace_id.clone())>{trace.name()}</button>
                                    <span class="mono muted">{format::short_id(&trace.info.trace_id)}</span>
                                    <StateBadge state=trace.info.state.clone() />
                                </th>
                            }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <tr><th scope="row">"Duration"</th>{cells(&|s| s.duration_ns.map(format::duration_ns).unwrap_or_else(|| "–".into()))}</tr>
                    <tr><th scope="row">"Tokens"</th>{cells(&|s| s.tokens.map(format::count).unwrap_or_else(|| "–".into()))}</tr>
                    <tr><th scope="row">"Cost"</th>{cells(&|s| s.cost.map(format::cost_usd).unwrap_or_else(|| "–".into()))}</tr>
                    <tr><th scope="row">"Errors"</th>{cells(&|s| s.errors.to_string())}</tr>
                    <tr><th scope="row">"Assessments"</th>{cells(&|s| if s.assessments.is_empty() { "–".into() } else { s.assessments.join(", ") })}</tr>
                </tbody>
            </table>
        </div>
    }
}

/// "First divergence: step 4, tool call weather (a step only some runs took)", with a button to go there.
#[component]
pub fn DivergenceBanner(state: CompareState) -> impl IntoView {
    let first = state.comparison.with_value(|comparison| {
        comparison.first_divergence.map(|row| {
            let step = comparison.row_step(row);
            let why = comparison.rows[row].difference.map(|difference| difference.describe(step.kind)).unwrap_or_default();
            (row, format!("Step {}: {} {} ({why}).", row + 1, step.kind.label(), step.name))
        })
    });
    match first {
        None => view! {
            <p class="compare-banner same" role="status">"No divergence: the runs took the same steps with the same decisions."</p>
        }
        .into_any(),
        Some((row, text)) => view! {
            <p class="compare-banner" role="status">
                <strong>"First divergence"</strong>
                <span>{text}</span>
                <button class="button small" on:click=move |_| state.reveal(row)>"Jump to it"</button>
            </p>
        }
        .into_any(),
    }
}
