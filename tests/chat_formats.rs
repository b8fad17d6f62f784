//! One test per chat format the viewer reads (beside the provider formats in chat_markdown.rs): the shapes
//! each framework's MLflow integration logs, as MLflow's own trace UI reads them, and agent conversations
//! assembled from child spans.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use trace_viewer::model::agent_chat::span_conversation;
use trace_viewer::model::chat::{conversation, ChatPart, Conversation};
use trace_viewer::model::{Span, SpanStatus, SpanType};

fn span(id: &str, parent: Option<&str>, span_type: SpanType, inputs: Value, outputs: Value, attributes: &[(&str, Value)]) -> Span {
    Span {
        span_id: id.into(),
        parent_id: parent.map(str::to_string),
        otel_trace_id: "0".repeat(32),
        name: id.into(),
        kind: "SPAN_KIND_INTERNAL".into(),
        start_ns: id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap_or(0),
        end_ns: Some(1_000),
        status: SpanStatus::default(),
        span_type,
        inputs: (!inputs.is_null()).then_some(inputs),
        outputs: (!outputs.is_null()).then_some(outputs),
        attributes: attributes.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        events: Vec::new(),
        links: Vec::new(),
    }
}

fn model_chat(inputs: Value, outputs: Value, format: &str) -> Conversation {
    let attributes = [("mlflow.message.format", json!(format))];
    conversation(&span("llm1", None, SpanType::ChatModel, inputs, outputs, &attributes)).expect("a conversation")
}

/// Each message as `role: what it holds`, for comparing whole conversations at a glance.
fn transcript(chat: &Conversation) -> Vec<String> {
    chat.messages
        .iter()
        .map(|message| {
            let parts: Vec<String> = message
                .parts
                .iter()
                .map(|part| match part {
                    ChatPart::Text(text) => text.clone(),
                    ChatPart::Reasoning(text) => format!("(thinking) {text}"),
                    ChatPart::ToolCall { id, name, arguments } => format!("call {name}#{} {arguments}", id.clone().unwrap_or_default()),
                    ChatPart::ToolResult { id, content, failed, .. } => {
                        format!("{}#{} {content}", if *failed { "failed" } else { "result" }, id.clone().unwrap_or_default())
                    }
                    ChatPart::Media(media) => format!("media {}", media.url),
                    ChatPart::Other(value) => format!("other {value}"),
                })
                .collect();
            let output = if message.is_output { " (output)" } else { "" };
            format!("{}{output}: {}", message.role, parts.join(" | "))
        })
        .collect()
}

#[test]
fn llamaindex_blocks_and_chat_response() {
    let chat = model_chat(
        json!({"messages": [
            {"role": "system", "additional_kwargs": {}, "blocks": [{"block_type": "text", "text": "Answer from the context."}]},
            {"role": "user", "additional_kwargs": {}, "blocks": [
                {"block_type": "text", "text": "What is in this picture?"},
                {"block_type": "image", "image": null, "url": "https://example.com/cat.png", "image_mimetype": "image/png"}
            ]}
        ]}),
        json!({"message": {"role": "assistant", "additional_kwargs": {}, "blocks": [{"block_type": "text", "text": "A cat."}]},
               "raw": {"choices": []}, "delta": null}),
        "llamaindex",
    );
    assert_eq!(
        transcript(&chat),
        [
            "system: Answer from the context.",
            "user: What is in this picture? | media https://example.com/cat.png",
            "assistant (output): A cat."
        ]
    );
}

#[test]
fn llamaindex_tool_calls_in_additional_kwargs() {
    let chat = model_chat(
        json!({"messages": [
            {"role": "user", "blocks": [{"block_type": "text", "text": "Weather in Paris?"}]},
            {"role": "assistant", "blocks": [], "additional_kwargs": {"tool_calls": [{"id": "c1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\": \"Paris\"}"}}]}},
            {"role": "tool", "blocks": [{"block_type": "text", "text": "18C"}], "additional_kwargs": {"tool_call_id": "c1", "name": "weather"}}
        ]}),
        json!(null),
        "llamaindex",
    );
    assert_eq!(
        transcript(&chat),
        [
            "user: Weather in Paris?",
            r#"assistant: call weather#c1 {"city":"Paris"}"#,
            r#"tool: result#c1 [{"block_type":"text","text":"18C"}]"#
        ]
    );
}

