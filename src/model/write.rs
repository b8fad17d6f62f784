//! Writing traces back out in `Trace.to_json()` form (what MLflow's SDK writes and this viewer reads):
//! base64 ids, nanosecond integers, attributes as JSON-encoded strings.

use super::ids::{decode_hex, encode_base64, format_rfc3339};
use super::{Assessment, AssessmentKind, Span, StatusCode, Trace, TraceInfo};
use crate::sorting::json_object;
use serde_json::{json, Map, Value};

/// A list of traces as one JSON document, loadable by this viewer and by `mlflow.entities.Trace.from_dict`.
pub fn traces_to_json(traces: &[&Trace]) -> String {
    Value::Array(traces.iter().map(|trace| trace_to_json(trace)).collect()).to_string()
}

pub fn trace_to_json(trace: &Trace) -> Value {
    json!({
        "info": info_to_json(&trace.info),
        "data": {"spans": trace.spans.iter().map(span_to_json).collect::<Vec<_>>()},
    })
}

fn info_to_json(info: &TraceInfo) -> Value {
    let mut object = Map::new();
    object.insert("trace_id".into(), json!(info.trace_id));
    if let Some(experiment_id) = &info.experiment_id {
        object.insert("trace_location".into(), json!({"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": experiment_id}}));
    }
    if let Some(time) = info.request_time_ns {
        object.insert("request_time".into(), json!(format_rfc3339(time)));
    }
    if let Some(duration) = info.execution_duration_ns {
        object.insert("execution_duration_ms".into(), json!(duration / 1_000_000));
    }
    object.insert("state".into(), json!(info.state.as_str()));
    for (key, value) in [
        ("request_preview", &info.request_preview),
        ("response_preview", &info.response_preview),
        ("client_request_id", &info.client_request_id),
    ] {
        if let Some(value) = value {
            object.insert(key.into(), json!(value));
        }
    }
    object.insert("trace_metadata".into(), json!(info.metadata));
    object.insert("tags".into(), json!(info.tags));
    object.insert("assessments".into(), Value::Array(info.assessments.iter().map(assessment_to_json).collect()));
    Value::Object(object)
}

/// The body of the REST API's create-assessment request (`POST traces/{id}/assessments`): the assessment
/// without the id and times the server assigns.
pub fn assessment_request(assessment: &Assessment) -> Value {
    let mut body = assessment_to_json(assessment);
    if let Some(object) = body.as_object_mut() {
        for key in ["assessment_id", "create_time", "last_update_time"] {
            object.remove(key);
        }
    }
    json!({ "assessment": body })
}

fn assessment_to_json(assessment: &Assessment) -> Value {
    let mut object = Map::new();
    object.insert("assessment_id".into(), json!(assessment.assessment_id));
    object.insert("assessment_name".into(), json!(assessment.name));
    object.insert("trace_id".into(), json!(assessment.trace_id));
    if let Some(span_id) = &assessment.span_id {
        object.insert("span_id".into(), json!(span_id));
    }
    let mut source = json!({"source_type": assessment.source_type});
    if let Some(source_id) = &assessment.source_id {
        source["source_id"] = json!(source_id);
    }
    object.insert("source".into(), source);
    for (key, time) in [("create_time", assessment.create_time_ns), ("last_update_time", assessment.last_update_time_ns)] {
        if let Some(time) = time {
            object.insert(key.into(), json!(format_rfc3339(time)));
        }
    }
    match &assessment.kind {
        AssessmentKind::Feedback { value, error } => {
            let mut feedback = json!({"value": value});
            if let Some(error) = error {
                feedback["error"] = json!({"error_code": error.code, "error_message": error.message, "stack_trace": error.stack_trace});
            }
            object.insert("feedback".into(), feedback);
        }
        AssessmentKind::Expectation { value } => {
            object.insert("expectation".into(), json!({"value": value}));
        }
    }
    if let Some(rationale) = &assessment.rationale {
        object.insert("rationale".into(), json!(rationale));
    }
    if !assessment.metadata.is_empty() {
        object.insert("metadata".into(), json!(assessment.metadata));
    }
    if let Some(overrides) = &assessment.overrides {
        object.insert("overrides".into(), json!(overrides));
    }
    object.insert("valid".into(), json!(assessment.valid));
    Value::Object(object)
}

/// A span as `Span.to_dict()` writes it; attribute values JSON-encoded as Python encodes them.
pub fn span_to_json(span: &Span) -> Value {
    let id = |hex: &str| decode_hex(hex).map(|bytes| encode_base64(&bytes)).unwrap_or_else(|| hex.to_string());
    let mut attributes = Map::new();
    for (key, value) in &span.attributes {
        attributes.insert(key.clone(), json!(python_json(value, false)));
    }
    // Inputs and outputs were moved out of the attributes when parsed; they go back where MLflow keeps them.
    if let Some(inputs) = &span.inputs {
        attributes.insert("mlflow.spanInputs".into(), json!(python_json(inputs, false)));
    }
    if let Some(outputs) = &span.outputs {
        attributes.insert("mlflow.spanOutputs".into(), json!(python_json(outputs, false)));
    }
    let raw = |pairs: &[(String, Value)]| json_object(pairs.iter().cloned());
    json!({
        "trace_id": id(&span.otel_trace_id),
        "span_id": id(&span.span_id),
        "parent_span_id": span.parent_id.as_deref().map(id),
        "name": span.name,
        "kind": span.kind,
        "start_time_unix_nano": span.start_ns,
        "end_time_unix_nano": span.end_ns,
        "status": {
            "code": match span.status.code {
                StatusCode::Ok => "STATUS_CODE_OK",
                StatusCode::Error => "STATUS_CODE_ERROR",
                StatusCode::Unset => "STATUS_CODE_UNSET",
            },
            "message": span.status.message,
        },
        "events": span.events.iter().map(|event| json!({
            "name": event.name,
            "time_unix_nano": event.time_ns,
            "attributes": raw(&event.attributes),
        })).collect::<Vec<_>>(),
        "attributes": attributes,
        "links": span.links.iter().map(|link| json!({
            "trace_id": link.trace_id,
            "span_id": link.span_id,
            "attributes": raw(&link.attributes),
        })).collect::<Vec<_>>(),
    })
}

/// JSON as Python's `json.dumps` writes it (", " and ": " separators; non-ASCII escaped with `ensure_ascii`),
/// which is how MLflow stores assessment values (escaped) and spans (not escaped).
pub fn python_json(value: &Value, ensure_ascii: bool) -> String {
    let mut out = String::new();
    write_python_json(value, ensure_ascii, &mut out);
    out
}

fn write_python_json(value: &Value, ensure_ascii: bool, out: &mut String) {
    match value {
        Value::String(text) => write_python_str(text, ensure_ascii, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_python_json(item, ensure_ascii, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_python_str(key, ensure_ascii, out);
                out.push_str(": ");
                write_python_json(item, ensure_ascii, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn write_python_str(text: &str, ensure_ascii: bool, out: &mut String) {
    out.push('"');
    // Runs of characters that need no escape are copied whole.
    let mut plain_from = 0;
    for (at, c) in text.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) > 0x7e) => "",
            _ => continue,
        };
        out.push_str(&text[plain_from..at]);
        plain_from = at + c.len_utf8();
        if escape.is_empty() {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}
