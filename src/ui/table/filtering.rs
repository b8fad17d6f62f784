//! The rows the table shows: on files the loaded traces filtered and sorted here, live, as the user types;
//! from a server as it answered (a sort it cannot do is done here).

use super::file_search::{same_traces, FileSearch};
use super::search::TableSearch;
use crate::model::Trace;
use crate::pacing;
use crate::query::span_contents;
use crate::sorting;
use leptos::prelude::*;
use std::sync::Arc;

/// Traces whose searchable content is computed between two yields to the browser (about 10 ms).
const CONTENTS_PER_SLICE: usize = 250;

/// The shown rows, in the table's order.
pub fn shown_rows(loaded: ReadSignal<Vec<Arc<Trace>>>, search: TableSearch, is_server: bool) -> Memo<Vec<Arc<Trace>>> {
    let contents = searchable_contents(loaded, is_server);
    let file_search = StoredValue::new(FileSearch::default());
    // The contents are only computed (once) when a search first needs them.
    let search_files = move |all: Vec<Arc<Trace>>| match search.parsed.get() {
        Ok(filter) => {
            file_search.try_update_value(|found| found.run(filter, all.clone(), || contents.get())).unwrap_or_else(|| Ok(Vec::new()))
        }
        Err(error) => Err(error.to_string()),
    };
    Memo::new_with_compare(
        move |_| {
            let all = loaded.get();
            let order = search.order.get();
            let mut kept: Vec<Arc<Trace>> = match is_server {
                true => all,
                // While the text does not parse, keep showing the last rows rather than none.
                false => search_files(all.clone()).unwrap_or(all),
            };
            if !is_server || !order.server_supported() {
                sorting::sort_by(&mut kept, |a, b| order.compare(a, b));
            }
            kept
        },
        different_traces,
    )
}

/// What text search looks at, computed once per loaded list rather than on every keystroke: in slices
/// after the list loads (0.3 s for 10,000 traces would stall the first keystroke), or at once when a search
/// needs it before that. Kept with the rows it was computed for: while files are still arriving, the
/// contents of an earlier list must not be read against the rows of a later one.
fn searchable_contents(loaded: ReadSignal<Vec<Arc<Trace>>>, is_server: bool) -> Memo<Arc<Vec<Vec<String>>>> {
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
    Memo::new_with_compare(
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
    )
}

/// Whether two lists hold different traces. Traces are shared and never changed in place, so identity is
/// enough, and far cheaper than comparing whole traces (the default `PartialEq`).
fn different_traces(old: Option<&Vec<Arc<Trace>>>, new: Option<&Vec<Arc<Trace>>>) -> bool {
    !matches!((old, new), (Some(old), Some(new)) if same_traces(old, new))
}
