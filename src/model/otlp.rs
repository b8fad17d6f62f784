//! OpenTelemetry: OTLP/JSON `ExportTraceServiceRequest` files, AnyValue attributes, and the GenAI
//! semantic conventions (`gen_ai.*`) mapped the way MLflow maps them when it ingests OTLP.

use super::error::{describe, ParseError};
use super::ids::mlflow_trace_id;
use super::parse::{as_array, as_object, complete_from_spans, parse_span, value_as_text};
use super::{Span, SpanType, Trace, TraceInfo};
use crate::sorting::json_object;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// `{"resourceSpans": [{"resource": …, "scopeSpans": [{"spans": […]}]}]}` as a collector writes it. Spans are
/// grouped into traces by trace id, in the order traces first appear; resource attributes become trace
/// tags, as MLflow does on ingest.
pub fn parse_export_request(object: &Map<String, Value>, path: &str) -> Result<Vec<Trace>, ParseError> {
    let key = if object.contains_key("resourceSpans") { "resourceSpans" } else { "resource_spans" };
    let resources_path = format!("{path}.{key}");
    let mut traces: Vec<Trace> = Vec::new();
    let mut trace_index_by_id: HashMap<String, usize> = HashMap::new();
    for (resource_index, resource_spans) in as_array(&object[key], &resources_path)?.iter().enumerate() {
        let resource_path = format!("{resources_path}[{resource_index}]");
        let resource_spans = as_object(resource_spans, &resource_path)?;
        let resource_tags = match resource_spans.get("resource").and_then(|resource| resource.get("attributes")) {
            Some(Value::Array(list)) => key_values(list, &format!("{resource_path}.resource.attributes"), StringDecoding::Raw)?,
            _ => Vec::new(),
        };
        let scopes_key =
            ["scopeSpans", "scope_spans", "instrumentationLibrarySpans"].into_iter().find(|key| resource_spans.contains_key(*key));
        let Some(scopes_key) = scopes_key else { continue };
        let scopes_path = format!("{resource_path}.{scopes_key}");
        for (scope_index, scope) in as_array(&resource_spans[scopes_key], &scopes_path)?.iter().enumerate() {
            let scope_path = format!("{scopes_path}[{scope_index}]");
            let Some(spans) = as_object(scope, &scope_path)?.get("spans") else { continue };
            let spans_path = format!("{scope_path}.spans");
            for (span_index, span) in as_array(spans, &spans_path)?.iter().enumerate() {
                let span_path = format!("{spans_path}[{span_index}]");
                let span = parse_span(as_object(span, &span_path)?, &span_path)?;
                let index = *trace_index_by_id.entry(span.otel_trace_id.clone()).or_insert_with(|| {
                    let mut info = TraceInfo { trace_id: mlflow_trace_id(&span.otel_trace_id), ..TraceInfo::default() };
                    for (key, value) in &resource_tags {
                        info.tags.insert(key.clone(), value_as_text(value).unwrap_or_else(|| value.to_string()));
                    }
                    traces.push(Trace { info, spans: Vec::new(), spans_loaded: true });
                    traces.len() - 1
                });
                traces[index].spans.push(span);
            }
        }
    }
    Ok(traces.into_iter().map(with_root_identity).map(complete_from_spans).collect())
}

/// MLflow copies the root span's `user.id` and `session.id` into the trace's user and session metadata.
fn with_root_identity(mut trace: Trace) -> Trace {
    if let Some(root) = trace.spans.iter().find(|span| span.parent_id.is_none()) {
        for (attribute, metadata_key) in [("user.id", "mlflow.trace.user"), ("session.id", "mlflow.trace.session")] {
            if let Some(value) = root.attribute(attribute).and_then(value_as_text) {
                trace.info.metadata.entry(metadata_key.to_string()).or_insert(value);
            }
        }
    }
    trace
}

/// How string AnyValues of one span are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringDecoding {
    /// Strings are plain text (OpenTelemetry SDKs, and MLflow's `traces/get`, which decodes them itself).
    Raw,
    /// Every value is a JSON-encoded string, as the MLflow SDK writes attributes when it exports OTLP.
    JsonEncoded,
}

impl StringDecoding {
    /// MLflow-SDK spans are recognised by their `mlflow.spanType` or `mlflow.traceRequestId` being JSON text.
    pub fn detect(list: &[Value]) -> StringDecoding {
        let encoded = list.iter().any(|entry| {
            matches!(entry.get("key").and_then(Value::as_str), Some("mlflow.spanType" | "mlflow.traceRequestId"))
                && entry
                    .get("value")
                    .and_then(|value| value.get("stringValue").or_else(|| value.get("string_value")))
                    .and_then(Value::as_str)
                    .is_some_and(|text| text.starts_with('"'))
        });
        if encoded {
            StringDecoding::JsonEncoded
        } else {
            StringDecoding::Raw
        }
    }
}

