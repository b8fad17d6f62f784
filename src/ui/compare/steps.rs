//! The aligned steps, one line each (windowed), every run's step side by side with its status, duration,
//! tokens and cost, and the deltas against the first run; a loop folded into one line "× N iterations" with
//! a strip of its iterations' durations per run.

use super::state::{CompareState, Shown, ROW_HEIGHT};
use crate::format;
use crate::model::compare::{Comparison, Step};
use crate::model::loops::strip_heights;

/// A loop's strip has at most this many bars per run.
const STRIP_BARS: usize = 40;
use leptos::prelude::*;

#[component]
pub fn StepsList(state: CompareState) -> impl IntoView {
    let runs = state.traces.with_value(Vec::len);
    let CompareState { lines, window, fold, .. } = state;
    let rows = move || {
        let range = window.range.get();
        lines.with(|lines| {
            lines[range.clone()]
                .iter()
                .zip(range)
                .map(|(line, position)| match *line {
                    Shown::Row(row) => view! { <StepLine state=state row=row position=position /> }.into_any(),
                    Shown::Loop { first, period, count, open } => {
                        view! { <LoopLine state=state first=first period=period count=count open=open position=position /> }.into_any()
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="compare-steps-head">
            <h3>{move || format!("Steps ({})", state.comparison.with_value(|c| c.rows.len()))}</h3>
            <label class="check">
                <input type="checkbox" prop:checked=move || fold.get() on:change=move |event| fold.set(event_target_checked(&event)) />
                "Fold repeated steps"
            </label>
        </div>
        <div class="compare-scroller" node_ref=window.scroller on:scroll=move |_| window.measure() style:--runs=runs.to_string()
            style:--compare-row-height=format!("{ROW_HEIGHT}px") role="table" aria-label="Steps aligned"
            aria-rowcount=move || lines.with(Vec::len).to_string()>
            <div class="compare-line compare-head" role="row">
                <span role="columnheader">"#"</span>
                <span role="columnheader">"Step"</span>
                {(0..runs).map(|run| view! { <span role="columnheader">{format!("Run {}", run + 1)}</span> }).collect_view()}
            </div>
            <div class="compare-rows" role="rowgroup" style:height=move || window.height(lines.with(Vec::len))>{rows}</div>
        </div>
    }
}

/// One aligned row: its number, the step, and each run's side of it.
#[component]
fn StepLine(state: CompareState, row: usize, position: usize) -> impl IntoView {
    let comparison = state.comparison.get_value();
    let step = comparison.row_step(row).clone();
    let difference = comparison.rows[row].difference;
    let first = comparison.first_divergence == Some(row);
    let runs = comparison.rows[row].steps.len();
    let cells = (0..runs).map(|run| view! { <RunCell comparison=comparison.clone() row=row run=run /> }).collect_view();
    view! {
        <div class="compare-line step-line" class:differs=difference.is_some() class:first-divergence=first
            class:selected=move || state.selected.get() == Some(row) role="row" data-row=row style:top=state.window.top(position)
            on:click=move |_| state.selected.set(Some(row))>
            <span class="step-number" role="cell">{row + 1}</span>
            <span class="step-name" role="cell">
                <span class=format!("span-type type-{}", step.span_type.class_name())>{step.kind.label()}</span>
                <span class="step-title" title=step.name.clone()>{step.name.clone()}</span>
                {first.then(|| view! { <span class="badge badge-error">"First divergence"</span> })}
                {difference.filter(|_| !first).map(|difference| view! { <span class="badge difference">{difference.describe(step.kind)}</span> })}
            </span>
            {cells}
        </div>
    }
}

/// A run's side of a row: its step's status, duration, tokens and cost, and beside the first run's the change.
#[component]
fn RunCell(comparison: std::sync::Arc<Comparison>, row: usize, run: usize) -> impl IntoView {
    let Some(step) = comparison.step(row, run) else {
        return view! { <span class="run-cell gap" role="cell">"— not run"</span> }.into_any();
    };
    let base = comparison.step(row, 0).filter(|_| run > 0);
    let duration = step.duration_ns.map(format::duration_ns).unwrap_or_else(|| "running".into());
    let figures = [step.tokens.map(|tokens| format!("{} tok", format::count(tokens))), step.cost.map(format::cost_usd)];
    let delta = base.map(|base| deltas(base, step)).filter(|text| !text.is_empty());
    view! {
        <span class="run-cell" class:failed=step.failed role="cell">
            <span>
                {step.failed.then(|| view! { <span class="badge badge-error">"error"</span> })}
                " " {duration}
            </span>
            <span class="muted">{figures.into_iter().flatten().collect::<Vec<_>>().join(" · ")}</span>
            {delta.map(|text| view! { <span class="delta">{text}</span> })}
        </span>
    }
    .into_any()
}

/// "+1.20 s · −20 tok · +$0.0010": how this step differs from the first run's.
fn deltas(base: &Step, step: &Step) -> String {
    let signed = |more: bool, text: String| format!("{}{text}", if more { "+" } else { "−" });
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (base.duration_ns, step.duration_ns) {
        if a != b {
            parts.push(signed(b > a, format::duration_ns(a.abs_diff(b))));
        }
    }
    if let (Some(a), Some(b)) = (base.tokens, step.tokens) {
        if a != b {
            parts.push(signed(b > a, format!("{} tok", format::count(a.abs_diff(b)))));
        }
    }
    if let (Some(a), Some(b)) = (base.cost, step.cost) {
        if a != b {
            parts.push(signed(b > a, format::cost_usd((b - a).abs())));
        }
    }
    parts.join(" · ")
}

/// A folded loop: "× N iterations" of its steps, and per run how many it ran with a strip of their durations.
#[component]
fn LoopLine(state: CompareState, first: usize, period: usize, count: usize, open: bool, position: usize) -> impl IntoView {
    let comparison = state.comparison.get_value();
    let rows = first..first + period * count;
    let names: Vec<String> = (first..first + period).map(|row| comparison.row_step(row).name.clone()).collect();
    let runs = comparison.rows[first].steps.len();
    let cells = (0..runs)
        .map(|run| {
            // One iteration per `period` rows; a run took it when it has any of its steps.
            let iterations: Vec<u64> = rows
                .clone()
                .step_by(period)
                .filter_map(|start| {
                    let steps: Vec<&Step> = (start..start + period).filter_map(|row| comparison.step(row, run)).collect();
                    (!steps.is_empty()).then(|| steps.iter().filter_map(|step| step.duration_ns).sum())
                })
                .collect();
            let total: u64 = iterations.iter().sum();
            let bars = strip_heights(&iterations, STRIP_BARS);
            let longest = bars.iter().copied().max().unwrap_or(0).max(1);
            view! {
                <span class="run-cell" role="cell">
                    <span>{format!("{} of {count} · {}", iterations.len(), format::duration_ns(total))}</span>
                    <span class="iteration-strip" aria-hidden="true">
                        {bars.iter().map(|duration| view! {
                            <i style:height=format!("{:.0}%", *duration as f64 * 100.0 / longest as f64)></i>
                        }).collect_view()}
                    </span>
                </span>
            }
        })
        .collect_view();
    view! {
        <div class="compare-line loop-line" role="row" data-loop=first style:top=state.window.top(position)>
            <span class="step-number" role="cell">
                <button class="fold" aria-expanded=open.to_string() aria-label="Show or fold the iterations" on:click=move |_| state.toggle_loop(first)>
                    {if open { "▾" } else { "▸" }}
                </button>
            </span>
            <span class="step-name" role="cell">
                <strong class="loop-count">{format!("× {count} iterations")}</strong>
                <span class="step-title">{names.join(" → ")}</span>
            </span>
            {cells}
        </div>
    }
}
