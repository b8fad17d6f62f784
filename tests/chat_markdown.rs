//! Chat messages recognised in each provider's wire shape, and the markdown the chat view renders.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use trace_viewer::markdown::{self, Block, Inline};
use trace_viewer::model::chat::{conversation, ChatPart, Conversation, MediaKind};
use trace_viewer::model::{Span, SpanStatus, SpanType};

fn span(span_type: SpanType, inputs: Value, outputs: Value, attributes: Vec<(&str, Value)>) -> Span {
    Span {
        span_id: "00000000000000aa".into(),
        parent_id: None,
        otel_trace_id: "0".repeat(32),
        name: "chat".into(),
        kind: "SPAN_KIND_INTERNAL".into(),
        start_ns: 0,
        end_ns: Some(1),
        status: SpanStatus::default(),
        span_type,
        inputs: (!inputs.is_null()).then_some(inputs),
        outputs: (!outputs.is_null()).then_some(outputs),
        attributes: attributes.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        events: Vec::new(),
        links: Vec::new(),
    }
}

fn chat(inputs: Value, outputs: Value) -> Conversation {
    conversation(&span(SpanType::ChatModel, inputs, outputs, Vec::new())).expect("a conversation")
}

fn roles(chat: &Conversation) -> Vec<&str> {
    chat.messages.iter().map(|m| m.role.as_str()).collect()
}