#[test]
fn dspy_sections_become_headings_and_completions_are_the_answer() {
    let chat = model_chat(
        json!({"messages": [
            {"role": "system", "content": "Your input fields are:\n1. `question` (str)\n\n[[ ## question ## ]]\n{question}"},
            {"role": "user", "content": "[[ ## question ## ]]\nWhat is 2+2?\n\nRespond with `[[ ## answer ## ]]`."}
        ]}),
        json!(["[[ ## reasoning ## ]]\nTwo and two make four.\n\n[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]"]),
        "dspy",
    );
    assert_eq!(
        transcript(&chat),
        [
            "system: Your input fields are:\n1. `question` (str)\n\n#### Question\n{question}",
            "user: #### Question\nWhat is 2+2?\n\nRespond with `[[ ## answer ## ]]`.",
            "assistant (output): #### Reasoning\nTwo and two make four.\n\n#### Answer\n4\n",
        ]
    );
}

#[test]
fn autogen_messages_function_calls_and_results() {
    let chat = model_chat(
        json!({"messages": [
            {"content": "You are a helpful assistant.", "type": "SystemMessage"},
            {"content": "What is the weather like in Tokyo today?", "source": "user", "type": "UserMessage"},
            {"content": [{"id": "call_1", "name": "get_weather", "arguments": "{\"city\": \"Tokyo\"}"}], "source": "weather_agent", "type": "AssistantMessage", "thought": "I should look it up."},
            {"content": [{"content": "sunny, 25C", "call_id": "call_1", "is_error": false, "name": "get_weather"}], "type": "FunctionExecutionResultMessage"},
            {"content": {"weather": "sunny"}, "source": "function", "type": "FunctionMessage"}
        ], "tools": [], "json_output": null}),
        json!({"finish_reason": "stop", "content": "It is sunny in Tokyo.", "usage": {"prompt_tokens": 45, "completion_tokens": 8}, "cached": false, "thought": null}),
        "autogen",
    );
    assert_eq!(
        transcript(&chat),
        [
            "system: You are a helpful assistant.",
            "user: What is the weather like in Tokyo today?",
            r#"assistant: (thinking) I should look it up. | call get_weather#call_1 {"city":"Tokyo"}"#,
            r#"tool: result#call_1 "sunny, 25C""#,
            r#"tool: other {"weather":"sunny"}"#,
            "assistant (output): It is sunny in Tokyo.",
        ]
    );
    assert_eq!(chat.messages[2].name.as_deref(), Some("weather_agent"), "the agent that spoke");
}

#[test]
fn vercel_ai_sdk_parts_and_results() {
    let chat = model_chat(
        json!({"messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "Describe it"}, {"type": "image", "image": "https://example.com/a.jpg"}]},
            {"role": "assistant", "content": [{"type": "tool-call", "toolCallId": "t1", "toolName": "lookup", "input": {"q": "a.jpg"}}]},
            {"role": "tool", "content": [{"type": "tool-result", "toolCallId": "t1", "toolName": "lookup", "output": {"type": "json", "value": {"label": "dog"}}}]}
        ]}),
        json!({"text": "", "toolCalls": [{"toolCallId": "t2", "toolName": "lookup", "input": "{\"q\": \"breed\"}"}], "finishReason": "tool-calls"}),
        "vercel_ai",
    );
    assert_eq!(
        transcript(&chat),
        [
            "system: Be brief.",
            "user: Describe it | media https://example.com/a.jpg",
            r#"assistant: call lookup#t1 {"q":"a.jpg"}"#,
            r#"tool: result#t1 {"label":"dog"}"#,
            r#"assistant (output): call lookup#t2 {"q":"breed"}"#,
        ]
    );
    let answer = model_chat(
        json!({"messages": [{"role": "user", "content": "Hi"}]}),
        json!({"text": "Hello!", "finishReason": "stop"}),
        "vercel_ai",
    );
    assert_eq!(transcript(&answer), ["user: Hi", "assistant (output): Hello!"]);
}

