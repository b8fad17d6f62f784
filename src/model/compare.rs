//! Agent runs compared step by step. Each run's steps (model calls, tool calls, retrievals, agents) in the
//! order they ran are aligned with the first run's by type and name (a longest common subsequence, so an
//! inserted or a missing step shows as a gap rather than shifting every row after it); each aligned row is
//! then checked for a different decision: another tool or other arguments, another model answer, another
//! query, or an error on one side. The first row that differs is the runs' first divergence.

use super::chat::{conversation, ChatPart};
use super::loops::{fingerprint, repeated_runs};
use super::{Span, SpanTree, SpanType, Trace};
use serde_json::Value;

/// Above this many cells the alignment's table (2 bytes each) is not built; the runs' middles are then
/// matched greedily (a step looks ahead for its match a little way).
const MAX_TABLE_CELLS: usize = 8_000_000;
const GREEDY_LOOKAHEAD: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepKind {
    Agent,
    Model,
    Tool,
    Retrieval,
}

impl StepKind {
    fn of(span_type: &SpanType) -> Option<StepKind> {
        Some(match span_type {
            SpanType::Agent => StepKind::Agent,
            SpanType::Llm | SpanType::ChatModel => StepKind::Model,
            SpanType::Tool => StepKind::Tool,
            SpanType::Retriever | SpanType::Reranker => StepKind::Retrieval,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            StepKind::Agent => "agent",
            StepKind::Model => "model call",
            StepKind::Tool => "tool call",
            StepKind::Retrieval => "retrieval",
        }
    }
}

/// One step of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The span (an index into the trace's spans).
    pub span: usize,
    pub kind: StepKind,
    /// The span's own type (CHAT_MODEL and LLM are both model calls).
    pub span_type: SpanType,
    pub name: String,
    /// What was decided, as text to compare: a model's tool calls (or its answer), a tool's arguments, a
    /// retrieval's query.
    pub decision: String,
    pub failed: bool,
    pub duration_ns: Option<u64>,
    pub tokens: Option<u64>,
    pub cost: Option<f64>,
}

/// How an aligned row differs from the first run's step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Difference {
    /// Some runs took this step, others did not.
    Gap,
    /// It failed in some runs only.
    Error,
    /// The same step decided otherwise (tool arguments, a model's answer or tool calls, a query).
    Decision,
}

impl Difference {
    pub fn describe(self, kind: StepKind) -> &'static str {
        match (self, kind) {
            (Difference::Gap, _) => "a step only some runs took",
            (Difference::Error, _) => "an error in only some runs",
            (Difference::Decision, StepKind::Model) => "a different model answer",
            (Difference::Decision, StepKind::Tool) => "different tool arguments",
            (Difference::Decision, StepKind::Retrieval) => "a different query",
            (Difference::Decision, StepKind::Agent) => "a different agent input",
        }
    }
}

/// A row of the comparison: each run's step here (an index into that run's steps), or None for a gap.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedRow {
    pub steps: Vec<Option<usize>>,
    pub difference: Option<Difference>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub steps: Vec<Vec<Step>>,
    pub rows: Vec<AlignedRow>,
    /// The first row that differs.
    pub first_divergence: Option<usize>,
}

impl Comparison {
    /// The step of `run` in `row`.
    pub fn step(&self, row: usize, run: usize) -> Option<&Step> {
        self.rows[row].steps[run].map(|index| &self.steps[run][index])
    }

    /// What the row is (its first present step's kind and name).
    pub fn row_step(&self, row: usize) -> &Step {
        let run = self.rows[row].steps.iter().position(Option::is_some).unwrap_or(0);
        self.step(row, run).expect("every row has a step")
    }
}

/// Most runs compared at once (the columns must stay readable).
pub const MAX_RUNS: usize = 4;

/// Whether these trace ids can be compared: two to four different ones.
pub fn check_runs(ids: &[String]) -> Result<(), String> {
    if ids.len() < 2 {
        return Err(format!("Comparing needs two to {MAX_RUNS} trace ids; the link names {}.", ids.len()));
    }
    if ids.len() > MAX_RUNS {
        return Err(format!("At most {MAX_RUNS} traces can be compared at once; the link names {}.", ids.len()));
    }
    if let Some((_, id)) = ids.iter().enumerate().find(|(at, id)| ids[..*at].contains(id)) {
        return Err(format!("A trace cannot be compared with itself: {id} is named twice."));
    }
    Ok(())
}

