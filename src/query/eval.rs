//! Evaluating a filter on loaded traces with the tracking server's semantics (measured on MLflow 3.18):
//! - a clause on a missing tag, metadata key or assessment is false, except `IS NULL` (`!=` too: the
//!   server joins, so a trace without the tag is not "different");
//! - `LIKE` is case-sensitive with `%` and `_`; `ILIKE` ignores case; `RLIKE` is a regex search;
//! - feedback and expectation values compare as the server stores them, JSON-encoded: `= 'true'` matches
//!   the boolean true, `LIKE '%fri%'` matches "friendly" but `LIKE 'fri%'` does not (the quote comes first);
//! - every `span.*` clause, and `trace.text`, must hold for the same span;
//! - only valid assessments count: one overridden by another is not matched.

use super::{Clause, Field, Filter, Op, Operand};
use crate::model::write::{python_json, span_to_json};
use crate::model::{AssessmentKind, Span, StatusCode, Trace};
use regex_lite::{Regex, RegexBuilder};
use serde_json::Value;

/// A filter ready to test many traces: regexes compiled once, clauses on the trace apart from those that
/// must hold for one span.
pub struct Matcher {
    trace_clauses: Vec<(Clause, Option<Regex>)>,
    span_clauses: Vec<(Clause, Option<Regex>)>,
}

/// The longest RLIKE pattern compiled, and the most memory its program may take: a pattern from a URL is
/// untrusted, and a huge one (or one that expands, `(a{1000}){1000}`) would hold the page.
const MAX_PATTERN_CHARS: usize = 1_000;
const MAX_REGEX_BYTES: usize = 1 << 20;

fn regex(pattern: &str) -> Result<Regex, String> {
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(format!("the regular expression is over {MAX_PATTERN_CHARS} characters long"));
    }
    RegexBuilder::new(pattern)
        .size_limit(MAX_REGEX_BYTES)
        .nest_limit(64)
        .build()
        .map_err(|err| format!("invalid regular expression '{pattern}': {err}"))
}

impl Matcher {
    pub fn new(filter: &Filter) -> Result<Matcher, String> {
        let mut clauses = Vec::with_capacity(filter.clauses.len());
        for clause in &filter.clauses {
            let regex = match (&clause.op, &clause.value) {
                (Op::RLike, Operand::Text(pattern)) => Some(regex(pattern)?),
                _ => None,
            };
            clauses.push((clause.clone(), regex));
        }
        let (span_clauses, trace_clauses) = clauses.into_iter().partition(|(clause, _)| clause.field.is_span_field());
        Ok(Matcher { trace_clauses, span_clauses })
    }

    pub fn matches(&self, trace: &Trace) -> bool {
        let contents: Vec<String> = if self.needs_content() { trace.spans.iter().map(span_content).collect() } else { Vec::new() };
        self.matches_with_contents(trace, &contents)
    }

    /// As [`Matcher::matches`], with each span's searchable content already computed ([`span_contents`]),
    /// which makes text search over many traces fast enough to run on every keystroke.
    pub fn matches_with_contents(&self, trace: &Trace, contents: &[String]) -> bool {
        let Matcher { trace_clauses, span_clauses } = self;
        trace_clauses.iter().all(|(clause, regex)| trace_clause(trace, clause, regex.as_ref()))
            && (span_clauses.is_empty()
                || trace.spans.iter().enumerate().any(|(index, span)| {
                    span_clauses.iter().all(|(clause, regex)| span_clause(span, contents.get(index), clause, regex.as_ref()))
                }))
    }

    /// Whether the filter searches span content (`trace.text`, `span.content`, plain words).
    pub fn needs_content(&self) -> bool {
        self.span_clauses.iter().any(|(clause, _)| matches!(clause.field, Field::Text | Field::SpanContent))
    }
}

/// What `trace.text` and `span.content` search, for each span of a trace (see [`Matcher::matches_with_contents`]).
pub fn span_contents(trace: &Trace) -> Vec<String> {
    trace.spans.iter().map(span_content).collect()
}

