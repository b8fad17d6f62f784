//! One span's row in the tree (its type, name, badges and fold button, indented by depth) with its bar on
//! the timeline; and the timeline's axis.

use super::state::ExplorerState;
use crate::axis::{bar_percent, time_ticks};
use crate::format;
use crate::ui::trace::minimap::TimeWindow;
use leptos::prelude::*;

/// Rows indent one step (`--tree-indent`, narrower on phones) per level down to this depth and no further, so
/// a row 40 levels deep still shows its type and name; deeper rows show their depth as a number instead.
const INDENTED_LEVELS: u32 = 6;

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