#[test]
fn pydantic_ai_requests_and_responses() {
    let history = json!([
        {"kind": "request", "parts": [
            {"part_kind": "system-prompt", "content": "Be concise."},
            {"part_kind": "user-prompt", "content": "Roll a die."}
        ]},
        {"kind": "response", "parts": [
            {"part_kind": "thinking", "content": "Use the tool."},
            {"part_kind": "tool-call", "tool_name": "roll_die", "args": "{}", "tool_call_id": "p1"}
        ]},
        {"kind": "request", "parts": [{"part_kind": "tool-return", "tool_name": "roll_die", "content": "4", "tool_call_id": "p1"}]}
    ]);
    let chat = model_chat(
        json!({"message_history": history}),
        json!({"_new_messages_serialized": [{"kind": "response", "parts": [{"part_kind": "text", "content": "You rolled a 4."}]}]}),
        "pydantic_ai",
    );
    assert_eq!(
        transcript(&chat),
        [
            "system: Be concise.",
            "user: Roll a die.",
            "assistant: (thinking) Use the tool. | call roll_die#p1 {}",
            r#"tool: result#p1 "4""#,
            "assistant (output): You rolled a 4.",
        ]
    );
}

#[test]
fn smolagents_roles_and_ollama_thinking() {
    let chat = model_chat(
        json!({"messages": [
            {"role": "system", "content": [{"type": "text", "text": "Solve it."}]},
            {"role": "tool-call", "content": [{"type": "text", "text": "Calling tools: python"}]},
            {"role": "tool-response", "content": [{"type": "text", "text": "Observation: 42"}]}
        ]}),
        json!({"model": "qwen3", "message": {"role": "assistant", "content": "42.", "thinking": "The observation says 42.",
               "tool_calls": [{"function": {"name": "final_answer", "arguments": {"answer": 42}}}]}, "done": true}),
        "ollama",
    );
    assert_eq!(
        transcript(&chat),
        [
            "system: Solve it.",
            "assistant: Calling tools: python",
            "tool: Observation: 42",
            r#"assistant (output): (thinking) The observation says 42. | 42. | call final_answer# {"answer":42}"#,
        ]
    );
}

#[test]
fn mlflow_chat_messages_attribute_is_the_whole_conversation() {
    let messages = json!([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]);
    let attributes = [("mlflow.chat.messages", json!(messages.to_string()))];
    let chat = conversation(&span("c1", None, SpanType::ChatModel, json!({"query": "Hi"}), json!("Hello"), &attributes)).unwrap();
    assert_eq!(transcript(&chat), ["user: Hi", "assistant (output): Hello"]);
}

#[test]
fn strands_agent_assembled_from_its_model_calls_and_tools() {
    let strands = [("mlflow.message.format", json!("strands"))];
    let spans = vec![
        span(
            "agent1",
            None,
            SpanType::Agent,
            json!([{"role": "user", "content": [{"text": "What is 2+2?"}]}]),
            json!("The result is 4."),
            &strands,
        ),
        span("cycle2", Some("agent1"), SpanType::Chain, json!(null), json!(null), &[]),
        span(
            "chat3",
            Some("cycle2"),
            SpanType::ChatModel,
            json!([{"role": "user", "content": [{"text": "What is 2+2?"}]}]),
            json!([{"reasoningContent": {"reasoningText": {"text": "Use the calculator."}}}, {"toolUse": {"toolUseId": "tu1", "name": "calculator", "input": {"expression": "2+2"}}}]),
            &strands,
        ),
        span(
            "tool4",
            Some("cycle2"),
            SpanType::Tool,
            json!({"expression": "2+2"}),
            json!([{"text": "4"}]),
            &[("gen_ai.tool.call.id", json!("tu1"))],
        ),
        span("chat5", Some("agent1"), SpanType::ChatModel, json!(null), json!([{"text": "The result is 4."}]), &strands),
    ];
    let chat = span_conversation(&spans, 0).unwrap();
    assert_eq!(
        transcript(&chat),
        [
            "user: What is 2+2?",
            r#"assistant: (thinking) Use the calculator. | call calculator#tu1 {"expression":"2+2"}"#,
            // The tool's content blocks read as their text (MLflow's chat-parser fixtures expect it).
            r#"tool: result#tu1 "4""#,
            "assistant (output): The result is 4.",
        ],
        "the final answer is the last model call's, marked as the answer, not repeated"
    );
    // A model call of the same trace reads alone.
    assert_eq!(transcript(&span_conversation(&spans, 4).unwrap()), ["assistant (output): The result is 4."]);
}

