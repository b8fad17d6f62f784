//! The loaded rows: the traces the table lists and the trace view and overview read, with one owner. The
//! shell creates them; views read them through [`LoadedRows::list`] and change them only by saying what
//! happened (a list loaded, a page arrived, traces deleted, a trace edited).

use crate::model::{trace_list, Trace};
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, Copy, Default)]
pub struct LoadedRows {
    rows: RwSignal<Vec<Arc<Trace>>>,
}

impl LoadedRows {
    /// The rows, read-only.
    pub fn list(self) -> ReadSignal<Vec<Arc<Trace>>> {
        self.rows.read_only()
    }

    /// A list loaded anew (or files read further): it replaces what was shown.
    pub fn show(self, traces: Vec<Arc<Trace>>) {
        self.rows.try_set(traces);
    }

    /// The server's next page, after the rows loaded so far.
    pub fn append_page(self, page: Vec<Trace>) {
        self.rows.update(|rows| trace_list::append_page(rows, page));
    }

    /// The traces the server deleted.
    pub fn remove(self, trace_ids: &[String]) {
        self.rows.update(|rows| {
            trace_list::remove_traces(rows, trace_ids);
        });
    }

    /// A trace edited in its view (tags, assessments), so the table shows the edit too.
    pub fn change(self, trace_id: &str, change: impl FnOnce(&mut Trace)) {
        self.rows.update(|rows| {
            trace_list::change_trace(rows, trace_id, change);
        });
    }
}