fn trace_clause(trace: &Trace, clause: &Clause, regex: Option<&Regex>) -> bool {
    let info = &trace.info;
    let millis = |nanos: Option<u64>| nanos.map(|n| (n / 1_000_000) as f64);
    // The server stores 0 for a trace still running.
    let execution_ms = millis(info.execution_duration_ns).unwrap_or(0.0);
    match &clause.field {
        Field::TimestampMs => compare_number(clause, millis(info.request_time_ns)),
        Field::ExecutionTimeMs => compare_number(clause, Some(execution_ms)),
        Field::EndTimeMs => compare_number(clause, millis(info.request_time_ns).map(|start| start + execution_ms)),
        Field::Status => compare_text(clause, Some(info.state.as_str()), regex),
        Field::RequestId => compare_text(clause, Some(&info.trace_id), regex),
        Field::ClientRequestId => compare_text(clause, info.client_request_id.as_deref(), regex),
        Field::Name => compare_text(clause, Some(&trace.name()), regex),
        Field::RunId => compare_text(clause, trace.run_id(), regex),
        Field::Prompt => {
            trace.linked_prompts().iter().any(|prompt| compare_text(clause, Some(&format!("{}/{}", prompt.name, prompt.version)), regex))
        }
        Field::Tag(key) => compare_text(clause, info.tags.get(key).map(String::as_str), regex),
        Field::Metadata(key) => compare_text(clause, info.metadata.get(key).map(String::as_str), regex),
        Field::Feedback(name) | Field::Expectation(name) => {
            let want_feedback = matches!(clause.field, Field::Feedback(_));
            let values: Vec<&Value> = info
                .assessments
                .iter()
                .filter(|assessment| &assessment.name == name && assessment.valid)
                .filter_map(|assessment| match &assessment.kind {
                    AssessmentKind::Feedback { value, .. } if want_feedback => Some(value),
                    AssessmentKind::Expectation { value } if !want_feedback => Some(value),
                    _ => None,
                })
                .collect();
            match clause.op {
                Op::IsNull => values.is_empty(),
                Op::IsNotNull => !values.is_empty(),
                _ => values.iter().any(|value| compare_assessment(clause, value, regex)),
            }
        }
        Field::Issue(_) => clause.op == Op::IsNull,
        Field::SpanName | Field::SpanType | Field::SpanStatus | Field::SpanContent | Field::SpanAttribute(_) | Field::Text => {
            unreachable!("span clauses are evaluated per span")
        }
    }
}

fn span_clause(span: &Span, content: Option<&String>, clause: &Clause, regex: Option<&Regex>) -> bool {
    match &clause.field {
        Field::SpanName => compare_text(clause, Some(&span.name), regex),
        Field::SpanType => compare_text(clause, Some(span.span_type.as_str()), regex),
        Field::SpanStatus => {
            let status = match span.status.code {
                StatusCode::Ok => "OK",
                StatusCode::Error => "ERROR",
                StatusCode::Unset => "UNSET",
            };
            compare_text(clause, Some(status), regex)
        }
        Field::SpanContent | Field::Text => compare_text(clause, content.map(String::as_str), regex),
        Field::SpanAttribute(key) => {
            let text = span.attribute(key).map(|value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            });
            compare_text(clause, text.as_deref(), regex)
        }
        _ => false,
    }
}

/// What `span.content` and `trace.text` search: the span as the server stores it (its whole JSON, ids,
/// times, status, events and attributes included), so that a pattern matches where the server's does.
fn span_content(span: &Span) -> String {
    python_json(&span_to_json(span), false)
}

fn compare_text(clause: &Clause, value: Option<&str>, regex: Option<&Regex>) -> bool {
    let Some(value) = value else { return clause.op == Op::IsNull };
    match (&clause.op, &clause.value) {
        (Op::IsNull, _) => false,
        (Op::IsNotNull, _) => true,
        (Op::Eq, Operand::Text(text)) => value == text,
        (Op::Ne, Operand::Text(text)) => value != text,
        (Op::Like, Operand::Text(pattern)) => like(pattern, value, false),
        (Op::ILike, Operand::Text(pattern)) => like(pattern, value, true),
        (Op::RLike, _) => regex.is_some_and(|regex| regex.is_match(value)),
        (Op::In, Operand::List(items)) => items.iter().any(|item| item == value),
        (Op::NotIn, Operand::List(items)) => !items.iter().any(|item| item == value),
        _ => false,
    }
}

fn compare_number(clause: &Clause, value: Option<f64>) -> bool {
    let Some(value) = value else { return false };
    let target = match &clause.value {
        Operand::Number(_, number) => *number,
        Operand::Text(text) => match text.trim().parse::<f64>() {
            Ok(number) => number,
            Err(_) => return false,
        },
        _ => return false,
    };
    match clause.op {
        Op::Eq => value == target,
        Op::Ne => value != target,
        Op::Lt => value < target,
        Op::Le => value <= target,
        Op::Gt => value > target,
        Op::Ge => value >= target,
        _ => false,
    }
}

