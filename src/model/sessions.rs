//! Traces grouped into conversations by `mlflow.trace.session`: one summary per session, its traces in
//! the order they happened.

use super::{Trace, TraceState};
use crate::sorting::sort_by_key;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub struct SessionGroup {
    /// None for the traces that belong to no session.
    pub session_id: Option<String>,
    pub users: Vec<String>,
    /// Oldest first.
    pub traces: Vec<Arc<Trace>>,
    pub first_request_ns: Option<u64>,
    /// When the last trace ended.
    pub last_end_ns: Option<u64>,
    pub total_tokens: u64,
    pub ok: usize,
    pub errors: usize,
    pub in_progress: usize,
}

/// Groups traces by session, most recently active session first; traces without a session come last.
pub fn group_by_session(traces: &[Arc<Trace>]) -> Vec<SessionGroup> {
    let mut index: HashMap<Option<String>, usize> = HashMap::new();
    let mut groups: Vec<SessionGroup> = Vec::new();
    for trace in traces {
        let key = trace.session().map(str::to_string);
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            groups.push(SessionGroup {
                session_id: key,
                users: Vec::new(),
                traces: Vec::new(),
                first_request_ns: None,
                last_end_ns: None,
                total_tokens: 0,
                ok: 0,
                errors: 0,
                in_progress: 0,
            });
            groups.len() - 1
        });
        let group = &mut groups[slot];
        if let Some(user) = trace.user() {
            if !group.users.iter().any(|known| known == user) {
                group.users.push(user.to_string());
            }
        }
        let start = trace.info.request_time_ns;
        let end = start.map(|start| start + trace.info.execution_duration_ns.unwrap_or(0));
        group.first_request_ns = match (group.first_request_ns, start) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        group.last_end_ns = group.last_end_ns.max(end);
        group.total_tokens += trace.token_usage().map_or(0, |usage| usage.total_tokens);
        match trace.info.state {
            TraceState::Ok => group.ok += 1,
            TraceState::Error => group.errors += 1,
            TraceState::InProgress => group.in_progress += 1,
            TraceState::Unspecified => {}
        }
        group.traces.push(trace.clone());
    }
    for group in &mut groups {
        sort_by_key(&mut group.traces, |trace| trace.info.request_time_ns);
    }
    sort_by_key(&mut groups, |group| (group.session_id.is_none(), std::cmp::Reverse(group.last_end_ns)));
    groups
}
