//! The table's grid: the header (sort, resize, select all) and the rows, windowed so that ten thousand
//! traces keep about a hundred rows in the DOM; grouped by session when asked.

use super::columns::Column;
use super::file_search::same_traces;
use super::paging::ServerPages;
use super::preferences::ColumnPreferences;
use super::search::TableSearch;
use super::selection::Selection;
use crate::format;
use crate::model::sessions::{group_by_session, SessionGroup};
use crate::model::Trace;
use crate::query::OrderBy;
use crate::ui::browser::time::local_time;
use crate::ui::navigation::Navigator;
use crate::ui::widgets::windowing::Windowing;
use leptos::ev;
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// Every row has this height (px), so the visible range follows from the scroll position alone; the
/// stylesheet reads it as `--row-height`.
const ROW_HEIGHT: f64 = 40.0;
/// Rows rendered above and below the viewport, so fast scrolling does not show blanks.
const OVERSCAN: usize = 15;
/// A server page is requested when the user scrolls within this many rows of the end.
const LOAD_AHEAD_ROWS: usize = 60;

#[component]
pub fn TableGrid(
    /// The shown rows, in order.
    rows: Memo<Vec<Arc<Trace>>>,
    search: TableSearch,
    by_session: RwSignal<bool>,
    preferences: RwSignal<ColumnPreferences>,
    selected: RwSignal<Selection>,
    /// A server's further pages, asked for as the user scrolls near the end.
    pages: Option<ServerPages>,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let expanded = RwSignal::new(HashSet::<Option<String>>::new());
    let lines = Memo::new_with_compare(move |_| table_lines(&rows.get(), by_session.get(), &expanded.get()), |_, _| true);
    let window = Windowing::new(ROW_HEIGHT, OVERSCAN, move || lines.with(Vec::len));
    let visible_range = window.range;
    if let Some(pages) = pages {
        pages.follow_scrolling(move || lines.with(Vec::len).saturating_sub(visible_range.get().end), LOAD_AHEAD_ROWS);
    }
    let toggle_row =
        move |trace_id: String, shift: bool| rows.with_untracked(|rows| selected.update(|s| s.click(trace_ids(rows), &trace_id, shift)));
    let all_selected = move || rows.with(|rows| selected.with(|s| s.has_all(trace_ids(rows))));
    let toggle_all = move |_| rows.with_untracked(|rows| selected.update(|s| s.toggle_all(trace_ids(rows))));
    let open_trace = move |trace_id: String| {
        let mut next = navigator.location();
        next.trace_id = Some(trace_id);
        next.span_id = None;
        next.search = None;
        navigator.go(next);
    };
    let draft = search.draft;
    view! {
        <div
            class="table-scroller"
            node_ref=window.scroller
            on:scroll=move |_| window.measure()
            style:--table-columns=move || preferences.with(ColumnPreferences::grid_template)
            style:--row-height=format!("{ROW_HEIGHT}px")
            role="table"
            aria-rowcount=move || rows.with(Vec::len).to_string()
        >
            <div class="table-row table-head" role="row">
                <span class="cell select-cell" role="columnheader">
                    <input type="checkbox" aria-label="Select all loaded traces" prop:checked=all_selected on:change=toggle_all />
                </span>
                <For each=move || preferences.with(|p| p.shown.clone()) key=|column| *column let:column>
                    <HeaderCell column=column order=search.order preferences=preferences on_sort=Callback::new(move |_| search.sort_by(column)) />
                </For>
            </div>
            <div class="table-body" role="rowgroup" style:height=move || window.height(lines.with(Vec::len))>
                // The visible rows, in order, moved down to where they are: a line keeps its row while it
                // stays in view (a keystroke that keeps it, a scroll), and only the others are built.
                <div class="table-window" style:transform=move || format!("translateY({})", window.top(visible_range.get().start))>
                    <For
                        each=move || {
                            let range = visible_range.get();
                            lines.with(|lines| lines[range].to_vec())
                        }
                        key=Line::clone
                        let:line
                    >
                        {match line {
                            Line::Session(group) => view! {
                                <SessionRow group=group expanded=expanded />
                            }.into_any(),
                            Line::Trace(trace, nested) => view! {
                                <TraceRow
                                    trace=trace
                                    nested=nested
                                    preferences=preferences
                                    selected=selected
                                    on_toggle=Callback::new(move |(trace_id, shift)| toggle_row(trace_id, shift))
                                    on_open=Callback::new(open_trace)
                                />
                            }.into_any(),
                        }}
                    </For>
                </div>
            </div>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="empty">{move || if draft.with(|d| d.trim().is_empty()) { "No traces here yet." } else { "No traces match this search." }}</p>
            </Show>
        </div>
    }
}

