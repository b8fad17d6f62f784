//! The trace table: MLflow's columns, search with MLflow's filter syntax, sort, server paging as the user
//! scrolls, selection, and rows windowed so that ten thousand traces keep about a hundred rows in the DOM.
//!
//! Against a server the filter and sort go to `traces/search` (on Enter); on loaded files they are
//! evaluated here on every keystroke, with the same semantics (`crate::query`).

mod columns;
mod dataset_panel;
mod delete;
pub mod experiment_picker;
mod export;
mod file_search;
mod filter_builder;
mod preferences;
mod selection;

use crate::data::{self, LoadProblem, LoadStep, TraceList};
use crate::format;
use crate::location::Source;
use crate::model::sessions::{group_by_session, SessionGroup};
use crate::model::Trace;
use crate::pacing;
use crate::query::{parse_filter, span_contents, Filter, FilterError, Matcher, OrderBy};
use crate::sorting;
use crate::ui::browser::time::local_time;
use crate::ui::navigation::{Navigator, TableOrder};
use crate::ui::widgets::windowing::Windowing;
use columns::{Column, RunNames};
use dataset_panel::DatasetPanel;
use delete::ConfirmDelete;
use export::ExportButtons;
use file_search::{same_traces, FileSearch};
use filter_builder::FilterBuilder;
use leptos::ev;
use leptos::prelude::*;
use preferences::{ColumnPicker, ColumnPreferences};
use selection::Selection;
use std::collections::HashSet;
use std::sync::Arc;

/// Every row has this height (px), so the visible range follows from the scroll position alone; the
/// stylesheet reads it as `--row-height`.
const ROW_HEIGHT: f64 = 40.0;
/// Rows rendered above and below the viewport, so fast scrolling does not show blanks.
const OVERSCAN: usize = 15;
/// A server page is requested when the user scrolls within this many rows of the end.
const LOAD_AHEAD_ROWS: usize = 60;
/// Traces whose searchable content is computed between two yields to the browser (about 10 ms).
const CONTENTS_PER_SLICE: usize = 250;

