//! The overview's three tabs as data: the metrics queries each tab asks, and the figures it shows, built from
//! the answers. Whether the answers came from the server or from [`super::compute`] makes no difference here.
//! Buckets without data are zero for amounts (counts, tokens, cost), so a quiet hour reads as quiet; measures
//! of what happened (latency, rates, averages) have no value there ([`NO_VALUE`]), so a line breaks instead of
//! falling to a zero that was never measured.

use super::compute::numeric_value;
use super::query::{Aggregation, DataPoint, MetricsQuery, ViewType};
use super::time::{bucket_starts, TimeRange, TimeUnit};
use crate::location::OverviewParams;
use crate::sorting::sort_by;
use serde_json::Value;
use std::collections::BTreeMap;

const P50: Aggregation = Aggregation::Percentile(50.0);
const P90: Aggregation = Aggregation::Percentile(90.0);
const P99: Aggregation = Aggregation::Percentile(99.0);
pub const TOOL_FILTER: &str = "span.type = \"TOOL\"";
/// A bucket's measure where nothing was measured (no traces, no calls, no judged values): charts leave a gap.
pub const NO_VALUE: f64 = f64::NAN;

/// The time the overview covers and how it is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start_ms: i64,
    pub end_ms: i64,
    pub unit: TimeUnit,
}

impl Window {
    pub fn buckets(&self) -> Vec<i64> {
        bucket_starts(self.start_ms, self.end_ms, self.unit)
    }

    fn total(&self, query: MetricsQuery) -> MetricsQuery {
        query.between(self.start_ms, self.end_ms)
    }

    fn over_time(&self, query: MetricsQuery) -> MetricsQuery {
        query.between(self.start_ms, self.end_ms).over_time(self.unit.millis())
    }

    /// One value per bucket: `value` of the points in it (summed when several share a bucket), zero elsewhere.
    fn series(&self, points: &[DataPoint], value: impl Fn(&DataPoint) -> Option<f64>) -> Vec<f64> {
        let buckets = self.buckets();
        let mut series = vec![0.0; buckets.len()];
        for point in points {
            let (Some(bucket), Some(value)) = (point.bucket_ms(), value(point)) else { continue };
            if let Ok(index) = buckets.binary_search(&bucket) {
                series[index] += value;
            }
        }
        series
    }

    /// One value per bucket: `value` of the point in it, [`NO_VALUE`] where there is none.
    fn measured(&self, points: &[DataPoint], value: impl Fn(&DataPoint) -> Option<f64>) -> Vec<f64> {
        let buckets = self.buckets();
        let mut series = vec![NO_VALUE; buckets.len()];
        for point in points {
            let (Some(bucket), Some(value)) = (point.bucket_ms(), value(point)) else { continue };
            if let Ok(index) = buckets.binary_search(&bucket) {
                series[index] = value;
            }
        }
        series
    }
}

/// `part / whole` per bucket, [`NO_VALUE`] where the whole is zero.
fn ratios(parts: &[f64], wholes: &[f64]) -> Vec<f64> {
    parts.iter().zip(wholes).map(|(part, whole)| if *whole > 0.0 { part / whole } else { NO_VALUE }).collect()
}

fn total_of(points: &[DataPoint], aggregation: Aggregation) -> Option<f64> {
    points.first().and_then(|point| point.value(aggregation))
}

fn sum_of(points: &[DataPoint], aggregation: Aggregation) -> f64 {
    points.iter().filter_map(|point| point.value(aggregation)).sum()
}

/// p50, p90, p99 and the average.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spread {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub avg: f64,
}

impl Spread {
    const NOT_MEASURED: Spread = Spread { p50: NO_VALUE, p90: NO_VALUE, p99: NO_VALUE, avg: NO_VALUE };

