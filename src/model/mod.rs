//! The trace model: one normalised shape for every wire format MLflow and OpenTelemetry produce.
//!
//! Pure Rust (no web-sys, no leptos) so it is tested natively. Parsing lives in [`parse`] (format
//! detection and MLflow's own formats), [`piecewise`] (the same, a trace or a span at a time) and [`otlp`]
//! (OpenTelemetry JSON and the GenAI conventions); values derived from a parsed trace (name, previews,
//! tokens, cost, …) live in [`derive`].

pub mod agent_chat;
pub mod assessment_edit;
pub mod chat;
pub mod compare;
pub mod derive;
pub mod documents;
pub mod error;
pub mod graph;
pub mod ids;
pub mod json_text;
pub mod links;
pub mod loops;
pub mod otlp;
pub mod parse;
pub mod piecewise;
pub mod sessions;
pub mod span_search;
pub mod tag_edit;
pub mod text_diff;
pub mod trace_list;
pub mod tree;
pub mod write;

use serde_json::Value;
use std::collections::BTreeMap;

pub use error::ParseError;
pub use parse::{parse_traces, parse_traces_bytes, parse_traces_value};
pub use piecewise::PiecewiseParse;
pub use tree::SpanTree;

/// One trace: its info (from the server or rebuilt from spans) and its spans in the order given.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    pub info: TraceInfo,
    pub spans: Vec<Span>,
    /// False when only the info is known (a `traces/search` row): spans must be fetched to show them.
    pub spans_loaded: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceInfo {
    /// MLflow's trace id, `tr-<32 hex>` for v3 traces; older traces keep their own request id.
    pub trace_id: String,
    pub experiment_id: Option<String>,
    pub client_request_id: Option<String>,
    /// Unix time of the request in nanoseconds (exact: these exceed 2^53).
    pub request_time_ns: Option<u64>,
    pub execution_duration_ns: Option<u64>,
    pub state: TraceState,
    pub request_preview: Option<String>,
    pub response_preview: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    pub assessments: Vec<Assessment>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TraceState {
    Ok,
    Error,
    InProgress,
    #[default]
    Unspecified,
}

impl TraceState {
    pub fn parse(text: &str) -> TraceState {
        let is = |word: &str| text.eq_ignore_ascii_case(word);
        if is("OK") || is("STATUS_CODE_OK") {
            TraceState::Ok
        } else if is("ERROR") || is("STATUS_CODE_ERROR") {
            TraceState::Error
        } else if is("IN_PROGRESS") {
            TraceState::InProgress
        } else {
            TraceState::Unspecified
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            TraceState::Ok => "OK",
            TraceState::Error => "ERROR",
            TraceState::InProgress => "IN_PROGRESS",
            TraceState::Unspecified => "STATE_UNSPECIFIED",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// Lowercase hex, 16 characters for OpenTelemetry ids.
    pub span_id: String,
    pub parent_id: Option<String>,
    /// Lowercase hex of the OpenTelemetry trace id (no `tr-` prefix).
    pub otel_trace_id: String,
    pub name: String,
    /// `SPAN_KIND_INTERNAL`, `SPAN_KIND_CLIENT`, …
    pub kind: String,
    pub start_ns: u64,
    /// None while the span is still running.
    pub end_ns: Option<u64>,
    pub status: SpanStatus,
    pub span_type: SpanType,
    pub inputs: Option<Value>,
    pub outputs: Option<Value>,
    /// Attribute values decoded from their wire encoding, in wire order.
    pub attributes: Vec<(String, Value)>,
    pub events: Vec<SpanEvent>,
    pub links: Vec<SpanLink>,
}

impl Span {
    pub fn attribute(&self, key: &str) -> Option<&Value> {
        self.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn duration_ns(&self) -> Option<u64> {
        self.end_ns.map(|end| end.saturating_sub(self.start_ns))
    }

    /// Whether the span failed: an error status, or an exception recorded (some libraries record one and
    /// leave the status unset). The tree, its error filter and the minimap all ask this.
    pub fn failed(&self) -> bool {
        self.status.code == StatusCode::Error || self.events.iter().any(|event| event.name == "exception")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanStatus {
    pub code: StatusCode,
    pub message: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusCode {
    #[default]
    Unset,
    Ok,
    Error,
}

impl StatusCode {
    /// Read without allocating: every span has one.
    pub fn parse(text: &str) -> StatusCode {
        let is = |word: &str| text.eq_ignore_ascii_case(word);
        if is("OK") || is("STATUS_CODE_OK") || text == "1" {
            StatusCode::Ok
        } else if is("ERROR") || is("STATUS_CODE_ERROR") || text == "2" {
            StatusCode::Error
        } else {
            StatusCode::Unset
        }
    }
}

/// MLflow's span types; anything else (a user's own type such as "MATH") is kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SpanType {
    Llm,
    ChatModel,
    Chain,
    Agent,
    Tool,
    Embedding,
    Retriever,
    Parser,
    Reranker,
    Memory,
    Workflow,
    Task,
    Guardrail,
    Evaluator,
    Unknown,
    Custom(String),
}

impl SpanType {
    pub fn parse(text: &str) -> SpanType {
        match text {
            "LLM" => SpanType::Llm,
            "CHAT_MODEL" => SpanType::ChatModel,
            "CHAIN" => SpanType::Chain,
            "AGENT" => SpanType::Agent,
            "TOOL" => SpanType::Tool,
            "EMBEDDING" => SpanType::Embedding,
            "RETRIEVER" => SpanType::Retriever,
            "PARSER" => SpanType::Parser,
            "RERANKER" => SpanType::Reranker,
            "MEMORY" => SpanType::Memory,
            "WORKFLOW" => SpanType::Workflow,
            "TASK" => SpanType::Task,
            "GUARDRAIL" => SpanType::Guardrail,
            "EVALUATOR" => SpanType::Evaluator,
            "UNKNOWN" | "" => SpanType::Unknown,
            other => SpanType::Custom(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            SpanType::Llm => "LLM",
            SpanType::ChatModel => "CHAT_MODEL",
            SpanType::Chain => "CHAIN",
            SpanType::Agent => "AGENT",
            SpanType::Tool => "TOOL",
            SpanType::Embedding => "EMBEDDING",
            SpanType::Retriever => "RETRIEVER",
            SpanType::Parser => "PARSER",
            SpanType::Reranker => "RERANKER",
            SpanType::Memory => "MEMORY",
            SpanType::Workflow => "WORKFLOW",
            SpanType::Task => "TASK",
            SpanType::Guardrail => "GUARDRAIL",
            SpanType::Evaluator => "EVALUATOR",
            SpanType::Unknown => "UNKNOWN",
            SpanType::Custom(name) => name,
        }
    }

    /// The type's name as a CSS class suffix (`type-chat_model`): MLflow's types only, every other one
    /// `custom`, so a trace cannot add classes of its choosing to the page (`"AGENT OVERLAY"`).
    pub fn class_name(&self) -> &'static str {
        match self {
            SpanType::Llm => "llm",
            SpanType::ChatModel => "chat_model",
            SpanType::Chain => "chain",
            SpanType::Agent => "agent",
            SpanType::Tool => "tool",
            SpanType::Embedding => "embedding",
            SpanType::Retriever => "retriever",
            SpanType::Parser => "parser",
            SpanType::Reranker => "reranker",
            SpanType::Memory => "memory",
            SpanType::Workflow => "workflow",
            SpanType::Task => "task",
            SpanType::Guardrail => "guardrail",
            SpanType::Evaluator => "evaluator",
            SpanType::Unknown => "unknown",
            SpanType::Custom(_) => "custom",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SpanEvent {
    pub name: String,
    pub time_ns: u64,
    pub attributes: Vec<(String, Value)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SpanLink {
    pub trace_id: String,
    pub span_id: String,
    pub attributes: Vec<(String, Value)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub assessment_id: String,
    pub name: String,
    pub trace_id: String,
    /// Hex span id when the assessment is about one span.
    pub span_id: Option<String>,
    pub source_type: String,
    pub source_id: Option<String>,
    pub create_time_ns: Option<u64>,
    pub last_update_time_ns: Option<u64>,
    pub kind: AssessmentKind,
    pub rationale: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// Id of the assessment this one overrides.
    pub overrides: Option<String>,
    /// False once another assessment overrides this one.
    pub valid: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AssessmentKind {
    /// A judgement; `value` is Null when the judge failed with `error`.
    Feedback { value: Value, error: Option<AssessmentError> },
    /// Ground truth.
    Expectation { value: Value },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentError {
    pub code: Option<String>,
    pub message: Option<String>,
    pub stack_trace: Option<String>,
}

/// Token counts, per span or summed over a trace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub total_tokens: u64,
    pub cache_read_input_tokens: Option<u64>,
    pub cache_creation_input_tokens: Option<u64>,
}

/// Cost in US dollars, per span or summed over a trace.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    pub input_cost: f64,
    pub output_cost: f64,
    pub total_cost: f64,
}

/// Spans and traces for the model's own tests.
#[cfg(test)]
pub mod testing {
    use super::*;

    /// A span named `id`, finished, of type `span_type`.
    pub fn span(id: &str, parent: Option<&str>, span_type: SpanType, start_ns: u64, end_ns: u64) -> Span {
        Span {
            span_id: id.into(),
            parent_id: parent.map(str::to_string),
            otel_trace_id: "0".repeat(32),
            name: id.into(),
            kind: "SPAN_KIND_INTERNAL".into(),
            start_ns,
            end_ns: Some(end_ns),
            status: SpanStatus::default(),
            span_type,
            inputs: None,
            outputs: None,
            attributes: Vec::new(),
            events: Vec::new(),
            links: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_status_codes_read_in_any_case() {
        for (text, code) in
            [("OK", StatusCode::Ok), ("status_code_ok", StatusCode::Ok), ("1", StatusCode::Ok), ("Error", StatusCode::Error)]
                .into_iter()
                .chain([
                    ("STATUS_CODE_ERROR", StatusCode::Error),
                    ("2", StatusCode::Error),
                    ("UNSET", StatusCode::Unset),
                    ("OKAY", StatusCode::Unset),
                ])
        {
            assert_eq!(StatusCode::parse(text), code, "{text}");
        }
        for (text, state) in [("ok", TraceState::Ok), ("STATUS_CODE_ERROR", TraceState::Error), ("in_progress", TraceState::InProgress)]
            .into_iter()
            .chain([("STATE_UNSPECIFIED", TraceState::Unspecified), ("1", TraceState::Unspecified)])
        {
            assert_eq!(TraceState::parse(text), state, "{text}");
        }
    }
}