#[component]
pub fn TracesTable(
    list: TraceList,
    /// The loaded rows (the files, or the server pages so far), shared with the trace view.
    rows: RwSignal<Vec<Arc<Trace>>>,
    /// Files that could not be read (the others are shown).
    problems: RwSignal<Vec<LoadProblem>>,
    /// How far the files are read, while more rows are still to come.
    reading: Signal<Option<LoadStep>>,
    source: Source,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let location = navigator.location();
    let is_server = source.filters_on_server();
    let server_query = data::server_query(&location).unwrap_or_default();

    let loaded = rows;
    let next_page = RwSignal::new(list.next_page_token.clone());
    // The tokens followed so far: one handed out again ends the list with an error, not a loop.
    let followed_pages = StoredValue::new({
        let mut followed = data::PageTokens::default();
        let _ = followed.follow(list.next_page_token.clone());
        followed
    });
    let page_error = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);

    // The search box: what is typed, and whether it parses.
    let draft = RwSignal::new(location.filter.clone().unwrap_or_default());
    let parsed = Memo::new(move |_| draft.with(|text| parse_filter(text)));
    let order = RwSignal::new(location.order_by.as_deref().and_then(|text| OrderBy::parse(text).ok()).unwrap_or_default());

    // What text search looks at, computed once per loaded list rather than on every keystroke: in slices
    // after the list loads (0.3 s for 10,000 traces would stall the first keystroke), or at once when a
    // search needs it before that. Kept with the rows it was computed for: while files are still arriving,
    // the contents of an earlier list must not be read against the rows of a later one.
    let precomputed = RwSignal::new(None::<(Vec<Arc<Trace>>, Arc<Vec<Vec<String>>>)>);
    Effect::new(move |_| {
        if is_server {
            return;
        }
        let rows = loaded.get();
        precomputed.set(None);
        leptos::task::spawn_local(async move {
            // Rows replaced meanwhile (files still being read, another source) make this work moot.
            let still_current = || loaded.try_with_untracked(|now| same_traces(now, &rows)) == Some(true);
            let mut computed = Vec::with_capacity(rows.len());
            for slice in rows.chunks(CONTENTS_PER_SLICE) {
                pacing::sleep(0).await;
                if !still_current() {
                    return;
                }
                computed.extend(slice.iter().map(|trace| span_contents(trace)));
            }
            if still_current() {
                precomputed.try_set(Some((rows, Arc::new(computed))));
            }
        });
    });
    let contents = Memo::new_with_compare(
        move |_| {
            if is_server {
                return Arc::new(Vec::new());
            }
            let for_these_rows = |(rows, _): &&(Vec<Arc<Trace>>, _)| loaded.with(|now| same_traces(now, rows));
            precomputed
                .with(|done| done.as_ref().filter(for_these_rows).map(|(_, contents)| contents.clone()))
                .unwrap_or_else(|| Arc::new(loaded.with(|rows| rows.iter().map(|trace| span_contents(trace)).collect::<Vec<_>>())))
        },
        |old, new| !matches!((old, new), (Some(old), Some(new)) if Arc::ptr_eq(old, new)),
    );

    let file_search = StoredValue::new(FileSearch::default());
    // The contents are only computed (once) when a search first needs them.
    let search_files = move |filter: Filter, all: Vec<Arc<Trace>>| {
        file_search.try_update_value(|search| search.run(filter, all, || contents.get())).unwrap_or_else(|| Ok(Vec::new()))
    };

    // Files: filter and sort here, live. Servers: the server did both (a sort it cannot do is done here).
    let rows = Memo::new_with_compare(
        move |_| {
            let all = loaded.get();
            let order = order.get();
            let mut kept: Vec<Arc<Trace>> = if is_server {
                all
            } else {
                match parsed.get().map_err(|e| e.to_string()).and_then(|filter| search_files(filter, all.clone())) {
                    Ok(kept) => kept,
                    // While the text does not parse, keep showing the last rows rather than none.
                    Err(_) => all,
                }
            };
            if !is_server || !order.server_supported() {
                sorting::sort_by(&mut kept, |a, b| order.compare(a, b));
            }
            kept
        },
        different_traces,
    );
    // The trace view walks this order with j/k.
    if let Some(TableOrder(order)) = use_context::<TableOrder>() {
        Effect::new(move |_| order.set(rows.with(|rows| rows.iter().map(|trace| trace.info.trace_id.clone()).collect())));
    }
    // Grouped by session: one line per session, its traces below it when expanded.
    let by_session = RwSignal::new(false);
    let expanded = RwSignal::new(HashSet::<Option<String>>::new());
    let lines = Memo::new_with_compare(
        move |_| {
            if !by_session.get() {
                return rows.with(|rows| rows.iter().map(|trace| Line::Trace(trace.clone(), false)).collect());
            }
            rows.with(|rows| {
                let mut lines = Vec::new();
                for group in group_by_session(rows) {
                    let open = expanded.with(|open| open.contains(&group.session_id));
                    let traces = if open { group.traces.clone() } else { Vec::new() };
                    lines.push(Line::Session(Arc::new(group)));
                    lines.extend(traces.into_iter().map(|trace| Line::Trace(trace, true)));
                }
                lines
            })
        },
        |_, _| true,
    );
    let regex_error = Memo::new(move |_| match parsed.get() {
        Ok(filter) => Matcher::new(&filter).err(),
        Err(_) => None,
    });

    let apply_search = move || {
        if let Ok(filter) = parsed.get_untracked() {
            let mut next = navigator.location();
            let canonical = (!filter.clauses.is_empty()).then(|| draft.get_untracked().trim().to_string());
            if next.filter != canonical {
                next.filter = canonical;
                if is_server {
                    navigator.go(next);
                } else {
                    navigator.replace(next);
                }
            }
        }
    };
    // Files: the URL follows every valid keystroke (without filling the history).
    Effect::new(move |_| {
        if !is_server && parsed.with(Result::is_ok) {
            apply_search();
        }
    });

    // Clauses from the filter dropdown: each replaces an earlier clause on the same field and comparator.
    let add_clauses = move |clauses: Vec<crate::query::Clause>| {
        let mut filter = parsed.get_untracked().unwrap_or_default();
        filter.clauses.retain(|old| !clauses.iter().any(|new| new.field == old.field && new.op == old.op));
        filter.clauses.extend(clauses);
        draft.set(filter.to_string());
        apply_search();
    };

    let sort_by = move |column: Column| {
        let Some(key) = column.order_key() else { return };
        let current = order.get_untracked();
        let same_key = OrderBy::parse(key).map(|o| o.key == current.key).unwrap_or(false);
        let next_order = OrderBy::parse(&format!("{key} {}", if same_key && current.descending { "ASC" } else { "DESC" })).unwrap();
        order.set(next_order.clone());
        let mut next = navigator.location();
        next.order_by = Some(next_order.to_string());
        if is_server && next_order.server_supported() {
            navigator.go(next);
        } else {
            navigator.replace(next);
        }
    };

    // Columns, remembered across visits.
    let preferences = RwSignal::new(ColumnPreferences::load());
    Effect::new(move |_| preferences.with(ColumnPreferences::save));

    let selected = RwSignal::new(Selection::default());
    let toggle_row =
        move |trace_id: String, shift: bool| rows.with_untracked(|rows| selected.update(|s| s.click(trace_ids(rows), &trace_id, shift)));
    let all_selected = move || rows.with(|rows| selected.with(|s| s.has_all(trace_ids(rows))));
    let toggle_all = move |_| rows.with_untracked(|rows| selected.update(|s| s.toggle_all(trace_ids(rows))));

    let window = Windowing::new(ROW_HEIGHT, OVERSCAN, move || lines.with(Vec::len));
    let visible_range = window.range;

    // Server paging: fetch the next page when the user nears the end of what is loaded.
    let load_more = {
        let source = source.clone();
        let server_query = server_query.clone();
        move || {
            let Some(token) = next_page.get_untracked() else { return };
            if loading_more.get_untracked() {
                return;
            }
            loading_more.set(true);
            page_error.set(None);
            let (source, query) = (source.clone(), server_query.clone());
            leptos::task::spawn_local(async move {
                match data::load_more(&source, &query, &token).await {
                    Ok(page) => {
                        loaded.update(|rows| rows.extend(page.traces.into_iter().map(Arc::new)));
                        let next = followed_pages.try_update_value(|followed| followed.follow(page.next_page_token)).unwrap_or(Ok(None));
                        if let Err(problem) = &next {
                            page_error.set(Some(format!("The list ends here: {problem}.")));
                        }
                        next_page.set(next.ok().flatten());
                    }
                    Err(err) => page_error.set(Some(err.to_string())),
                }
                loading_more.set(false);
            });
        }
    };
    let load_more_on_scroll = load_more.clone();
    Effect::new(move |_| {
        let end = visible_range.get().end;
        if lines.with(Vec::len).saturating_sub(end) < LOAD_AHEAD_ROWS && next_page.with(Option::is_some) && page_error.with(Option::is_none)
        {
            load_more_on_scroll();
        }
    });

    // The selected traces, for delete, export and datasets.
    let chosen = Signal::derive(move || {
        selected.with(|s| loaded.with(|rows| rows.iter().filter(|t| s.contains(&t.info.trace_id)).cloned().collect::<Vec<_>>()))
    });

    // Bulk delete: asked first (ConfirmDelete), naming the count.
    let can_delete = source.is_writable();
    let confirming_delete = RwSignal::new(false);
    let notice = RwSignal::new(None::<(String, bool)>);

    // Run names, asked of the server once per run as rows arrive.
    let run_names = RwSignal::new(std::collections::HashMap::<String, String>::new());
    provide_context(RunNames(run_names));
    {
        let source = source.clone();
        Effect::new(move |_| {
            let wanted: Vec<String> = loaded.with(|rows| {
                let mut ids: Vec<String> = rows.iter().filter_map(|t| t.run_id().map(str::to_string)).collect();
                sorting::sort_by(&mut ids, Ord::cmp);
                ids.dedup();
                ids.retain(|id| run_names.with_untracked(|known| !known.contains_key(id)));
                ids
            });
            if wanted.is_empty() {
                return;
            }
            let source = source.clone();
            leptos::task::spawn_local(async move {
                let found = data::run_names(&source, &wanted).await;
                run_names.update(|known| known.extend(found));
            });
        });
    }

    let adding_to_dataset = RwSignal::new(false);

    let open_trace = move |trace_id: String| {
        let mut next = navigator.location();
        next.trace_id = Some(trace_id);
        next.span_id = None;
        next.search = None;
        navigator.go(next);
    };

    let summary = move || {
        let shown = rows.with(Vec::len);
        let total = loaded.with(Vec::len);
        let more = if next_page.with(Option::is_some) { ", more on the server" } else { "" };
        let count = if is_server || shown == total {
            format!("{} traces{more}", format::count(shown as u64))
        } else {
            format!("{} of {} traces", format::count(shown as u64), format::count(total as u64))
        };
        match selected.with(Selection::len) {
            0 => count,
            n => format!("{count} · {n} selected"),
        }
    };

    view! {
        <section class="traces-table">
            <div class="table-toolbar">
                <SearchBar draft=draft parsed=parsed regex_error=regex_error on_submit=Callback::new(move |_| apply_search()) is_server=is_server />
                <FilterBuilder traces=loaded.into() on_apply=Callback::new(add_clauses) />
                <button class="button" aria-pressed=move || by_session.get().to_string() on:click=move |_| by_session.update(|on| *on = !*on)>
                    "Group by session"
                </button>
                <ExportButtons
                    source=source.clone()
                    chosen=chosen
                    rows=rows.into()
                    columns=Signal::derive(move || preferences.with(|p| p.shown.clone()))
                    notice=notice
                />
                <ColumnPicker preferences=preferences />
            </div>
            <div class="selection-bar">
                <p class="summary" data-testid="trace-count">{summary}</p>
                {move || reading.get().map(|step| view! {
                    <p class="summary reading" role="status">
                        // The words say how far; the bar shows it at a glance.
                        {step.fraction.map(|fraction| view! { <progress max="1" value=fraction aria-hidden="true"></progress> })}
                        {step.text}
                    </p>
                })}
                <Show when=move || can_delete && selected.with(|s| !s.is_empty()) && !confirming_delete.get()>
                    <button class="button" on:click=move |_| { notice.set(None); adding_to_dataset.set(true); }>"Add to dataset"</button>
                    <button class="button danger" on:click=move |_| { notice.set(None); confirming_delete.set(true); }>
                        {move || format!("Delete {}", selected.with(Selection::len))}
                    </button>
                </Show>
            </div>
            {
                let source = source.clone();
                move || adding_to_dataset.get().then(|| view! {
                    <DatasetPanel
                        source=source.clone()
                        chosen=chosen
                        on_done=Callback::new(move |message| notice.set(Some((message, false))))
                        on_close=Callback::new(move |_| adding_to_dataset.set(false))
                    />
                })
            }
            <Show when=move || confirming_delete.get()>
                <ConfirmDelete source=source.clone() chosen=chosen loaded=loaded selected=selected notice=notice confirming=confirming_delete />
            </Show>
            {move || notice.get().map(|(message, is_error)| view! {
                <p class=if is_error { "warning" } else { "notice" } role="status">{message}</p>
            })}
            {move || problems.with(|problems| (!problems.is_empty()).then(|| {
                view! { <p class="warning" role="alert">{format!("Some files could not be read.\n{}", data::problems_text(problems))}</p> }
            }))}
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
                        <HeaderCell column=column order=order preferences=preferences on_sort=Callback::new(move |_| sort_by(column)) />
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
            <Show when=move || loading_more.get()>
                <p class="loading" role="status">"Loading more traces…"</p>
            </Show>
            {move || page_error.get().map(|message| {
                let retry = load_more.clone();
                view! {
                    <p class="warning" role="alert">
                        {format!("Could not load more traces. {message} ")}
                        <button class="button" on:click=move |_| { page_error.set(None); retry(); }>"Try again"</button>
                    </p>
                }
            })}
        </section>
    }
}

