//! The overview's figures on crafted traces with known answers: the metrics the browser computes (the same
//! rules as the tracking server's), buckets across day boundaries and time zones, percentiles, and ranges
//! without data.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use trace_viewer::analytics::compute::percentile;
use trace_viewer::analytics::overview::{self, AssessmentKindOfValue, Window};
use trace_viewer::analytics::query::DataPointPage;
use trace_viewer::analytics::time::{
    self, allowed_units, bucket_label, bucket_start, bucket_title, parse_utc, TimeRange, TimeUnit, DAY_MS, HOUR_MS,
};
use trace_viewer::analytics::{compute, Aggregation, DataPoint, MetricsQuery, ViewType};
use trace_viewer::model::write::python_json;
use trace_viewer::model::{Assessment, AssessmentKind, Span, SpanStatus, SpanType, StatusCode, Trace, TraceInfo, TraceState};

fn utc(text: &str) -> i64 {
    parse_utc(text).unwrap_or_else(|| panic!("not a time: {text}"))
}

fn trace(id: &str, at: &str, latency_ms: u64, state: TraceState) -> Trace {
    let ns = utc(at) as u64 * 1_000_000;
    Trace {
        info: TraceInfo {
            trace_id: id.into(),
            request_time_ns: Some(ns),
            execution_duration_ns: Some(latency_ms * 1_000_000 + 400_000),
            state,
            ..TraceInfo::default()
        },
        spans: Vec::new(),
        spans_loaded: true,
    }
}

fn with_tokens(mut trace: Trace, input: u64, output: u64) -> Trace {
    let usage = json!({"input_tokens": input, "output_tokens": output, "total_tokens": input + output});
    trace.info.metadata.insert("mlflow.trace.tokenUsage".into(), usage.to_string());
    trace
}

fn feedback(name: &str, value: Value, valid: bool) -> Assessment {
    Assessment {
        assessment_id: format!("a-{name}-{value}"),
        name: name.into(),
        trace_id: String::new(),
        span_id: None,
        source_type: "LLM_JUDGE".into(),
        source_id: None,
        create_time_ns: None,
        last_update_time_ns: None,
        kind: AssessmentKind::Feedback { value, error: None },
        rationale: None,
        metadata: BTreeMap::new(),
        overrides: None,
        valid,
    }
}

fn tool_span(trace: &Trace, name: &str, start_offset_ms: u64, duration_us: u64, failed: bool) -> Span {
    let start_ns = trace.info.request_time_ns.unwrap() + start_offset_ms * 1_000_000;
    Span {
        span_id: format!("{name}{start_offset_ms}"),
        parent_id: Some("root".into()),
        otel_trace_id: String::new(),
        name: name.into(),
        kind: "SPAN_KIND_INTERNAL".into(),
        start_ns,
        end_ns: Some(start_ns + duration_us * 1000),
        status: SpanStatus { code: if failed { StatusCode::Error } else { StatusCode::Ok }, message: String::new() },
        span_type: SpanType::Tool,
        inputs: None,
        outputs: None,
        attributes: Vec::new(),
        events: Vec::new(),
        links: Vec::new(),
    }
}

fn arcs(traces: Vec<Trace>) -> Vec<Arc<Trace>> {
    traces.into_iter().map(Arc::new).collect()
}

fn values(points: &[DataPoint], dimension: &str) -> Vec<(String, f64)> {
    points.iter().map(|p| (p.dimension(dimension).unwrap_or("").to_string(), *p.values.values().next().unwrap())).collect()
}

#[test]
fn percentiles_interpolate_between_the_nearest_values() {
    let one_to_ten: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(percentile(&one_to_ten, 50.0), 5.5);
    assert!((percentile(&one_to_ten, 90.0) - 9.1).abs() < 1e-9);
    assert!((percentile(&one_to_ten, 99.0) - 9.91).abs() < 1e-9);
    assert_eq!(percentile(&[4.0, 1.0, 3.0, 2.0], 50.0), 2.5, "unsorted input");
    assert_eq!(percentile(&[7.0], 90.0), 7.0);
    assert!(percentile(&[], 50.0).is_nan());
}

