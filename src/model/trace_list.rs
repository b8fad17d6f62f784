//! The changes a list of loaded traces goes through, as the views ask for them: a server page appended, the
//! traces a server deleted taken out, one trace changed (its tags, its assessments). Traces are shared and
//! never changed in place, so a changed trace is a new one (copied on write) and readers that compare by
//! identity see the change.

use super::Trace;
use std::collections::HashSet;
use std::sync::Arc;

/// Adds a page of traces after those loaded, leaving out any already listed (a server may hand one out
/// again when traces are logged between two pages).
pub fn append_page(rows: &mut Vec<Arc<Trace>>, page: Vec<Trace>) {
    let listed: HashSet<String> = rows.iter().map(|trace| trace.info.trace_id.clone()).collect();
    rows.extend(page.into_iter().filter(|trace| !listed.contains(&trace.info.trace_id)).map(Arc::new));
}

/// Takes out the traces with these ids; returns how many went.
pub fn remove_traces(rows: &mut Vec<Arc<Trace>>, trace_ids: &[String]) -> usize {
    let gone: HashSet<&str> = trace_ids.iter().map(String::as_str).collect();
    let before = rows.len();
    rows.retain(|trace| !gone.contains(trace.info.trace_id.as_str()));
    before - rows.len()
}

/// Changes the trace with this id, if it is listed; whether it was.
pub fn change_trace(rows: &mut [Arc<Trace>], trace_id: &str, change: impl FnOnce(&mut Trace)) -> bool {
    match rows.iter_mut().find(|row| row.info.trace_id == trace_id) {
        Some(row) => {
            change(Arc::make_mut(row));
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TraceInfo;

    fn trace(id: &str) -> Trace {
        Trace { info: TraceInfo { trace_id: id.into(), ..TraceInfo::default() }, spans: Vec::new(), spans_loaded: false }
    }

    fn ids(rows: &[Arc<Trace>]) -> Vec<&str> {
        rows.iter().map(|trace| trace.info.trace_id.as_str()).collect()
    }

    #[test]
    fn a_page_is_appended_without_the_traces_already_listed() {
        let mut rows = vec![Arc::new(trace("a")), Arc::new(trace("b"))];
        append_page(&mut rows, vec![trace("b"), trace("c")]);
        assert_eq!(ids(&rows), ["a", "b", "c"]);
    }

    #[test]
    fn removing_takes_out_only_the_named_traces_and_counts_them() {
        let mut rows: Vec<Arc<Trace>> = ["a", "b", "c"].into_iter().map(|id| Arc::new(trace(id))).collect();
        assert_eq!(remove_traces(&mut rows, &["c".into(), "a".into(), "not-listed".into()]), 2);
        assert_eq!(ids(&rows), ["b"]);
    }

    #[test]
    fn a_changed_trace_is_a_new_one_and_the_old_copy_is_untouched() {
        let mut rows = vec![Arc::new(trace("a")), Arc::new(trace("b"))];
        let before = rows.clone();
        assert!(change_trace(&mut rows, "b", |trace| {
            trace.info.tags.insert("env".into(), "prod".into());
        }));
        assert!(Arc::ptr_eq(&rows[0], &before[0]));
        assert!(!Arc::ptr_eq(&rows[1], &before[1]));
        assert_eq!(rows[1].info.tags.get("env").map(String::as_str), Some("prod"));
        assert!(before[1].info.tags.is_empty());
        assert!(!change_trace(&mut rows, "z", |_| unreachable!()));
    }
}