    fn of(point: &DataPoint) -> Spread {
        let get = |aggregation| point.value(aggregation).unwrap_or(0.0);
        Spread { p50: get(P50), p90: get(P90), p99: get(P99), avg: get(Aggregation::Avg) }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    pub buckets: Vec<i64>,
    pub requests: Vec<f64>,
    pub errors: Vec<f64>,
    /// Errors over requests, 0–1 ([`NO_VALUE`] where there were no requests).
    pub error_rate: Vec<f64>,
    /// Latency in milliseconds, per bucket ([`NO_VALUE`] where there were no traces).
    pub latency: Vec<Spread>,
    pub input_tokens: Vec<f64>,
    pub output_tokens: Vec<f64>,
    pub cost: Vec<f64>,
    pub cost_by_model: Vec<(String, f64)>,
    pub total_requests: f64,
    pub total_errors: f64,
    pub total_latency: Spread,
    pub total_tokens: f64,
    /// Per trace with token counts: average, p50, p90.
    pub tokens_per_trace: Spread,
    pub total_cost: f64,
}

pub fn usage_queries(window: &Window) -> Vec<MetricsQuery> {
    let latency = [P50, P90, P99, Aggregation::Avg];
    vec![
        window.over_time(MetricsQuery::new(ViewType::Traces, "trace_count", &[Aggregation::Count]).by(&["trace_status"])),
        window.over_time(MetricsQuery::new(ViewType::Traces, "latency", &latency)),
        window.total(MetricsQuery::new(ViewType::Traces, "latency", &latency)),
        window.over_time(MetricsQuery::new(ViewType::Traces, "input_tokens", &[Aggregation::Sum])),
        window.over_time(MetricsQuery::new(ViewType::Traces, "output_tokens", &[Aggregation::Sum])),
        window.total(MetricsQuery::new(ViewType::Traces, "total_tokens", &[Aggregation::Sum, Aggregation::Avg, P50, P90])),
        window.over_time(MetricsQuery::new(ViewType::Spans, "total_cost", &[Aggregation::Sum])),
        window.total(MetricsQuery::new(ViewType::Spans, "total_cost", &[Aggregation::Sum]).by(&["span_model_name"])),
    ]
}

/// The Usage tab from the answers to [`usage_queries`], in order.
pub fn usage(window: &Window, answers: &[Vec<DataPoint>]) -> Usage {
    let [counts, latency, latency_total, input, output, tokens, cost, cost_by_model] = answers else {
        return Usage::default();
    };
    let count = |point: &DataPoint| point.value(Aggregation::Count);
    let requests = window.series(counts, count);
    let errors = window.series(counts, |point| count(point).filter(|_| point.dimension("trace_status") == Some("ERROR")));
    let error_rate = ratios(&errors, &requests);
    let buckets = window.buckets();
    let mut latency_series = vec![Spread::NOT_MEASURED; buckets.len()];
    for point in latency {
        if let Some(index) = point.bucket_ms().and_then(|bucket| buckets.binary_search(&bucket).ok()) {
            latency_series[index] = Spread::of(point);
        }
    }
    let mut models: Vec<(String, f64)> = cost_by_model
        .iter()
        .filter_map(|point| Some((point.dimension("span_model_name")?.to_string(), point.value(Aggregation::Sum)?)))
        .collect();
    sort_by(&mut models, |a, b| b.1.total_cmp(&a.1));
    let tokens_point = tokens.first().cloned().unwrap_or_default();
    Usage {
        total_requests: sum_of(counts, Aggregation::Count),
        total_errors: errors.iter().sum(),
        requests,
        errors,
        error_rate,
        latency: latency_series,
        total_latency: latency_total.first().map(Spread::of).unwrap_or_default(),
        input_tokens: window.series(input, |point| point.value(Aggregation::Sum)),
        output_tokens: window.series(output, |point| point.value(Aggregation::Sum)),
        total_tokens: total_of(tokens, Aggregation::Sum).unwrap_or(0.0),
        tokens_per_trace: Spread {
            avg: tokens_point.value(Aggregation::Avg).unwrap_or(0.0),
            p50: tokens_point.value(P50).unwrap_or(0.0),
            p90: tokens_point.value(P90).unwrap_or(0.0),
            p99: 0.0,
        },
        cost: window.series(cost, |point| point.value(Aggregation::Sum)),
        total_cost: models.iter().map(|(_, cost)| cost).sum::<f64>().max(sum_of(cost, Aggregation::Sum)),
        cost_by_model: models,
        buckets,
    }
}

/// How an assessment's values read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssessmentKindOfValue {
    /// true/false (or yes/no): a pass rate.
    Boolean,
    /// Numbers: an average and a distribution.
    Numeric,
    /// Anything else: the most frequent values.
    Text,
}

