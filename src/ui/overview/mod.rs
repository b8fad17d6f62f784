//! The overview: usage, quality and tool calls over time, with the time range and time unit in the URL.
//! Figures come from `data::overview_answers` (the server's metrics endpoint, or the browser's own
//! computation) and are shaped by `analytics::overview`; clicking a bucket, a tool or an assessment value
//! opens the trace list filtered to those traces.

pub mod chart;

use crate::analytics::overview::{
    self as figures, asked_range, AssessmentKindOfValue, AssessmentSummary, OverviewTab, ToolCalls, Usage, Window,
};
use crate::analytics::time::{allowed_units, capped_start, effective_unit, TimeRange, TimeUnit, UtcTime};
use crate::axis::ValueFormat;
use crate::data::{self, DataError, FiguresOrigin};
use crate::format;
use crate::location::{OverviewParams, Source};
use crate::model::{AssessmentKind, Trace};
use crate::query::quote;
use crate::ui::navigation::Navigator;
use crate::ui::overview::chart::{BarList, BarRow, Series, TimeChart};
use crate::ui::widgets::error_panel::ErrorPanel;
use leptos::prelude::*;
use std::sync::Arc;

/// A tab's figures as computed: for which tab and window, one answer per query, and where they came from.
type Answers = (OverviewTab, Window, Vec<Vec<crate::analytics::DataPoint>>, FiguresOrigin);

#[component]
pub fn Overview(source: Source, rows: ReadSignal<Vec<Arc<Trace>>>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let params = Memo::new(move |_| navigator.current().overview.unwrap_or_default());
    let tab = Memo::new(move |_| params.with(|p| OverviewTab::parse(p.tab.as_deref())));
    let source_for_range = source.clone();
    let range = Memo::new(move |_| params.with(|p| asked_range(p, source_for_range.filters_on_server())));
    let picker = PickContext { navigator, source: source.clone(), rows, problem: RwSignal::new(None) };
    let now_ms = RwSignal::new(js_sys::Date::now() as i64);
    let wanted_unit = Memo::new(move |_| params.with(|p| p.unit.as_deref().and_then(TimeUnit::parse)));
    // One resource does it all (the oldest trace when the range is "all", then the figures), so a change
    // of tab, range or unit asks once.
    let answers: LocalResource<Result<Answers, DataError>> = LocalResource::new(move || {
        let (source, tab, range, wanted_unit, now_ms) = (source.clone(), tab.get(), range.get(), wanted_unit.get(), now_ms.get());
        // Figures computed from the loaded rows follow them while files are still being read.
        let loaded = if source.filters_on_server() { rows.get_untracked() } else { rows.get() };
        async move {
            let oldest = match range {
                TimeRange::All => data::oldest_trace_ms(&source, &loaded).await?,
                _ => None,
            };
            let (start_ms, end_ms) = range.bounds(now_ms, oldest);
            let unit = effective_unit(wanted_unit, start_ms, end_ms);
            let window = Window { start_ms: capped_start(start_ms, end_ms, unit), end_ms, unit };
            let (answers, origin) = data::overview_answers(&source, &loaded, &tab.queries(&window)).await?;
            Ok::<_, DataError>((tab, window, answers, origin))
        }
    });
    let window = Memo::new(move |_| answers.get().and_then(Result::ok).map(|(_, window, _, _)| window));

    view! {
        <section class="overview" aria-label="Overview">
            <OverviewToolbar params=params tab=tab range=range window=window now_ms=now_ms />
            <OverviewFigures answers=answers picker=picker />
        </section>
    }
}

/// Changes the overview's part of the URL.
fn change_params(navigator: Navigator, change: &dyn Fn(&mut OverviewParams)) {
    let mut next = navigator.location();
    let mut overview = next.overview.clone().unwrap_or_default();
    change(&mut overview);
    next.overview = Some(overview);
    navigator.replace(next);
}

