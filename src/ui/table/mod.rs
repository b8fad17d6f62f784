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
mod filtering;
mod grid;
mod paging;
mod preferences;
mod search;
mod selection;

use crate::data::{self, LoadProblem, LoadStep, TraceList};
use crate::format;
use crate::location::Source;
use crate::model::compare::MAX_RUNS;
use crate::model::Trace;
use crate::ui::navigation::{Navigator, TableOrder};
use crate::ui::rows::LoadedRows;
use columns::RunNames;
use dataset_panel::DatasetPanel;
use delete::ConfirmDelete;
use export::ExportButtons;
use filter_builder::FilterBuilder;
use grid::TableGrid;
use leptos::prelude::*;
use paging::{PagingStatus, ServerPages};
use preferences::{ColumnPicker, ColumnPreferences};
use search::{SearchBar, TableSearch};
use selection::Selection;
use std::sync::Arc;

#[component]
pub fn TracesTable(
    list: TraceList,
    /// The loaded rows (the files, or the server pages so far), shared with the trace view.
    rows: LoadedRows,
    /// Files that could not be read (the others are shown).
    problems: RwSignal<Vec<LoadProblem>>,
    /// How far the files are read, while more rows are still to come.
    reading: Signal<Option<LoadStep>>,
    source: Source,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let is_server = source.filters_on_server();
    let loaded = rows.list();
    let search = TableSearch::new(navigator, is_server);
    let shown = filtering::shown_rows(loaded, search, is_server);
    // The trace view walks this order with j/k.
    if let Some(TableOrder(order)) = use_context::<TableOrder>() {
        Effect::new(move |_| order.set(shown.with(|rows| rows.iter().map(|trace| trace.info.trace_id.clone()).collect())));
    }
    let pages = data::server_query(&navigator.location()).map(|query| ServerPages::new(&list, source.clone(), query, rows));
    RunNames::provide_for(loaded, source.clone());
    // Columns, remembered across visits.
    let preferences = RwSignal::new(ColumnPreferences::load());
    Effect::new(move |_| preferences.with(ColumnPreferences::save));
    let selected = RwSignal::new(Selection::default());
    // The selected traces, for delete, export and datasets.
    let chosen = Signal::derive(move || {
        selected.with(|s| loaded.with(|rows| rows.iter().filter(|t| s.contains(&t.info.trace_id)).cloned().collect::<Vec<_>>()))
    });
    let by_session = RwSignal::new(false);
    let notice = RwSignal::new(None::<(String, bool)>);
    view! {
        <section class="traces-table">
            <div class="table-toolbar">
                <SearchBar search=search />
                <FilterBuilder traces=loaded.into() on_apply=Callback::new(move |clauses| search.add_clauses(clauses)) />
                <button class="button" aria-pressed=move || by_session.get().to_string() on:click=move |_| by_session.update(|on| *on = !*on)>
                    "Group by session"
                </button>
                <ExportButtons
                    source=source.clone()
                    chosen=chosen
                    rows=shown.into()
                    columns=Signal::derive(move || preferences.with(|p| p.shown.clone()))
                    notice=notice
                />
                <ColumnPicker preferences=preferences />
            </div>
            <SelectionBar
                summary=Signal::derive(move || table_summary(shown.with(Vec::len), loaded.with(Vec::len), is_server, pages.is_some_and(ServerPages::has_more), selected.with(Selection::len)))
                reading=reading
                source=source
                chosen=chosen
                rows=rows
                selected=selected
                notice=notice
            />
            {move || problems.with(|problems| (!problems.is_empty()).then(|| {
                view! { <p class="warning" role="alert">{format!("Some files could not be read.\n{}", data::problems_text(problems))}</p> }
            }))}
            <TableGrid rows=shown search=search by_session=by_session preferences=preferences selected=selected pages=pages />
            {pages.map(|pages| view! { <PagingStatus pages=pages /> })}
        </section>
    }
}

/// "1,204 traces", "12 of 1,204 traces", "… · 3 selected".
fn table_summary(shown: usize, loaded: usize, is_server: bool, more_on_server: bool, selected: usize) -> String {
    let more = if more_on_server { ", more on the server" } else { "" };
    let count = if is_server || shown == loaded {
        format!("{} traces{more}", format::count(shown as u64))
    } else {
        format!("{} of {} traces", format::count(shown as u64), format::count(loaded as u64))
    };
    match selected {
        0 => count,
        n => format!("{count} · {n} selected"),
    }
}

/// The count of traces and of selected ones, how far files are read, and what can be done with the
/// selection: add it to a dataset or delete it (asked first), with what came of it.
#[component]
fn SelectionBar(
    summary: Signal<String>,
    reading: Signal<Option<LoadStep>>,
    source: Source,
    chosen: Signal<Vec<Arc<Trace>>>,
    rows: LoadedRows,
    selected: RwSignal<Selection>,
    /// What came of an action: (message, whether it is an error).
    notice: RwSignal<Option<(String, bool)>>,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let can_change = source.is_writable();
    let comparable = move || (2..=MAX_RUNS).contains(&selected.with(Selection::len));
    let compare = move |_| {
        let mut next = navigator.location();
        next.compare = chosen.with_untracked(|chosen| chosen.iter().map(|trace| trace.info.trace_id.clone()).collect());
        navigator.go(next);
    };
    let confirming_delete = RwSignal::new(false);
    let adding_to_dataset = RwSignal::new(false);
    view! {
        <div class="selection-bar">
            <p class="summary" data-testid="trace-count">{summary}</p>
            {move || reading.get().map(|step| view! {
                <p class="summary reading" role="status">
                    // The words say how far; the bar shows it at a glance.
                    {step.fraction.map(|fraction| view! { <progress max="1" value=fraction aria-hidden="true"></progress> })}
                    {step.text}
                </p>
            })}
            <Show when=comparable>
                <button class="button" title="Compare the selected runs step by step" on:click=compare>
                    {move || format!("Compare {}", selected.with(Selection::len))}
                </button>
            </Show>
            <Show when=move || can_change && selected.with(|s| !s.is_empty()) && !confirming_delete.get()>
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
            <ConfirmDelete source=source.clone() chosen=chosen loaded=rows selected=selected notice=notice confirming=confirming_delete />
        </Show>
        {move || notice.get().map(|(message, is_error)| view! {
            <p class=if is_error { "warning" } else { "notice" } role="status">{message}</p>
        })}
    }
}