/// The table's lines: a line per trace, or grouped by session, one line per session with its traces below
/// it when expanded.
fn table_lines(rows: &[Arc<Trace>], by_session: bool, expanded: &HashSet<Option<String>>) -> Vec<Line> {
    if !by_session {
        return rows.iter().map(|trace| Line::Trace(trace.clone(), false)).collect();
    }
    let mut lines = Vec::new();
    for group in group_by_session(rows) {
        let traces = if expanded.contains(&group.session_id) { group.traces.clone() } else { Vec::new() };
        lines.push(Line::Session(Arc::new(group)));
        lines.extend(traces.into_iter().map(|trace| Line::Trace(trace, true)));
    }
    lines
}

#[component]
fn HeaderCell(column: Column, order: RwSignal<OrderBy>, preferences: RwSignal<ColumnPreferences>, on_sort: Callback<()>) -> impl IntoView {
    let sorted = move || {
        let current = order.get();
        let key = column.order_key().and_then(|key| OrderBy::parse(key).ok())?.key;
        (key == current.key).then_some(if current.descending { "descending" } else { "ascending" })
    };
    let arrow = move || match sorted() {
        Some("descending") => " ↓",
        Some(_) => " ↑",
        None => "",
    };
    // Drag the right edge to resize; pointer capture keeps the drag on the handle.
    let drag_start = StoredValue::new(None::<(i32, u32)>);
    view! {
        <span class="cell head-cell" class:numeric=column.numeric() role="columnheader" aria-sort=move || sorted().unwrap_or("none")>
            {match column.order_key() {
                Some(_) => view! { <button class="sort-button" on:click=move |_| on_sort.run(())>{column.label()}{arrow}</button> }.into_any(),
                None => view! { <span>{column.label()}</span> }.into_any(),
            }}
            <span
                class="resize-handle"
                title="Drag to resize"
                on:pointerdown=move |event: ev::PointerEvent| {
                    event.prevent_default();
                    if let Some(target) = event.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                        let _ = target.set_pointer_capture(event.pointer_id());
                    }
                    drag_start.set_value(Some((event.client_x(), preferences.with_untracked(|p| p.width(column)))));
                }
                on:pointermove=move |event: ev::PointerEvent| {
                    if let Some((start_x, start_width)) = drag_start.get_value() {
                        let width = (start_width as i32 + event.client_x() - start_x).max(0) as u32;
                        preferences.update(|p| p.set_width(column, width));
                    }
                }
                on:pointerup=move |_| drag_start.set_value(None)
            ></span>
        </span>
    }
}

#[component]
fn TraceRow(
    trace: Arc<Trace>,
    /// Shown under its session.
    nested: bool,
    preferences: RwSignal<ColumnPreferences>,
    selected: RwSignal<Selection>,
    /// The trace's id, and whether shift was held.
    on_toggle: Callback<(String, bool)>,
    on_open: Callback<String>,
) -> impl IntoView {
    let trace_id = trace.info.trace_id.clone();
    let is_selected = {
        let trace_id = trace_id.clone();
        move || selected.with(|s| s.contains(&trace_id))
    };
    let row_selected = is_selected.clone();
    let cells = move || {
        preferences.with(|p| p.shown.clone()).into_iter().map(|column| {
            let content = column.cell(&trace);
            let opens = matches!(column, Column::TraceId | Column::TraceName | Column::Request);
            let id = trace.info.trace_id.clone();
            let body = if opens {
                view! {
                    <button class="open-trace" title=format!("Open {}", column.text(&trace)) on:click=move |_| on_open.run(id.clone())>{content}</button>
                }.into_any()
            } else {
                content
            };
            let copy = (column == Column::TraceId).then(|| {
                let id = trace.info.trace_id.clone();
                view! {
                    <button class="copy-button" title="Copy trace ID" aria-label="Copy trace ID" on:click=move |_| copy_text(&id)>
                        <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
                            <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5" />
                            <path d="M11 3.5V3a1.5 1.5 0 0 0-1.5-1.5H3A1.5 1.5 0 0 0 1.5 3v6.5A1.5 1.5 0 0 0 3 11h.5" fill="none" stroke="currentColor" stroke-width="1.5" />
                        </svg>
                    </button>
                }
            });
            view! { <span class="cell" class:numeric=column.numeric() class:mono=column == Column::TraceId role="cell" data-column=column.id()>{body}{copy}</span> }
        }).collect_view()
    };
    view! {
        <div
            class="table-row trace-row"
            class:selected=row_selected
            class:nested=nested
            role="row"
            data-trace-id=trace_id.clone()
        >
            <span class="cell select-cell" role="cell">
                <input
                    type="checkbox"
                    aria-label=format!("Select {trace_id}")
                    prop:checked=is_selected
                    on:click={
                        let trace_id = trace_id.clone();
                        move |event: ev::MouseEvent| on_toggle.run((trace_id.clone(), event.shift_key()))
                    }
                />
            </span>
            {cells}
        </div>
    }
}

