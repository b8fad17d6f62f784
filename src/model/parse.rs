//! Format detection and parsers for MLflow's own wire formats.
//!
//! | shape | where it comes from |
//! | --- | --- |
//! | `{"info": …, "data": {"spans": […]}}`, or a list of them | `Trace.to_json()` (v3 info, or v2 info with `request_id`) |
//! | `{"spans": […]}`, optionally with `info`/`trace_info` | get-trace-artifact, the stored trace artifact |
//! | `{"trace": {"trace_info": …, "spans": […]}}` | REST `traces/get`, `GET traces/{id}` (info only) |
//! | `{"traces": [{"trace_info", "spans"}]}` | REST `traces/batchGet` |
//! | `{"traces": [TraceInfoV3 …]}` / `{"trace_infos": […]}` | REST `traces/search`, `batchGetInfos`, v2 `traces` |
//! | `{"resourceSpans": […]}` | OTLP/JSON (see [`super::otlp`]) |
//!
//! Span objects come in three dialects, all handled by [`parse_span`]: the to_json form (attributes are
//! JSON-encoded strings), the OTLP protobuf-JSON form of `traces/get` (attributes are AnyValue lists) and
//! the MLflow 2.x form (`context`, `parent_id`, `status_code`).

use super::error::{describe, key_list, ParseError};
use super::ids::{mlflow_trace_id, nanos_from_json, normalize_id, parse_duration_ns, parse_rfc3339_ns};
use super::otlp;
use super::piecewise::PiecewiseParse;
use super::{
    Assessment, AssessmentError, AssessmentKind, Span, SpanEvent, SpanLink, SpanStatus, SpanType, StatusCode, Trace, TraceInfo, TraceState,
};
use crate::sorting::btree_map;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Parses any supported document into traces. Several JSON documents one after another (JSON Lines, as
/// an OpenTelemetry collector's file exporter writes) are read in turn; OTLP batches are merged so that a
/// trace split across batches comes out whole.
/// [`parse_traces`] on a file's bytes (fetched as bytes, a large file is copied into wasm once instead of
/// being decoded into a JS string and encoded back).
pub fn parse_traces_bytes(bytes: &[u8]) -> Result<Vec<Trace>, ParseError> {
    parse_traces(text_of(bytes)?)
}

/// A file's bytes as text, or why they are not.
pub fn text_of(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|err| ParseError::whole(format!("not a text file (invalid UTF-8 at byte {})", err.valid_up_to())))
}

pub fn parse_traces(text: &str) -> Result<Vec<Trace>, ParseError> {
    PiecewiseParse::new(text).finish()
}

/// [`parse_traces`] in one call (the piece of [`PiecewiseParse`] for shapes it does not split, and where a
/// piece it split cannot be read). What Python's `json` writes beyond JSON (`NaN`, lone surrogates) is
/// repaired only when the text does not read as it is: a valid file pays for no extra pass over its text.
pub(crate) fn parse_whole(text: &str) -> Result<Vec<Trace>, ParseError> {
    parse_whole_as_is(text).or_else(|err| match super::json_text::repaired(text) {
        Some(repaired) => parse_whole_as_is(&repaired),
        None => Err(err),
    })
}

fn parse_whole_as_is(text: &str) -> Result<Vec<Trace>, ParseError> {
    if text.trim_start().is_empty() {
        return Err(ParseError::whole("the file is empty"));
    }
    let mut documents = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        let offset = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Ok(value)) => documents.push(value),
            Some(Err(err)) => {
                let line = text[..offset].matches('\n').count() + err.line();
                let which = if documents.is_empty() { String::new() } else { format!(" in document {}", documents.len() + 1) };
                return Err(ParseError::whole(format!("not valid JSON{which}: {err} (line {line}, column {})", err.column())));
            }
        }
    }
    if documents.len() == 1 {
        return parse_traces_value(&documents[0]);
    }
    let is_otlp = |value: &Value| value.get("resourceSpans").or_else(|| value.get("resource_spans")).is_some_and(Value::is_array);
    if documents.iter().all(is_otlp) {
        let mut merged = Vec::new();
        for mut document in documents {
            let key = if document.get("resourceSpans").is_some() { "resourceSpans" } else { "resource_spans" };
            if let Some(Value::Array(batches)) = document.get_mut(key).map(Value::take) {
                merged.extend(batches);
            }
        }
        return parse_traces_value(&serde_json::json!({ "resourceSpans": merged }));
    }
    let mut traces = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        traces.extend(
            parse_traces_value(document)
                .map_err(|err| ParseError { path: err.path, message: format!("document {}: {}", index + 1, err.message) })?,
        );
    }
    Ok(traces)
}