fn texts(chat: &Conversation) -> Vec<&str> {
    chat.messages
        .iter()
        .flat_map(|m| &m.parts)
        .filter_map(|part| match part {
            ChatPart::Text(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn openai_chat_completion_with_tool_calls_and_results() {
    let chat = chat(
        json!({"model": "gpt-4o", "messages": [
            {"role": "system", "content": "Use tools."},
            {"role": "user", "content": [{"type": "text", "text": "Weather in Oslo?"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"}}]},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Oslo\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "{\"celsius\": 4}"}
        ]}),
        json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": "It is 4°C."}, "finish_reason": "stop"}]}),
    );
    assert_eq!(roles(&chat), ["system", "user", "assistant", "tool", "assistant"]);
    assert_eq!(texts(&chat), ["Use tools.", "Weather in Oslo?", "It is 4°C."]);
    assert!(chat.messages[4].is_output && !chat.messages[3].is_output);
    assert_eq!(
        chat.messages[2].parts,
        [ChatPart::ToolCall { id: Some("call_1".into()), name: "get_weather".into(), arguments: json!({"city": "Oslo"}) }]
    );
    assert_eq!(chat.messages[3].tool_call_id.as_deref(), Some("call_1"));
    assert!(matches!(&chat.messages[3].parts[0], ChatPart::ToolResult { content, .. } if content == "{\"celsius\": 4}"));
    let ChatPart::Media(image) = &chat.messages[1].parts[1] else { panic!("an image part") };
    assert_eq!((image.kind, image.mime.as_deref()), (MediaKind::Image, Some("image/png")));
}

#[test]
fn openai_audio_input_and_output() {
    let chat = chat(
        json!({"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "UklGR", "format": "mp3"}}]}]}),
        json!({"choices": [{"message": {"role": "assistant", "content": null, "audio": {"id": "a1", "data": "UklGR", "transcript": "Hello there"}}}]}),
    );
    let ChatPart::Media(input) = &chat.messages[0].parts[0] else { panic!("audio part") };
    assert_eq!((input.kind, input.url.as_str()), (MediaKind::Audio, "data:audio/mp3;base64,UklGR"));
    assert!(matches!(&chat.messages[1].parts[0], ChatPart::Media(m) if m.kind == MediaKind::Audio));
    assert_eq!(texts(&chat), ["Hello there"]);
}

#[test]
fn openai_responses_items() {
    let chat = chat(
        json!({"instructions": "Be brief.", "input": [
            {"role": "user", "content": [{"type": "input_text", "text": "Sum 2 and 3"}, {"type": "input_image", "image_url": "https://example.com/a.jpg"}]},
            {"type": "function_call", "call_id": "fc_1", "name": "add", "arguments": "{\"a\":2,\"b\":3}"},
            {"type": "function_call_output", "call_id": "fc_1", "output": "5"}
        ]}),
        json!({"output": [
            {"type": "reasoning", "summary": [{"type": "summary_text", "text": "Adding."}]},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "2 + 3 = 5"}]}
        ]}),
    );
    assert_eq!(roles(&chat), ["system", "user", "assistant", "tool", "assistant", "assistant"]);
    assert_eq!(texts(&chat), ["Be brief.", "Sum 2 and 3", "2 + 3 = 5"]);
    assert!(matches!(&chat.messages[2].parts[0], ChatPart::ToolCall { name, arguments, .. } if name == "add" && arguments["b"] == 3));
    assert_eq!(chat.messages[4].parts, [ChatPart::Reasoning("Adding.".into())]);
    assert!(matches!(&chat.messages[1].parts[1], ChatPart::Media(m) if m.url == "https://example.com/a.jpg"));
}

#[test]
fn a_bare_string_prompt_is_one_user_message_only_on_a_model_span() {
    assert_eq!(texts(&chat(json!({"input": "Hi"}), json!(null))), ["Hi"]);
    assert!(conversation(&span(SpanType::Tool, json!({"input": "Hi"}), json!({"content": "x", "type": "y"}), Vec::new())).is_none());
}

#[test]
fn anthropic_messages_with_thinking_tool_use_and_images() {
    let chat = chat(
        json!({"system": "You plan trips.", "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Trip to Rome"}, {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": "3 flights"}]}
        ]}),
        json!({"role": "assistant", "content": [
            {"type": "thinking", "thinking": "Search flights first."},
            {"type": "tool_use", "id": "tu_2", "name": "search_flights", "input": {"to": "ROM"}}
        ], "stop_reason": "tool_use"}),
    );
    // The user message of nothing but tool results is the tools' answer.
    assert_eq!(roles(&chat), ["system", "user", "tool", "assistant"]);
    assert!(matches!(&chat.messages[1].parts[1], ChatPart::Media(m) if m.url == "data:image/jpeg;base64,/9j/"));
    assert!(matches!(&chat.messages[2].parts[0], ChatPart::ToolResult { id: Some(id), .. } if id == "tu_1"));
    assert_eq!(chat.messages[3].parts[0], ChatPart::Reasoning("Search flights first.".into()));
    assert!(
        matches!(&chat.messages[3].parts[1], ChatPart::ToolCall { name, arguments, .. } if name == "search_flights" && arguments["to"] == "ROM")
    );
}

#[test]
fn gemini_contents_and_candidates() {
    let chat = chat(
        json!({"model": "gemini-2.0", "contents": [
            {"role": "user", "parts": [{"text": "Describe"}, {"inline_data": {"mime_type": "audio/wav", "data": "UklG"}}, {"file_data": {"mime_type": "image/png", "file_uri": "gs://b/x.png"}}]}
        ], "config": {"system_instruction": {"parts": [{"text": "Be kind."}]}, "tools": [{"function_declarations": [{"name": "lookup", "description": "Looks up"}]}]}}),
        json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "Pondering", "thought": true}, {"function_call": {"name": "lookup", "args": {"q": "x"}}}, {"text": "A chime."}]}}]}),
    );
    assert_eq!(roles(&chat), ["system", "user", "assistant"]);
    assert_eq!(texts(&chat), ["Be kind.", "Describe", "A chime."]);
    assert!(
        matches!(&chat.messages[1].parts[1], ChatPart::Media(m) if m.kind == MediaKind::Audio && m.url.starts_with("data:audio/wav;base64,"))
    );
    assert!(matches!(&chat.messages[1].parts[2], ChatPart::Media(m) if m.kind == MediaKind::Image && m.url == "gs://b/x.png"));
    assert_eq!(chat.messages[2].parts[0], ChatPart::Reasoning("Pondering".into()));
    assert_eq!(chat.tools.len(), 1);
    assert_eq!(chat.tools[0].name, "lookup");
}

#[test]
fn langchain_messages_serialised_and_plain() {
    let chat = chat(
        json!({"messages": [[
            {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "SystemMessage"], "kwargs": {"content": "Sys"}},
            {"type": "human", "content": "Hi"},
            {"type": "ai", "content": "", "tool_calls": [{"name": "search", "args": {"q": "x"}, "id": "c1"}]}
        ]]}),
        json!({"generations": [[{"text": "Done", "message": {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "AIMessage"], "kwargs": {"content": "Done"}}}]]}),
    );
    assert_eq!(roles(&chat), ["system", "user", "assistant", "assistant"]);
    assert!(matches!(&chat.messages[2].parts[1], ChatPart::ToolCall { name, .. } if name == "search"));
    assert_eq!(texts(&chat), ["Sys", "Hi", "", "Done"]);
}