#[test]
fn agno_agent_assembled_in_the_order_its_steps_ran() {
    let agno = [("mlflow.message.format", json!("agno"))];
    let spans = vec![
        span("agent1", None, SpanType::Agent, json!("What is the stock price of Apple?"), json!("Apple trades at $271.86."), &agno),
        span("llm2", Some("agent1"), SpanType::Llm,
             json!({"messages": [{"role": "system", "content": "You are a financial assistant."}, {"role": "user", "content": "What is the stock price of Apple?"}]}),
             json!("[{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"1\", \"type\": \"function\", \"function\": {\"name\": \"get_price\", \"arguments\": \"{\\\"symbol\\\": \\\"AAPL\\\"}\"}}]}]"),
             &agno),
        span("tool3", Some("agent1"), SpanType::Tool, json!({"symbol": "AAPL"}), json!("271.86"), &[("tool.name", json!("get_price"))]),
        span("llm4", Some("agent1"), SpanType::Llm, json!(null), json!("[{\"role\": \"assistant\", \"content\": \"Apple trades at $271.86.\"}]"), &agno),
    ];
    let chat = span_conversation(&spans, 0).unwrap();
    assert_eq!(
        transcript(&chat),
        [
            "system: You are a financial assistant.",
            "user: What is the stock price of Apple?",
            r#"assistant: call get_price#1 {"symbol":"AAPL"}"#,
            r#"tool: result#1 "271.86""#,
            "assistant (output): Apple trades at $271.86.",
        ]
    );
}

#[test]
fn voltagent_agent_gets_its_tool_calls_from_tool_spans() {
    let volt = [("mlflow.message.format", json!("voltagent"))];
    let spans = vec![
        span(
            "agent1",
            None,
            SpanType::Agent,
            json!("[{\"role\": \"user\", \"content\": \"Weather in Oslo?\"}]"),
            json!("It is 3C in Oslo."),
            &volt,
        ),
        span(
            "tool2",
            Some("agent1"),
            SpanType::Tool,
            json!({"city": "Oslo"}),
            json!({"celsius": 3}),
            &[("tool.call.id", json!("v1")), ("tool.name", json!("weather"))],
        ),
    ];
    let chat = span_conversation(&spans, 0).unwrap();
    assert_eq!(
        transcript(&chat),
        [
            "user: Weather in Oslo?",
            r#"assistant: call weather#v1 {"city":"Oslo"}"#,
            r#"tool: result#v1 {"celsius":3}"#,
            "assistant (output): It is 3C in Oslo."
        ]
    );
    // Without child spans it reads as its own messages and answer.
    assert_eq!(
        transcript(&span_conversation(&spans[..1], 0).unwrap()),
        ["user: Weather in Oslo?", "assistant (output): It is 3C in Oslo."]
    );
}