/// One assessment name's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentSummary {
    pub name: String,
    pub kind: AssessmentKindOfValue,
    pub count: f64,
    /// Share of true/yes among boolean values, 0–1.
    pub pass_rate: Option<f64>,
    pub average: Option<f64>,
    /// Each value (as the server keys it, JSON text) and its count, most frequent first.
    pub values: Vec<(String, f64)>,
    /// Per bucket: the pass rate (booleans) or the average (numbers), [`NO_VALUE`] where none was judged; or
    /// the count (text).
    pub over_time: Vec<f64>,
}

impl AssessmentSummary {
    /// What the charts show over time, for the axis and legend.
    pub fn over_time_label(&self) -> &'static str {
        match self.kind {
            AssessmentKindOfValue::Boolean => "Pass rate",
            AssessmentKindOfValue::Numeric => "Average",
            AssessmentKindOfValue::Text => "Count",
        }
    }
}

pub fn quality_queries(window: &Window) -> Vec<MetricsQuery> {
    let count =
        || MetricsQuery::new(ViewType::Assessments, "assessment_count", &[Aggregation::Count]).by(&["assessment_name", "assessment_value"]);
    let average = || MetricsQuery::new(ViewType::Assessments, "assessment_value", &[Aggregation::Avg]).by(&["assessment_name"]);
    vec![window.total(count()), window.total(average()), window.over_time(count()), window.over_time(average())]
}

/// The Quality tab from the answers to [`quality_queries`]: one summary per assessment name, by name.
pub fn quality(window: &Window, answers: &[Vec<DataPoint>]) -> Vec<AssessmentSummary> {
    let [counts, averages, counts_over_time, averages_over_time] = answers else { return Vec::new() };
    let mut values_by_name: BTreeMap<&str, Vec<(String, f64)>> = BTreeMap::new();
    for point in counts {
        if let (Some(name), Some(value), Some(count)) =
            (point.dimension("assessment_name"), point.dimension("assessment_value"), point.value(Aggregation::Count))
        {
            values_by_name.entry(name).or_default().push((value.to_string(), count));
        }
    }
    values_by_name
        .into_iter()
        .map(|(name, mut values)| {
            let kind = kind_of(&values);
            // Numbers read as a distribution (ascending); anything else most frequent first.
            let number = |text: &str| parse(text).as_ref().and_then(Value::as_f64).unwrap_or(f64::INFINITY);
            match kind {
                AssessmentKindOfValue::Numeric => sort_by(&mut values, |a, b| number(&a.0).total_cmp(&number(&b.0))),
                _ => sort_by(&mut values, |a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))),
            }
            let of_name = |point: &&DataPoint| point.dimension("assessment_name") == Some(name);
            let passes = |value: &str| parse(value).as_ref().and_then(numeric_value) == Some(1.0);
            let judged = |value: &str| parse(value).as_ref().and_then(numeric_value).is_some();
            let count_where = |keep: &dyn Fn(&str) -> bool| values.iter().filter(|(v, _)| keep(v)).map(|(_, c)| c).sum::<f64>();
            let pass_rate = (kind == AssessmentKindOfValue::Boolean).then(|| count_where(&passes) / count_where(&judged).max(1.0));
            let average = averages.iter().find(|point| of_name(point)).and_then(|point| point.value(Aggregation::Avg));
            let named_counts: Vec<DataPoint> = counts_over_time.iter().filter(of_name).cloned().collect();
            let over_time = match kind {
                AssessmentKindOfValue::Boolean => {
                    let pass = window.series(&named_counts, |p| {
                        p.value(Aggregation::Count).filter(|_| passes(p.dimension("assessment_value").unwrap_or("")))
                    });
                    let all = window.series(&named_counts, |p| {
                        p.value(Aggregation::Count).filter(|_| judged(p.dimension("assessment_value").unwrap_or("")))
                    });
                    ratios(&pass, &all)
                }
                AssessmentKindOfValue::Numeric => {
                    let named: Vec<DataPoint> = averages_over_time.iter().filter(of_name).cloned().collect();
                    window.measured(&named, |p| p.value(Aggregation::Avg))
                }
                AssessmentKindOfValue::Text => window.series(&named_counts, |p| p.value(Aggregation::Count)),
            };
            AssessmentSummary {
                name: name.to_string(),
                kind,
                count: values.iter().map(|(_, c)| c).sum(),
                pass_rate,
                average,
                values,
                over_time,
            }
        })
        .collect()
}