#[test]
fn day_buckets_are_utc_days_whatever_the_writer_s_time_zone() {
    // 20:30 in New York on the 14th is 01:30 UTC on the 15th.
    assert_eq!(utc("2026-11-14T20:30:00-05:00"), utc("2026-11-15T01:30:00Z"));
    assert_eq!(utc("2026-11-15T09:30:00+08:00"), utc("2026-11-15T01:30:00+00:00"));
    let traces = arcs(vec![
        trace("a", "2026-11-14T23:59:59.999Z", 100, TraceState::Ok),
        trace("b", "2026-11-15T00:00:00Z", 200, TraceState::Ok),
        trace("c", "2026-11-14T20:30:00-05:00", 300, TraceState::Error),
        trace("d", "2026-11-15T23:00:00+02:00", 400, TraceState::Ok),
    ]);
    let query = MetricsQuery::new(ViewType::Traces, "trace_count", &[Aggregation::Count]).over_time(DAY_MS);
    let points = compute(&traces, &query).unwrap();
    assert_eq!(values(&points, "time_bucket"), vec![("2026-11-14T00:00:00+00:00".into(), 1.0), ("2026-11-15T00:00:00+00:00".into(), 3.0)]);
    assert_eq!(points[1].bucket_ms(), Some(utc("2026-11-15")));
    assert_eq!(bucket_label(utc("2026-11-15"), TimeUnit::Day), "Nov 15");
    assert_eq!(bucket_title(utc("2026-11-15"), TimeUnit::Day), "Nov 15, 2026 (UTC)");
    assert_eq!(bucket_title(utc("2026-11-15T13:00Z"), TimeUnit::Hour), "Nov 15, 2026 13:00–14:00 UTC");
    // Across a year's end and a leap day.
    assert_eq!(time::UtcTime::of(utc("2024-02-29T12:00Z")).iso(), "2024-02-29T12:00:00+00:00");
    assert_eq!(time::UtcTime::of(utc("2024-02-29T23:59Z")).date(), "2024-02-29");
    assert_eq!(bucket_start(utc("2027-01-01T00:30Z"), TimeUnit::Day), utc("2027-01-01"));
    assert_eq!(bucket_start(utc("1969-12-31T23:00Z"), TimeUnit::Day), -DAY_MS, "floored before 1970 too");
}

#[test]
fn weeks_start_on_thursday_and_months_are_thirty_days_as_on_the_server() {
    // Sunday 2026-11-22 falls in the week that started on Thursday the 19th (the epoch's weekday).
    assert_eq!(bucket_start(utc("2026-11-22T10:00Z"), TimeUnit::Week), utc("2026-11-19"));
    assert_eq!(TimeUnit::Month.millis(), 30 * DAY_MS);
    assert_eq!(bucket_start(utc("2026-11-22T10:00Z"), TimeUnit::Hour), utc("2026-11-22T10:00Z"));
}