/// A LangGraph agent's root, as MLflow's LangChain autologging records it (a ReAct agent run with
/// langchain-core's fake chat model): its outputs are the graph's whole state, the question included.
#[test]
fn a_langgraph_roots_state_reads_as_the_whole_exchange_after_the_question() {
    let human = json!({"content": "What is the weather in Paris?", "type": "human", "id": "h1"});
    let root = span(
        "root",
        None,
        SpanType::Chain,
        json!({"messages": [{"role": "user", "content": "What is the weather in Paris?"}]}),
        json!({"messages": [
            human,
            {"content": "", "type": "ai", "tool_calls": [{"name": "get_weather", "args": {"unit": "celsius", "city": "Paris"}, "id": "call_1", "type": "tool_call"}]},
            {"content": "Tool error: the city is unknown", "type": "tool", "name": "get_weather", "tool_call_id": "call_1", "status": "error"},
            {"content": "I could not find the weather in Paris.", "type": "ai", "tool_calls": []},
        ]}),
        &[],
    );
    let chat = span_conversation(&[root], 0).expect("a conversation");
    assert_eq!(
        transcript(&chat),
        [
            "user: What is the weather in Paris?",
            r#"assistant (output):  | call get_weather#call_1 {"unit":"celsius","city":"Paris"}"#,
            r#"tool (output): failed#call_1 "Tool error: the city is unknown""#,
            "assistant (output): I could not find the weather in Paris.",
        ]
    );
}

/// Pydantic AI, as MLflow's autologging records a FunctionModel run: the model span's outputs are one
/// response (not a list), and the agent's outputs hold the run's new messages, its prompt first.
#[test]
fn a_pydantic_ai_model_response_and_the_agents_run() {
    let request = json!({"kind": "request", "parts": [
        {"part_kind": "system-prompt", "content": "You are a weather assistant."},
        {"part_kind": "user-prompt", "content": "What is the weather in Paris?"}]});
    let call = json!({"kind": "response", "parts": [{"part_kind": "tool-call", "tool_name": "get_weather", "args": {"unit": "celsius", "city": "Paris"}, "tool_call_id": "call_1"}]});
    let model = model_chat(json!({"messages": [request]}), call.clone(), "pydantic_ai");
    assert_eq!(
        transcript(&model),
        [
            "system: You are a weather assistant.",
            "user: What is the weather in Paris?",
            r#"assistant (output): call get_weather#call_1 {"unit":"celsius","city":"Paris"}"#,
        ]
    );
    let returned = json!({"kind": "request", "parts": [{"part_kind": "retry-prompt", "content": "unknown city", "tool_name": "get_weather", "tool_call_id": "call_1"}]});
    let answer = json!({"kind": "response", "parts": [{"part_kind": "text", "content": "I could not tell."}]});
    let run = span(
        "agent",
        None,
        SpanType::Agent,
        json!({"user_prompt": "What is the weather in Paris?"}),
        json!({"output": "I could not tell.", "_new_messages_serialized": [request, call, returned, answer]}),
        &[("mlflow.message.format", json!("pydantic_ai"))],
    );
    let chat = span_conversation(&[run], 0).expect("a conversation");
    assert_eq!(
        transcript(&chat),
        [
            "system: You are a weather assistant.",
            "user: What is the weather in Paris?",
            r#"assistant (output): call get_weather#call_1 {"unit":"celsius","city":"Paris"}"#,
            r#"tool (output): failed#call_1 "unknown city""#,
            "assistant (output): I could not tell.",
        ]
    );
}

#[test]
fn a_llamaindex_tool_call_block_names_its_tool_and_arguments() {
    let chat = model_chat(
        json!({"messages": [{"role": "user", "blocks": [{"block_type": "text", "text": "Weather in Paris?"}]}]}),
        json!({"message": {"role": "assistant", "blocks": [
            {"block_type": "tool_call", "tool_call_id": "c1", "tool_name": "get_weather", "tool_kwargs": {"city": "Paris"}}]}}),
        "llamaindex",
    );
    assert_eq!(transcript(&chat)[1], r#"assistant (output): call get_weather#c1 {"city":"Paris"}"#);
}

#[test]
fn anthropic_tool_results_are_the_tools_answer_and_say_when_they_failed() {
    let chat = model_chat(
        json!({"messages": [
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "tu1", "name": "get_weather", "input": {"city": "Paris"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "tu1", "content": "timeout", "is_error": true}]}]}),
        json!({"content": [{"type": "text", "text": "The weather service timed out."}], "role": "assistant"}),
        "anthropic",
    );
    assert_eq!(transcript(&chat)[2], r#"tool: failed#tu1 "timeout""#);
}