/// A run's totals, for the summary above the steps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunSummary {
    pub duration_ns: Option<u64>,
    pub tokens: Option<u64>,
    pub cost: Option<f64>,
    /// Spans that failed.
    pub errors: usize,
    /// Valid feedback, as "name: value".
    pub assessments: Vec<String>,
}

impl RunSummary {
    pub fn of(trace: &Trace) -> RunSummary {
        RunSummary {
            duration_ns: trace.duration_ns(),
            tokens: trace.token_usage().map(|usage| usage.total_tokens),
            cost: trace.cost().map(|cost| cost.total_cost),
            errors: trace.spans.iter().filter(|span| span.failed()).count(),
            assessments: trace.feedback_labels(),
        }
    }
}

/// A line of the comparison as shown: one aligned row, or consecutive rows of the same step folded into one
/// (an agent loop, a retry loop) when they repeat more than [`FOLD_ABOVE`] times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareLine {
    Row(usize),
    /// Rows `first..first + period * count`: `count` iterations of `period` steps.
    Loop {
        first: usize,
        period: usize,
        count: usize,
    },
}

/// Repeats folded by default above this many.
pub const FOLD_ABOVE: usize = 3;

/// The comparison's rows as lines, repeated steps folded (`fold`) or not.
pub fn compare_lines(comparison: &Comparison, fold: bool) -> Vec<CompareLine> {
    let keys: Vec<u64> = (0..comparison.rows.len())
        .map(|row| {
            let step = comparison.row_step(row);
            fingerprint(&[step.kind.label(), &step.name])
        })
        .collect();
    let runs = if fold { repeated_runs(&keys, FOLD_ABOVE + 1) } else { Vec::new() };
    let mut lines = Vec::with_capacity(keys.len());
    let mut row = 0;
    for run in runs {
        lines.extend((row..run.start).map(CompareLine::Row));
        lines.push(CompareLine::Loop { first: run.start, period: run.period, count: run.count });
        row = run.start + run.period * run.count;
    }
    lines.extend((row..keys.len()).map(CompareLine::Row));
    lines
}

/// The runs' steps (`steps_of` each; a view works them out one run at a time), aligned on the first run's.
pub fn compare_steps(steps: Vec<Vec<Step>>) -> Comparison {
    let Some((base, others)) = steps.split_first() else {
        return Comparison { steps, rows: Vec::new(), first_divergence: None };
    };
    let key = |step: &Step| fingerprint(&[step.kind.label(), &step.name]);
    let base_keys: Vec<_> = base.iter().map(key).collect();
    // For each other run: the base step each of its steps matched, or None (inserted).
    let matches: Vec<Vec<Option<usize>>> = others.iter().map(|run| align(&base_keys, &run.iter().map(key).collect::<Vec<_>>())).collect();
    let rows = merge(base.len(), &matches);
    let rows: Vec<AlignedRow> = rows
        .into_iter()
        .map(|cells| {
            let difference = difference(&cells, &steps);
            AlignedRow { steps: cells, difference }
        })
        .collect();
    let first_divergence = rows.iter().position(|row| row.difference.is_some());
    Comparison { steps, rows, first_divergence }
}

/// A trace's steps in the order they ran (the tree's depth-first order).
pub fn steps_of(trace: &Trace) -> Vec<Step> {
    let tree = SpanTree::build(&trace.spans);
    tree.preorder()
        .into_iter()
        .filter_map(|index| {
            let span = &trace.spans[index];
            let kind = StepKind::of(&span.span_type)?;
            Some(Step {
                span: index,
                kind,
                span_type: span.span_type.clone(),
                name: span.name.clone(),
                decision: decision(span, kind),
                failed: span.failed(),
                duration_ns: span.duration_ns(),
                tokens: span.token_usage().map(|usage| usage.total_tokens),
                cost: span.cost().map(|cost| cost.total_cost),
            })
        })
        .collect()
}