#[test]
fn latency_and_status_by_bucket_with_server_rules() {
    let traces = arcs(vec![
        trace("a", "2026-11-14T10:05Z", 100, TraceState::Ok),
        trace("b", "2026-11-14T10:20Z", 300, TraceState::Error),
        trace("c", "2026-11-14T10:40Z", 200, TraceState::Ok),
        trace("d", "2026-11-14T12:10Z", 1000, TraceState::Ok),
    ]);
    let by_status = MetricsQuery::new(ViewType::Traces, "trace_count", &[Aggregation::Count]).by(&["trace_status"]).over_time(HOUR_MS);
    let points = compute(&traces, &by_status).unwrap();
    let rows: Vec<(String, String, f64)> = points
        .iter()
        .map(|p| {
            (
                p.dimension("time_bucket").unwrap().to_string(),
                p.dimension("trace_status").unwrap().to_string(),
                p.value(Aggregation::Count).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2026-11-14T10:00:00+00:00".into(), "ERROR".into(), 1.0),
            ("2026-11-14T10:00:00+00:00".into(), "OK".into(), 2.0),
            ("2026-11-14T12:00:00+00:00".into(), "OK".into(), 1.0),
        ]
    );
    let latency =
        MetricsQuery::new(ViewType::Traces, "latency", &[Aggregation::Percentile(50.0), Aggregation::Percentile(90.0), Aggregation::Avg]);
    let total = &compute(&traces, &latency).unwrap()[0];
    // Latencies are whole milliseconds (the extra 0.4 ms is dropped): 100, 200, 300, 1000.
    assert_eq!(total.value(Aggregation::Percentile(50.0)), Some(250.0));
    assert!((total.value(Aggregation::Percentile(90.0)).unwrap() - 790.0).abs() < 1e-9);
    assert_eq!(total.value(Aggregation::Avg), Some(400.0));
    assert_eq!(total.values.keys().collect::<Vec<_>>(), vec!["AVG", "P50.0", "P90.0"], "the server's value keys");
    let in_range = latency.clone().between(utc("2026-11-14T10:00Z"), utc("2026-11-14T10:59Z"));
    assert_eq!(compute(&traces, &in_range).unwrap()[0].value(Aggregation::Avg), Some(200.0));
    let errors = MetricsQuery::new(ViewType::Traces, "trace_count", &[Aggregation::Count]).filter("trace.status = \"ERROR\"");
    assert_eq!(compute(&traces, &errors).unwrap()[0].value(Aggregation::Count), Some(1.0));
}

/// A series as the chart reads it: None where nothing was measured.
fn measured(series: &[f64]) -> Vec<Option<f64>> {
    series.iter().map(|value| (!value.is_nan()).then_some(*value)).collect()
}

#[test]
fn the_usage_tab_fills_empty_buckets_with_zero_and_leaves_measures_unmeasured() {
    let traces = arcs(vec![
        with_tokens(trace("a", "2026-11-14T10:05Z", 100, TraceState::Ok), 10, 5),
        with_tokens(trace("b", "2026-11-14T12:20Z", 300, TraceState::Error), 30, 15),
        // No token usage: left out of the per-trace token figures rather than counted as zero.
        trace("c", "2026-11-14T12:40Z", 200, TraceState::Ok),
    ]);
    let window = Window { start_ms: utc("2026-11-14T10:00Z"), end_ms: utc("2026-11-14T13:59Z"), unit: TimeUnit::Hour };
    let answers: Vec<Vec<DataPoint>> = overview::usage_queries(&window).iter().map(|q| compute(&traces, q).unwrap()).collect();
    let usage = overview::usage(&window, &answers);
    assert_eq!(usage.buckets.len(), 4);
    assert_eq!(usage.requests, vec![1.0, 0.0, 2.0, 0.0], "11:00 and 13:00 had nothing");
    assert_eq!(usage.errors, vec![0.0, 0.0, 1.0, 0.0]);
    assert_eq!(measured(&usage.error_rate), vec![Some(0.0), None, Some(0.5), None], "no requests, no rate: a gap");
    assert_eq!(usage.input_tokens, vec![10.0, 0.0, 30.0, 0.0]);
    assert_eq!(usage.output_tokens, vec![5.0, 0.0, 15.0, 0.0]);
    assert_eq!((usage.total_requests, usage.total_errors, usage.total_tokens), (3.0, 1.0, 60.0));
    assert_eq!(usage.tokens_per_trace.avg, 30.0, "two traces with tokens: 15 and 45");
    assert_eq!(usage.tokens_per_trace.p50, 30.0);
    assert_eq!(usage.latency[2].avg, 250.0);
    assert!(usage.latency[1].avg.is_nan() && usage.latency[1].p99.is_nan(), "no traces, no latency: a gap");
    assert_eq!(usage.total_latency.p50, 200.0);
    assert_eq!(usage.total_cost, 0.0);
    assert!(usage.cost_by_model.is_empty());

    let empty = Window { start_ms: utc("2026-12-01"), end_ms: utc("2026-12-03T23:59Z"), unit: TimeUnit::Day };
    let answers: Vec<Vec<DataPoint>> = overview::usage_queries(&empty).iter().map(|q| compute(&traces, q).unwrap()).collect();
    let usage = overview::usage(&empty, &answers);
    assert_eq!(usage.requests, vec![0.0; 3]);
    assert_eq!((usage.total_requests, usage.total_latency.avg), (0.0, 0.0));
}

#[test]
fn cost_by_model_comes_from_span_attributes() {
    let mut t = trace("a", "2026-11-14T10:05Z", 100, TraceState::Ok);
    let mut llm = tool_span(&t, "chat", 1, 500, false);
    llm.span_type = SpanType::ChatModel;
    llm.attributes = vec![
        ("mlflow.llm.model".into(), json!("gpt-4o")),
        ("mlflow.llm.cost".into(), json!({"input_cost": 0.001, "output_cost": 0.002, "total_cost": 0.003})),
    ];
    let mut other = llm.clone();
    other.attributes =
        vec![("mlflow.llm.model".into(), json!("gpt-4o-mini")), ("mlflow.llm.cost".into(), json!("{\"total_cost\": 0.0005}"))];
    t.spans = vec![llm.clone(), llm, other];
    let window = Window { start_ms: utc("2026-11-14"), end_ms: utc("2026-11-14T23:59Z"), unit: TimeUnit::Hour };
    let answers: Vec<Vec<DataPoint>> =
        overview::usage_queries(&window).iter().map(|q| compute(&arcs(vec![t.clone()]), q).unwrap()).collect();
    let usage = overview::usage(&window, &answers);
    assert_eq!(usage.cost_by_model, vec![("gpt-4o".into(), 0.006), ("gpt-4o-mini".into(), 0.0005)]);
    assert!((usage.total_cost - 0.0065).abs() < 1e-12);
    assert!((usage.cost[10] - 0.0065).abs() < 1e-12, "in the 10:00 bucket");
}

#[test]
fn assessments_count_only_valid_ones_and_are_keyed_by_python_json() {
    assert_eq!(python_json(&json!(["18.5C", "cloudy"]), true), r#"["18.5C", "cloudy"]"#);
    assert_eq!(python_json(&json!("It is 18.5°C"), true), r#""It is 18.5\u00b0C""#);
    assert_eq!(python_json(&json!({"a": 1, "b": [true, null]}), true), r#"{"a": 1, "b": [true, null]}"#);
    assert_eq!(python_json(&json!(0.7), true), "0.7");
    assert_eq!(python_json(&json!("😀"), true), r#""\ud83d\ude00""#, "astral characters as surrogate pairs");
    assert_eq!(python_json(&json!("It is 18.5°C"), false), r#""It is 18.5°C""#, "spans keep non-ASCII text");

    let mut a = trace("a", "2026-11-14T10:05Z", 100, TraceState::Ok);
    a.info.assessments = vec![
        feedback("correct", json!(true), true),
        feedback("correct", json!(false), false), // overridden: not counted
        feedback("relevance", json!(0.5), true),
        feedback("tone", json!("friendly"), true),
        feedback("grounded", json!("yes"), true),
    ];
    let mut b = trace("b", "2026-11-15T10:05Z", 100, TraceState::Ok);
    b.info.assessments = vec![
        feedback("correct", json!(false), true),
        feedback("correct", json!(true), true),
        feedback("relevance", json!(1), true),
        feedback("tone", json!("friendly"), true),
        feedback("tone", json!("curt"), true),
        feedback("grounded", json!("no"), true),
    ];
    let traces = arcs(vec![a, b]);
    let window = Window { start_ms: utc("2026-11-14"), end_ms: utc("2026-11-15T23:59Z"), unit: TimeUnit::Day };
    let answers: Vec<Vec<DataPoint>> = overview::quality_queries(&window).iter().map(|q| compute(&traces, q).unwrap()).collect();
    let summaries = overview::quality(&window, &answers);
    let names: Vec<&str> = summaries.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["correct", "grounded", "relevance", "tone"]);
    let correct = &summaries[0];
    assert_eq!((correct.kind, correct.count), (AssessmentKindOfValue::Boolean, 3.0));
    assert!((correct.pass_rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(correct.over_time, vec![1.0, 0.5], "pass rate per day");
    assert_eq!(correct.values, vec![("true".into(), 2.0), ("false".into(), 1.0)]);
    let grounded = &summaries[1];
    assert_eq!((grounded.kind, grounded.pass_rate), (AssessmentKindOfValue::Boolean, Some(0.5)));
    let relevance = &summaries[2];
    assert_eq!((relevance.kind, relevance.average), (AssessmentKindOfValue::Numeric, Some(0.75)));
    assert_eq!(relevance.over_time, vec![0.5, 1.0]);
    assert_eq!(relevance.values, vec![("0.5".into(), 1.0), ("1".into(), 1.0)], "numbers as a distribution, ascending");
    let tone = &summaries[3];
    assert_eq!(tone.kind, AssessmentKindOfValue::Text);
    assert_eq!(tone.values, vec![("\"friendly\"".into(), 2.0), ("\"curt\"".into(), 1.0)]);
    assert_eq!(tone.over_time, vec![1.0, 2.0], "count per day");
    assert_eq!(tone.average, None, "text has no average");
}

#[test]
fn tool_calls_count_tool_spans_by_name_and_status() {
    let mut a = trace("a", "2026-11-14T10:05Z", 100, TraceState::Ok);
    a.spans =
        vec![tool_span(&a, "search", 1, 20_700, false), tool_span(&a, "search", 30, 40_200, true), tool_span(&a, "calc", 80, 999, false)];
    let mut not_a_tool = tool_span(&a, "chat", 90, 5_000, true);
    not_a_tool.span_type = SpanType::ChatModel;
    a.spans.push(not_a_tool);
    let mut b = trace("b", "2026-11-14T11:05Z", 100, TraceState::Ok);
    b.spans = vec![tool_span(&b, "search", 1, 30_000, false)];
    let traces = arcs(vec![a, b]);
    let window = Window { start_ms: utc("2026-11-14T10:00Z"), end_ms: utc("2026-11-14T11:59Z"), unit: TimeUnit::Hour };
    let answers: Vec<Vec<DataPoint>> = overview::tool_queries(&window).iter().map(|q| compute(&traces, q).unwrap()).collect();
    let tools = overview::tool_calls(&window, &answers);
    assert_eq!((tools.total_calls, tools.failed_calls), (4.0, 1.0));
    assert_eq!(tools.success_rate(), 0.75);
    let names: Vec<&str> = tools.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["search", "calc"], "most called first");
    let search = &tools.tools[0];
    assert_eq!((search.calls, search.errors), (3.0, 1.0));
    assert_eq!(search.avg_latency_ms, 30.0, "20, 40 and 30 whole milliseconds");
    assert!((search.p90_latency_ms - 38.0).abs() < 1e-9);
    assert_eq!(search.calls_over_time, vec![2.0, 1.0]);
    assert_eq!(search.latency_over_time, vec![30.0, 30.0]);
    assert_eq!(measured(&tools.tools[1].latency_over_time), vec![Some(0.0), None], "calc was not called at 11:00");
    assert_eq!(tools.tools[1].avg_latency_ms, 0.0, "999 µs rounds down to 0 ms");
    assert!((tools.avg_latency_ms - 22.5).abs() < 1e-9);
}

#[test]
fn units_that_give_too_many_or_too_few_buckets_are_disabled() {
    let now = utc("2026-11-22T10:17Z");
    let enabled = |range: TimeRange| -> Vec<&'static str> {
        let (start, end) = range.bounds(now, None);
        allowed_units(start, end).into_iter().filter(|(_, ok)| *ok).map(|(unit, _)| unit.name()).collect()
    };
    assert_eq!(enabled(TimeRange::LastHour), vec!["minute", "hour"]);
    assert_eq!(enabled(TimeRange::Last24Hours), vec!["hour", "day"], "1,441 minutes are too many");
    assert_eq!(enabled(TimeRange::Last7Days), vec!["hour", "day", "week"]);
    assert_eq!(enabled(TimeRange::Last30Days), vec!["day", "week", "month"]);
    let default = |range: TimeRange| {
        let (start, end) = range.bounds(now, None);
        time::default_unit(start, end).name()
    };
    assert_eq!(
        [TimeRange::LastHour, TimeRange::Last24Hours, TimeRange::Last7Days, TimeRange::Last30Days].map(default),
        ["minute", "hour", "day", "day"]
    );
    let (start, end) = TimeRange::All.bounds(now, Some(now - 90 * DAY_MS));
    assert_eq!(time::effective_unit(Some(TimeUnit::Minute), start, end), TimeUnit::Day, "a disabled unit falls back");
    assert_eq!(
        TimeRange::custom("2026-11-01", "2026-11-03"),
        Some(TimeRange::Custom { start_ms: utc("2026-11-01"), end_ms: utc("2026-11-04") - 1 })
    );
    assert_eq!(TimeRange::custom("2026-11-05", "2026-11-03"), None, "end before start");
    assert_eq!(TimeRange::custom("2026-13-01", "2026-11-03"), None);
}

/// Decades of range (a trace dated 1970, or a custom range over every year there is) chart in the coarsest
/// unit and at most MAX_BUCKETS buckets, never millions of minutes.
#[test]
fn a_range_too_long_for_every_unit_is_charted_in_months_and_capped() {
    let now = utc("2026-11-22T10:17Z");
    for (start, end) in [TimeRange::All.bounds(now, Some(0)), TimeRange::custom("0001-01-01", "9999-12-31").unwrap().bounds(now, None)] {
        let enabled: Vec<TimeUnit> = allowed_units(start, end).into_iter().filter(|(_, ok)| *ok).map(|(unit, _)| unit).collect();
        assert_eq!(enabled, [TimeUnit::Month]);
        for wanted in [None, Some(TimeUnit::Minute)] {
            let unit = time::effective_unit(wanted, start, end);
            assert_eq!(unit, TimeUnit::Month);
            let window = Window { start_ms: time::capped_start(start, end, unit), end_ms: end, unit };
            assert_eq!(window.buckets().len() as i64, time::MAX_BUCKETS);
            assert_eq!(*window.buckets().last().unwrap(), bucket_start(end, unit), "the latest buckets are kept");
        }
    }
    // A range that fits is not cut.
    let (start, end) = TimeRange::Last7Days.bounds(now, None);
    assert_eq!(time::capped_start(start, end, TimeUnit::Day), start);
}

#[test]
fn queries_are_sent_and_answers_read_in_the_server_s_shape() {
    let window = Window { start_ms: 1_794_696_561_554, end_ms: 1_795_301_361_554, unit: TimeUnit::Day };
    let latency = &overview::usage_queries(&window)[1];
    assert_eq!(
        latency.request_body(&["4".into()]),
        json!({
            "experiment_ids": ["4"], "view_type": "TRACES", "metric_name": "latency",
            "aggregations": [
                {"aggregation_type": "PERCENTILE", "percentile_value": 50.0},
                {"aggregation_type": "PERCENTILE", "percentile_value": 90.0},
                {"aggregation_type": "PERCENTILE", "percentile_value": 99.0},
                {"aggregation_type": "AVG"}],
            "time_interval_seconds": 86400, "start_time_ms": 1_794_696_561_554_i64, "end_time_ms": 1_795_301_361_554_i64
        })
    );
    // An answer as MLflow 3.17 gives it (tests/fixtures would hold the same).
    let page: DataPointPage = serde_json::from_value(json!({"data_points": [
        {"metric_name": "latency", "dimensions": {"time_bucket": "2026-11-14T00:00:00+00:00"},
         "values": {"AVG": 582.05, "P99.0": 2110.48, "P90.0": 1043.0, "P50.0": 385.0}},
        {"metric_name": "trace_count", "values": {"COUNT": 17.0}}
    ]}))
    .unwrap();
    assert_eq!(page.data_points[0].bucket_ms(), Some(utc("2026-11-14")));
    assert_eq!(page.data_points[0].value(Aggregation::Percentile(90.0)), Some(1043.0));
    assert_eq!(page.data_points[1].value(Aggregation::Count), Some(17.0));
    assert!(page.next_page_token.is_none());
    let unknown = MetricsQuery::new(ViewType::Traces, "nope", &[Aggregation::Count]);
    assert!(compute(&[], &unknown).is_ok(), "no traces, nothing to refuse");
    assert!(compute(&arcs(vec![trace("a", "2026-11-14", 1, TraceState::Ok)]), &unknown).unwrap_err().contains("nope"));
}

#[test]
fn the_overview_reads_its_tab_and_range_from_the_url_with_defaults_per_source() {
    use trace_viewer::analytics::overview::{asked_range, OverviewTab};
    use trace_viewer::analytics::time::TimeRange;
    use trace_viewer::location::OverviewParams;
    assert_eq!(OverviewTab::parse(Some("tools")), OverviewTab::Tools);
    assert_eq!(OverviewTab::parse(Some("nonsense")), OverviewTab::Usage);
    assert_eq!(OverviewTab::parse(None), OverviewTab::Usage);
    let params = |range: Option<&str>, from: Option<&str>, to: Option<&str>| OverviewParams {
        range: range.map(str::to_string),
        from: from.map(str::to_string),
        to: to.map(str::to_string),
        ..OverviewParams::default()
    };
    // Nothing asked: a server's last 7 days (as MLflow), all of the files' traces.
    assert_eq!(asked_range(&params(None, None, None), true), TimeRange::Last7Days);
    assert_eq!(asked_range(&params(None, None, None), false), TimeRange::All);
    assert_eq!(asked_range(&params(Some("24h"), None, None), false), TimeRange::Last24Hours);
    let custom = asked_range(&params(Some("custom"), Some("2026-11-14"), Some("2026-11-18")), true);
    assert_eq!(custom, TimeRange::custom("2026-11-14", "2026-11-18").unwrap());
    // A custom range missing a bound, or backwards, falls back to the default rather than showing nothing.
    assert_eq!(asked_range(&params(Some("custom"), Some("2026-11-14"), None), true), TimeRange::Last7Days);
    assert_eq!(asked_range(&params(Some("custom"), Some("2026-11-18"), Some("2026-11-14")), false), TimeRange::All);
}
