//! What the span panel derives from a span beyond its chat: retrieved and reranked documents, and where its
//! links point.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use std::sync::Arc;
use trace_viewer::model::documents::{span_documents, SpanDocuments};
use trace_viewer::model::ids::mlflow_trace_id;
use trace_viewer::model::links::{link_target, LinkTarget};
use trace_viewer::model::{Span, SpanLink, SpanStatus, SpanType, Trace, TraceInfo};

fn span(id: &str, otel_trace_id: &str, span_type: SpanType, inputs: Value, outputs: Value) -> Span {
    Span {
        span_id: id.into(),
        parent_id: None,
        otel_trace_id: otel_trace_id.into(),
        name: id.into(),
        kind: "SPAN_KIND_INTERNAL".into(),
        start_ns: 0,
        end_ns: Some(1),
        status: SpanStatus::default(),
        span_type,
        inputs: (!inputs.is_null()).then_some(inputs),
        outputs: (!outputs.is_null()).then_some(outputs),
        attributes: Vec::new(),
        events: Vec::new(),
        links: Vec::new(),
    }
}

fn trace(otel_trace_id: &str, span_ids: &[&str]) -> Trace {
    Trace {
        info: TraceInfo { trace_id: mlflow_trace_id(otel_trace_id), ..TraceInfo::default() },
        spans: span_ids.iter().map(|id| span(id, otel_trace_id, SpanType::Chain, Value::Null, Value::Null)).collect(),
        spans_loaded: true,
    }
}

#[test]
fn a_reranker_shows_what_it_was_given_and_how_each_document_moved() {
    let doc = |id: &str, text: &str, score: Option<f64>| {
        let mut metadata = json!({"doc_uri": format!("https://docs.example/{id}")});
        if let Some(score) = score {
            metadata["relevance_score"] = json!(score);
        }
        json!({"id": id, "page_content": text, "metadata": metadata})
    };
    let given = json!({"query": "reset password", "documents": [doc("a", "Billing", None), doc("b", "Accounts", None), doc("c", "Password reset", None)]});
    // The third document first, the second kept, and one the reranker added (matched by neither id nor text).
    let ranked = json!([doc("c", "Password reset", Some(0.9962)), doc("b", "Accounts", Some(0.4)), doc("z", "Elsewhere", Some(0.0001))]);
    let Some(SpanDocuments::Reranked { given, ranked }) = span_documents(&span("r", "t", SpanType::Reranker, given, ranked)) else {
        panic!("a reranker's documents")
    };
    assert_eq!(given.iter().map(|d| d.content.as_str()).collect::<Vec<_>>(), ["Billing", "Accounts", "Password reset"]);
    let moves: Vec<(usize, Option<usize>, Option<f64>)> = ranked.iter().map(|r| (r.rank, r.rank_before, r.document.score)).collect();
    assert_eq!(moves, [(1, Some(3), Some(0.9962)), (2, Some(2), Some(0.4)), (3, None, Some(0.0001))]);
    assert_eq!(format!("{}", ranked[0].document.score.unwrap()), "0.9962", "shown as the trace holds it");
    assert_eq!(ranked[0].document.uri.as_deref(), Some("https://docs.example/c"));
}

#[test]
fn retrievers_read_langchain_llamaindex_and_plain_documents() {
    let langchain = json!([{"page_content": "A", "metadata": {"doc_uri": "s3://a", "score": 0.5}, "id": "1"}]);
    let llamaindex = json!([{"node": {"id_": "n1", "text": "B", "metadata": {"source": "b.md"}}, "score": 0.87}]);
    let plain = json!({"documents": [{"text": "C", "id": "c"}]});
    let read = |outputs: Value| match span_documents(&span("r", "t", SpanType::Retriever, Value::Null, outputs)) {
        Some(SpanDocuments::Retrieved(documents)) => documents.into_iter().map(|d| (d.id, d.content, d.uri, d.score)).collect::<Vec<_>>(),
        other => panic!("retrieved documents, got {other:?}"),
    };
    assert_eq!(read(langchain), [(Some("1".into()), "A".into(), Some("s3://a".into()), Some(0.5))]);
    assert_eq!(read(llamaindex), [(Some("n1".into()), "B".into(), Some("b.md".into()), Some(0.87))]);
    assert_eq!(read(plain), [(Some("c".into()), "C".into(), None, None)]);
    // Outputs that are not documents give no documents view.
    assert!(span_documents(&span("r", "t", SpanType::Retriever, Value::Null, json!(["just", "strings"]))).is_none());
    assert!(span_documents(&span("r", "t", SpanType::Tool, Value::Null, json!([{"page_content": "A"}]))).is_none());
}