#[component]
fn SearchBar(
    draft: RwSignal<String>,
    parsed: Memo<Result<crate::query::Filter, FilterError>>,
    regex_error: Memo<Option<String>>,
    on_submit: Callback<()>,
    is_server: bool,
) -> impl IntoView {
    let placeholder = if is_server {
        "Search: words, or a filter such as trace.status = 'ERROR' AND tag.env = 'prod' (Enter to search)"
    } else {
        "Search: words, or a filter such as trace.status = 'ERROR' AND tag.env = 'prod'"
    };
    let error_view = move || {
        if let Err(error) = parsed.get() {
            let text = draft.get();
            let before: String = text.chars().take(error.position).collect();
            let at: String = text.chars().skip(error.position).take(1).collect();
            let after: String = text.chars().skip(error.position + 1).collect();
            let at = if at.is_empty() { " ".to_string() } else { at };
            Some(
                view! {
                    <div class="filter-error" role="alert">
                        <code class="filter-echo">{before}<mark>{at}</mark>{after}</code>
                        <span>{format!("Syntax error at character {}: {}", error.position + 1, error.message)}</span>
                    </div>
                }
                .into_any(),
            )
        } else {
            regex_error.get().map(|message| view! { <div class="filter-error" role="alert"><span>{message}</span></div> }.into_any())
        }
    };
    view! {
        <div class="search-bar">
            <input
                class="search-input filter-input"
                type="search"
                spellcheck="false"
                aria-label="Search traces"
                placeholder=placeholder
                class:invalid=move || parsed.with(Result::is_err)
                prop:value=move || draft.get()
                on:input=move |event| draft.set(event_target_value(&event))
                on:keydown=move |event: ev::KeyboardEvent| {
                    if event.key() == "Enter" {
                        on_submit.run(());
                    }
                }
            />
            {error_view}
        </div>
    }
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
            </span>
        </div>
    }
}

/// Whether two lists hold different traces. Traces are shared and never changed in place, so identity is
/// enough, and far cheaper than comparing whole traces (the default `PartialEq`).
fn different_traces(old: Option<&Vec<Arc<Trace>>>, new: Option<&Vec<Arc<Trace>>>) -> bool {
    !matches!((old, new), (Some(old), Some(new)) if same_traces(old, new))
}

fn trace_ids(rows: &[Arc<Trace>]) -> impl Iterator<Item = &str> + Clone {
    rows.iter().map(|trace| trace.info.trace_id.as_str())
}

fn copy_text(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}