fn compare_assessment(clause: &Clause, value: &Value, regex: Option<&Regex>) -> bool {
    let stored = python_json(value, true);
    match (&clause.op, &clause.value) {
        (Op::Lt | Op::Le | Op::Gt | Op::Ge, _) => compare_number(clause, value.as_f64()),
        (Op::Eq | Op::Ne, Operand::Text(text)) => {
            // The server encodes the filter value as it encodes stored values: JSON when it parses as JSON.
            let wanted = serde_json::from_str::<Value>(text)
                .map(|parsed| python_json(&parsed, true))
                .unwrap_or_else(|_| python_json(&Value::String(text.clone()), true));
            (stored == wanted) == (clause.op == Op::Eq)
        }
        _ => compare_text(clause, Some(&stored), regex),
    }
}

/// SQL LIKE: `%` any run of characters, `_` one character; iterative with backtracking on the last `%`.
pub fn like(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if let Some(found) = like_fast(pattern, text, ignore_case) {
        return found;
    }
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (pattern, text) = (fold(pattern), fold(text));
    let (mut p, mut t) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '_' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '%' {
            resume = Some((p, t));
            p += 1;
        } else if let Some((star, matched)) = resume {
            p = star + 1;
            t = matched + 1;
            resume = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '%')
}

/// The common shapes (`%word%`, `word%`, `%word`, `word`) without allocating, when the case folding is
/// plain ASCII (span content is ASCII-escaped JSON); None when the general matcher is needed.
fn like_fast(pattern: &str, text: &str, ignore_case: bool) -> Option<bool> {
    let (leading, rest) = pattern.strip_prefix('%').map_or((false, pattern), |rest| (true, rest));
    let (trailing, needle) = rest.strip_suffix('%').map_or((false, rest), |needle| (true, needle));
    if needle.contains(['%', '_']) || (ignore_case && !(needle.is_ascii() && text.is_ascii())) {
        return None;
    }
    if leading && trailing && !ignore_case {
        return Some(text.contains(needle));
    }
    let equal = |a: &[u8], b: &[u8]| if ignore_case { a.eq_ignore_ascii_case(b) } else { a == b };
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    Some(match (leading, trailing) {
        (false, false) => equal(text, needle),
        (false, true) => text.len() >= needle.len() && equal(&text[..needle.len()], needle),
        (true, false) => text.len() >= needle.len() && equal(&text[text.len() - needle.len()..], needle),
        (true, true) => contains_ignoring_ascii_case(text, needle),
    })
}

/// Whether `needle` occurs in `text`, ASCII case ignored: places where the needle's first byte is, in either
/// case, and only there the rest compared. A word typed in the table's search box scans every span of every
/// loaded trace this way, so this loop is most of what a keystroke costs on a large file.
fn contains_ignoring_ascii_case(text: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return true };
    let Some(last_start) = text.len().checked_sub(needle.len()) else { return false };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    text[..=last_start]
        .iter()
        .enumerate()
        .any(|(start, &byte)| (byte == lower || byte == upper) && text[start + 1..start + needle.len()].eq_ignore_ascii_case(rest))
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn like_patterns() {
        for (pattern, text, ignore_case, expected) in [
            ("%fri%", "\"friendly\"", false, true),
            ("fri%", "\"friendly\"", false, false),
            ("%AGENT%", "weather_agent", false, false),
            ("%AGENT%", "weather_agent", true, true),
            ("weather%", "weather_agent", false, true),
            ("%agent", "weather_agent", false, true),
            ("w_ather%", "weather_agent", false, true),
            ("%a%e%t", "weather_agent", false, true),
            ("%ÜNÏ%", "big ünïcødé payload", true, true),
            ("", "", false, true),
            ("%", "anything", false, true),
            ("a", "ab", false, false),
            ("%GENT%", "weather_agent", true, true),
            ("%AgEnTs%", "weather_agent", true, false),
            ("%r_a%", "weather_agent", true, true),
            ("%\"city\": \"CAIRO%", "{\"city\": \"Cairo\"}", true, true),
            ("%%", "", true, true),
        ] {
            assert_eq!(like(pattern, text, ignore_case), expected, "{pattern} LIKE {text} (ignore case {ignore_case})");
        }
    }
}
