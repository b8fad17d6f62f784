//! Property tests on hostile input: every captured trace file, damaged thousands of ways (cut short, bytes
//! flipped, JSON punctuation inserted, sections repeated), is parsed to traces or to an error naming the
//! problem, never a panic; so are random filters, order_by strings, markdown and metrics queries. A small
//! seeded generator keeps every run the same, so a failure names its seed and case.

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;
use trace_viewer::analytics::overview::{quality_queries, tool_queries, usage_queries, Window};
use trace_viewer::analytics::{compute, time::TimeUnit};
use trace_viewer::model::parse_traces;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for folder in ["captured", "mlflow", "otlp", "legacy"] {
        let Ok(entries) = fs::read_dir(root.join(folder)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "json" || ext == "jsonl") && fs::metadata(&path).is_ok_and(|m| m.len() < 2_000_000)
            {
                files.push((path.display().to_string(), fs::read(&path).unwrap()));
            }
        }
    }
    assert!(files.len() >= 20, "the fixtures are where they were");
    files
}

const PUNCTUATION: &[&[u8]] =
    &[b"{", b"}", b"[", b"]", b"\"", b",", b":", b"null", b"\\u0000", b"1e999", b"-", b"\\", b"\xff", b"\"\\ud800\""];

fn damage(rng: &mut Rng, original: &[u8]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => bytes.truncate(at),
            1 => {
                if let Some(byte) = bytes.get_mut(at) {
                    *byte ^= 1 << rng.below(8);
                }
            }
            2 => {
                let insert = *rng.pick(PUNCTUATION);
                bytes.splice(at..at, insert.iter().copied());
            }
            _ => {
                let end = (at + rng.below(400)).min(bytes.len());
                let section = bytes[at..end].to_vec();
                bytes.splice(at..at, section);
            }
        }
    }
    bytes
}

#[test]
fn damaged_trace_files_parse_or_fail_with_a_message_never_a_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut outcomes = (0, 0);
    for (name, original) in fixtures() {
        for case in 0..150 {
            let damaged = damage(&mut rng, &original);
            let text = String::from_utf8_lossy(&damaged);
            let result = std::panic::catch_unwind(|| parse_traces(&text));
            match result {
                Ok(Ok(_)) => outcomes.0 += 1,
                Ok(Err(error)) => {
                    assert!(!error.to_string().is_empty(), "{name} case {case}: an error with no message");
                    outcomes.1 += 1;
                }
                Err(_) => panic!("{name} case {case}: parsing panicked"),
            }
        }
    }
    assert!(outcomes.0 > 0 && outcomes.1 > 0, "both outcomes occur: {outcomes:?}");
}

#[test]
fn deeply_nested_and_degenerate_documents_are_refused_cleanly() {
    for text in [
        "[".repeat(100_000),
        format!("{}{}", "[".repeat(5_000), "]".repeat(5_000)),
        "{\"spans\": ".to_string() + &"{\"a\":".repeat(10_000),
        String::new(),
        "\u{feff}".to_string(),
        "null".to_string(),
        "\"just a string\"".to_string(),
        "{\"spans\": [{}]}".to_string(),
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": 5, \"spanId\": [], \"name\": {}}]}]}]}".to_string(),
    ] {
        let result = std::panic::catch_unwind(|| parse_traces(&text).map(|traces| traces.len()));
        assert!(result.is_ok(), "panicked on {:?}…", &text[..text.len().min(40)]);
    }
}

#[test]
fn random_filters_order_bys_and_markdown_never_panic() {
    const WORDS: &[&str] = &[
        "trace.status",
        "tag.",
        "metadata.`",
        "span.name",
        "feedback.x",
        "expectation.",
        "=",
        "!=",
        ">=",
        "LIKE",
        "ILIKE",
        "RLIKE",
        "IN",
        "NOT",
        "IS NULL",
        "AND",
        "OR",
        "(",
        ")",
        "'",
        "\"",
        "`",
        "%",
        "\\",
        "1e309",
        "-",
        "timestamp_ms",
        "ASC",
        "DESC",
        ",",
        " ",
        "**",
        "_",
        "[",
        "](",
        "`",
        "```",
        "#",
        ">",
        "|",
        "\n",
        "<script>",
        "&amp;",
        "😀",
    ];
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for case in 0..20_000 {
        let text: String = (0..rng.below(24)).map(|_| *rng.pick(WORDS)).collect();
        let result = std::panic::catch_unwind(|| {
            let _ = trace_viewer::query::parse::parse_filter(&text);
            let _ = trace_viewer::query::order::OrderBy::parse(&text);
            trace_viewer::markdown::parse(&text).len()
        });
        assert!(result.is_ok(), "case {case} panicked on {text:?}");
    }
}

