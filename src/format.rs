//! How numbers read on screen: durations, token counts, costs, sizes, ids, assessment values. Pure Rust,
//! tested natively.

use crate::model::derive::truncate_chars;
use crate::model::{Assessment, AssessmentKind};
use serde_json::Value;

/// A duration at the precision a person reads it at: `850 µs`, `94 ms`, `2.35 s`, `3 min 05 s`, `2 h 10 min`.
pub fn duration_ns(nanos: u64) -> String {
    const MICRO: u64 = 1_000;
    const MILLI: u64 = 1_000_000;
    const SECOND: u64 = 1_000_000_000;
    match nanos {
        0..MICRO => format!("{nanos} ns"),
        MICRO..MILLI => format!("{} µs", nanos / MICRO),
        MILLI..SECOND => format!("{} ms", nanos / MILLI),
        _ if nanos < 60 * SECOND => format!("{:.2} s", nanos as f64 / SECOND as f64),
        _ if nanos < 3600 * SECOND => format!("{} min {:02} s", nanos / (60 * SECOND), nanos / SECOND % 60),
        _ => format!("{} h {:02} min", nanos / (3600 * SECOND), nanos / (60 * SECOND) % 60),
    }
}

/// Token usage at a glance: `874 (738 in, 136 out)`.
pub fn token_summary(usage: &crate::model::TokenUsage) -> String {
    format!("{} ({} in, {} out)", count(usage.total_tokens), count(usage.input_tokens), count(usage.output_tokens))
}

/// Thousands separated by commas: `12,345`.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// US dollars with enough digits to tell small LLM costs apart: `$0.000886`, `$0.0421`, `$12.50`.
pub fn cost_usd(dollars: f64) -> String {
    if dollars == 0.0 {
        "$0".into()
    } else if dollars < 0.01 {
        format!("${}", significant(dollars, 3))
    } else if dollars < 1.0 {
        format!("${dollars:.4}")
    } else {
        format!("${dollars:.2}")
    }
}

fn significant(value: f64, digits: i32) -> String {
    let decimals = (digits - 1 - value.abs().log10().floor() as i32).max(0) as usize;
    format!("{value:.decimals$}")
}

/// A size in bytes as people read it: `512 B`, `3.4 KB`, `12.0 MB`.
pub fn bytes(count: u64) -> String {
    match count {
        0..1_000 => format!("{count} B"),
        1_000..1_000_000 => format!("{:.1} KB", count as f64 / 1e3),
        _ => format!("{:.1} MB", count as f64 / 1e6),
    }
}

/// A long id shortened for a table cell, keeping its start (`tr-ee45602c…`).
pub fn short_id(id: &str) -> String {
    match id.char_indices().nth(12) {
        Some((cut, _)) => format!("{}…", &id[..cut]),
        None => id.to_string(),
    }
}

/// One CSV record (RFC 4180): fields with commas, quotes or line breaks are quoted, quotes doubled. A field
/// a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, a tab or a carriage return) is kept as
/// text with a leading `'`: a trace's text is never a formula in the user's spreadsheet.
pub fn csv_record<S: AsRef<str>>(fields: &[S]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|field| {
            let field = field.as_ref();
            let runs_as_formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']) && field.parse::<f64>().is_err();
            let field = if runs_as_formula { format!("'{field}") } else { field.to_string() };
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field
            }
        })
        .collect();
    quoted.join(",") + "\r\n"
}

/// How an assessment value reads at a glance, and its tone: pass, fail or neutral.
pub fn assessment_value(assessment: &Assessment) -> (String, &'static str) {
    let value = match &assessment.kind {
        AssessmentKind::Feedback { error: Some(error), .. } => {
            return (format!("error: {}", error.code.clone().unwrap_or_default()), "fail")
        }
        AssessmentKind::Feedback { value, .. } | AssessmentKind::Expectation { value } => value,
    };
    match value {
        Value::Bool(true) => ("pass".into(), "pass"),
        Value::Bool(false) => ("fail".into(), "fail"),
        Value::String(text) if matches!(text.to_ascii_lowercase().as_str(), "yes" | "pass" | "true") => (text.clone(), "pass"),
        Value::String(text) if matches!(text.to_ascii_lowercase().as_str(), "no" | "fail" | "false") => (text.clone(), "fail"),
        Value::String(text) => (truncate_chars(text, 40), "neutral"),
        Value::Number(number) => match number.as_f64() {
            Some(n) if n.fract() != 0.0 => (format!("{n:.2}"), "neutral"),
            _ => (number.to_string(), "neutral"),
        },
        Value::Null => ("none".into(), "neutral"),
        other => (truncate_chars(&other.to_string(), 40), "neutral"),
    }
}

/// Who gave an assessment, in words (MLflow's source types).
pub fn assessment_source(source_type: &str) -> &str {
    match source_type {
        "HUMAN" => "Human",
        "LLM_JUDGE" => "LLM judge",
        "CODE" => "Code",
        "SOURCE_TYPE_UNSPECIFIED" => "Unknown source",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_human_scale() {
        assert_eq!(duration_ns(512), "512 ns");
        assert_eq!(duration_ns(850_000), "850 µs");
        assert_eq!(duration_ns(94_851_100), "94 ms");
        assert_eq!(duration_ns(2_345_000_000), "2.35 s");
        assert_eq!(duration_ns(185_000_000_000), "3 min 05 s");
        assert_eq!(duration_ns(7_800_000_000_000), "2 h 10 min");
    }

    #[test]
    fn counts_and_costs() {
        assert_eq!(count(0), "0");
        assert_eq!(count(404), "404");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(cost_usd(0.0008864), "$0.000886");
        assert_eq!(cost_usd(0.04213), "$0.0421");
        assert_eq!(cost_usd(12.5), "$12.50");
        assert_eq!(short_id("tr-ee45602c54b8dd323727d595920f40eb"), "tr-ee45602c5…");
        assert_eq!(csv_record(&["a", "b,c", "say \"hi\"", "two\nlines"]), "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
        // Formulas stay text; negative numbers stay numbers.
        assert_eq!(
            csv_record(&["=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)", "-2.5", "-x"]),
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+1,'@SUM(A1),-2.5,'-x\r\n"
        );
    }
}