#[test]
fn otel_gen_ai_messages_with_parts() {
    let chat = conversation(&span(
        SpanType::ChatModel,
        json!([{"role": "user", "parts": [{"type": "text", "content": "Weather?"}, {"type": "uri", "uri": "https://x/y.png", "mime_type": "image/png"}]}]),
        json!([{"role": "assistant", "parts": [{"type": "reasoning", "content": "hmm"}, {"type": "tool_call", "id": "t1", "name": "w", "arguments": {"c": 1}}], "finish_reason": "tool_call"}]),
        vec![("gen_ai.tool.definitions", json!("[{\"type\":\"function\",\"name\":\"w\",\"description\":\"weather\"}]"))],
    ))
    .unwrap();
    assert_eq!(roles(&chat), ["user", "assistant"]);
    assert_eq!(texts(&chat), ["Weather?"]);
    assert_eq!(chat.messages[1].parts[0], ChatPart::Reasoning("hmm".into()));
    assert_eq!(chat.tools[0].description.as_deref(), Some("weather"));
}

#[test]
fn bedrock_converse() {
    let chat = chat(
        json!({"messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"bytes": "iVBO"}}}]}]}),
        json!({"output": {"message": {"role": "assistant", "content": [{"text": "A sun."}]}}}),
    );
    assert_eq!(texts(&chat), ["What is this?", "A sun."]);
    assert!(matches!(&chat.messages[0].parts[1], ChatPart::Media(m) if m.url == "data:image/png;base64,iVBO"));
}

#[test]
fn tool_definitions_from_the_mlflow_attribute() {
    let chat = conversation(&span(
        SpanType::ChatModel,
        json!({"messages": [{"role": "user", "content": "Hi"}]}),
        json!(null),
        vec![("mlflow.chat.tools", json!([{"type": "function", "function": {"name": "get_weather", "description": "Weather by city", "parameters": {"type": "object"}}}]))],
    ))
    .unwrap();
    assert_eq!(chat.tools[0].name, "get_weather");
    assert_eq!(chat.tools[0].parameters, Some(json!({"type": "object"})));
}

#[test]
fn attachment_references_know_their_type() {
    let chat = chat(
        json!({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "mlflow-attachment://abc?content_type=image%2Fjpeg&trace_id=tr-1"}}]}]}),
        json!(null),
    );
    assert!(matches!(&chat.messages[0].parts[0], ChatPart::Media(m) if m.mime.as_deref() == Some("image/jpeg")));
}

