//! A metrics query and its answer, in the shape of the tracking server's `POST /api/3.0/mlflow/traces/metrics`
//! (see ../shared/mlflow/API.md), so that the server's answer and the browser's own computation
//! ([`super::compute`]) are interchangeable.

use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What is counted: traces, spans or assessments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewType {
    Traces,
    Spans,
    Assessments,
}

impl ViewType {
    pub fn as_str(self) -> &'static str {
        match self {
            ViewType::Traces => "TRACES",
            ViewType::Spans => "SPANS",
            ViewType::Assessments => "ASSESSMENTS",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Aggregation {
    Count,
    Sum,
    Avg,
    Min,
    Max,
    /// 0–100, linearly interpolated between the nearest values (as the server's `percentile`).
    Percentile(f64),
}

impl Aggregation {
    /// The key of this aggregation in a data point's `values`: `COUNT`, `AVG`, `P90.0`, …
    pub fn key(self) -> String {
        match self {
            Aggregation::Count => "COUNT".into(),
            Aggregation::Sum => "SUM".into(),
            Aggregation::Avg => "AVG".into(),
            Aggregation::Min => "MIN".into(),
            Aggregation::Max => "MAX".into(),
            Aggregation::Percentile(p) => format!("P{p:.1}"),
        }
    }

    fn request(self) -> Value {
        match self {
            Aggregation::Percentile(p) => json!({"aggregation_type": "PERCENTILE", "percentile_value": p}),
            other => json!({"aggregation_type": other.key()}),
        }
    }
}

/// The dimension naming a data point's bucket (its start, as `2026-11-14T00:00:00+00:00`).
pub const TIME_BUCKET: &str = "time_bucket";

#[derive(Clone, Debug, PartialEq)]
pub struct MetricsQuery {
    pub view: ViewType,
    /// `trace_count`, `latency`, `input_tokens`, `span_count`, `total_cost`, `assessment_count`, …
    pub metric: &'static str,
    pub aggregations: Vec<Aggregation>,
    /// `trace_status`, `span_name`, `assessment_value`, … (the time bucket is added by `bucket_ms`).
    pub dimensions: Vec<&'static str>,
    /// Equality filters in the server's metrics syntax: `span.type = "TOOL"`, `trace.status = "ERROR"`.
    pub filters: Vec<String>,
    /// Bucket size; None for one figure over the whole range.
    pub bucket_ms: Option<i64>,
    /// Inclusive bounds in Unix milliseconds.
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
}

impl MetricsQuery {
    pub fn new(view: ViewType, metric: &'static str, aggregations: &[Aggregation]) -> MetricsQuery {
        MetricsQuery {
            view,
            metric,
            aggregations: aggregations.to_vec(),
            dimensions: Vec::new(),
            filters: Vec::new(),
            bucket_ms: None,
            start_ms: None,
            end_ms: None,
        }
    }

    pub fn by(mut self, dimensions: &[&'static str]) -> MetricsQuery {
        self.dimensions = dimensions.to_vec();
        self
    }

    pub fn filter(mut self, filter: &str) -> MetricsQuery {
        self.filters.push(filter.to_string());
        self
    }

    pub fn over_time(mut self, bucket_ms: i64) -> MetricsQuery {
        self.bucket_ms = Some(bucket_ms);
        self
    }

    pub fn between(mut self, start_ms: i64, end_ms: i64) -> MetricsQuery {
        self.start_ms = Some(start_ms);
        self.end_ms = Some(end_ms);
        self
    }

    /// The server request body (without paging).
    pub fn request_body(&self, experiment_ids: &[String]) -> Value {
        let mut body = json!({
            "experiment_ids": experiment_ids,
            "view_type": self.view.as_str(),
            "metric_name": self.metric,
            "aggregations": self.aggregations.iter().map(|a| a.request()).collect::<Vec<_>>(),
        });
        let fields = [
            ("dimensions", (!self.dimensions.is_empty()).then(|| json!(self.dimensions))),
            ("filters", (!self.filters.is_empty()).then(|| json!(self.filters))),
            ("time_interval_seconds", self.bucket_ms.map(|ms| json!(ms / 1000))),
            ("start_time_ms", self.start_ms.map(|ms| json!(ms))),
            ("end_time_ms", self.end_ms.map(|ms| json!(ms))),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                body[name] = value;
            }
        }
        body
    }
}

/// One group's figures: its dimension values and one value per aggregation key.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct DataPoint {
    #[serde(default)]
    pub dimensions: BTreeMap<String, String>,
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
}

impl DataPoint {
    pub fn dimension(&self, name: &str) -> Option<&str> {
        self.dimensions.get(name).map(String::as_str)
    }

    pub fn value(&self, aggregation: Aggregation) -> Option<f64> {
        self.values.get(&aggregation.key()).copied()
    }

    /// The start of the point's time bucket in Unix milliseconds.
    pub fn bucket_ms(&self) -> Option<i64> {
        super::time::parse_utc(self.dimension(TIME_BUCKET)?)
    }
}

/// The server's page of data points.
#[derive(Debug, Default, Deserialize)]
pub struct DataPointPage {
    #[serde(default)]
    pub data_points: Vec<DataPoint>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}
