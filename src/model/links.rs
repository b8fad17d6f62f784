//! Where a span link points: a span of the same trace, or another trace (among those loaded, or one only a
//! tracking server may know). A link whose span or trace is known to be missing is dangling.

use super::ids::mlflow_trace_id;
use super::{SpanLink, Trace};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A span of this trace, by its index in the trace's spans.
    ThisTrace(usize),
    /// This trace, but a span it does not hold: dangling.
    MissingInThisTrace,
    /// Another trace, by its MLflow trace id; `loaded` when it is among the loaded traces (the linked span is
    /// looked for once it opens).
    OtherTrace { trace_id: String, loaded: bool },
}

/// What `link`, on a span of `trace`, points at, given the traces loaded beside it.
pub fn link_target(link: &SpanLink, trace: &Trace, loaded: &[Arc<Trace>]) -> LinkTarget {
    if is_trace(trace, &link.trace_id) {
        return match trace.spans.iter().position(|span| span.span_id == link.span_id) {
            Some(index) => LinkTarget::ThisTrace(index),
            None => LinkTarget::MissingInThisTrace,
        };
    }
    match loaded.iter().find(|row| is_trace(row, &link.trace_id)) {
        Some(row) => LinkTarget::OtherTrace { trace_id: row.info.trace_id.clone(), loaded: true },
        None => LinkTarget::OtherTrace { trace_id: mlflow_trace_id(&link.trace_id), loaded: false },
    }
}

/// Whether `otel_trace_id` (lowercase hex, as links and spans carry it) is this trace's.
fn is_trace(trace: &Trace, otel_trace_id: &str) -> bool {
    !otel_trace_id.is_empty()
        && (trace.spans.first().is_some_and(|span| span.otel_trace_id == otel_trace_id)
            || trace.info.trace_id == mlflow_trace_id(otel_trace_id))
}