/// An OTLP key/value list (`[{"key": …, "value": AnyValue}]`) as decoded pairs.
pub fn key_values(list: &[Value], path: &str, strings: StringDecoding) -> Result<Vec<(String, Value)>, ParseError> {
    let mut pairs = Vec::with_capacity(list.len());
    for (index, entry) in list.iter().enumerate() {
        let entry_path = format!("{path}[{index}]");
        let entry = as_object(entry, &entry_path)?;
        let key = entry.get("key").and_then(Value::as_str).ok_or_else(|| ParseError::at(&entry_path, "an attribute needs a \"key\""))?;
        let value = match entry.get("value") {
            // MLflow writes a None attribute as a key with no value.
            None | Some(Value::Null) => Value::Null,
            Some(value) => any_value(value, &format!("{entry_path}.value"), strings)?,
        };
        pairs.push((key.to_string(), value));
    }
    Ok(pairs)
}

/// An OTLP AnyValue (protobuf JSON, snake_case or camelCase) as a plain JSON value.
pub fn any_value(value: &Value, path: &str, strings: StringDecoding) -> Result<Value, ParseError> {
    let object = as_object(value, path)?;
    let field = |snake: &str, camel: &str| object.get(snake).or_else(|| object.get(camel));
    if let Some(text) = field("string_value", "stringValue") {
        let text = text.as_str().unwrap_or_default();
        return Ok(match strings {
            StringDecoding::JsonEncoded => super::json_text::decode(text).unwrap_or_else(|| Value::String(text.to_string())),
            StringDecoding::Raw => Value::String(text.to_string()),
        });
    }
    if let Some(int) = field("int_value", "intValue") {
        // proto3 JSON writes int64 as a string.
        return match int {
            Value::Number(_) => Ok(int.clone()),
            Value::String(text) => text
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| ParseError::at(path, format!("intValue is not an integer: {}", describe(int)))),
            other => Err(ParseError::at(path, format!("intValue is not an integer: {}", describe(other)))),
        };
    }
    if let Some(double) = field("double_value", "doubleValue") {
        return Ok(match double {
            Value::String(text) => {
                text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null)
            }
            other => other.clone(),
        });
    }
    if let Some(boolean) = field("bool_value", "boolValue") {
        return Ok(boolean.clone());
    }
    if let Some(array) = field("array_value", "arrayValue") {
        let values = array.get("values").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let mut items = Vec::with_capacity(values.len());
        for (index, item) in values.iter().enumerate() {
            items.push(any_value(item, &format!("{path}.values[{index}]"), strings)?);
        }
        return Ok(Value::Array(items));
    }
    if let Some(kvlist) = field("kvlist_value", "kvlistValue") {
        let values = kvlist.get("values").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        return Ok(json_object(key_values(values, &format!("{path}.values"), strings)?));
    }
    if let Some(bytes) = field("bytes_value", "bytesValue") {
        return Ok(bytes.clone());
    }
    // An empty AnyValue is how protobuf writes an unset value.
    Ok(Value::Null)
}

/// OTLP's numeric span kinds by name.
pub fn span_kind_name(kind: i64) -> &'static str {
    match kind {
        2 => "SPAN_KIND_SERVER",
        3 => "SPAN_KIND_CLIENT",
        4 => "SPAN_KIND_PRODUCER",
        5 => "SPAN_KIND_CONSUMER",
        _ => "SPAN_KIND_INTERNAL",
    }
}

/// Sets the span's type, inputs and outputs from MLflow's attributes or, for spans that only carry the
/// GenAI semantic conventions, from `gen_ai.*` as MLflow maps them on ingest. Inputs and outputs are moved
/// out of the attribute list so that large payloads are held once.
pub fn apply_semantics(span: &mut Span) {
    span.inputs = take_attribute(span, "mlflow.spanInputs");
    span.outputs = take_attribute(span, "mlflow.spanOutputs");
    span.span_type = match span.attribute("mlflow.spanType") {
        Some(Value::String(text)) => SpanType::parse(text),
        _ => match span.attribute("gen_ai.operation.name").and_then(Value::as_str) {
            Some("chat") => SpanType::ChatModel,
            Some("invoke_agent" | "create_agent") => SpanType::Agent,
            Some("execute_tool") => SpanType::Tool,
            Some("embeddings") => SpanType::Embedding,
            Some("text_completion" | "generate_content" | "response") => SpanType::Llm,
            _ => SpanType::Unknown,
        },
    };
    if span.inputs.is_none() {
        span.inputs =
            ["gen_ai.input.messages", "gen_ai.tool.call.arguments"].iter().find_map(|key| span.attribute(key)).map(json_text_to_value);
    }
    if span.outputs.is_none() {
        span.outputs =
            ["gen_ai.output.messages", "gen_ai.tool.call.result"].iter().find_map(|key| span.attribute(key)).map(json_text_to_value);
    }
}

fn take_attribute(span: &mut Span, key: &str) -> Option<Value> {
    let index = span.attributes.iter().position(|(k, _)| k == key)?;
    Some(span.attributes.remove(index).1)
}

/// GenAI attributes carry JSON as text; show the structure when it parses, the text otherwise.
pub fn json_text_to_value(value: &Value) -> Value {
    match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}