#[test]
fn the_overview_figures_of_any_parsable_file_are_computed_without_a_panic() {
    let mut rng = Rng(0xfeed_face_0bad_beef);
    let window = Window { start_ms: 0, end_ms: 4_000_000_000_000, unit: TimeUnit::Month };
    let queries: Vec<_> = [usage_queries(&window), quality_queries(&window), tool_queries(&window)].concat();
    let mut computed = 0;
    for (name, original) in fixtures() {
        for case in 0..20 {
            let bytes = if case == 0 { original.clone() } else { damage(&mut rng, &original) };
            let Ok(traces) = parse_traces(&String::from_utf8_lossy(&bytes)) else { continue };
            let traces: Vec<_> = traces.into_iter().map(Arc::new).collect();
            for query in &queries {
                let result = std::panic::catch_unwind(|| compute(&traces, query));
                assert!(matches!(result, Ok(Ok(_))), "{name} case {case}: {query:?}");
                computed += 1;
            }
        }
    }
    assert!(computed > 100);
}

/// Python's json writes NaN, Infinity and lone surrogates; one of them must not make a whole file unreadable.
#[test]
fn python_json_with_nan_and_lone_surrogates_reads() {
    use trace_viewer::model::json_text::repaired;
    assert_eq!(
        repaired(r#"{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN Infinity"}"#).as_deref(),
        Some(r#"{"a": null, "b": [null, null], "c": "NaN Infinity"}"#)
    );
    assert_eq!(
        repaired(r#"["\udc80 x", "\ud83d\ude00", "\\ud800", "\ud800"]"#).as_deref(),
        Some(r#"["\ufffd x", "\ud83d\ude00", "\\ud800", "\ufffd"]"#)
    );
    assert_eq!(repaired(r#"{"plain": "text", "n": 1.5}"#), None, "nothing to repair: no copy");
    let mut document: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mlflow/trace_to_json_rag.json")).unwrap(),
    )
    .unwrap();
    document["data"]["spans"][0]["name"] = serde_json::json!("PLACEHOLDER_NAME");
    let text =
        document.to_string().replace("\"PLACEHOLDER_NAME\"", "\"lone \\udc80 half\"").replacen("\"data\"", "\"score\": NaN, \"data\"", 1);
    let traces = trace_viewer::model::parse_traces(&text).expect("read despite NaN and a lone surrogate");
    assert!(traces[0].spans.iter().any(|span| span.name == "lone \u{fffd} half"));
}

/// MLflow keeps a span's outputs as JSON text inside the span: Python's NaN and Infinity there are read as null
/// (the outputs stay structured), and text that is not JSON stays text.
#[test]
fn python_json_inside_an_attribute_reads_as_json() {
    let outputs = r#"{\"scores\": [0.5, NaN], \"best\": Infinity}"#;
    let text = format!(
        r#"{{"info": {{"trace_id": "tr-1", "state": "OK"}}, "data": {{"spans": [{{"name": "score", "span_id": "AAAAAAAAAAE=",
        "trace_id": "AAAAAAAAAAAAAAAAAAAAAQ==", "start_time_unix_nano": 1, "end_time_unix_nano": 2,
        "attributes": {{"mlflow.spanOutputs": "{outputs}", "note": "NaN is not a number"}}}}]}}}}"#
    );
    let traces = trace_viewer::model::parse_traces(&text).expect("reads");
    let span = &traces[0].spans[0];
    assert_eq!(span.outputs, Some(serde_json::json!({"scores": [0.5, null], "best": null})));
    assert_eq!(span.attribute("note"), Some(&serde_json::json!("NaN is not a number")));
}

/// Read a piece at a time, a list whose second trace holds NaN and a lone surrogate: the first trace, handed
/// out before the bad one was reached, is not handed out again, and the rest reads repaired.
#[test]
fn python_json_in_a_list_read_piece_by_piece() {
    use trace_viewer::model::PiecewiseParse;
    let trace = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mlflow/trace_to_json_rag.json")).unwrap();
    let with_id = |id: &str| trace.replace(r#""trace_id": "tr-"#, &format!(r#""trace_id": "tr-{id}"#));
    let bad = with_id("b").replacen("\"spans\"", "\"score\": NaN, \"spans\"", 1).replacen("\"name\": \"", "\"name\": \"lone \\udc80 ", 1);
    let text = format!("[{}, {bad}, {}]", with_id("a"), with_id("c"));
    let mut parse = PiecewiseParse::new(&text);
    parse.parse_pieces(1).unwrap();
    let mut traces = parse.take_traces();
    assert_eq!(traces.len(), 1, "the first trace is handed out before the second is read");
    traces.extend(parse.finish().expect("read despite NaN and a lone surrogate"));
    let ids: Vec<&str> = traces.iter().map(|trace| trace.info.trace_id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids[0].starts_with("tr-a") && ids[1].starts_with("tr-b") && ids[2].starts_with("tr-c"), "{ids:?}");
    assert!(traces[1].spans.iter().any(|span| span.name.starts_with("lone \u{fffd} ")));
}
