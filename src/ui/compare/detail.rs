//! The selected step in every run: its messages (a model call's, one by one) or its inputs and outputs, and
//! its error; each later run's diffed line by line against the first run's.

use super::state::CompareState;
use crate::format;
use crate::model::compare::step_sections;
use crate::model::text_diff::{diff_lines, Change};
use leptos::prelude::*;

#[component]
pub fn StepDetail(state: CompareState) -> impl IntoView {
    move || {
        let row = state.selected.get()?;
        let comparison = state.comparison.get_value();
        let traces = state.traces.get_value();
        let sections: Vec<Option<Vec<(String, String)>>> =
            (0..traces.len()).map(|run| comparison.step(row, run).map(|step| step_sections(&traces[run].spans[step.span]))).collect();
        let base = sections[0].clone();
        let columns = sections
            .into_iter()
            .enumerate()
            .map(|(run, sections)| {
                let heading = match comparison.step(row, run) {
                    Some(step) => {
                        format!("Run {}: {} ({})", run + 1, step.name, step.duration_ns.map(format::duration_ns).unwrap_or_default())
                    }
                    None => format!("Run {}: not run", run + 1),
                };
                let body = sections.map(|sections| {
                    sections
                        .into_iter()
                        .map(|(title, text)| {
                            let against = base.as_ref().filter(|_| run > 0).map(|base| {
                                base.iter().find(|(other, _)| *other == title).map(|(_, text)| text.clone()).unwrap_or_default()
                            });
                            view! { <DiffedSection title=title text=text against=against /> }
                        })
                        .collect_view()
                });
                view! {
                    <div class="compare-run-detail" data-run=run>
                        <h4>{heading}</h4>
                        {body}
                    </div>
                }
            })
            .collect_view();
        Some(view! {
            <section class="compare-detail" aria-label=format!("Step {} in each run", row + 1)>
                <h3>{format!("Step {}", row + 1)}</h3>
                <div class="compare-detail-runs" style:--runs=traces.len().to_string()>{columns}</div>
            </section>
        })
    }
}

/// A titled text; against the first run's text of the same title, its lines marked as added or removed.
#[component]
fn DiffedSection(title: String, text: String, against: Option<String>) -> impl IntoView {
    let lines = match against {
        Some(base) => diff_lines(&base, &text),
        None => text.lines().map(|line| (Change::Same, line.to_string())).collect(),
    };
    let changed = lines.iter().any(|(change, _)| *change != Change::Same);
    view! {
        <div class="diff-section" class:changed=changed>
            <h5>{title}{changed.then_some(" (differs)")}</h5>
            <pre class="diff">
                {lines.into_iter().map(|(change, line)| {
                    let (class, mark) = match change {
                        Change::Same => ("same", "  "),
                        Change::Removed => ("removed", "− "),
                        Change::Added => ("added", "+ "),
                    };
                    view! { <span class=class>{mark}{line}"\n"</span> }
                }).collect_view()}
            </pre>
        </div>
    }
}