#[test]
fn links_point_into_this_trace_at_loaded_traces_or_at_traces_only_a_server_may_have() {
    let here = "0af7651916cd43dd8448eb211c80319c";
    let there = "4bf92f3577b34da6a3ce929d0e0e4736";
    let this = trace(here, &["00f067aa0ba902b7", "00000000000000b2"]);
    let other = Arc::new(trace(there, &["53995c3f42cd8ad8"]));
    let link = |trace_id: &str, span_id: &str| SpanLink { trace_id: trace_id.into(), span_id: span_id.into(), attributes: Vec::new() };

    assert_eq!(link_target(&link(here, "00000000000000b2"), &this, &[]), LinkTarget::ThisTrace(1));
    assert_eq!(link_target(&link(here, "ffffffffffffffff"), &this, &[]), LinkTarget::MissingInThisTrace);
    let loaded = [other.clone()];
    assert_eq!(
        link_target(&link(there, "53995c3f42cd8ad8"), &this, &loaded),
        LinkTarget::OtherTrace { trace_id: format!("tr-{there}"), loaded: true }
    );
    let elsewhere = "11111111111111111111111111111111";
    assert_eq!(
        link_target(&link(elsewhere, "01"), &this, &loaded),
        LinkTarget::OtherTrace { trace_id: format!("tr-{elsewhere}"), loaded: false }
    );
}

/// The bar tokens as style/tokens.css defines them, in `Palette::TOKENS` order.
fn stylesheet_palette() -> trace_viewer::raster::Palette {
    use trace_viewer::raster::Palette;
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/tokens.css")).unwrap();
    let value_of = |token: &str| {
        let at = css.find(&format!("{token}:")).unwrap_or_else(|| panic!("{token} is defined in style/tokens.css")) + token.len() + 1;
        css[at..].split(';').next().unwrap().trim().to_string()
    };
    Palette::from_values(&Palette::TOKENS.map(value_of))
}

#[test]
fn the_minimap_reads_its_colours_from_the_stylesheets_tokens() {
    use trace_viewer::raster::{hex_color, Palette};
    assert_eq!(hex_color(" #7c3aed"), Some([0x7c, 0x3a, 0xed]));
    assert_eq!(hex_color("#fa0"), Some([0xff, 0xaa, 0x00]));
    for not_hex in ["7c3aed", "#7c3ae", "#7c3aeg", "light-dark(#000, #fff)", "", "#é12"] {
        assert_eq!(hex_color(not_hex), None, "{not_hex:?}");
    }
    let palette = stylesheet_palette();
    let all = [palette.agent, palette.model, palette.tool, palette.retrieval, palette.check, palette.other, palette.failed];
    assert!(all.iter().all(|color| *color != [128, 128, 128]), "every --bar-* token is a #rrggbb colour: {palette:?}");
    assert_eq!(Palette::from_values(&[]).agent, [128, 128, 128], "a token a host page broke draws grey, not nothing");
}

#[test]
fn the_minimap_draws_each_span_in_its_row_and_every_failed_span_red() {
    use trace_viewer::model::SpanEvent;
    use trace_viewer::raster::minimap_pixels;
    let palette = stylesheet_palette();
    let mut trace = trace("0af7651916cd43dd8448eb211c80319c", &["root", "tool", "late"]);
    trace.spans[0].span_type = SpanType::Llm;
    trace.spans[0].end_ns = Some(100);
    // An exception recorded with the status left unset: failed, as the tree's error filter says too.
    trace.spans[1].events.push(SpanEvent { name: "exception".into(), time_ns: 60, attributes: Vec::new() });
    (trace.spans[1].start_ns, trace.spans[1].end_ns) = (50, Some(100));
    assert!(trace.spans[1].failed() && !trace.spans[0].failed());
    // Shown in tree order root, tool; the third span is not in the order, so not drawn.
    let pixels = minimap_pixels(&trace, &[0, 1], (0, 100), (10, 2), &palette);
    let at = |x: usize, y: usize| pixels[(y * 10 + x) * 4..(y * 10 + x) * 4 + 4].to_vec();
    let [r, g, b] = palette.model;
    assert!((0..10).all(|x| at(x, 0) == [r, g, b, 255]), "the LLM span across the first row");
    assert!((0..5).all(|x| at(x, 1) == [0, 0, 0, 0]), "nothing before the tool started");
    let [r, g, b] = palette.failed;
    assert!((5..10).all(|x| at(x, 1) == [r, g, b, 255]), "the failed tool in the failed colour");
    assert!(minimap_pixels(&trace, &[0], (0, 100), (0, 2), &palette).is_empty(), "a canvas not laid out yet");
}