#[test]
fn a_generator_logged_in_place_of_the_answer_is_said_to_be_not_captured() {
    let agent = span(
        "agent",
        None,
        SpanType::Agent,
        json!({"messages": [{"role": "user", "content": "hi"}]}),
        json!("<async_generator object AgentRunner.stream at 0x7f3a2c1b9e40>"),
        &[],
    );
    let chat = span_conversation(&[agent], 0).expect("a conversation");
    assert_eq!(
        transcript(&chat)[1],
        "assistant (output): (The answer was not captured: the tracer logged the stream that produced it, \
         <async_generator object AgentRunner.stream at 0x7f3a2c1b9e40>.)"
    );
}

/// smolagents' code agents log no model span: the root reads as the task and the answer.
#[test]
fn the_root_of_a_trace_without_model_calls_reads_as_task_and_answer() {
    let root = span("root", None, SpanType::Agent, json!({"task": "What is 2 to the 10th?"}), json!("1024"), &[]);
    let step = span("step1", Some("root"), SpanType::Chain, json!({"code": "2**10"}), json!("1024"), &[]);
    let spans = [root, step];
    assert_eq!(
        transcript(&span_conversation(&spans, 0).expect("a conversation")),
        ["user: What is 2 to the 10th?", "assistant (output): 1024"]
    );
    assert!(span_conversation(&spans, 1).is_none(), "only the root");
    // A function's structured outputs are no answer in words.
    let scorer = span("root", None, SpanType::Unknown, json!({"answers": ["a", "b"]}), json!({"scores": [0.5, null], "best": null}), &[]);
    assert!(span_conversation(&[scorer], 0).is_none());
}

