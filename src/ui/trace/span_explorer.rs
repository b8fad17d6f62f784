//! A trace's spans: the hierarchy with a timeline bar per span against a time axis (rows windowed, so a
//! trace of any size keeps a bounded DOM), a minimap to zoom the timeline, the critical path on demand,
//! folding per span, per level and all, filters by span type and errors, search within the trace, and the
//! selected span's panel. The selected span and the search are in the URL (`span_id`, `search`).

use crate::axis::time_ticks;
use crate::format;
use crate::model::span_search::matching_spans;
use crate::model::{Span, SpanTree, Trace};
use crate::ui::navigation::Navigator;
use crate::ui::trace::assessments_pane::TraceAssessments;
use crate::ui::trace::minimap::{Minimap, TimeWindow};
use crate::ui::trace::span_panel::{PanelTab, SpanPanel};
use crate::ui::widgets::windowing::Windowing;
use leptos::html;
use leptos::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Every span row is this tall (px); the stylesheet reads it as `--span-row-height`.
const ROW_HEIGHT: f64 = 30.0;
const OVERSCAN: usize = 20;
/// The "levels" choices offered for folding.
const LEVEL_CHOICES: [u32; 5] = [1, 2, 3, 4, 5];

/// Rows indent one step (`--tree-indent`, narrower on phones) per level down to this depth and no further, so
/// a row 40 levels deep still shows its type and name; deeper rows show their depth as a number instead.
const INDENTED_LEVELS: u32 = 6;

/// The row's indentation, its guides drawn across the same width.
fn indent(depth: u32) -> String {
    format!("calc({} * var(--tree-indent))", depth.min(INDENTED_LEVELS))
}