/// The figures of the tab, and where they come from.
#[component]
fn OverviewFigures(answers: LocalResource<Result<Answers, DataError>>, picker: PickContext) -> impl IntoView {
    move || {
        match answers.get() {
    None => view! { <p class="loading" role="status">"Computing the overview…"</p> }.into_any(),
    Some(Err(message)) => {
        view! { <ErrorPanel title="Could not compute the overview" message=message on_retry=Callback::new(move |_| answers.refetch()) /> }
            .into_any()
    }
    Some(Ok((tab, window, answers, origin))) => {
        let (origin_key, origin_text) = match origin {
            FiguresOrigin::Server => ("server", "Figures from the tracking server's metrics endpoint.".to_string()),
            FiguresOrigin::Browser(note) => ("browser", note),
        };
        let content = match tab {
            OverviewTab::Usage => usage_view(figures::usage(&window, &answers), window, picker.clone()),
            OverviewTab::Quality => quality_view(figures::quality(&window, &answers), window, picker.clone()),
            OverviewTab::Tools => tools_view(figures::tool_calls(&window, &answers), window, picker.clone()),
        };
        let problem = picker.problem;
        view! {
            {move || problem.get().map(|problem| view! { <p class="warning" role="alert">{problem}</p> })}
            {content}
            <p class="figures-origin muted" data-origin=origin_key>
                {origin_text} " Buckets are " {window.unit.name()} "s in UTC."
            </p>
        }
        .into_any()
    }
}
    }
}

