//! The tracking server's metrics, computed in the browser from loaded traces: for trace files, and for servers
//! without the metrics endpoint. Each rule below is the server's (MLflow 3.x `sql_trace_metrics_utils`), so
//! both paths give the same figures:
//! - a trace's time is its request time; a span's bucket is its start, but span counts and latencies are
//!   kept to the range by their trace's time (costs by the span's own start);
//! - latencies are whole milliseconds, rounded down;
//! - token counts come from the trace's `mlflow.trace.tokenUsage` (a trace without the key has no value,
//!   rather than zero); a file without that metadata falls back to the sum over its spans;
//! - only valid assessments count (an overridden one is not); an assessment's value is its JSON text as
//!   Python writes it, and its numeric value is the number, 1/0 for booleans and for "yes"/"no";
//! - percentiles interpolate linearly between the two nearest values;
//! - items without a value or without one of the dimensions are left out.

use super::query::{Aggregation, DataPoint, MetricsQuery, ViewType, TIME_BUCKET};
use super::time::UtcTime;
use crate::model::write::python_json;
use crate::model::{AssessmentKind, Span, StatusCode, Trace};
use crate::sorting::{btree_map, sort_by};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The figures `query` asks for, over `traces`; an error names a filter or metric this does not know.
pub fn compute(traces: &[Arc<Trace>], query: &MetricsQuery) -> Result<Vec<DataPoint>, String> {
    let filters: Vec<Filter> = query.filters.iter().map(|text| Filter::parse(text)).collect::<Result<_, _>>()?;
    let mut groups: BTreeMap<(Option<i64>, Vec<String>), Samples> = BTreeMap::new();
    let in_range = |ms: i64| query.start_ms.is_none_or(|start| ms >= start) && query.end_ms.is_none_or(|end| ms <= end);
    let mut add = |time_ms: i64, dimensions: Option<Vec<String>>, sample: Option<Sample>| {
        if let (Some(dimensions), Some(sample)) = (dimensions, sample) {
            let bucket = query.bucket_ms.map(|size| time_ms.div_euclid(size) * size);
            groups.entry((bucket, dimensions)).or_default().push(sample);
        }
    };
    for trace in traces {
        let trace_ms = trace_time_ms(trace);
        if !filters.iter().all(|filter| filter.keeps_trace(trace)) {
            continue;
        }
        match query.view {
            ViewType::Traces => {
                if in_range(trace_ms) {
                    add(trace_ms, trace_dimensions(trace, &query.dimensions), trace_sample(trace, query.metric)?);
                }
            }
            ViewType::Spans => {
                let is_cost = query.metric.ends_with("_cost");
                for span in trace.spans.iter().filter(|span| filters.iter().all(|filter| filter.keeps_span(span))) {
                    let span_ms = (span.start_ns / 1_000_000) as i64;
                    if in_range(if is_cost { span_ms } else { trace_ms }) {
                        add(span_ms, span_dimensions(span, &query.dimensions), span_sample(span, query.metric)?);
                    }
                }
            }
            ViewType::Assessments => {
                if !in_range(trace_ms) {
                    continue;
                }
                let valid = trace.info.assessments.iter().filter(|a| a.valid);
                for assessment in valid.filter(|a| filters.iter().all(|filter| filter.keeps_assessment(a))) {
                    let value = assessment_value(assessment);
                    let dimensions = query
                        .dimensions
                        .iter()
                        .map(|name| match *name {
                            "assessment_name" => Some(assessment.name.clone()),
                            "assessment_value" => Some(python_json(value, true)),
                            _ => None,
                        })
                        .collect();
                    let sample = match query.metric {
                        "assessment_count" => Some(Sample::Number(1.0)),
                        "assessment_value" => numeric_value(value).map(Sample::Number),
                        other => return Err(unknown_metric(other, query.view)),
                    };
                    add(trace_ms, dimensions, sample);
                }
            }
        }
    }
    Ok(groups
        .into_iter()
        .map(|((bucket, values), samples)| {
            let mut dimensions = btree_map(query.dimensions.iter().map(|name| name.to_string()).zip(values));
            if let Some(bucket) = bucket {
                dimensions.insert(TIME_BUCKET.into(), UtcTime::of(bucket).iso());
            }
            let values = btree_map(query.aggregations.iter().map(|aggregation| (aggregation.key(), samples.aggregate(*aggregation))));
            DataPoint { dimensions, values }
        })
        .collect())
}