#[component]
pub fn SpanExplorer(
    trace: Arc<Trace>,
    /// The search box, so that `/` can focus it from anywhere on the page.
    search_input: NodeRef<html::Input>,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    if trace.spans.is_empty() {
        let message = if trace.spans_loaded { "This trace has no spans." } else { "The spans of this trace are not loaded." };
        return view! { <p class="empty">{message}</p> }.into_any();
    }
    let span_count = trace.spans.len();
    let tree = Arc::new(SpanTree::build(&trace.spans));
    let failed: Arc<Vec<bool>> = Arc::new(trace.spans.iter().map(Span::failed).collect());
    // Span types present, with how many spans each, for the filter.
    let mut type_counts: BTreeMap<String, usize> = BTreeMap::new();
    for span in &trace.spans {
        *type_counts.entry(span.span_type.as_str().to_string()).or_default() += 1;
    }
    let error_count = failed.iter().filter(|&&f| f).count();

    let folded = RwSignal::new(HashSet::<usize>::new());
    let type_filter = RwSignal::new(None::<String>);
    let errors_only = RwSignal::new(false);
    let filter = Memo::new({
        let (trace, tree, failed) = (trace.clone(), tree.clone(), failed.clone());
        move |_| {
            let wanted = type_filter.get();
            let errors = errors_only.get();
            if wanted.is_none() && !errors {
                return None;
            }
            let keep: Vec<bool> = trace
                .spans
                .iter()
                .zip(failed.iter())
                .map(|(span, &failed)| wanted.as_deref().is_none_or(|t| span.span_type.as_str() == t) && (!errors || failed))
                .collect();
            Some(tree.with_ancestors(&keep))
        }
    });
    let visible = Memo::new({
        let tree = tree.clone();
        move |_| folded.with(|folded| filter.with(|filter| tree.visible(folded, filter.as_deref())))
    });

    // The selection: the span named in the URL, else the first root.
    let location = navigator.location();
    let named = location.span_id.and_then(|id| trace.spans.iter().position(|span| span.span_id == id));
    let initial = named.unwrap_or(tree.roots[0]);
    let selected = RwSignal::new(initial);
    let tab = RwSignal::new(PanelTab::Chat);
    let span_ids = StoredValue::new(trace.spans.iter().map(|span| span.span_id.clone()).collect::<Vec<_>>());
    // How many valid assessments each assessed span has: marked in the tree.
    let assessment_list = use_context::<TraceAssessments>().map(|store| store.list);
    let assessed = Memo::new(move |_| {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        if let Some(list) = assessment_list {
            list.with(|list| {
                for on in list.iter().filter(|a| a.valid).filter_map(|a| a.span_id.as_ref()) {
                    if let Some(index) = span_ids.with_value(|ids| ids.iter().position(|id| id == on)) {
                        *counts.entry(index).or_default() += 1;
                    }
                }
            })
        }
        counts
    });
    let window = Windowing::new(ROW_HEIGHT, OVERSCAN, move || visible.with(Vec::len));
    let range = window.range;
    // Scrolls a span's row into view, if it is shown (`margin` rows above it when scrolling up).
    let scroll_to = move |index: usize, margin: usize| {
        if let Some(position) = visible.with_untracked(|v| v.iter().position(|&i| i == index)) {
            window.scroll_into_view(position, margin);
        }
    };
    let select = move |index: usize| {
        selected.set(index);
        let mut next = navigator.location();
        next.span_id = span_ids.with_value(|ids| ids.get(index).cloned());
        navigator.replace(next);
    };
    // Selects a span, unfolding its ancestors and clearing filters that hide it, and scrolls to it.
    let reveal = {
        let tree = tree.clone();
        move |index: usize| {
            if filter.with_untracked(|f| f.as_ref().is_some_and(|shown| !shown[index])) {
                type_filter.set(None);
                errors_only.set(false);
            }
            let mut parent = tree.parent[index];
            folded.update(|folded| {
                while let Some(p) = parent {
                    folded.remove(&p);
                    parent = tree.parent[p];
                }
            });
            select(index);
            scroll_to(index, 3);
        }
    };
    // Bring a span selected by the URL into view once the rows are there (the first root is in view).
    Effect::new(move |_| {
        if let (Some(_), Some(named)) = (window.scroller.get(), named) {
            scroll_to(named, 3);
        }
    });

    // Search within the trace, with the term in the URL.
    let search = RwSignal::new(location.search.unwrap_or_default());
    let matches = Memo::new({
        let trace = trace.clone();
        move |_| search.with(|term| matching_spans(&trace.spans, term))
    });
    let is_match = Memo::new(move |_| {
        let mut flags = vec![false; span_count];
        matches.with(|m| m.iter().for_each(|&i| flags[i] = true));
        flags
    });
    let current_match = RwSignal::new(None::<usize>);
    let step = {
        let reveal = reveal.clone();
        move |forward: bool| {
            let count = matches.with_untracked(Vec::len);
            if count == 0 {
                return;
            }
            let next = match current_match.get_untracked() {
                None if forward => 0,
                None => count - 1,
                Some(at) if forward => (at + 1) % count,
                Some(at) => (at + count - 1) % count,
            };
            current_match.set(Some(next));
            reveal(matches.with_untracked(|m| m[next]));
        }
    };
    let on_search_input = move |event: leptos::ev::Event| {
        let term = event_target_value(&event);
        current_match.set(None);
        search.set(term.clone());
        let mut next = navigator.location();
        next.search = Some(term).filter(|t| !t.trim().is_empty());
        navigator.replace(next);
    };
    let on_search_key = {
        let step = step.clone();
        move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                event.prevent_default();
                step(!event.shift_key());
            }
            "Escape" => {
                event.stop_propagation();
                if let Some(input) = search_input.get_untracked() {
                    let _ = input.blur();
                }
            }
            _ => {}
        }
    };

    // The timeline's extent: from the first start to the last end (running spans reach the last known time),
    // and the window of it shown (all, or what was zoomed into on the minimap).
    let start = trace.spans.iter().map(|span| span.start_ns).min().unwrap_or(0);
    let end = trace.spans.iter().map(|span| span.end_ns.unwrap_or(span.start_ns)).max().unwrap_or(start).max(start + 1);
    let zoom = RwSignal::new(None::<TimeWindow>);
    let shown_window = Memo::new(move |_| zoom.get().unwrap_or(TimeWindow { start, end }));
    let show_critical = RwSignal::new(false);
    let critical = Memo::new({
        let (trace, tree) = (trace.clone(), tree.clone());
        move |_| show_critical.get().then(|| tree.critical_path(&trace.spans))
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
                scroll_to(index, 0);
            }
        }
    };

    let fold_to_level = {
        let tree = tree.clone();
        move |levels: Option<u32>| {
            folded.set(match levels {
                None => HashSet::new(),
                Some(levels) => (0..span_count).filter(|&i| tree.depth[i] + 1 >= levels && !tree.children[i].is_empty()).collect(),
            });
        }
    };

    let rows = {
        let (trace, tree, failed) = (trace.clone(), tree.clone(), failed.clone());
        move || {
            let range = range.get();
            let TimeWindow { start: view_start, end: view_end } = shown_window.get();
            let extent = view_end.saturating_sub(view_start).max(1) as f64;
            visible.with(|visible| {
                visible[range.clone()]
                    .iter()
                    .zip(range.clone())
                    .map(|(&index, position)| {
                        let span = &trace.spans[index];
                        let has_children = !tree.children[index].is_empty();
                        let failed = failed[index];
                        let span_end = span.end_ns.unwrap_or(end);
                        let left = (span.start_ns.max(view_start) as f64 - view_start as f64) / extent * 100.0;
                        let right = (span_end.min(view_end) as f64 - view_start as f64) / extent * 100.0;
                        let outside = span_end < view_start || span.start_ns > view_end;
                        let width = (right - left).max(0.15);
                        let kind = span.span_type.as_str().to_string();
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
                                data-depth=tree.depth[index].to_string()
                                aria-selected=move || (selected.get() == index).to_string()
                                aria-expanded=has_children.then_some(move || (!folded.with(|f| f.contains(&index))).to_string())
                                data-span-id=span.span_id.clone()
                                style:top=window.top(position)
                                on:click=move |_| select(index)
                            >
                                <span class="span-label" style:padding-left=format!("calc(0.3rem + {})", indent(tree.depth[index])) style:background-size=format!("{} 100%", indent(tree.depth[index]))>
                                    {has_children.then(|| view! {
                                        <button class="fold" aria-label="Fold or unfold" on:click=move |event| {
                                            event.stop_propagation();
                                            folded.update(|f| if !f.remove(&index) { f.insert(index); });
                                        }>{move || if folded.with(|f| f.contains(&index)) { "▸" } else { "▾" }}</button>
                                    })}
                                    {(tree.depth[index] > INDENTED_LEVELS).then(|| view! {
                                        <span class="span-depth" title=format!("Depth {}", tree.depth[index])>{tree.depth[index]}</span>
                                    })}
                                    <span class=format!("span-type type-{}", span.span_type.class_name())>{kind.clone()}</span>
                                    <span class="span-name" title=span.name.clone()>{span.name.clone()}</span>
                                    {failed.then(|| view! { <span class="badge badge-error">"error"</span> })}
                                    {move || assessed.with(|counts| counts.get(&index).copied()).map(|count| view! {
                                        <span class="badge badge-assessed" title=format!("{count} assessment(s) on this span")>{format!("✓ {count}")}</span>
                                    })}
                                    {span.end_ns.is_none().then(|| view! { <span class="badge badge-running">"running"</span> })}
                                    {tree.orphan[index].then(|| view! { <span class="badge" title="Its parent span is not in this trace">"orphan"</span> })}
                                </span>
                                <span class="span-timeline">
                                    {(!outside).then(|| view! {
                                        <span class=format!("span-bar type-bar-{}", span.span_type.class_name()) style:left=format!("{left:.3}%") style:width=format!("{width:.3}%")></span>
                                    })}
                                    <span class="span-duration">{span.duration_ns().map(format::duration_ns).unwrap_or_else(|| "running".into())}</span>
                                </span>
                            </div>
                        }
                    })
                    .collect_view()
            })
        }
    };

    let axis = move || {
        let TimeWindow { start: view_start, end: view_end } = shown_window.get();
        time_ticks(view_start - start, view_end - view_start)
            .into_iter()
            .map(|tick| {
                view! {
                    <span class=format!("axis-tick {}", tick.place) style:left=format!("{:.2}%", tick.percent)>{tick.label}</span>
                }
            })
            .collect_view()
    };

    let panel = {
        let trace = trace.clone();
        let follow_link = Callback::new(reveal.clone());
        move || {
            let index = selected.get();
            view! { <SpanPanel trace=trace.clone() span_index=index tab=tab on_select=follow_link /> }
        }
    };

    let step_back = step.clone();
    let fold_all = fold_to_level.clone();
    let expand_all = fold_to_level.clone();
    view! {
        <section class="span-explorer">
            <div class="span-pane">
                <div class="span-toolbar">
                    <div class="span-search">
                        <input
                            node_ref=search_input
                            class="search-input"
                            type="search"
                            placeholder="Search spans (names, inputs, outputs, attributes, events)"
                            aria-label="Search within the trace"
                            prop:value=move || search.get()
                            on:input=on_search_input
                            on:keydown=on_search_key
                        />
                        <span class="match-count muted" role="status">
                            {move || {
                                let count = matches.with(Vec::len);
                                match (search.with(|s| s.trim().is_empty()), current_match.get()) {
                                    (true, _) => String::new(),
                                    (false, _) if count == 0 => "No match".into(),
                                    (false, Some(at)) => format!("{} of {count}", at + 1),
                                    (false, None) => format!("{count} {}", if count == 1 { "match" } else { "matches" }),
                                }
                            }}
                        </span>
                        <button class="button small" title="Previous match (Shift+Enter)" aria-label="Previous match" on:click=move |_| step_back(false)>"↑"</button>
                        <button class="button small" title="Next match (Enter)" aria-label="Next match" on:click=move |_| step(true)>"↓"</button>
                    </div>
                    <div class="span-filters">
                        <select class="select small" aria-label="Span type" on:change=move |event| {
                            let value = event_target_value(&event);
                            type_filter.set((!value.is_empty()).then_some(value));
                        }>
                            <option value="">{format!("All types ({span_count})")}</option>
                            {type_counts.into_iter().map(|(kind, count)| {
                                let value = kind.clone();
                                view! { <option value=value>{format!("{kind} ({count})")}</option> }
                            }).collect_view()}
                        </select>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || errors_only.get() on:change=move |event| errors_only.set(event_target_checked(&event)) />
                            {format!("Errors only ({error_count})")}
                        </label>
                        <select class="select small" aria-label="Levels shown" on:change=move |event| {
                            fold_to_level(event_target_value(&event).parse().ok());
                        }>
                            <option value="">"All levels"</option>
                            {LEVEL_CHOICES.into_iter().map(|levels| view! {
                                <option value=levels.to_string()>{format!("{levels} level{}", if levels == 1 { "" } else { "s" })}</option>
                            }).collect_view()}
                        </select>
                        <button class="button small" on:click=move |_| expand_all(None)>"Expand all"</button>
                        <button class="button small" on:click=move |_| fold_all(Some(1))>"Collapse all"</button>
                        <button class="button small" aria-pressed=move || show_critical.get().to_string() on:click=move |_| show_critical.update(|on| *on = !*on)
                            title="Highlight the chain of spans that determined when the trace ended">"Critical path"</button>
                    </div>
                </div>
                <Minimap trace=trace.clone() order=tree.preorder() start=start end=end zoom=zoom />
                <div class="span-pane-head">
                    <span>{format!("Spans ({})", format::count(span_count as u64))}</span>
                    <span class="span-axis" aria-hidden="true">{axis}</span>
                </div>
                <div class="span-scroller" node_ref=window.scroller on:scroll=move |_| window.measure() on:keydown=on_key tabindex="0" role="tree" aria-label="Spans" style:--span-row-height=format!("{ROW_HEIGHT}px")>
                    <div class="span-rows" style:height=move || window.height(visible.with(Vec::len))>
                        {rows}
                    </div>
                    <Show when=move || visible.with(Vec::is_empty)>
                        <p class="empty">"No span matches these filters."</p>
                    </Show>
                </div>
            </div>
            <aside class="span-panel" aria-label="Selected span">{panel}</aside>
        </section>
    }
    .into_any()
}