/// MLflow's own chat-parser fixtures: the Vercel AI SDK's `{"response": {"messages"}}`, and a Strands tool
/// whose outputs are content blocks, read as that tool's result in the assembled conversation.
#[test]
fn vercel_response_messages_and_strands_tool_blocks() {
    let vercel = model_chat(
        json!({"messages": [{"role": "user", "content": "hi"}]}),
        json!({"response": {"messages": [{"role": "assistant", "content": [{"type": "text", "text": "hello"}]}]}}),
        "vercel_ai",
    );
    assert_eq!(transcript(&vercel)[1], "assistant (output): hello");
    let format = [("mlflow.message.format", json!("strands"))];
    let agent =
        span("agent", None, SpanType::Agent, json!([{"role": "user", "content": [{"text": "Weather?"}]}]), json!("Sunny."), &format);
    let tool = span("tool2", Some("agent"), SpanType::Tool, json!({"city": "Paris"}), json!([{"text": "Sunny, 21 C"}]), &format);
    let chat = span_conversation(&[agent, tool], 0).expect("a conversation");
    assert!(transcript(&chat).contains(&r#"tool: result# "Sunny, 21 C""#.to_string()), "{:?}", transcript(&chat));
}

/// The OpenAI Agents SDK's `Response` span: the input items in its inputs, the agent's instructions in its
/// attributes.
#[test]
fn an_openai_agents_response_span_shows_its_instructions_as_the_system_prompt() {
    let attributes = [("mlflow.message.format", json!("openai-agent")), ("instructions", json!("You are a weather assistant."))];
    let response = span(
        "llm1",
        None,
        SpanType::ChatModel,
        json!([{"content": "What is the weather in Paris?", "role": "user"}]),
        json!([{"arguments": "{\"unit\": \"celsius\", \"city\": \"Paris\"}", "call_id": "call_1", "name": "get_weather", "type": "function_call"}]),
        &attributes,
    );
    assert_eq!(
        transcript(&conversation(&response).expect("a conversation")),
        [
            "system: You are a weather assistant.",
            "user: What is the weather in Paris?",
            r#"assistant (output): call get_weather#call_1 {"unit":"celsius","city":"Paris"}"#,
        ]
    );
}

/// LlamaIndex's completion-style calls, as its autologging records a query engine over MockLLM: `complete`
/// takes the prompt as its first argument, `predict` a template with its arguments.
#[test]
fn llamaindex_completion_prompts_read_as_the_users_message() {
    let complete = model_chat(
        json!({"args": ["Context: Paris is sunny.\nQuery: Weather?\nAnswer: "], "kwargs": {"formatted": true}}),
        json!({"text": "Sunny."}),
        "llamaindex",
    );
    assert_eq!(transcript(&complete), ["user: Context: Paris is sunny.\nQuery: Weather?\nAnswer: ", "assistant (output): Sunny."]);
    let predict = span(
        "llm1",
        None,
        SpanType::Llm,
        json!({"prompt": {"kwargs": {"query_str": "Weather?"}, "default_template": {"template": "Context: {context_str}\nQuery: {query_str}\nAnswer: "}}}),
        json!("Sunny."),
        &[("mlflow.message.format", json!("llamaindex"))],
    );
    assert_eq!(transcript(&conversation(&predict).expect("a conversation"))[0], "user: Context: {context_str}\nQuery: Weather?\nAnswer: ");
}

/// DSPy's ReAct, as its autologging records a run over DummyLM: the agent's question and answer are fields
/// of its inputs and prediction; its steps are the tools it called.
#[test]
fn a_dspy_react_agent_reads_as_question_steps_and_answer() {
    let agent = span(
        "agent",
        None,
        SpanType::Agent,
        json!({"question": "What is the weather in Paris?"}),
        json!({"trajectory": {"thought_0": "Look it up."}, "reasoning": "The tool said so.", "answer": "Sunny, 21 degrees."}),
        &[],
    );
    let tool = span("tool2", Some("agent"), SpanType::Tool, json!({"city": "Paris"}), json!("Sunny, 21 degrees."), &[]);
    let chat = span_conversation(&[agent, tool], 0).expect("a conversation");
    assert_eq!(
        transcript(&chat),
        [
            "user: What is the weather in Paris?",
            r#"assistant: call tool2# {"city":"Paris"}"#,
            r#"tool: result# "Sunny, 21 degrees.""#,
            "assistant (output): Sunny, 21 degrees.",
        ]
    );
}

/// AutoGen's AssistantAgent, as MLflow's autologging records `run` over ReplayChatCompletionClient: the run's
/// outputs are agentchat messages (`TextMessage`, `ToolCallRequestEvent`, `ToolCallExecutionEvent`).
#[test]
fn an_autogen_agents_run_reads_as_its_messages() {
    let run = span(
        "agent",
        None,
        SpanType::Agent,
        json!({"task": "What is the weather in Paris?"}),
        json!({"messages": [
            {"source": "user", "content": "What is the weather in Paris?", "type": "TextMessage"},
            {"source": "weather", "content": [{"id": "call_1", "arguments": "{\"unit\": \"celsius\", \"city\": \"Paris\"}", "name": "get_weather"}], "type": "ToolCallRequestEvent"},
            {"source": "weather", "content": [{"content": "unknown city", "name": "get_weather", "call_id": "call_1", "is_error": true}], "type": "ToolCallExecutionEvent"},
            {"source": "weather", "content": "I could not tell.", "type": "TextMessage"}], "stop_reason": null}),
        &[],
    );
    assert_eq!(
        transcript(&span_conversation(&[run], 0).expect("a conversation")),
        [
            "user: What is the weather in Paris?",
            r#"assistant (output): call get_weather#call_1 {"unit":"celsius","city":"Paris"}"#,
            r#"tool (output): failed#call_1 "unknown city""#,
            "assistant (output): I could not tell.",
        ]
    );
}

/// smolagents' tool-calling agent, as MLflow's autologging records it: no model span, tools called through
/// `SimpleTool.__call__` with wrapped arguments and results, the answer returned through its final-answer tool.
#[test]
fn a_smolagents_run_reads_as_task_tool_and_answer() {
    let root = span("root", None, SpanType::Agent, json!({"task": "Weather in Paris?"}), json!({"_value": "Sunny."}), &[]);
    let tool = span(
        "SimpleTool1",
        Some("root"),
        SpanType::Tool,
        json!({"sanitize_inputs_outputs": true, "kwargs": {"unit": "celsius", "city": "Paris"}}),
        json!({"_value": "21 degrees and sunny"}),
        &[],
    );
    let final_answer =
        span("FinalAnswerTool2", Some("root"), SpanType::Tool, json!({"kwargs": {"answer": "Sunny."}}), json!({"_value": "Sunny."}), &[]);
    assert_eq!(
        transcript(&span_conversation(&[root, tool, final_answer], 0).expect("a conversation")),
        [
            "user: Weather in Paris?",
            r#"assistant: call SimpleTool1# {"unit":"celsius","city":"Paris"}"#,
            r#"tool: result# "21 degrees and sunny""#,
            "assistant (output): Sunny.",
        ]
    );
}

/// LlamaIndex's FunctionAgent, as its autologging records it over MockFunctionCallingLLM: the model steps hand
/// back the chat so far (the call again, with its id), the tool span names no tool but its ToolOutput does,
/// and the answer is the run's `result.response`.
#[test]
fn a_llamaindex_function_agent_reads_as_one_call_its_result_and_the_answer() {
    let system = json!({"role": "system", "blocks": [{"block_type": "text", "text": "Be brief."}]});
    let user = json!({"role": "user", "blocks": [{"block_type": "text", "text": "Weather in Paris?"}]});
    let call = json!({"role": "assistant", "blocks": [{"block_type": "tool_call", "tool_call_id": "c1", "tool_name": "get_weather", "tool_kwargs": {"city": "Paris"}}]});
    let agent = span(
        "agent",
        None,
        SpanType::Agent,
        json!({"user_msg": "Weather in Paris?", "chat_history": null}),
        json!({"result": {"response": {"role": "assistant", "blocks": [{"block_type": "text", "text": "Sunny."}]}, "tool_calls": []}}),
        &[],
    );
    let prepare1 =
        span("prepare1", Some("agent"), SpanType::Llm, json!({"chat_history": [system, user]}), json!({"messages": [system, user]}), &[]);
    let tool = span(
        "FunctionTool2",
        Some("agent"),
        SpanType::Tool,
        json!({"kwargs": {"city": "Paris"}}),
        json!({"blocks": [{"block_type": "text", "text": "Sunny"}], "tool_name": "get_weather", "raw_output": "Sunny", "is_error": false}),
        &[],
    );
    let prepare3 = span("prepare3", Some("agent"), SpanType::Llm, json!({}), json!({"messages": [system, user, call]}), &[]);
    let chat = span_conversation(&[agent, prepare1, tool, prepare3], 0).expect("a conversation");
    assert_eq!(
        transcript(&chat),
        [
            "system: Be brief.",
            "user: Weather in Paris?",
            r#"assistant: call get_weather# {"city":"Paris"}"#,
            r#"tool: result# "Sunny""#,
            "assistant (output): Sunny.",
        ]
    );
}

#[test]
fn a_llamaindex_chat_engine_reads_as_the_message_and_its_response() {
    let engine = span(
        "engine",
        None,
        SpanType::Chain,
        json!({"message": "Weather in Paris?"}),
        json!({"response": "Sunny.", "sources": [{"tool_name": "retriever"}]}),
        &[],
    );
    assert_eq!(transcript(&conversation(&engine).expect("a conversation")), ["user: Weather in Paris?", "assistant (output): Sunny."]);
}

/// A template's arguments are put in once: an argument holding `{name}` stays as it is, an unknown or unclosed
/// placeholder too.
#[test]
fn a_completion_template_is_filled_in_one_pass() {
    let predict = span(
        "llm1",
        None,
        SpanType::Llm,
        json!({"prompt": {"template": "Q: {query_str} C: {context_str} {unclosed", "kwargs": {"query_str": "{context_str}?", "context_str": "sun"}}}),
        json!("ok"),
        &[("mlflow.message.format", json!("llamaindex"))],
    );
    assert_eq!(transcript(&conversation(&predict).expect("a conversation"))[0], "user: Q: {context_str}? C: sun {unclosed");
}
