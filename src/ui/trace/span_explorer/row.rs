//! One span's row in the tree (its type, name, badges and fold button, indented by depth) with its bar on
//! the timeline; and the timeline's axis.

use super::state::ExplorerState;
use crate::axis::{bar_percent, time_ticks};
use crate::format;
use crate::model::loops::LoopView;
use crate::ui::trace::minimap::TimeWindow;
use leptos::prelude::*;

/// Rows indent one step (`--tree-indent`, narrower on phones) per level down to this depth and no further, so
/// a row 40 levels deep still shows its type and name; deeper rows show their depth as a number instead.
const INDENTED_LEVELS: u32 = 6;
/// A loop's strip has at most this many bars (a loop of 10,000 iterations must not add 10,000 elements).
const STRIP_BARS: usize = 60;

/// The row's indentation, its guides drawn across the same width.
fn indent(depth: u32) -> String {
    format!("calc({} * var(--tree-indent))", depth.min(INDENTED_LEVELS))
}

/// The row of span `index`, at `position` among the rows shown, its bar placed in `view`.
#[component]
pub fn SpanRow(state: ExplorerState, index: usize, position: usize, view: TimeWindow) -> impl IntoView {
    let ExplorerState { selected, folded, is_match, critical, assessed, .. } = state;
    // Only what the row shows is copied: a span's inputs and outputs can be megabytes.
    let (span_id, name, kind, type_class, start_ns, end_ns) = state.trace.with_value(|trace| {
        let span = &trace.spans[index];
        (
            span.span_id.clone(),
            span.name.clone(),
            span.span_type.as_str().to_string(),
            span.span_type.class_name(),
            span.start_ns,
            span.end_ns,
        )
    });
    let (depth, has_children, orphan) =
        state.tree.with_value(|tree| (tree.depth[index], !tree.children[index].is_empty(), tree.orphan[index]));
    let failed = state.failed.with_value(|failed| failed[index]);
    let bar = bar_percent(start_ns, end_ns.unwrap_or(state.extent.end), view.start, view.end);
    view! {
        <div
            class="span-row"
            class:selected=move || selected.get() == index
            class:failed=failed
            class:match=move || is_match.with(|m| m[index])
            class:critical=move || critical.with(|c| c.as_ref().is_some_and(|c| c[index]))
            class:off-path=move || critical.with(|c| c.as_ref().is_some_and(|c| !c[index]))
            role="treeitem"
            // (tachys has no aria-level attribute yet; the depth is exposed as data.)
            data-depth=depth.to_string()
            aria-selected=move || (selected.get() == index).to_string()
            aria-expanded=has_children.then_some(move || (!folded.with(|f| f.contains(&index))).to_string())
            data-span-id=span_id
            style:top=state.window.top(position)
            on:click=move |_| state.select(index)
        >
            <span class="span-label" style:padding-left=format!("calc(0.3rem + {})", indent(depth)) style:background-size=format!("{} 100%", indent(depth))>
                {has_children.then(|| view! {
                    <button class="fold" aria-label="Fold or unfold" on:click=move |event| {
                        event.stop_propagation();
                        state.toggle_fold(index);
                    }>{move || if folded.with(|f| f.contains(&index)) { "▸" } else { "▾" }}</button>
                })}
                {(depth > INDENTED_LEVELS).then(|| view! {
                    <span class="span-depth" title=format!("Depth {depth}")>{depth}</span>
                })}
                <span class=format!("span-type type-{type_class}")>{kind}</span>
                <span class="span-name" title=name.clone()>{name.clone()}</span>
                {failed.then(|| view! { <span class="badge badge-error">"error"</span> })}
                {move || assessed.with(|counts| counts.get(&index).copied()).map(|count| view! {
                    <span class="badge badge-assessed" title=format!("{count} assessment(s) on this span")>{format!("✓ {count}")}</span>
                })}
                {end_ns.is_none().then(|| view! { <span class="badge badge-running">"running"</span> })}
                {orphan.then(|| view! { <span class="badge" title="Its parent span is not in this trace">"orphan"</span> })}
            </span>
            <span class="span-timeline">
                {bar.map(|(left, width)| view! {
                    <span class=format!("span-bar type-bar-{type_class}") style:left=format!("{left:.3}%") style:width=format!("{width:.3}%")></span>
                })}
                <span class="span-duration">{end_ns.map(|end| format::duration_ns(end.saturating_sub(start_ns))).unwrap_or_else(|| "running".into())}</span>
            </span>
        </div>
    }
}

