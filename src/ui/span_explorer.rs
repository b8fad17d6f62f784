//! A trace's spans: the hierarchy with a timeline bar per span (rows windowed, so a trace of any size keeps
//! a bounded DOM), folding per span, and the selected span's panel. The selected span is in the URL
//! (`span_id`), so a link reopens it.

use super::shell::Navigator;
use super::span_panel::{PanelTab, SpanPanel};
use super::windowing::Windowing;
use crate::format;
use crate::model::{SpanTree, StatusCode, Trace};
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

const ROW_HEIGHT: f64 = 30.0;
const OVERSCAN: usize = 20;

#[component]
pub fn SpanExplorer(trace: Arc<Trace>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    if trace.spans.is_empty() {
        let message = if trace.spans_loaded { "This trace has no spans." } else { "The spans of this trace are not loaded." };
        return view! { <p class="empty">{message}</p> }.into_any();
    }
    let tree = Arc::new(SpanTree::build(&trace.spans));
    let folded = RwSignal::new(HashSet::<usize>::new());
    let visible = Memo::new({
        let tree = tree.clone();
        move |_| folded.with(|folded| tree.visible(folded))
    });

    // The selection: the span named in the URL, else the first root.
    let wanted = navigator.location().span_id;
    let initial = wanted.and_then(|id| trace.spans.iter().position(|span| span.span_id == id)).unwrap_or(tree.roots[0]);
    let selected = RwSignal::new(initial);
    let tab = RwSignal::new(PanelTab::Chat);
    let span_ids = StoredValue::new(trace.spans.iter().map(|span| span.span_id.clone()).collect::<Vec<_>>());
    let select = move |index: usize| {
        selected.set(index);
        let mut next = navigator.location();
        next.span_id = span_ids.with_value(|ids| ids.get(index).cloned());
        navigator.replace(next);
    };

    // The timeline's extent: from the first start to the last end (running spans reach the last known time).
    let start = trace.spans.iter().map(|span| span.start_ns).min().unwrap_or(0);
    let end = trace.spans.iter().map(|span| span.end_ns.unwrap_or(span.start_ns)).max().unwrap_or(start).max(start + 1);
    let extent = (end - start) as f64;

    let window = Windowing::new(ROW_HEIGHT, OVERSCAN, move || visible.with(Vec::len));
    let range = window.range;
    // Bring a span selected by the URL into view once the rows are there.
    Effect::new(move |_| {
        if window.scroller.get().is_some() {
            if let Some(position) = visible.with_untracked(|v| v.iter().position(|&i| i == initial)) {
                window.scroll_into_view(position, 3);
            }
        }
    });

    // Keys: ↑/↓ move the selection, ← folds (or goes to the parent), → unfolds; the selection stays in view.
    let on_key = {
        let tree = tree.clone();
        move |event: leptos::ev::KeyboardEvent| {
            let current = selected.get_untracked();
            let position = visible.with_untracked(|v| v.iter().position(|&i| i == current));
            let next = match (event.key().as_str(), position) {
                ("ArrowDown", Some(p)) => visible.with_untracked(|v| v.get(p + 1).copied()),
                ("ArrowUp", Some(p)) if p > 0 => visible.with_untracked(|v| v.get(p - 1).copied()),
                ("ArrowLeft", _) if !tree.children[current].is_empty() && !folded.with_untracked(|f| f.contains(&current)) => {
                    folded.update(|f| {
                        f.insert(current);
                    });
                    None
                }
                ("ArrowLeft", _) => tree.parent[current],
                ("ArrowRight", _) => {
                    folded.update(|f| {
                        f.remove(&current);
                    });
                    None
                }
                _ => return,
            };
            event.prevent_default();
            if let Some(index) = next {
                select(index);
                if let Some(position) = visible.with_untracked(|v| v.iter().position(|&i| i == index)) {
                    window.scroll_into_view(position, 0);
                }
            }
        }
    };

    let rows = {
        let (trace, tree) = (trace.clone(), tree.clone());
        move || {
            let range = range.get();
            visible.with(|visible| {
                visible[range.clone()]
                    .iter()
                    .zip(range.clone())
                    .map(|(&index, position)| {
                        let span = &trace.spans[index];
                        let has_children = !tree.children[index].is_empty();
                        let failed = span.status.code == StatusCode::Error || span.events.iter().any(|e| e.name == "exception");
                        let left = (span.start_ns - start) as f64 / extent * 100.0;
                        let width = span.duration_ns().map_or(100.0 - left, |d| d as f64 / extent * 100.0).max(0.15);
                        let kind = span.span_type.as_str().to_string();
                        view! {
                            <div
                                class="span-row"
                                class:selected=move || selected.get() == index
                                class:failed=failed
                                role="treeitem"
                                // (tachys has no aria-level attribute yet; the depth is exposed as data.)
                                data-depth=tree.depth[index].to_string()
                                aria-selected=move || (selected.get() == index).to_string()
                                aria-expanded=has_children.then_some(move || (!folded.with(|f| f.contains(&index))).to_string())
                                data-span-id=span.span_id.clone()
                                style:top=window.top(position)
                                on:click=move |_| select(index)
                            >
                                <span class="span-label" style:padding-left=format!("{}rem", 0.3 + tree.depth[index] as f32 * 1.1)>
                                    {has_children.then(|| view! {
                                        <button class="fold" aria-label="Fold or unfold" on:click=move |event| {
                                            event.stop_propagation();
                                            folded.update(|f| if !f.remove(&index) { f.insert(index); });
                                        }>{move || if folded.with(|f| f.contains(&index)) { "▸" } else { "▾" }}</button>
                                    })}
                                    <span class=format!("span-type type-{}", kind.to_ascii_lowercase())>{kind.clone()}</span>
                                    <span class="span-name" title=span.name.clone()>{span.name.clone()}</span>
                                    {failed.then(|| view! { <span class="badge badge-error">"error"</span> })}
                                    {tree.orphan[index].then(|| view! { <span class="badge" title="Its parent span is not in this trace">"orphan"</span> })}
                                </span>
                                <span class="span-timeline">
                                    <span class=format!("span-bar type-bar-{}", kind.to_ascii_lowercase()) style:left=format!("{left:.3}%") style:width=format!("{width:.3}%")></span>
                                    <span class="span-duration">{span.duration_ns().map(format::duration_ns).unwrap_or_else(|| "running".into())}</span>
                                </span>
                            </div>
                        }
                    })
                    .collect_view()
            })
        }
    };

    let panel = {
        let trace = trace.clone();
        move || {
            let index = selected.get();
            view! { <SpanPanel trace=trace.clone() span_index=index tab=tab /> }
        }
    };

    view! {
        <section class="span-explorer">
            <div class="span-pane">
                <div class="span-pane-head">
                    <span>{format!("Spans ({})", format::count(trace.spans.len() as u64))}</span>
                    <span class="muted">{format!("0 – {}", format::duration_ns(end - start))}</span>
                </div>
                <div class="span-scroller" node_ref=window.scroller on:scroll=move |_| window.measure() on:keydown=on_key tabindex="0" role="tree" aria-label="Spans">
                    <div class="span-rows" style:height=move || window.height(visible.with(Vec::len))>
                        {rows}
                    </div>
                </div>
            </div>
            <aside class="span-panel" aria-label="Selected span">{panel}</aside>
        </section>
    }
    .into_any()
}