fn decision(span: &Span, kind: StepKind) -> String {
    let canonical = |value: Option<&Value>| value.map(Value::to_string).unwrap_or_default();
    match kind {
        StepKind::Model => {
            let Some(chat) = conversation(span) else { return canonical(span.outputs.as_ref()) };
            let said = chat.messages.iter().filter(|message| message.is_output).flat_map(|message| &message.parts);
            let calls: Vec<String> = said
                .clone()
                .filter_map(|part| match part {
                    ChatPart::ToolCall { name, arguments, .. } => Some(format!("{name}({arguments})")),
                    _ => None,
                })
                .collect();
            if !calls.is_empty() {
                return calls.join("; ");
            }
            let text: Vec<&str> = said
                .filter_map(|part| match part {
                    ChatPart::Text(text) => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
        }
        StepKind::Tool | StepKind::Retrieval | StepKind::Agent => canonical(span.inputs.as_ref()),
    }
}

/// Each side of a compared step shows at most this many characters per section (a 5 MB payload would take
/// seconds to diff and lay out).
pub const SECTION_CHARS: usize = 20_000;

/// What a step is made of, as titled texts to diff against another run's: a model call's messages one by
/// one ("user 1", "assistant 2"), otherwise its inputs and outputs; and its error.
pub fn step_sections(span: &Span) -> Vec<(String, String)> {
    let pretty = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => format!("{other:#}"),
    };
    let mut sections: Vec<(String, String)> = match conversation(span).filter(|chat| !chat.messages.is_empty()) {
        Some(chat) => chat
            .messages
            .iter()
            .enumerate()
            .map(|(at, message)| {
                let text: Vec<String> = message
                    .parts
                    .iter()
                    .map(|part| match part {
                        ChatPart::Text(text) | ChatPart::Reasoning(text) => text.clone(),
                        ChatPart::ToolCall { name, arguments, .. } => format!("→ {name}({arguments})"),
                        ChatPart::ToolResult { content, .. } => pretty(content),
                        ChatPart::Media(media) => format!("[{}]", media.mime.as_deref().unwrap_or("media")),
                        ChatPart::Other(value) => pretty(value),
                    })
                    .collect();
                (format!("{} {}", message.role, at + 1), text.join("\n"))
            })
            .collect(),
        None => [("Inputs", &span.inputs), ("Outputs", &span.outputs)]
            .into_iter()
            .filter_map(|(title, value)| value.as_ref().map(|value| (title.to_string(), pretty(value))))
            .collect(),
    };
    if span.failed() {
        let exception = span.events.iter().find(|event| event.name == "exception").and_then(|event| {
            event.attributes.iter().find(|(key, _)| key == "exception.message").and_then(|(_, value)| value.as_str().map(str::to_string))
        });
        let message = exception.unwrap_or_else(|| span.status.message.clone());
        sections.push(("Error".into(), if message.trim().is_empty() { "The step failed (no message given).".into() } else { message }));
    }
    for (_, text) in &mut sections {
        if text.chars().nth(SECTION_CHARS).is_some() {
            *text = super::derive::truncate_chars(text, SECTION_CHARS);
        }
    }
    sections
}

/// How a row differs: a gap, an error on some sides, or another decision than the first run's.
fn difference(cells: &[Option<usize>], steps: &[Vec<Step>]) -> Option<Difference> {
    if cells.iter().any(Option::is_none) {
        return Some(Difference::Gap);
    }
    let present: Vec<&Step> = cells.iter().zip(steps).filter_map(|(cell, run)| cell.map(|index| &run[index])).collect();
    let first = present[0];
    if present.iter().any(|step| step.failed != first.failed) {
        return Some(Difference::Error);
    }
    present.iter().any(|step| step.decision != first.decision).then_some(Difference::Decision)
}

/// For each step of `other`, the step of `base` it is aligned with (equal keys), or None: a longest common
/// subsequence after the common start and end are taken off.
pub fn align(base: &[u64], other: &[u64]) -> Vec<Option<usize>> {
    let mut matched = vec![None; other.len()];
    let prefix = base.iter().zip(other).take_while(|(a, b)| a == b).count();
    let suffix = base[prefix..].iter().rev().zip(other[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    for (i, slot) in matched.iter_mut().enumerate().take(prefix) {
        *slot = Some(i);
    }
    for k in 0..suffix {
        matched[other.len() - 1 - k] = Some(base.len() - 1 - k);
    }
    let (a, b) = (&base[prefix..base.len() - suffix], &other[prefix..other.len() - suffix]);
    let middle = if a.len().saturating_mul(b.len()) <= MAX_TABLE_CELLS { lcs(a, b) } else { greedy(a, b) };
    for (j, i) in middle.into_iter().enumerate() {
        matched[prefix + j] = i.map(|i| prefix + i);
    }
    matched
}

/// The longest common subsequence, as `b`'s matches in `a`.
fn lcs(a: &[u64], b: &[u64]) -> Vec<Option<usize>> {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    // table[i * width + j]: the length of the LCS of a[i..] and b[j..] (saturating: at most u16::MAX steps
    // are counted, which only matters past 65,535 steps in common).
    let mut table = vec![0u16; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * width + j] = if a[i] == b[j] {
                table[(i + 1) * width + j + 1].saturating_add(1)
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let mut matched = vec![None; m];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            matched[j] = Some(i);
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    matched
}

/// Runs too long for the table: each step of `b` takes the next equal step of `a` within a short look-ahead.
fn greedy(a: &[u64], b: &[u64]) -> Vec<Option<usize>> {
    let mut matched = vec![None; b.len()];
    let mut i = 0;
    for (j, key) in b.iter().enumerate() {
        if let Some(ahead) = a[i.min(a.len())..].iter().take(GREEDY_LOOKAHEAD).position(|candidate| candidate == key) {
            matched[j] = Some(i + ahead);
            i += ahead + 1;
        }
    }
    matched
}

/// The rows: the base run's steps in order, each other run's inserted steps just before the base step its
/// next matched step is aligned with (or at the end).
fn merge(base_len: usize, matches: &[Vec<Option<usize>>]) -> Vec<Vec<Option<usize>>> {
    let runs = matches.len() + 1;
    // Per base step (and one more slot for the end): the rows inserted before it, then its own row.
    let mut inserted: Vec<Vec<Vec<Option<usize>>>> = vec![Vec::new(); base_len + 1];
    let mut own: Vec<Vec<Option<usize>>> = (0..base_len)
        .map(|i| {
            let mut cells = vec![None; runs];
            cells[0] = Some(i);
            cells
        })
        .collect();
    for (other, matched) in matches.iter().enumerate() {
        let run = other + 1;
        let mut pending = Vec::new();
        for (j, base) in matched.iter().enumerate() {
            match base {
                Some(i) => {
                    own[*i][run] = Some(j);
                    for step in pending.drain(..) {
                        let mut cells = vec![None; runs];
                        cells[run] = Some(step);
                        inserted[*i].push(cells);
                    }
                }
                None => pending.push(j),
            }
        }
        for step in pending {
            let mut cells = vec![None; runs];
            cells[run] = Some(step);
            inserted[base_len].push(cells);
        }
    }
    let mut rows = Vec::new();
    for (i, before) in inserted.into_iter().enumerate() {
        rows.extend(before);
        if i < base_len {
            rows.push(std::mem::take(&mut own[i]));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::span;
    use crate::model::{SpanStatus, StatusCode, TraceInfo};
    use serde_json::json;

    /// A run of steps named by kind: "m:plan" a model call, "t:search" a tool call; each runs in turn.
    fn run(steps: &[&str]) -> Trace {
        let mut spans = vec![span("root", None, SpanType::Chain, 0, 10_000)];
        for (k, step) in steps.iter().enumerate() {
            let (kind, name) = step.split_once(':').unwrap();
            let span_type = if kind == "m" { SpanType::ChatModel } else { SpanType::Tool };
            let mut s = span(&format!("s{k}"), Some("root"), span_type, k as u64 * 10, k as u64 * 10 + 5);
            s.name = name.into();
            spans.push(s);
        }
        Trace { info: TraceInfo::default(), spans, spans_loaded: true }
    }

    fn compare(traces: &[&Trace]) -> Comparison {
        compare_steps(traces.iter().map(|trace| steps_of(trace)).collect())
    }

    fn names(comparison: &Comparison, run: usize) -> Vec<String> {
        (0..comparison.rows.len()).map(|row| comparison.step(row, run).map_or("-".into(), |step| step.name.clone())).collect()
    }

    #[test]
    fn identical_runs_align_row_by_row_without_divergence() {
        let a = run(&["m:plan", "t:search", "m:answer"]);
        let comparison = compare(&[&a, &a.clone()]);
        assert_eq!(names(&comparison, 1), ["plan", "search", "answer"]);
        assert_eq!(comparison.first_divergence, None);
    }

    #[test]
    fn an_inserted_step_is_a_gap_not_a_shift() {
        let a = run(&["m:plan", "t:search", "m:answer"]);
        let b = run(&["m:plan", "t:search", "t:search", "m:answer"]);
        let comparison = compare(&[&a, &b]);
        assert_eq!(names(&comparison, 0), ["plan", "search", "-", "answer"]);
        assert_eq!(names(&comparison, 1), ["plan", "search", "search", "answer"]);
        assert_eq!(comparison.first_divergence, Some(2));
        assert_eq!(comparison.rows[2].difference, Some(Difference::Gap));
    }

    #[test]
    fn a_missing_step_and_a_reordered_one_are_gaps_on_the_right_side() {
        let a = run(&["m:plan", "t:weather", "t:calendar", "m:answer"]);
        let missing = run(&["m:plan", "t:calendar", "m:answer"]);
        let comparison = compare(&[&a, &missing]);
        assert_eq!(names(&comparison, 1), ["plan", "-", "calendar", "answer"]);
        assert_eq!(comparison.first_divergence, Some(1));

        let reordered = run(&["m:plan", "t:calendar", "t:weather", "m:answer"]);
        let comparison = compare(&[&a, &reordered]);
        assert_eq!(comparison.rows.len(), 5);
        assert_eq!(names(&comparison, 0).iter().filter(|n| *n != "-").count(), 4);
        assert_eq!(names(&comparison, 1).iter().filter(|n| *n != "-").count(), 4);
        assert_eq!(comparison.first_divergence, Some(1));
    }

    #[test]
    fn a_different_tool_at_step_three_is_the_first_divergence() {
        let a = run(&["m:plan", "t:search", "m:decide", "t:weather", "m:answer"]);
        let b = run(&["m:plan", "t:search", "m:decide", "t:calendar", "m:answer"]);
        let comparison = compare(&[&a, &b]);
        let first = comparison.first_divergence.unwrap();
        assert_eq!(comparison.row_step(first).name, "weather");
        assert_eq!(comparison.rows[first].difference, Some(Difference::Gap));
    }

    #[test]
    fn other_arguments_or_an_error_on_one_side_diverge_at_that_step() {
        let a = run(&["m:plan", "t:search", "m:answer"]);
        let mut b = a.clone();
        b.spans[2].inputs = Some(json!({"query": "weather in Paris"}));
        let comparison = compare(&[&a, &b]);
        assert_eq!((comparison.first_divergence, comparison.rows[1].difference), (Some(1), Some(Difference::Decision)));

        let mut c = a.clone();
        c.spans[2].status = SpanStatus { code: StatusCode::Error, message: "timeout".into() };
        let comparison = compare(&[&a, &c]);
        assert_eq!((comparison.first_divergence, comparison.rows[1].difference), (Some(1), Some(Difference::Error)));
    }

    #[test]
    fn a_model_that_calls_other_tools_diverges_even_in_other_words() {
        let answer = |calls: Value| json!({"choices": [{"message": {"role": "assistant", "content": null, "tool_calls": calls}}]});
        let call = |name: &str| json!([{"id": "c1", "type": "function", "function": {"name": name, "arguments": "{}"}}]);
        let a = run(&["m:plan"]);
        let (mut b, mut c) = (a.clone(), a.clone());
        b.spans[1].outputs = Some(answer(call("weather")));
        c.spans[1].outputs = Some(answer(call("calendar")));
        let mut b_again = b.clone();
        b_again.spans[1].outputs = Some(answer(call("weather")));
        assert_eq!(compare(&[&b, &c]).first_divergence, Some(0));
        assert_eq!(compare(&[&b, &b_again]).first_divergence, None);
    }

    #[test]
    fn three_runs_align_on_the_first() {
        let a = run(&["m:plan", "t:search", "m:answer"]);
        let b = run(&["m:plan", "m:answer"]);
        let c = run(&["m:plan", "t:search", "t:retry", "m:answer"]);
        let comparison = compare(&[&a, &b, &c]);
        assert_eq!(names(&comparison, 0), ["plan", "search", "-", "answer"]);
        assert_eq!(names(&comparison, 1), ["plan", "-", "-", "answer"]);
        assert_eq!(names(&comparison, 2), ["plan", "search", "retry", "answer"]);
    }

    #[test]
    fn a_retry_loop_of_five_against_one_folds_into_one_line_of_five_iterations() {
        let five = run(&["m:plan", "t:fetch", "t:fetch", "t:fetch", "t:fetch", "t:fetch", "m:answer"]);
        let once = run(&["m:plan", "t:fetch", "m:answer"]);
        let comparison = compare(&[&five, &once]);
        assert_eq!(
            compare_lines(&comparison, true),
            [CompareLine::Row(0), CompareLine::Loop { first: 1, period: 1, count: 5 }, CompareLine::Row(6)]
        );
        assert_eq!(compare_lines(&comparison, false).len(), 7);
        let three = run(&["m:plan", "t:fetch", "t:fetch", "t:fetch", "m:answer"]);
        assert_eq!(compare_lines(&compare(&[&three, &once]), true).len(), 5, "three repeats stay unfolded");
    }

    #[test]
    fn only_two_to_four_different_traces_are_compared() {
        let ids = |list: &[&str]| list.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        assert!(check_runs(&ids(&["a", "b"])).is_ok());
        assert!(check_runs(&ids(&["a", "b", "c", "d"])).is_ok());
        assert!(check_runs(&ids(&["a"])).unwrap_err().contains("two to 4"));
        assert!(check_runs(&ids(&["a", "b", "c", "d", "e"])).unwrap_err().contains("At most 4"));
        assert!(check_runs(&ids(&["a", "b", "a"])).unwrap_err().contains("a is named twice"));
    }

    #[test]
    fn a_step_is_diffed_message_by_message_or_by_its_inputs_and_outputs() {
        let mut model = span("m", None, SpanType::ChatModel, 0, 1);
        model.inputs = Some(json!({"messages": [{"role": "user", "content": "Weather in Paris?"}]}));
        model.outputs = Some(json!({"choices": [{"message": {"role": "assistant", "content": "Sunny."}}]}));
        let titles: Vec<String> = step_sections(&model).into_iter().map(|(title, _)| title).collect();
        assert_eq!(titles, ["user 1", "assistant 2"]);
        let mut tool = span("t", None, SpanType::Tool, 0, 1);
        tool.inputs = Some(json!({"city": "Paris"}));
        tool.status = SpanStatus { code: StatusCode::Error, message: "timeout".into() };
        let sections = step_sections(&tool);
        assert_eq!(sections[0], ("Inputs".into(), "{\n  \"city\": \"Paris\"\n}".into()));
        assert_eq!(sections[1], ("Error".into(), "timeout".into()));
        tool.outputs = Some(json!("x".repeat(SECTION_CHARS * 2)));
        assert!(step_sections(&tool)[1].1.chars().count() <= SECTION_CHARS + 1);
    }

    #[test]
    fn long_runs_are_aligned_without_a_table_too_large_to_build() {
        let base: Vec<u64> = (0..5_000).map(|i| i % 7).collect();
        let mut other = base.clone();
        other.insert(2_500, 99);
        other.remove(100);
        let matched = align(&base, &other);
        assert_eq!(matched.iter().filter(|m| m.is_some()).count(), 4_999);
        assert_eq!(matched[2_499], None);
        let long: Vec<u64> = (0..20_000).map(|i| i % 5).collect();
        let mut shifted = long.clone();
        shifted.insert(10_000, 42);
        shifted.insert(0, 41);
        let matched = align(&long, &shifted);
        assert_eq!(matched.iter().filter(|m| m.is_some()).count(), 20_000);
    }
}