#[test]
fn markdown_blocks_and_inlines() {
    let blocks = markdown::parse("# Plan\n\nUse **bold** and *it* and `code` in snake_case_name.\n\n- one\n- two [link](https://x.test/a)\n\n```rust\nfn main() {}\n```\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    assert_eq!(blocks[0], Block::Heading(1, vec![Inline::Text("Plan".into())]));
    assert_eq!(
        blocks[1],
        Block::Paragraph(vec![
            Inline::Text("Use ".into()),
            Inline::Strong(vec![Inline::Text("bold".into())]),
            Inline::Text(" and ".into()),
            Inline::Emphasis(vec![Inline::Text("it".into())]),
            Inline::Text(" and ".into()),
            Inline::Code("code".into()),
            Inline::Text(" in snake_case_name.".into()),
        ])
    );
    assert_eq!(
        blocks[2],
        Block::List {
            ordered: false,
            items: vec![
                vec![Inline::Text("one".into())],
                vec![
                    Inline::Text("two ".into()),
                    Inline::Link { text: vec![Inline::Text("link".into())], href: "https://x.test/a".into() }
                ]
            ]
        }
    );
    assert_eq!(blocks[3], Block::Code { language: Some("rust".into()), text: "fn main() {}".into() });
    assert_eq!(blocks[4], Block::Quote(vec![Block::Paragraph(vec![Inline::Text("quoted".into())])]));
    assert!(matches!(&blocks[5], Block::Table { header, rows } if header.len() == 2 && rows.len() == 1));
}

#[test]
fn markdown_keeps_html_and_unsafe_links_as_text() {
    let blocks = markdown::parse("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>");
    assert_eq!(
        blocks,
        [Block::Paragraph(vec![Inline::Text("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>".into())])]
    );
}

#[test]
fn markdown_survives_pathological_input() {
    let deep = "> ".repeat(5_000) + "x";
    assert!(!markdown::parse(&deep).is_empty());
    for hostile in ["*a ", "_a ", "[a ", "[a](b "] {
        let text = hostile.repeat(20_000);
        let Block::Paragraph(inlines) = &markdown::parse(&text)[0] else { panic!("a paragraph") };
        assert_eq!(inlines, &[Inline::Text(text.trim_end().to_string())], "{hostile:?} stays text");
    }
}

/// Adversarial text of 200,000 characters parses in linear time. The bound is generous on purpose (a linear
/// parse takes milliseconds even in a debug build; the quadratic one this guards against took minutes), so
/// it tells complexity classes apart and never a slow machine from a fast one.
#[test]
fn markdown_is_linear_on_adversarial_input() {
    const LENGTH: usize = 200_000;
    let inputs = [
        "[".repeat(LENGTH) + "]",
        "[".repeat(LENGTH / 2) + &"]".repeat(LENGTH / 2),
        "[a](".repeat(LENGTH / 4),
        "[x](javascript:y) ".repeat(LENGTH / 18),
        "`".repeat(LENGTH),
        (1..600).map(|n| "`".repeat(n) + "a").collect::<String>(),
        "*".repeat(LENGTH),
        "**a ".repeat(LENGTH / 4),
        "_a_b".repeat(LENGTH / 4),
        "*_`[".repeat(LENGTH / 4),
    ];
    for input in inputs {
        let started = std::time::Instant::now();
        let blocks = markdown::parse(&input);
        let took = started.elapsed();
        assert!(!blocks.is_empty());
        assert!(took < std::time::Duration::from_secs(10), "{} characters starting {:?} took {took:?}", input.len(), &input[..20]);
    }
}

#[test]
fn media_sources_and_references_found_in_any_string() {
    use trace_viewer::model::chat::{Media, MediaSource};
    let attachment = Media::from_text("mlflow-attachment://abc-1?content_type=image%2Fsvg%2Bxml&trace_id=tr-9&size=105").unwrap();
    assert_eq!(attachment.mime.as_deref(), Some("image/svg+xml"));
    assert!(attachment.is_svg());
    assert_eq!(attachment.source(), MediaSource::Attachment { id: "abc-1".into(), trace_id: Some("tr-9".into()), bytes: Some(105) });
    let data = Media::from_text("data:audio/wav;base64,AAAAAAAA").unwrap();
    assert_eq!((data.kind, data.source()), (MediaKind::Audio, MediaSource::Data { bytes: 6 }));
    let svg = Media::from_text("data:image/svg+xml,%3Csvg%3E%3C%2Fsvg%3E").unwrap();
    assert_eq!(svg.data_text().as_deref(), Some("<svg></svg>"));
    assert!(Media::from_text("just text").is_none());
    assert!(Media::from_text("data:text/html,<script>").is_some_and(|m| m.kind == MediaKind::Document), "kept as a document, never HTML");
    let unsafe_link = chat(
        json!({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "javascript:alert(1)"}}]}]}),
        json!(null),
    );
    let ChatPart::Media(media) = &unsafe_link.messages[0].parts[0] else { panic!("a media part") };
    assert_eq!(media.source(), MediaSource::Other);
    // MLflow's attachment extraction puts its reference where the base64 was.
    let extracted = chat(
        json!({"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "mlflow-attachment://x?content_type=audio%2Fwav", "format": "wav"}}]}]}),
        json!(null),
    );
    assert!(matches!(&extracted.messages[0].parts[0], ChatPart::Media(m) if m.url.starts_with("mlflow-attachment://")));
}

#[test]
fn media_types_come_from_what_a_browser_would_see() {
    // An Anthropic document that declares a PDF but is a page of HTML: its data URL's own type wins.
    let html = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==";
    let disguised = chat(
        json!({"messages": [{"role": "user", "content": [{"type": "document", "source": {"type": "url", "media_type": "application/pdf", "url": html}}]}]}),
        json!(null),
    );
    let ChatPart::Media(media) = &disguised.messages[0].parts[0] else { panic!("a media part") };
    assert_eq!(media.mime.as_deref(), Some("text/html"));
    assert!(!media.is_pdf(&media.data_bytes().unwrap()), "never previewed as a PDF");
    assert_eq!(media.file_extension(), "bin", "nor saved as a page");

    // A real PDF is one by its type and its first bytes; a PDF type over other bytes is not.
    let pdf = chat(
        json!({"messages": [{"role": "user", "content": [{"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0xLjQK"}}]}]}),
        json!(null),
    );
    let ChatPart::Media(pdf) = &pdf.messages[0].parts[0] else { panic!("a media part") };
    assert!(pdf.is_pdf(&pdf.data_bytes().unwrap()));
    assert!(!pdf.is_pdf(b"<html>"));
    assert_eq!(pdf.file_extension(), "pdf");
    for (mime, extension) in [
        ("image/png", "png"),
        ("audio/mpeg", "mp3"),
        ("application/hta", "bin"),
        ("application/x-msdownload", "bin"),
        ("image/jpeg; q=1", "jpg"),
    ] {
        let media = trace_viewer::model::chat::Media { url: String::new(), mime: Some(mime.into()), kind: MediaKind::Document };
        assert_eq!(media.file_extension(), extension, "{mime}");
    }
}