/// Parses an already decoded JSON document into traces.
pub fn parse_traces_value(value: &Value) -> Result<Vec<Trace>, ParseError> {
    match value {
        Value::Array(items) => {
            let mut traces = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let path = format!("$[{index}]");
                let object = as_object(item, &path)?;
                traces.extend(parse_object(object, &path)?);
            }
            Ok(traces)
        }
        Value::Object(object) => parse_object(object, "$"),
        other => Err(ParseError::whole(format!("expected a trace object or a list of traces, found {}", describe(other)))),
    }
}

pub(crate) fn parse_object(object: &Map<String, Value>, path: &str) -> Result<Vec<Trace>, ParseError> {
    if let Some(data) = object.get("data") {
        // Trace.to_json(): {"info": …, "data": {"spans": […]}}
        let data_path = format!("{path}.data");
        let spans_path = format!("{data_path}.spans");
        let spans = field_array(as_object(data, &data_path)?, "spans", &data_path)?;
        let info_path = format!("{path}.info");
        let info = object.get("info").map(|info| as_object(info, &info_path)).transpose()?;
        return Ok(vec![trace_from_parts(info.map(|info| (info, info_path.as_str())), Some((spans, &spans_path)))?]);
    }
    if object.contains_key("trace_info") {
        // v2 `traces/{id}/info`: {"trace_info": …}
        return Ok(vec![parse_trace_with_info(object, path)?]);
    }
    if let Some(trace) = object.get("trace") {
        // traces/get: {"trace": {"trace_info": …, "spans": […]}}
        let trace_path = format!("{path}.trace");
        return Ok(vec![parse_trace_with_info(as_object(trace, &trace_path)?, &trace_path)?]);
    }
    if object.contains_key("resourceSpans") || object.contains_key("resource_spans") {
        return otlp::parse_export_request(object, path);
    }
    if let Some(spans) = object.get("spans") {
        // get-trace-artifact: {"spans": […]}, possibly with the info beside it.
        let spans_path = format!("{path}.spans");
        let spans = as_array(spans, &spans_path)?;
        let info_key = if object.contains_key("info") { "info" } else { "trace_info" };
        let info_path = format!("{path}.{info_key}");
        let info = object.get(info_key).map(|info| as_object(info, &info_path)).transpose()?;
        return Ok(vec![trace_from_parts(info.map(|info| (info, info_path.as_str())), Some((spans, &spans_path)))?]);
    }
    if let Some(list) = object.get("traces").or_else(|| object.get("trace_infos")) {
        let key = if object.contains_key("traces") { "traces" } else { "trace_infos" };
        let list_path = format!("{path}.{key}");
        let items = as_array(list, &list_path)?;
        let mut traces = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item_path = format!("{list_path}[{index}]");
            let item_object = as_object(item, &item_path)?;
            if item_object.contains_key("trace_info") || item_object.contains_key("spans") {
                traces.push(parse_trace_with_info(item_object, &item_path)?);
            } else {
                traces.push(trace_from_parts(Some((item_object, &item_path)), None)?);
            }
        }
        return Ok(traces);
    }
    if object.contains_key("trace_id") || object.contains_key("request_id") {
        // A bare TraceInfo.
        return Ok(vec![trace_from_parts(Some((object, path)), None)?]);
    }
    if let (Some(code), Some(message)) = (object.get("error_code").and_then(Value::as_str), object.get("message").and_then(Value::as_str)) {
        // An error answer saved in place of the traces (`curl … > traces.json` of a failed request).
        return Err(ParseError::at(path, format!("this is a tracking server's error answer, not traces: {code}: {message}")));
    }
    Err(ParseError::at(
        path,
        format!(
            "this is JSON but not a trace format this viewer knows (found keys {}). Expected Trace.to_json() \
             output, a get-trace-artifact or traces/get response, a traces/search response, or an OTLP/JSON export",
            key_list(object)
        ),
    ))
}

