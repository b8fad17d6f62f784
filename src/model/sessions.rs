//! Traces grouped into conversations by `mlflow.trace.session`: one summary per session, its traces in
//! the order they happened; and one session as the conversation it was, turn by turn.

use super::chat::{conversation, plain_parts, ChatPart};
use super::{SpanType, Trace, TraceState};
use crate::sorting::sort_by_key;
use std::collections::{HashMap, HashSet};
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
    // Each group's users as a set too: a session of thousands of traces may have as many users.
    let mut known_users: Vec<HashSet<String>> = Vec::new();
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
            known_users.push(HashSet::new());
            groups.len() - 1
        });
        let group = &mut groups[slot];
        if let Some(user) = trace.user() {
            if known_users[slot].insert(user.to_string()) {
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

/// One turn of a conversation: a trace, as the user lived it.
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    pub trace: Arc<Trace>,
    /// What the user said (the last user message sent, or the trace's request).
    pub input: Vec<ChatPart>,
    /// What the assistant answered (its messages, or the trace's response).
    pub answer: Vec<ChatPart>,
    /// The tools called, in the order they ran.
    pub tools: Vec<String>,
    pub duration_ns: Option<u64>,
    pub tokens: Option<u64>,
    pub cost: Option<f64>,
    /// Valid feedback, as "name: value".
    pub assessments: Vec<String>,
}

/// A session's turns in time order, and its totals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conversation {
    pub turns: Vec<Turn>,
    pub duration_ns: u64,
    /// None when no turn reports its tokens (or its cost).
    pub tokens: Option<u64>,
    pub cost: Option<f64>,
    pub failed_turns: usize,
}

/// The traces of `session_id` among `traces`, as a conversation.
pub fn conversation_of(session_id: &str, traces: &[Arc<Trace>]) -> Conversation {
    let mut turns: Vec<Arc<Trace>> = traces.iter().filter(|trace| trace.session() == Some(session_id)).cloned().collect();
    sort_by_key(&mut turns, |trace| trace.info.request_time_ns);
    let turns: Vec<Turn> = turns.into_iter().map(turn).collect();
    Conversation {
        duration_ns: turns.iter().filter_map(|turn| turn.duration_ns).sum(),
        tokens: turns.iter().filter_map(|turn| turn.tokens).reduce(|a, b| a + b),
        cost: turns.iter().filter_map(|turn| turn.cost).reduce(|a, b| a + b),
        failed_turns: turns.iter().filter(|turn| turn.trace.info.state == TraceState::Error).count(),
        turns,
    }
}

fn turn(trace: Arc<Trace>) -> Turn {
    let chat = trace.root_span().and_then(conversation);
    let said = |output: bool| -> Option<Vec<ChatPart>> {
        let messages = &chat.as_ref()?.messages;
        let parts: Vec<ChatPart> = match output {
            true => messages.iter().filter(|m| m.is_output).flat_map(|m| m.parts.clone()).collect(),
            false => messages.iter().rev().find(|m| !m.is_output && m.role == "user")?.parts.clone(),
        };
        (!parts.is_empty()).then_some(parts)
    };
    let input = said(false)
        .or_else(|| trace.request().map(plain_parts))
        .or_else(|| trace.request_preview().map(|text| vec![ChatPart::Text(text)]))
        .unwrap_or_default();
    let answer = said(true)
        .or_else(|| trace.response().map(plain_parts))
        .or_else(|| trace.response_preview().map(|text| vec![ChatPart::Text(text)]))
        .unwrap_or_default();
    let tools = trace.spans.iter().filter(|span| span.span_type == SpanType::Tool).map(|span| span.name.clone()).collect();
    let assessments = trace.feedback_labels();
    Turn {
        duration_ns: trace.duration_ns(),
        tokens: trace.token_usage().map(|usage| usage.total_tokens),
        cost: trace.cost().map(|cost| cost.total_cost),
        input,
        answer,
        tools,
        assessments,
        trace,
    }
}

#[cfg(test)]
mod conversation_tests {
    use super::*;
    use crate::model::testing::span;
    use crate::model::{TraceInfo, TraceState};
    use serde_json::{json, Value};

    fn turn_trace(id: &str, at: u64, inputs: Value, outputs: Value, state: TraceState, tools: &[&str]) -> Arc<Trace> {
        let mut info = TraceInfo { trace_id: id.into(), request_time_ns: Some(at), state, ..TraceInfo::default() };
        info.metadata.insert("mlflow.trace.session".into(), "s-1".into());
        let mut root = span(id, None, SpanType::Agent, at, at + 1_000);
        root.inputs = Some(inputs);
        root.outputs = Some(outputs);
        let mut spans = vec![root];
        for (k, tool) in tools.iter().enumerate() {
            let mut s = span(&format!("{id}-t{k}"), Some(id), SpanType::Tool, at + 10, at + 20);
            s.name = tool.to_string();
            spans.push(s);
        }
        Arc::new(Trace { info, spans, spans_loaded: true })
    }

    #[test]
    fn a_session_reads_as_its_turns_in_time_order_with_totals() {
        let chat = json!({"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "And tomorrow?"}]});
        let answer = json!({"choices": [{"message": {"role": "assistant", "content": "Rain."}}]});
        let traces = vec![
            turn_trace("t2", 2_000, chat, answer, TraceState::Error, &["weather", "calendar"]),
            turn_trace("t1", 1_000, json!({"question": "Weather in Paris?"}), json!("Sunny."), TraceState::Ok, &["weather"]),
            {
                let mut other = (*turn_trace("x", 500, json!("hi"), json!("hello"), TraceState::Ok, &[])).clone();
                other.info.metadata.insert("mlflow.trace.session".into(), "s-2".into());
                Arc::new(other)
            },
        ];
        let conversation = conversation_of("s-1", &traces);
        let ids: Vec<&str> = conversation.turns.iter().map(|t| t.trace.info.trace_id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2"]);
        assert_eq!(conversation.turns[0].input, [ChatPart::Text("Weather in Paris?".into())]);
        assert_eq!(conversation.turns[0].answer, [ChatPart::Text("Sunny.".into())]);
        assert_eq!(conversation.turns[1].input, [ChatPart::Text("And tomorrow?".into())]);
        assert_eq!(conversation.turns[1].answer, [ChatPart::Text("Rain.".into())]);
        assert_eq!(conversation.turns[1].tools, ["weather", "calendar"]);
        assert_eq!((conversation.failed_turns, conversation.duration_ns), (1, 2_000));
        assert!(conversation_of("nobody", &traces).turns.is_empty());
    }

    #[test]
    fn a_sessions_users_are_listed_once_each_in_the_order_they_came() {
        let with_user = |id: &str, at: u64, user: &str| {
            let mut trace = (*turn_trace(id, at, json!("q"), json!("a"), TraceState::Ok, &[])).clone();
            trace.info.metadata.insert("mlflow.trace.user".into(), user.into());
            Arc::new(trace)
        };
        let mut traces: Vec<Arc<Trace>> = (0..5_000).map(|k| with_user(&format!("t{k}"), k, &format!("user-{}", k % 2_500))).collect();
        traces.push(with_user("late", 9_999, "user-7"));
        let groups = group_by_session(&traces);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].users.len(), 2_500);
        assert_eq!(groups[0].users[..3], ["user-0", "user-1", "user-2"]);
        assert_eq!(groups[0].traces.len(), 5_001);
    }
}