/// The request time in Unix milliseconds.
pub fn trace_time_ms(trace: &Trace) -> i64 {
    (trace.info.request_time_ns.unwrap_or(0) / 1_000_000) as i64
}

fn unknown_metric(metric: &str, view: ViewType) -> String {
    format!("The metric {metric} is not known for {}.", view.as_str())
}

fn trace_sample(trace: &Trace, metric: &str) -> Result<Option<Sample>, String> {
    Ok(match metric {
        "trace_count" => Some(Sample::Number(1.0)),
        "session_count" => trace.session().map(|id| Sample::Distinct(id.to_string())),
        "latency" => trace.info.execution_duration_ns.map(|ns| (ns / 1_000_000) as f64).map(Sample::Number),
        "input_tokens" | "output_tokens" | "total_tokens" | "cache_read_input_tokens" | "cache_creation_input_tokens" => {
            trace_tokens(trace, metric).map(Sample::Number)
        }
        other => return Err(unknown_metric(other, ViewType::Traces)),
    })
}

/// One token count of a trace: the key of `mlflow.trace.tokenUsage`, else the sum over spans.
fn trace_tokens(trace: &Trace, key: &str) -> Option<f64> {
    if let Some(text) = trace.info.metadata.get("mlflow.trace.tokenUsage") {
        let usage: Value = serde_json::from_str(text).ok()?;
        return usage.get(key).and_then(Value::as_f64);
    }
    let usage = trace.token_usage()?;
    match key {
        "input_tokens" => Some(usage.input_tokens),
        "output_tokens" => Some(usage.output_tokens),
        "total_tokens" => Some(usage.total_tokens),
        "cache_read_input_tokens" => usage.cache_read_input_tokens,
        _ => usage.cache_creation_input_tokens,
    }
    .map(|count| count as f64)
}

fn trace_dimensions(trace: &Trace, names: &[&str]) -> Option<Vec<String>> {
    names
        .iter()
        .map(|name| match *name {
            "trace_status" => Some(trace.info.state.as_str().to_string()),
            "trace_name" => trace.info.tags.get("mlflow.traceName").cloned(),
            _ => None,
        })
        .collect()
}

fn span_sample(span: &Span, metric: &str) -> Result<Option<Sample>, String> {
    Ok(match metric {
        "span_count" => Some(Sample::Number(1.0)),
        "latency" => span.duration_ns().map(|ns| (ns / 1_000_000) as f64).map(Sample::Number),
        "input_cost" | "output_cost" | "total_cost" => {
            span.attribute("mlflow.llm.cost").and_then(|cost| json_object_field(cost, metric)).map(Sample::Number)
        }
        other => return Err(unknown_metric(other, ViewType::Spans)),
    })
}

/// A number in a JSON object, or in a JSON object written as a string (as attributes often are).
fn json_object_field(value: &Value, key: &str) -> Option<f64> {
    let field = match value {
        Value::String(text) => serde_json::from_str::<Value>(text).ok()?.get(key)?.clone(),
        other => other.get(key)?.clone(),
    };
    field.as_f64().or_else(|| field.as_str()?.parse().ok()).filter(|number| number.is_finite())
}

pub fn span_status(span: &Span) -> &'static str {
    match span.status.code {
        StatusCode::Ok => "OK",
        StatusCode::Error => "ERROR",
        StatusCode::Unset => "UNSET",
    }
}

fn span_dimensions(span: &Span, names: &[&str]) -> Option<Vec<String>> {
    names
        .iter()
        .map(|name| match *name {
            "span_name" => Some(span.name.clone()),
            "span_type" => Some(span.span_type.as_str().to_string()),
            "span_status" => Some(span_status(span).to_string()),
            "span_model_name" => span.attribute("mlflow.llm.model")?.as_str().map(str::to_string),
            "span_model_provider" => span.attribute("mlflow.llm.provider")?.as_str().map(str::to_string),
            _ => None,
        })
        .collect()
}

/// An assessment's value; a failed judge's is null.
pub fn assessment_value(assessment: &crate::model::Assessment) -> &Value {
    match &assessment.kind {
        AssessmentKind::Feedback { value, .. } | AssessmentKind::Expectation { value } => value,
    }
}