/// One line of the table: a trace (nested under its session or not), or a session's summary.
#[derive(Clone)]
enum Line {
    Session(Arc<SessionGroup>),
    Trace(Arc<Trace>, bool),
}

/// A line is its row's key. Traces are shared and never changed in place (an edit makes a new one), so the
/// same `Arc` means the same content: a kept row never shows stale cells, and the key holds its `Arc`, so no
/// new one can reuse the address while the row is there. A session's summary is computed anew with the
/// lines, so it is the same when it holds the same traces: its row is kept, open or closed (the toggle keeps
/// the keyboard's focus).
impl PartialEq for Line {
    fn eq(&self, other: &Line) -> bool {
        match (self, other) {
            (Line::Session(a), Line::Session(b)) => a.session_id == b.session_id && same_traces(&a.traces, &b.traces),
            (Line::Trace(a, a_nested), Line::Trace(b, b_nested)) => Arc::ptr_eq(a, b) && a_nested == b_nested,
            _ => false,
        }
    }
}

impl Eq for Line {}

impl std::hash::Hash for Line {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Line::Session(group) => group.session_id.hash(state),
            Line::Trace(trace, nested) => (Arc::as_ptr(trace), nested).hash(state),
        }
    }
}

#[component]
fn SessionRow(group: Arc<SessionGroup>, expanded: RwSignal<HashSet<Option<String>>>) -> impl IntoView {
    let session = group.session_id.clone();
    let open = {
        let session = session.clone();
        Memo::new(move |_| expanded.with(|open| open.contains(&session)))
    };
    let name = group.session_id.clone().unwrap_or_else(|| "No session".into());
    let span = match (group.first_request_ns, group.last_end_ns) {
        (Some(first), Some(last)) => format!("{} – {}", local_time(first), local_time(last)),
        _ => String::new(),
    };
    let mut states = vec![format!("{} OK", group.ok)];
    if group.errors > 0 {
        states.push(format!("{} ERROR", group.errors));
    }
    if group.in_progress > 0 {
        states.push(format!("{} running", group.in_progress));
    }
    let turns = group.traces.len();
    view! {
        <div class="table-row session-row" class:has-errors={group.errors > 0} role="row" data-session=name.clone()>
            <span class="cell select-cell" role="cell">
                <button
                    class="icon-button"
                    aria-expanded=move || open.get().to_string()
                    aria-label=format!("Show the traces of {name}")
                    on:click=move |_| expanded.update(|open| if !open.remove(&session) { open.insert(session.clone()); })
                >
                    {move || if open.get() { "▾" } else { "▸" }}
                </button>
            </span>
            <span class="cell session-summary" role="cell">
                <strong>{name.clone()}</strong>
                <span>{group.users.join(", ")}</span>
                <span>{format!("{turns} {}", if turns == 1 { "turn" } else { "turns" })}</span>
                <span>{span}</span>
                <span>{format!("{} tokens", format::count(group.total_tokens))}</span>
                <span class="session-states">{states.join(" · ")}</span>
                {group.session_id.clone().map(|session_id| {
                    // A link: the conversation has a URL of its own.
                    let navigator = expect_context::<Navigator>();
                    let conversation = move || {
                        let mut next = navigator.location();
                        next.session = Some(session_id.clone());
                        next
                    };
                    let href = conversation().to_query();
                    view! {
                        <a class="link-button" href=href on:click=move |event: ev::MouseEvent| {
                            event.prevent_default();
                            navigator.go(conversation());
                        }>"Open conversation"</a>
                    }
                })}
            </span>
        </div>
    }
}

fn trace_ids(rows: &[Arc<Trace>]) -> impl Iterator<Item = &str> + Clone {
    rows.iter().map(|trace| trace.info.trace_id.as_str())
}

fn copy_text(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}
