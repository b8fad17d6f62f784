//! Times parsing and span-tree building of generated agent traces (Trace.to_json() form) at growing sizes.
//! A benchmark, not a test: run by bench/run.sh, prints a table.

use serde_json::json;
use std::time::Instant;
use trace_viewer::model::ids::encode_base64;
use trace_viewer::model::{parse_traces, SpanTree};

/// An agent trace of `spans` spans: a root agent, then rounds of an LLM call and a tool call, nested a few
/// levels deep, with realistic payloads (messages, token usage, JSON-encoded attributes).
fn agent_trace(spans: usize) -> String {
    let b64 = |n: u64, bytes: usize| {
        let hex = format!("{n:0width$x}", width = bytes * 2);
        let raw: Vec<u8> = (0..bytes).map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).unwrap()).collect();
        encode_base64(&raw)
    };
    let trace_id = b64(0xabcdef, 16);
    let start: u64 = 1_795_301_211_410_585_093;
    let mut list = Vec::with_capacity(spans);
    list.push(json!({
        "trace_id": trace_id, "span_id": b64(1, 8), "parent_span_id": null, "name": "agent",
        "start_time_unix_nano": start, "end_time_unix_nano": start + spans as u64 * 2_000_000,
        "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
        "attributes": {"mlflow.spanType": "\"AGENT\"", "mlflow.spanInputs": "{\"question\": \"plan my week\"}",
                       "mlflow.spanOutputs": "{\"answer\": \"done\"}"},
    }));
    for i in 1..spans as u64 {
        // Every tenth span opens a sub-agent that the next nine nest under.
        let parent = if i % 10 == 1 { 1 } else { i - (i - 1) % 10 };
        let is_llm = i % 2 == 0;
        let attributes = if is_llm {
            json!({"mlflow.spanType": "\"CHAT_MODEL\"",
                   "mlflow.spanInputs": json!({"messages": [{"role": "user", "content": format!("step {i}: what next?")}]}).to_string(),
                   "mlflow.spanOutputs": json!({"choices": [{"message": {"role": "assistant", "content": "call the tool"}}]}).to_string(),
                   "mlflow.chat.tokenUsage": "{\"input_tokens\": 120, \"output_tokens\": 30, \"total_tokens\": 150}",
                   "mlflow.llm.model": "\"gpt-4o-mini\""})
        } else {
            json!({"mlflow.spanType": "\"TOOL\"", "mlflow.spanInputs": format!("{{\"query\": \"item {i}\"}}"),
                   "mlflow.spanOutputs": "{\"result\": [1, 2, 3]}"})
        };
        list.push(json!({
            "trace_id": trace_id, "span_id": b64(i + 1, 8), "parent_span_id": b64(parent, 8),
            "name": if is_llm { "llm" } else { "tool" },
            "start_time_unix_nano": start + i * 1_000_000, "end_time_unix_nano": start + i * 1_000_000 + 900_000,
            "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [], "attributes": attributes,
        }));
    }
    json!({"spans": list}).to_string()
}

fn main() {
    println!("| spans | JSON size | parse | span tree | total |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for spans in [100, 1_000, 5_000, 20_000, 50_000] {
        let text = agent_trace(spans);
        let runs = 5;
        let (mut parse_ms, mut tree_ms) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let started = Instant::now();
            let trace = parse_traces(&text).unwrap().remove(0);
            parse_ms.push(started.elapsed().as_secs_f64() * 1e3);
            let started = Instant::now();
            let tree = SpanTree::build(&trace.spans);
            assert_eq!(tree.preorder().len(), spans);
            tree_ms.push(started.elapsed().as_secs_f64() * 1e3);
        }
        let median = |mut values: Vec<f64>| {
            trace_viewer::sorting::sort_by(&mut values, f64::total_cmp);
            values[values.len() / 2]
        };
        let (parse, tree) = (median(parse_ms), median(tree_ms));
        println!("| {spans} | {:.1} MB | {parse:.1} ms | {tree:.1} ms | {:.1} ms |", text.len() as f64 / 1e6, parse + tree);
    }
}