/// The number an assessment contributes to an average: itself, 1/0 for booleans and "yes"/"no".
pub fn numeric_value(value: &Value) -> Option<f64> {
    match value {
        Value::Bool(yes) => Some(if *yes { 1.0 } else { 0.0 }),
        Value::Number(number) => number.as_f64().filter(|n| n.is_finite()),
        Value::String(text) => match text.trim().to_lowercase().as_str() {
            "yes" => Some(1.0),
            "no" => Some(0.0),
            _ => None,
        },
        _ => None,
    }
}

/// The values gathered for one group.
#[derive(Default)]
struct Samples {
    numbers: Vec<f64>,
    distinct: BTreeSet<String>,
}

enum Sample {
    Number(f64),
    /// Counted once however often it appears (sessions).
    Distinct(String),
}

impl Samples {
    fn push(&mut self, sample: Sample) {
        match sample {
            Sample::Number(number) => self.numbers.push(number),
            Sample::Distinct(key) => {
                self.distinct.insert(key);
            }
        }
    }

    fn aggregate(&self, aggregation: Aggregation) -> f64 {
        let numbers = &self.numbers;
        let sum = || numbers.iter().sum::<f64>();
        match aggregation {
            Aggregation::Count => (numbers.len() + self.distinct.len()) as f64,
            Aggregation::Sum => sum(),
            Aggregation::Avg => sum() / numbers.len().max(1) as f64,
            Aggregation::Min => numbers.iter().copied().fold(f64::INFINITY, f64::min),
            Aggregation::Max => numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Aggregation::Percentile(p) => percentile(numbers, p),
        }
    }
}

/// The `p`th percentile (0–100) with linear interpolation: index `p/100 × (n−1)` into the sorted values.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sort_by(&mut sorted, f64::total_cmp);
    let index = (p / 100.0).clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lower, fraction) = (index.floor() as usize, index.fract());
    let upper = (lower + 1).min(sorted.len() - 1);
    sorted[lower] + fraction * (sorted[upper] - sorted[lower])
}

/// One equality filter of the server's metrics syntax.
enum Filter {
    TraceStatus(String),
    TraceTag(String, String),
    TraceMetadata(String, String),
    SpanName(String),
    SpanType(String),
    SpanStatus(String),
    AssessmentName(String),
    AssessmentType(String),
}

impl Filter {
    fn parse(text: &str) -> Result<Filter, String> {
        let bad = || format!("Cannot read the metrics filter {text}: use field = \"value\".");
        let (field, value) = text.split_once('=').ok_or_else(bad)?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .ok_or_else(bad)?
            .to_string();
        let field = field.trim();
        let key = |prefix: &str| field.strip_prefix(prefix).map(|key| key.trim_matches('`').to_string());
        Ok(match field {
            "trace.status" => Filter::TraceStatus(value),
            "span.name" => Filter::SpanName(value),
            "span.type" => Filter::SpanType(value),
            "span.status" => Filter::SpanStatus(value),
            "assessment.name" => Filter::AssessmentName(value),
            "assessment.type" => Filter::AssessmentType(value),
            _ => match (key("trace.tag."), key("trace.metadata.")) {
                (Some(tag), _) => Filter::TraceTag(tag, value),
                (_, Some(metadata)) => Filter::TraceMetadata(metadata, value),
                _ => return Err(bad()),
            },
        })
    }

    fn keeps_trace(&self, trace: &Trace) -> bool {
        match self {
            Filter::TraceStatus(status) => trace.info.state.as_str() == status,
            Filter::TraceTag(key, value) => trace.info.tags.get(key) == Some(value),
            Filter::TraceMetadata(key, value) => trace.info.metadata.get(key) == Some(value),
            _ => true,
        }
    }

    fn keeps_span(&self, span: &Span) -> bool {
        match self {
            Filter::SpanName(name) => span.name == *name,
            Filter::SpanType(span_type) => span.span_type.as_str() == span_type,
            Filter::SpanStatus(status) => span_status(span) == status,
            _ => true,
        }
    }

    fn keeps_assessment(&self, assessment: &crate::model::Assessment) -> bool {
        match self {
            Filter::AssessmentName(name) => assessment.name == *name,
            Filter::AssessmentType(kind) => {
                let actual = match assessment.kind {
                    AssessmentKind::Feedback { .. } => "feedback",
                    AssessmentKind::Expectation { .. } => "expectation",
                };
                actual == kind
            }
            _ => true,
        }
    }
}