/// A loop folded into one row: "× N iterations" of its steps, a strip of its iterations' durations (the
/// ones that went differently from the first marked), and the ways to show them all or only those.
#[component]
pub fn LoopRow(state: ExplorerState, at: usize, position: usize) -> impl IntoView {
    // What the row shows, read in place (a loop can hold 10,000 iterations).
    let (parent, first, period, count, differing, bars) = state.loops.with_value(|loops| {
        let found = &loops[at];
        let differing = found.iterations.iter().filter(|iteration| iteration.differs).count();
        (found.parent, found.first, found.period, found.iterations.len(), differing, found.strip(STRIP_BARS))
    });
    let (depth, names) = state.trace.with_value(|trace| {
        state.tree.with_value(|tree| {
            let children = match parent {
                Some(parent) => &tree.children[parent],
                None => &tree.roots,
            };
            let steps = &children[first..first + period];
            (tree.depth[steps[0]], steps.iter().map(|&i| trace.spans[i].name.clone()).collect::<Vec<_>>().join(" → "))
        })
    });
    let longest = bars.iter().map(|bar| bar.duration_ns).max().unwrap_or(0).max(1);
    let strip = bars
        .iter()
        .map(|bar| {
            let which = match bar.iterations {
                1 => format!("Iteration {}", bar.first + 1),
                n => format!("Iterations {}–{}", bar.first + 1, bar.first + n),
            };
            let title = format!(
                "{which}: {}, {} tokens{}",
                format::duration_ns(bar.duration_ns),
                format::count(bar.tokens),
                if bar.failed { ", failed" } else { "" }
            );
            view! {
                <i class:differs=bar.differs class:failed=bar.failed title=title
                    style:height=format!("{:.0}%", bar.duration_ns as f64 * 100.0 / longest as f64)></i>
            }
        })
        .collect_view();
    let view_now = move || state.loop_view(at);
    view! {
        <div class="span-row loop-row" role="treeitem" data-loop=at style:top=state.window.top(position)
            aria-expanded=move || (view_now() != LoopView::Folded).to_string()>
            <span class="span-label" style:padding-left=format!("calc(0.3rem + {})", indent(depth)) style:background-size=format!("{} 100%", indent(depth))>
                <button class="fold" aria-label="Show or fold the iterations" on:click=move |event| {
                    event.stop_propagation();
                    state.show_loop(at, if view_now() == LoopView::Folded { LoopView::Open } else { LoopView::Folded });
                }>{move || if view_now() == LoopView::Folded { "▸" } else { "▾" }}</button>
                <strong class="loop-count">{format!("× {count} iterations")}</strong>
                <span class="span-name" title=names.clone()>{names.clone()}</span>
            </span>
            <span class="span-timeline">
                <span class="iteration-strip" aria-label=format!("{count} iterations")>{strip}</span>
                {(differing > 0).then(|| view! {
                    <button class="link-button small" aria-pressed=move || (view_now() == LoopView::OnlyDiffering).to_string() on:click=move |event| {
                        event.stop_propagation();
                        state.show_loop(at, if view_now() == LoopView::OnlyDiffering { LoopView::Open } else { LoopView::OnlyDiffering });
                    } aria-label=format!("only iterations that differ ({differing})")>
                        "only "<span class="wide-only">"iterations that "</span>{format!("differ ({differing})")}
                    </button>
                })}
            </span>
        </div>
    }
}

/// Round times since the trace's start across the part of the timeline shown.
#[component]
pub fn TimeAxis(state: ExplorerState) -> impl IntoView {
    let start = state.extent.start;
    move || {
        let TimeWindow { start: view_start, end: view_end } = state.shown_window();
        time_ticks(view_start - start, view_end - view_start)
            .into_iter()
            .map(|tick| {
                view! {
                    <span class=format!("axis-tick {}", tick.place) style:left=format!("{:.2}%", tick.percent)>{tick.label}</span>
                }
            })
            .collect_view()
    }
}