/// `{"trace_info": …, "spans": […]}` as in traces/get and batchGet. traces/get omits empty lists and
/// `GET traces/{id}` has no spans at all, so a missing `spans` means "not loaded".
fn parse_trace_with_info(object: &Map<String, Value>, path: &str) -> Result<Trace, ParseError> {
    let info_path = format!("{path}.trace_info");
    let info = object.get("trace_info").map(|info| as_object(info, &info_path)).transpose()?;
    let spans_path = format!("{path}.spans");
    let spans = object.get("spans").map(|spans| as_array(spans, &spans_path)).transpose()?;
    trace_from_parts(info.map(|info| (info, info_path.as_str())), spans.map(|spans| (spans, spans_path.as_str())))
}

/// Builds a trace from an optional info object and optional spans, each with its JSON path; whatever the
/// info lacks is derived from the spans (as for a bare get-trace-artifact or an OTLP export).
pub(crate) fn trace_from_parts(info: Option<(&Map<String, Value>, &str)>, spans: Option<(&Vec<Value>, &str)>) -> Result<Trace, ParseError> {
    let spans = spans
        .map(|(spans, spans_path)| {
            spans
                .iter()
                .enumerate()
                .map(|(index, span)| {
                    let span_path = format!("{spans_path}[{index}]");
                    parse_span(as_object(span, &span_path)?, &span_path)
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    trace_from_parsed(info, spans)
}

/// [`trace_from_parts`] once the spans are parsed (None: not loaded).
pub(crate) fn trace_from_parsed(info: Option<(&Map<String, Value>, &str)>, spans: Option<Vec<Span>>) -> Result<Trace, ParseError> {
    let info = match info {
        Some((info, info_path)) => parse_trace_info(info, info_path)?,
        None => TraceInfo::default(),
    };
    let spans_loaded = spans.is_some();
    Ok(complete_from_spans(Trace { info, spans: spans.unwrap_or_default(), spans_loaded }))
}

/// The trace a tracking server holds under `trace_id`: the info it answered (`traces/{id}`'s
/// `trace.trace_info`, assessments included) with the spans of its artifact. The artifact is the server's
/// file of what a client uploaded, so it names nothing here: it must be one trace whose spans carry the
/// requested trace's OpenTelemetry id, and its own info (ids, tags, assessments) is never used.
pub fn trace_of_server(trace_id: &str, info: Option<&Value>, mut artifact: Vec<Trace>) -> Result<Trace, ParseError> {
    let info =
        info.filter(|info| !info.is_null()).ok_or_else(|| ParseError::whole(format!("the server sent no trace info for {trace_id}")))?;
    let info = parse_trace_info(as_object(info, "$.trace.trace_info")?, "$.trace.trace_info")?;
    if info.trace_id != trace_id {
        return Err(ParseError::whole(format!("the server answered for {} when asked for {trace_id}", info.trace_id)));
    }
    let spans = match (artifact.pop(), artifact.is_empty()) {
        (Some(only), true) => only.spans,
        (None, _) => return Err(ParseError::whole(format!("the server's spans file for {trace_id} holds no trace"))),
        (Some(_), false) => return Err(ParseError::whole(format!("the server's spans file for {trace_id} holds several traces"))),
    };
    let otel_id = trace_id.strip_prefix("tr-").filter(|hex| hex.len() == 32 && hex.bytes().all(|byte| byte.is_ascii_hexdigit()));
    if let Some(stranger) = otel_id.and_then(|hex| spans.iter().find(|span| !span.otel_trace_id.eq_ignore_ascii_case(hex))) {
        return Err(ParseError::whole(format!(
            "the server's spans file for {trace_id} holds span {} of another trace ({})",
            stranger.span_id,
            mlflow_trace_id(&stranger.otel_trace_id)
        )));
    }
    Ok(complete_from_spans(Trace { info, spans, spans_loaded: true }))
}

/// Fills what an info-less (or partial) trace can learn from its spans: id, times, state.
pub(crate) fn complete_from_spans(mut trace: Trace) -> Trace {
    let root = trace.spans.iter().find(|span| span.parent_id.is_none());
    if trace.info.trace_id.is_empty() {
        let recorded = trace.spans.iter().find_map(|span| match span.attribute("mlflow.traceRequestId") {
            Some(Value::String(id)) => Some(id.clone()),
            _ => None,
        });
        trace.info.trace_id = recorded.or_else(|| trace.spans.first().map(|span| mlflow_trace_id(&span.otel_trace_id))).unwrap_or_default();
    }
    let first_start = trace.spans.iter().map(|span| span.start_ns).min();
    if trace.info.request_time_ns.is_none() {
        trace.info.request_time_ns = root.map(|span| span.start_ns).or(first_start);
    }
    if trace.info.state == TraceState::Unspecified && trace.spans_loaded {
        trace.info.state = match root {
            None if !trace.spans.is_empty() => TraceState::InProgress,
            Some(root) if root.end_ns.is_none() => TraceState::InProgress,
            Some(root) if root.status.code == StatusCode::Error => TraceState::Error,
            _ => TraceState::Ok,
        };
    }
    if trace.info.execution_duration_ns.is_none() && trace.info.state != TraceState::InProgress {
        trace.info.execution_duration_ns = match root {
            Some(root) => root.duration_ns(),
            None => {
                let last_end = trace.spans.iter().filter_map(|span| span.end_ns).max();
                first_start.zip(last_end).map(|(start, end)| end.saturating_sub(start))
            }
        };
    }
    trace
}

/// TraceInfo in its v3 (`trace_id`, `request_time`, `state`) and v2 (`request_id`, `timestamp_ms`,
/// `status`) forms.
pub(crate) fn parse_trace_info(object: &Map<String, Value>, path: &str) -> Result<TraceInfo, ParseError> {
    let trace_id = match object.get("trace_id").or_else(|| object.get("request_id")) {
        Some(Value::String(id)) => id.clone(),
        Some(other) => return Err(ParseError::at(format!("{path}.trace_id"), format!("expected a string, found {}", describe(other)))),
        None => String::new(),
    };
    let mut info = TraceInfo { trace_id, ..TraceInfo::default() };
    info.experiment_id = object
        .get("trace_location")
        .and_then(|location| location.pointer("/mlflow_experiment/experiment_id"))
        .or_else(|| object.get("experiment_id"))
        .and_then(value_as_text);
    info.client_request_id = optional_string(object, "client_request_id");

    if let Some(time) = object.get("request_time") {
        let text = time.as_str().ok_or_else(|| {
            ParseError::at(format!("{path}.request_time"), format!("expected an RFC 3339 time, found {}", describe(time)))
        })?;
        info.request_time_ns = Some(
            parse_rfc3339_ns(text)
                .ok_or_else(|| ParseError::at(format!("{path}.request_time"), format!("\"{text}\" is not an RFC 3339 time")))?,
        );
    } else if let Some(millis) = object.get("timestamp_ms") {
        info.request_time_ns = Some(millis_field(millis, &format!("{path}.timestamp_ms"))?.saturating_mul(1_000_000));
    }

    info.state =
        ["state", "status"].iter().find_map(|key| object.get(*key).and_then(Value::as_str)).map(TraceState::parse).unwrap_or_default();

    if info.state != TraceState::InProgress {
        if let Some(duration) = object.get("execution_duration") {
            let text = duration.as_str().unwrap_or_default();
            info.execution_duration_ns = Some(parse_duration_ns(text).ok_or_else(|| {
                ParseError::at(
                    format!("{path}.execution_duration"),
                    format!("expected a duration like \"0.102s\", found {}", describe(duration)),
                )
            })?);
        } else if let Some((key, millis)) =
            ["execution_duration_ms", "execution_time_ms"].iter().find_map(|key| object.get(*key).map(|value| (*key, value)))
        {
            info.execution_duration_ns = Some(millis_field(millis, &format!("{path}.{key}"))?.saturating_mul(1_000_000));
        }
    }

    info.request_preview = optional_string(object, "request_preview");
    info.response_preview = optional_string(object, "response_preview");
    info.metadata = string_map(object.get("trace_metadata").or_else(|| object.get("request_metadata")));
    info.tags = string_map(object.get("tags"));
    if let Some(assessments) = object.get("assessments") {
        let list_path = format!("{path}.assessments");
        for (index, item) in as_array(assessments, &list_path)?.iter().enumerate() {
            let item_path = format!("{list_path}[{index}]");
            info.assessments.push(parse_assessment(as_object(item, &item_path)?, &item_path)?);
        }
    }
    Ok(info)
}

/// One assessment as the REST API returns it (`{"assessment": {…}}` answers).
pub fn parse_assessment_value(value: &Value) -> Result<Assessment, ParseError> {
    parse_assessment(as_object(value, "assessment")?, "assessment")
}

fn parse_assessment(object: &Map<String, Value>, path: &str) -> Result<Assessment, ParseError> {
    let name = optional_string(object, "assessment_name")
        .or_else(|| optional_string(object, "name"))
        .ok_or_else(|| ParseError::at(format!("{path}.assessment_name"), "an assessment needs a name"))?;
    let kind = if let Some(feedback) = object.get("feedback") {
        let error = feedback.get("error").filter(|e| !e.is_null()).map(|error| AssessmentError {
            code: error.get("error_code").and_then(value_as_text),
            message: error.get("error_message").and_then(value_as_text),
            stack_trace: error.get("stack_trace").and_then(value_as_text),
        });
        AssessmentKind::Feedback { value: feedback.get("value").cloned().unwrap_or(Value::Null), error }
    } else if let Some(expectation) = object.get("expectation") {
        let value = match (expectation.get("value"), expectation.get("serialized_value")) {
            (Some(value), _) => value.clone(),
            // List- and object-valued expectations are stored serialized as JSON text.
            (None, Some(serialized)) => serialized
                .get("value")
                .and_then(Value::as_str)
                .map(|text| serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())))
                .unwrap_or(Value::Null),
            (None, None) => Value::Null,
        };
        AssessmentKind::Expectation { value }
    } else {
        return Err(ParseError::at(path, format!("assessment \"{name}\" has neither feedback nor expectation")));
    };
    let time = |key: &str| object.get(key).and_then(Value::as_str).and_then(parse_rfc3339_ns);
    Ok(Assessment {
        assessment_id: optional_string(object, "assessment_id").unwrap_or_default(),
        name,
        trace_id: optional_string(object, "trace_id").unwrap_or_default(),
        span_id: object.get("span_id").and_then(Value::as_str).and_then(normalize_id),
        source_type: object
            .get("source")
            .and_then(|source| source.get("source_type"))
            .and_then(value_as_text)
            .unwrap_or_else(|| "SOURCE_TYPE_UNSPECIFIED".into()),
        source_id: object.get("source").and_then(|source| source.get("source_id")).and_then(value_as_text),
        create_time_ns: time("create_time"),
        last_update_time_ns: time("last_update_time"),
        kind,
        rationale: optional_string(object, "rationale"),
        metadata: string_map(object.get("metadata")),
        overrides: optional_string(object, "overrides"),
        valid: object.get("valid").and_then(Value::as_bool).unwrap_or(true),
    })
}

/// One span in any of MLflow's dialects (to_json, OTLP protobuf-JSON, 2.x).
pub(crate) fn parse_span(object: &Map<String, Value>, path: &str) -> Result<Span, ParseError> {
    let context = object.get("context").and_then(Value::as_object);
    let id_field = |keys: &[&'static str]| -> Option<(&'static str, &Value)> {
        keys.iter().find_map(|key| {
            object
                .get(*key)
                .or_else(|| context.and_then(|context| context.get(*key)))
                .filter(|value| !value.is_null())
                .map(|value| (*key, value))
        })
    };
    let parse_id = |key: &str, value: &Value| -> Result<String, ParseError> {
        value
            .as_str()
            .and_then(normalize_id)
            .ok_or_else(|| ParseError::at(format!("{path}.{key}"), format!("expected a hex or base64 id, found {}", describe(value))))
    };
    let (span_key, span_value) = id_field(&["span_id", "spanId"])
        .ok_or_else(|| ParseError::at(path, format!("a span needs a span_id (found keys {})", key_list(object))))?;
    let span_id = parse_id(span_key, span_value)?;
    let parent_id = match id_field(&["parent_span_id", "parentSpanId", "parent_id"]) {
        // OTLP/JSON writes "" for a root span's parent.
        Some((_, Value::String(text))) if text.is_empty() => None,
        Some((key, value)) => Some(parse_id(key, value)?),
        None => None,
    };
    let otel_trace_id = match id_field(&["trace_id", "traceId"]) {
        Some((key, value)) => parse_id(key, value)?,
        None => String::new(),
    };

    let name = match object.get("name") {
        Some(Value::String(name)) => name.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => return Err(ParseError::at(format!("{path}.name"), format!("expected a string, found {}", describe(other)))),
    };
    let (start_key, start) = time_field(object, &["start_time_unix_nano", "startTimeUnixNano", "start_time"])
        .ok_or_else(|| ParseError::at(path, format!("span \"{name}\" has no start time")))?;
    let start_ns = nanos_from_json(start)
        .ok_or_else(|| ParseError::at(format!("{path}.{start_key}"), format!("expected integer nanoseconds, found {}", describe(start))))?;
    let end_ns = match time_field(object, &["end_time_unix_nano", "endTimeUnixNano", "end_time"]) {
        Some((key, value)) => {
            let end = nanos_from_json(value).ok_or_else(|| {
                ParseError::at(format!("{path}.{key}"), format!("expected integer nanoseconds, found {}", describe(value)))
            })?;
            // A running span is written with end 0.
            (end != 0).then_some(end)
        }
        None => None,
    };

    let attributes = match object.get("attributes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map.iter().map(|(key, value)| (key.clone(), decode_json_string(value))).collect(),
        Some(Value::Array(list)) => otlp::key_values(list, &format!("{path}.attributes"), otlp::StringDecoding::detect(list))?,
        Some(other) => {
            return Err(ParseError::at(format!("{path}.attributes"), format!("expected an object or a list, found {}", describe(other))))
        }
    };

    let status = parse_status(object);
    let kind = match object.get("kind") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Number(n)) => otlp::span_kind_name(n.as_i64().unwrap_or(0)).to_string(),
        _ => "SPAN_KIND_INTERNAL".to_string(),
    };
    let mut events = Vec::new();
    if let Some(list) = object.get("events").and_then(Value::as_array) {
        for (index, event) in list.iter().enumerate() {
            let event_path = format!("{path}.events[{index}]");
            events.push(parse_event(as_object(event, &event_path)?, &event_path)?);
        }
    }
    let mut links = Vec::new();
    if let Some(list) = object.get("links").and_then(Value::as_array) {
        for (index, link) in list.iter().enumerate() {
            let link_path = format!("{path}.links[{index}]");
            let link = as_object(link, &link_path)?;
            let text = |keys: &[&str]| keys.iter().find_map(|key| link.get(*key).and_then(Value::as_str));
            links.push(SpanLink {
                trace_id: text(&["trace_id", "traceId"]).map(|id| normalize_id(id).unwrap_or_else(|| id.to_string())).unwrap_or_default(),
                span_id: text(&["span_id", "spanId"]).map(|id| normalize_id(id).unwrap_or_else(|| id.to_string())).unwrap_or_default(),
                attributes: event_attributes(link.get("attributes"), &format!("{link_path}.attributes"))?,
            });
        }
    }

    let mut span = Span {
        span_id,
        parent_id,
        otel_trace_id,
        name,
        kind,
        start_ns,
        end_ns,
        status,
        span_type: SpanType::Unknown,
        inputs: None,
        outputs: None,
        attributes,
        events,
        links,
    };
    otlp::apply_semantics(&mut span);
    // MLflow 2.x kept inputs and outputs as top-level fields in some exports.
    if span.inputs.is_none() {
        span.inputs = object.get("inputs").cloned();
    }
    if span.outputs.is_none() {
        span.outputs = object.get("outputs").cloned();
    }
    Ok(span)
}

