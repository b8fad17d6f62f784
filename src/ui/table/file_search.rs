//! Searching loaded files as the user types. Plain Rust, tested natively.
//!
//! Each keystroke filters every loaded trace again, unless the new filter narrows the last one (a word typed
//! on) over the same traces: then only the traces the last search kept are tested.

use crate::model::Trace;
use crate::query::{Filter, Matcher};
use std::sync::Arc;

#[derive(Default)]
pub struct FileSearch {
    last: Option<LastSearch>,
}

struct LastSearch {
    filter: Filter,
    traces: Vec<Arc<Trace>>,
    /// Indexes in `traces`.
    kept: Vec<usize>,
}

impl FileSearch {
    /// The traces of `all` that `filter` keeps, in their order; `contents` gives each trace's searchable span
    /// text (in `all`'s order), asked for only when the filter searches it.
    pub fn run(
        &mut self,
        filter: Filter,
        all: Vec<Arc<Trace>>,
        contents: impl FnOnce() -> Arc<Vec<Vec<String>>>,
    ) -> Result<Vec<Arc<Trace>>, String> {
        let matcher = Matcher::new(&filter)?;
        let contents = matcher.needs_content().then(contents);
        let candidates: Vec<usize> = match &self.last {
            Some(last) if filter.narrows(&last.filter) && same_traces(&last.traces, &all) => last.kept.clone(),
            _ => (0..all.len()).collect(),
        };
        let contents_of = |index: usize| contents.as_ref().and_then(|contents| contents.get(index)).map_or(&[][..], Vec::as_slice);
        let kept: Vec<usize> =
            candidates.into_iter().filter(|&index| matcher.matches_with_contents(&all[index], contents_of(index))).collect();
        let traces = kept.iter().map(|&index| all[index].clone()).collect();
        self.last = Some(LastSearch { filter, traces: all, kept });
        Ok(traces)
    }
}

/// Whether two lists hold the same traces. Traces are shared and never changed in place (an edit makes a new
/// one), so identity is enough, and far cheaper than comparing whole traces.
pub fn same_traces(a: &[Arc<Trace>], b: &[Arc<Trace>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
}

#[cfg(test)]
mod tests {
    use super::FileSearch;
    use crate::model::{Trace, TraceInfo};
    use crate::query::parse_filter;
    use std::sync::Arc;

    fn named(name: &str) -> Arc<Trace> {
        let mut info = TraceInfo { trace_id: format!("tr-{name}"), ..TraceInfo::default() };
        info.tags.insert("mlflow.traceName".into(), name.into());
        Arc::new(Trace { info, spans: Vec::new(), spans_loaded: true })
    }

    fn names(traces: &[Arc<Trace>]) -> Vec<String> {
        traces.iter().map(|trace| trace.info.trace_id.clone()).collect()
    }

    #[test]
    fn typing_on_narrows_from_the_last_result_and_finds_what_a_fresh_search_finds() {
        let all: Vec<Arc<Trace>> = ["paris", "parsing", "tokyo", "compare"].into_iter().map(named).collect();
        let no_contents = || Arc::new(vec![Vec::new(); 4]);
        let mut typed = FileSearch::default();
        for (text, expected) in [
            ("trace.name LIKE '%par%'", vec!["tr-paris", "tr-parsing", "tr-compare"]),
            ("trace.name LIKE '%pari%'", vec!["tr-paris"]),
            ("trace.name LIKE '%par%'", vec!["tr-paris", "tr-parsing", "tr-compare"]),
        ] {
            let filter = parse_filter(text).unwrap();
            let found = typed.run(filter.clone(), all.clone(), no_contents).unwrap();
            let fresh = FileSearch::default().run(filter, all.clone(), no_contents).unwrap();
            assert_eq!(names(&found), expected, "{text}");
            assert_eq!(names(&found), names(&fresh), "{text}: as a fresh search");
        }
        // Other traces (a file still arriving): searched whole, not narrowed from results over the old ones.
        let more: Vec<Arc<Trace>> = ["paris", "paring"].into_iter().map(named).collect();
        let found = typed.run(parse_filter("trace.name LIKE '%pari%'").unwrap(), more, || Arc::new(vec![Vec::new(); 2])).unwrap();
        assert_eq!(names(&found), ["tr-paris", "tr-paring"]);
    }
}