/// The tabs, the time range (custom dates when asked), the time unit and Refresh.
#[component]
fn OverviewToolbar(
    params: Memo<OverviewParams>,
    tab: Memo<OverviewTab>,
    range: Memo<TimeRange>,
    /// The window of the figures shown, once they are.
    window: Memo<Option<Window>>,
    now_ms: RwSignal<i64>,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let set_params = move |change: &dyn Fn(&mut OverviewParams)| change_params(navigator, change);
    view! {
            <div class="overview-toolbar">
            <nav class="tabs overview-tabs" role="tablist">
                {OverviewTab::ALL.into_iter().map(|t| view! {
                    <button type="button" class="tab" role="tab" aria-selected=move || (tab.get() == t).to_string()
                        on:click=move |_| set_params(&|p| p.tab = Some(t.key().into()))>{t.label()}</button>
                }).collect_view()}
            </nav>
            <label class="toolbar-field">"Time range "
                <select aria-label="Time range" on:change=move |event| {
                    let key = event_target_value(&event);
                    set_params(&|p| {
                        if key == "custom" {
                            let (start, end) = window.get_untracked().map(|w| (w.start_ms, w.end_ms)).unwrap_or((0, 0));
                            p.from = Some(UtcTime::of(start).date());
                            p.to = Some(UtcTime::of(end).date());
                        } else {
                            p.from = None;
                            p.to = None;
                        }
                        p.range = Some(key.clone());
                        // The unit that suited the old range may not suit the new one.
                        p.unit = None;
                    });
                }>
                    {TimeRange::PRESETS.into_iter().chain([TimeRange::Custom { start_ms: 0, end_ms: 0 }]).map(|r| view! {
                        <option value=r.key() selected=move || range.get().key() == r.key()>{r.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || range.get().key() == "custom">
                <label class="toolbar-field">"From (UTC) "
                    <input type="date" aria-label="From" prop:value=move || params.with(|p| p.from.clone().unwrap_or_default())
                        on:change=move |event| { let value = event_target_value(&event); set_params(&|p| p.from = Some(value.clone())) } />
                </label>
                <label class="toolbar-field">"To (UTC) "
                    <input type="date" aria-label="To" prop:value=move || params.with(|p| p.to.clone().unwrap_or_default())
                        on:change=move |event| { let value = event_target_value(&event); set_params(&|p| p.to = Some(value.clone())) } />
                </label>
            </Show>
            <label class="toolbar-field">"Time unit "
                <select aria-label="Time unit" on:change=move |event| {
                    let unit = event_target_value(&event);
                    set_params(&|p| p.unit = Some(unit.clone()));
                }>
                    {move || window.get().map(|w| allowed_units(w.start_ms, w.end_ms).into_iter().map(|(unit, allowed)| view! {
                        <option value=unit.name() disabled=!allowed selected=w.unit == unit
                            title=(!allowed).then_some("Too many or too few buckets for this range")>{unit.name()}</option>
                    }).collect_view())}
                </select>
            </label>
            <button type="button" class="button small" on:click=move |_| {
                now_ms.set(js_sys::Date::now() as i64);
            }>"Refresh"</button>
        </div>
    }
}

/// Opens the trace list filtered to what was clicked, within the overview's time range.
#[derive(Clone)]
struct PickContext {
    navigator: Navigator,
    source: Source,
    rows: ReadSignal<Vec<Arc<Trace>>>,
    /// Why a click could not open its traces (a value the filter syntax cannot quote).
    problem: RwSignal<Option<String>>,
}

impl PickContext {
    fn open(&self, window: Window, from_ms: i64, to_ms: i64, extra: Option<String>) {
        let (from_ms, to_ms) = (from_ms.max(window.start_ms), to_ms.min(window.end_ms));
        let mut clauses = vec![format!("trace.timestamp_ms >= {from_ms}"), format!("trace.timestamp_ms <= {to_ms}")];
        clauses.extend(extra);
        let mut next = crate::location::ViewLocation::of(self.source.clone());
        next.embed = self.navigator.location().embed;
        next.filter = Some(clauses.join(" AND "));
        self.navigator.go(next);
    }

    fn bucket(&self, window: Window, buckets: &[i64], extra: Option<String>) -> Callback<usize> {
        let (this, buckets) = (self.clone(), buckets.to_vec());
        Callback::new(move |i: usize| this.open(window, buckets[i], buckets[i] + window.unit.millis() - 1, extra.clone()))
    }

    /// The whole range's traces where `field` equals `value`; a value the filter syntax cannot quote is said
    /// instead (filtering on anything else would show other traces).
    fn whole_range_where(&self, window: Window, field: &str, value: &str) {
        match quote(value) {
            Ok(quoted) => self.open(window, window.start_ms, window.end_ms, Some(format!("{field} = {quoted}"))),
            Err(unquotable) => self.problem.set(Some(unquotable.to_string())),
        }
    }

    /// `feedback.name` or `expectation.name`, as the loaded traces know it (feedback when unknown).
    fn assessment_field(&self, name: &str) -> String {
        let is_expectation = self.rows.with_untracked(|rows| {
            rows.iter().flat_map(|t| &t.info.assessments).any(|a| a.name == name && matches!(a.kind, AssessmentKind::Expectation { .. }))
        });
        format!("{}.`{}`", if is_expectation { "expectation" } else { "feedback" }, name.replace('`', ""))
    }
}

#[component]
fn StatCard(label: &'static str, value: String, #[prop(optional)] detail: Option<String>) -> impl IntoView {
    view! {
        <div class="stat-card">
            <span class="stat-label">{label}</span>
            <span class="stat-value">{value}</span>
            {detail.map(|d| view! { <span class="stat-detail muted">{d}</span> })}
        </div>
    }
}

fn usage_view(usage: Usage, window: Window, pick: PickContext) -> AnyView {
    let per_bucket = usage.total_requests / usage.buckets.len().max(1) as f64;
    let error_rate = if usage.total_requests > 0.0 { usage.total_errors / usage.total_requests } else { 0.0 };
    let latency = |pick: fn(&figures::Spread) -> f64| usage.latency.iter().map(pick).collect::<Vec<_>>();
    let has_cost = usage.total_cost > 0.0;
    let models = usage.cost_by_model.clone();
    let unit = window.unit;
    // Averages and interpolated percentiles of tokens read as whole tokens, grouped like the total.
    let whole_tokens = |tokens: f64| format::count(tokens.round().max(0.0) as u64);
    view! {
        <div class="stat-cards">
            <StatCard label="Requests" value=format::count(usage.total_requests as u64) detail=format!("{} per {} on average", ValueFormat::Number.show(per_bucket), unit.name()) />
            <StatCard label="Errors" value=format::count(usage.total_errors as u64) detail=format!("{} of requests", ValueFormat::Percent.show(error_rate)) />
            <StatCard label="Latency p50" value=ValueFormat::Millis.show(usage.total_latency.p50)
                detail=format!("p90 {} · p99 {} · avg {}", ValueFormat::Millis.show(usage.total_latency.p90), ValueFormat::Millis.show(usage.total_latency.p99), ValueFormat::Millis.show(usage.total_latency.avg)) />
            <StatCard label="Tokens" value=format::count(usage.total_tokens as u64)
                detail=format!("per trace: avg {} · p50 {} · p90 {}", whole_tokens(usage.tokens_per_trace.avg), whole_tokens(usage.tokens_per_trace.p50), whole_tokens(usage.tokens_per_trace.p90)) />
            {has_cost.then(|| view! { <StatCard label="Cost" value=ValueFormat::Dollars.show(usage.total_cost) /> })}
        </div>
        <div class="chart-grid">
            <TimeChart title="Requests".into() buckets=usage.buckets.clone() unit=unit format=ValueFormat::Count
                series=vec![Series::bars("Requests", usage.requests.clone())]
                reference=("Average".to_string(), per_bucket) on_pick=pick.bucket(window, &usage.buckets, None) />
            <TimeChart title="Latency".into() buckets=usage.buckets.clone() unit=unit format=ValueFormat::Millis
                series=vec![Series::line("p50", latency(|s| s.p50)), Series::line("p90", latency(|s| s.p90)), Series::line("p99", latency(|s| s.p99)), Series::line("Average", latency(|s| s.avg))]
                on_pick=pick.bucket(window, &usage.buckets, None) />
            <TimeChart title="Errors".into() buckets=usage.buckets.clone() unit=unit format=ValueFormat::Count right_format=ValueFormat::Percent
                series=vec![Series::bars("Errors", usage.errors.clone()), Series::line("Error rate", usage.error_rate.clone()).on_right_axis()]
                on_pick=pick.bucket(window, &usage.buckets, Some("trace.status = 'ERROR'".into())) />
            <TimeChart title="Token usage".into() buckets=usage.buckets.clone() unit=unit format=ValueFormat::Count
                series=vec![Series::bars("Input tokens", usage.input_tokens.clone()), Series::bars("Output tokens", usage.output_tokens.clone())]
                on_pick=pick.bucket(window, &usage.buckets, None) />
            {has_cost.then(|| view! {
                <TimeChart title="Cost".into() buckets=usage.buckets.clone() unit=unit format=ValueFormat::Dollars
                    series=vec![Series::bars("Cost", usage.cost.clone())] on_pick=pick.bucket(window, &usage.buckets, None) />
                <BarList title="Cost by model".into() format=ValueFormat::Dollars
                    rows=models.iter().map(|(model, cost)| BarRow { label: model.clone(), value: *cost }).collect() />
            })}
        </div>
    }
    .into_any()
}

fn quality_view(summaries: Vec<AssessmentSummary>, window: Window, pick: PickContext) -> AnyView {
    if summaries.is_empty() {
        return view! {
            <p class="empty-note">"No assessments in this range. Feedback logged with mlflow.log_feedback, judges' scores and expectations appear here."</p>
        }
        .into_any();
    }
    let result_of = |s: &AssessmentSummary| match s.kind {
        AssessmentKindOfValue::Boolean => format!("{} pass", ValueFormat::Percent.show(s.pass_rate.unwrap_or(0.0))),
        AssessmentKindOfValue::Numeric => format!("average {}", ValueFormat::Number.show(s.average.unwrap_or(0.0))),
        AssessmentKindOfValue::Text => s.values.first().map(|(v, c)| format!("most often {} ({})", shown_value(v), c)).unwrap_or_default(),
    };
    let kind_name = |kind: AssessmentKindOfValue| match kind {
        AssessmentKindOfValue::Boolean => "pass/fail",
        AssessmentKindOfValue::Numeric => "number",
        AssessmentKindOfValue::Text => "text",
    };
    let rows = summaries
        .iter()
        .map(|s| {
            view! { <tr><th scope="row">{s.name.clone()}</th><td>{kind_name(s.kind)}</td><td class="num">{format::count(s.count as u64)}</td><td>{result_of(s)}</td></tr> }
        })
        .collect_view();
    let charts = summaries
        .into_iter()
        .map(|s| {
            let (format, series) = match s.kind {
                AssessmentKindOfValue::Boolean => (ValueFormat::Percent, Series::line(s.over_time_label(), s.over_time.clone())),
                AssessmentKindOfValue::Numeric => (ValueFormat::Number, Series::line(s.over_time_label(), s.over_time.clone())),
                AssessmentKindOfValue::Text => (ValueFormat::Count, Series::bars(s.over_time_label(), s.over_time.clone())),
            };
            let field = pick.assessment_field(&s.name);
            let values: Vec<String> = s.values.iter().map(|(v, _)| v.clone()).collect();
            let pick_value = {
                let (pick, field) = (pick.clone(), field.clone());
                Callback::new(move |i: usize| pick.whole_range_where(window, &field, &shown_value(&values[i])))
            };
            let distribution: Vec<BarRow> = s.values.iter().take(10).map(|(v, c)| BarRow { label: shown_value(v), value: *c }).collect();
            view! {
                <div class="assessment-block" data-assessment=s.name.clone()>
                    <TimeChart title=format!("{} · {}", s.name, s.over_time_label().to_lowercase()) buckets=window.buckets() unit=window.unit
                        format=format series=vec![series] on_pick=pick.bucket(window, &window.buckets(), Some(format!("{field} IS NOT NULL"))) />
                    <BarList title=format!("{} · values", s.name) rows=distribution format=ValueFormat::Count on_pick=pick_value />
                </div>
            }
        })
        .collect_view();
    view! {
        <table class="summary-table">
            <caption>"Quality summary"</caption>
            <thead><tr><th scope="col">"Assessment"</th><th scope="col">"Values"</th><th scope="col" class="num">"Count"</th><th scope="col">"Result"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="chart-grid">{charts}</div>
    }
    .into_any()
}

/// An assessment value as people read it: strings without their JSON quotes.
fn shown_value(json_text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json_text) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(serde_json::Value::Null) => "(no value: the judge failed)".into(),
        _ => json_text.to_string(),
    }
}

/// At most this many tools get their own series over time; the rest are summed as "Other tools".
const TOOL_SERIES: usize = 5;

fn tools_view(tools: ToolCalls, window: Window, pick: PickContext) -> AnyView {
    if tools.total_calls == 0.0 {
        return view! { <p class="empty-note">"No tool calls in this range: spans of type TOOL appear here."</p> }.into_any();
    }
    let names: Vec<String> = tools.tools.iter().map(|t| t.name.clone()).collect();
    let pick_tool = {
        let (pick, names) = (pick.clone(), names.clone());
        Callback::new(move |i: usize| pick.whole_range_where(window, "span.type = 'TOOL' AND span.name", &names[i]))
    };
    let mut usage_series: Vec<Series> =
        tools.tools.iter().take(TOOL_SERIES).map(|t| Series::bars(&t.name, t.calls_over_time.clone())).collect();
    if tools.tools.len() > TOOL_SERIES {
        let mut other = vec![0.0; tools.buckets.len()];
        for tool in &tools.tools[TOOL_SERIES..] {
            other.iter_mut().zip(&tool.calls_over_time).for_each(|(sum, calls)| *sum += calls);
        }
        usage_series.push(Series::bars("Other tools", other));
    }
    let latency_series: Vec<Series> =
        tools.tools.iter().take(TOOL_SERIES).map(|t| Series::line(&t.name, t.latency_over_time.clone())).collect();
    let table_rows = tools
        .tools
        .iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <tr>
                    <th scope="row"><button type="button" class="link-button" on:click=move |_| pick_tool.run(i)>{t.name.clone()}</button></th>
                    <td class="num">{format::count(t.calls as u64)}</td>
                    <td class="num">{ValueFormat::Millis.show(t.avg_latency_ms)}</td>
                    <td class="num">{ValueFormat::Millis.show(t.p90_latency_ms)}</td>
                    <td class="num" class:bad=(t.errors > 0.0)>{ValueFormat::Percent.show(t.error_rate())}</td>
                </tr>
            }
        })
        .collect_view();
    let bars = |value: fn(&figures::ToolStats) -> f64| {
        tools.tools.iter().map(|t| BarRow { label: t.name.clone(), value: value(t) }).collect::<Vec<_>>()
    };
    view! {
        <div class="stat-cards">
            <StatCard label="Tool calls" value=format::count(tools.total_calls as u64) />
            <StatCard label="Average latency" value=ValueFormat::Millis.show(tools.avg_latency_ms) />
            <StatCard label="Success rate" value=ValueFormat::Percent.show(tools.success_rate()) />
            <StatCard label="Failed calls" value=format::count(tools.failed_calls as u64) />
        </div>
        <table class="summary-table">
            <caption>"Tool performance"</caption>
            <thead><tr><th scope="col">"Tool"</th><th scope="col" class="num">"Calls"</th><th scope="col" class="num">"Avg latency"</th><th scope="col" class="num">"P90 latency"</th><th scope="col" class="num">"Error rate"</th></tr></thead>
            <tbody>{table_rows}</tbody>
        </table>
        <div class="chart-grid">
            <TimeChart title="Tool usage".into() buckets=tools.buckets.clone() unit=window.unit format=ValueFormat::Count series=usage_series
                on_pick=pick.bucket(window, &tools.buckets, Some("span.type = 'TOOL'".into())) />
            <TimeChart title="Tool latency (average)".into() buckets=tools.buckets.clone() unit=window.unit format=ValueFormat::Millis series=latency_series
                on_pick=pick.bucket(window, &tools.buckets, Some("span.type = 'TOOL'".into())) />
            <BarList title="Average latency per tool".into() rows=bars(|t| t.avg_latency_ms) format=ValueFormat::Millis on_pick=pick_tool />
            <BarList title="Error rate per tool".into() rows=bars(figures::ToolStats::error_rate) format=ValueFormat::Percent on_pick=pick_tool />
        </div>
    }
    .into_any()
}