fn parse_status(object: &Map<String, Value>) -> SpanStatus {
    match object.get("status") {
        Some(Value::Object(status)) => SpanStatus {
            code: match status.get("code") {
                Some(Value::String(code)) => StatusCode::parse(code),
                Some(Value::Number(code)) => StatusCode::parse(&code.to_string()),
                _ => StatusCode::Unset,
            },
            message: status.get("message").and_then(Value::as_str).unwrap_or_default().to_string(),
        },
        // MLflow 2.x: "status_code": "OK", "status_message": "…"
        _ => SpanStatus {
            code: object.get("status_code").and_then(Value::as_str).map(StatusCode::parse).unwrap_or_default(),
            message: object.get("status_message").and_then(Value::as_str).unwrap_or_default().to_string(),
        },
    }
}

fn parse_event(object: &Map<String, Value>, path: &str) -> Result<SpanEvent, ParseError> {
    let time_ns =
        time_field(object, &["time_unix_nano", "timeUnixNano", "timestamp"]).and_then(|(_, value)| nanos_from_json(value)).unwrap_or(0);
    Ok(SpanEvent {
        name: object.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
        time_ns,
        attributes: event_attributes(object.get("attributes"), &format!("{path}.attributes"))?,
    })
}

/// Event and link attributes: raw values in the to_json form (not JSON-encoded), AnyValue lists in OTLP.
fn event_attributes(value: Option<&Value>, path: &str) -> Result<Vec<(String, Value)>, ParseError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => Ok(map.iter().map(|(key, value)| (key.clone(), value.clone())).collect()),
        Some(Value::Array(list)) => otlp::key_values(list, path, otlp::StringDecoding::Raw),
        Some(other) => Err(ParseError::at(path, format!("expected an object or a list, found {}", describe(other)))),
    }
}