fn parse(value: &str) -> Option<Value> {
    serde_json::from_str(value).ok()
}

/// Booleans when every judged value is true/false or yes/no, numbers when every one is a number.
fn kind_of(values: &[(String, f64)]) -> AssessmentKindOfValue {
    let judged: Vec<Value> = values.iter().filter_map(|(v, _)| parse(v)).filter(|v| !v.is_null()).collect();
    let all = |test: fn(&Value) -> bool| !judged.is_empty() && judged.iter().all(test);
    if all(|v| v.is_boolean() || v.as_str().is_some_and(|s| matches!(s.trim().to_lowercase().as_str(), "yes" | "no"))) {
        AssessmentKindOfValue::Boolean
    } else if all(Value::is_number) {
        AssessmentKindOfValue::Numeric
    } else {
        AssessmentKindOfValue::Text
    }
}

/// One tool's figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToolStats {
    pub name: String,
    pub calls: f64,
    pub errors: f64,
    pub avg_latency_ms: f64,
    pub p90_latency_ms: f64,
    /// Calls per bucket.
    pub calls_over_time: Vec<f64>,
    /// Average latency per bucket ([`NO_VALUE`] where it was not called).
    pub latency_over_time: Vec<f64>,
}

impl ToolStats {
    pub fn error_rate(&self) -> f64 {
        if self.calls > 0.0 {
            self.errors / self.calls
        } else {
            0.0
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToolCalls {
    pub buckets: Vec<i64>,
    pub total_calls: f64,
    pub failed_calls: f64,
    pub avg_latency_ms: f64,
    /// Most called first.
    pub tools: Vec<ToolStats>,
}

impl ToolCalls {
    pub fn success_rate(&self) -> f64 {
        if self.total_calls > 0.0 {
            1.0 - self.failed_calls / self.total_calls
        } else {
            0.0
        }
    }
}

pub fn tool_queries(window: &Window) -> Vec<MetricsQuery> {
    let spans = |metric, aggregations: &[Aggregation]| MetricsQuery::new(ViewType::Spans, metric, aggregations).filter(TOOL_FILTER);
    vec![
        window.total(spans("span_count", &[Aggregation::Count]).by(&["span_name", "span_status"])),
        window.total(spans("latency", &[Aggregation::Avg, P90]).by(&["span_name"])),
        window.total(spans("latency", &[Aggregation::Avg])),
        window.over_time(spans("span_count", &[Aggregation::Count]).by(&["span_name"])),
        window.over_time(spans("latency", &[Aggregation::Avg]).by(&["span_name"])),
    ]
}

/// The Tool calls tab from the answers to [`tool_queries`].
pub fn tool_calls(window: &Window, answers: &[Vec<DataPoint>]) -> ToolCalls {
    let [counts, latency, latency_total, counts_over_time, latency_over_time] = answers else {
        return ToolCalls::default();
    };
    let mut tools: BTreeMap<&str, ToolStats> = BTreeMap::new();
    for point in counts {
        let (Some(name), Some(count)) = (point.dimension("span_name"), point.value(Aggregation::Count)) else { continue };
        let tool = tools.entry(name).or_insert_with(|| ToolStats { name: name.to_string(), ..ToolStats::default() });
        tool.calls += count;
        if point.dimension("span_status") == Some("ERROR") {
            tool.errors += count;
        }
    }
    for (name, tool) in tools.iter_mut() {
        let of_tool = |point: &&DataPoint| point.dimension("span_name") == Some(*name);
        if let Some(point) = latency.iter().find(of_tool) {
            tool.avg_latency_ms = point.value(Aggregation::Avg).unwrap_or(0.0);
            tool.p90_latency_ms = point.value(P90).unwrap_or(0.0);
        }
        let named = |points: &[DataPoint]| points.iter().filter(of_tool).cloned().collect::<Vec<_>>();
        tool.calls_over_time = window.series(&named(counts_over_time), |p| p.value(Aggregation::Count));
        tool.latency_over_time = window.measured(&named(latency_over_time), |p| p.value(Aggregation::Avg));
    }
    let mut tools: Vec<ToolStats> = tools.into_values().collect();
    sort_by(&mut tools, |a, b| b.calls.total_cmp(&a.calls).then_with(|| a.name.cmp(&b.name)));
    ToolCalls {
        buckets: window.buckets(),
        total_calls: tools.iter().map(|t| t.calls).sum(),
        failed_calls: tools.iter().map(|t| t.errors).sum(),
        avg_latency_ms: total_of(latency_total, Aggregation::Avg).unwrap_or(0.0),
        tools,
    }
}

/// The overview's tabs, as the URL names them (`tab=usage|quality|tools`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverviewTab {
    Usage,
    Quality,
    Tools,
}

impl OverviewTab {
    pub const ALL: [OverviewTab; 3] = [OverviewTab::Usage, OverviewTab::Quality, OverviewTab::Tools];

    pub fn key(self) -> &'static str {
        match self {
            OverviewTab::Usage => "usage",
            OverviewTab::Quality => "quality",
            OverviewTab::Tools => "tools",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OverviewTab::Usage => "Usage",
            OverviewTab::Quality => "Quality",
            OverviewTab::Tools => "Tool calls",
        }
    }

    /// The tab the URL names; the usage tab for none or one not known.
    pub fn parse(key: Option<&str>) -> OverviewTab {
        OverviewTab::ALL.into_iter().find(|tab| Some(tab.key()) == key).unwrap_or(OverviewTab::Usage)
    }

    /// What the server's metrics endpoint is asked for this tab.
    pub fn queries(self, window: &Window) -> Vec<MetricsQuery> {
        match self {
            OverviewTab::Usage => usage_queries(window),
            OverviewTab::Quality => quality_queries(window),
            OverviewTab::Tools => tool_queries(window),
        }
    }
}

/// The range the URL asks for; files default to all their traces, a server to the last 7 days (as MLflow).
pub fn asked_range(params: &OverviewParams, on_server: bool) -> TimeRange {
    let asked = match params.range.as_deref() {
        Some("custom") => params.from.as_deref().zip(params.to.as_deref()).and_then(|(from, to)| TimeRange::custom(from, to)),
        Some(key) => TimeRange::preset(key),
        None => None,
    };
    let default = if on_server { TimeRange::Last7Days } else { TimeRange::All };
    asked.unwrap_or(default)
}