/// to_json span attributes are JSON-encoded strings; a value that is not valid JSON is kept as text. Python's
/// `NaN` and `Infinity` in one (a float logged as an output) are read as null, as in a whole file.
fn decode_json_string(value: &Value) -> Value {
    match value {
        Value::String(text) => super::json_text::decode(text).unwrap_or_else(|| value.clone()),
        other => other.clone(),
    }
}

fn time_field<'a>(object: &'a Map<String, Value>, keys: &[&'a str]) -> Option<(&'a str, &'a Value)> {
    keys.iter().find_map(|key| object.get(*key).filter(|value| !value.is_null()).map(|value| (*key, value)))
}

fn millis_field(value: &Value, path: &str) -> Result<u64, ParseError> {
    nanos_from_json(value).ok_or_else(|| ParseError::at(path, format!("expected integer milliseconds, found {}", describe(value))))
}

pub(crate) fn as_object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ParseError> {
    value.as_object().ok_or_else(|| ParseError::at(path, format!("expected an object, found {}", describe(value))))
}

pub(crate) fn as_array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, ParseError> {
    value.as_array().ok_or_else(|| ParseError::at(path, format!("expected a list, found {}", describe(value))))
}

fn field_array<'a>(object: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a Vec<Value>, ParseError> {
    let value = object.get(key).ok_or_else(|| ParseError::at(path, format!("missing \"{key}\"")))?;
    as_array(value, &format!("{path}.{key}"))
}

fn optional_string(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(value_as_text)
}

/// Strings as they are, numbers and booleans as their JSON text; null and containers as None.
pub(crate) fn value_as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string map given as an object (`{"k": "v"}`) or as MLflow 2.x key/value pairs (`[{"key", "value"}]`).
fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    match value {
        Some(Value::Object(map)) => {
            btree_map(map.iter().map(|(key, value)| (key.clone(), value_as_text(value).unwrap_or_else(|| value.to_string()))))
        }
        Some(Value::Array(pairs)) => btree_map(pairs.iter().filter_map(|pair| {
            let key = pair.get("key")?.as_str()?.to_string();
            let value = pair.get("value").and_then(value_as_text).unwrap_or_default();
            Some((key, value))
        })),
        _ => BTreeMap::new(),
    }
}
