//! Chat messages recognised in a span's inputs and outputs, whatever the provider's or framework's wire
//! shape (the list, with where each is read, is in docs/ARCHITECTURE.md): OpenAI chat completions, responses
//! and Agents, Anthropic, Gemini, Bedrock converse, Mistral, Groq, Ollama, LiteLLM, LangChain, LlamaIndex,
//! DSPy, AutoGen, Vercel AI SDK, Pydantic AI, smolagents, CrewAI, Strands, Agno, VoltAgent and OpenTelemetry
//! `gen_ai` messages. Everything becomes one [`Conversation`] for the chat view.
//!
//! Recognition is by shape, so a span whose `mlflow.message.format` is missing or wrong still shows its chat;
//! the format only adds what a shape cannot tell (DSPy's section markers). Agent spans of frameworks that log
//! their conversation as child spans are assembled by [`super::agent_chat`].

use super::{Span, SpanType};
use serde_json::{Map, Value};
use std::borrow::Cow;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conversation {
    /// The messages sent to the model, then the ones it returned (`is_output`).
    pub messages: Vec<ChatMessage>,
    /// The tools offered to the model.
    pub tools: Vec<ToolDefinition>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChatMessage {
    /// `system`, `user`, `assistant`, `tool`, or the role as written (`developer`, …).
    pub role: String,
    pub parts: Vec<ChatPart>,
    /// For a tool's answer: the call it answers.
    pub tool_call_id: Option<String>,
    pub name: Option<String>,
    pub is_output: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ChatPart {
    Text(String),
    /// The model's thinking: shown folded.
    Reasoning(String),
    ToolCall {
        id: Option<String>,
        name: String,
        arguments: Value,
    },
    ToolResult {
        id: Option<String>,
        name: Option<String>,
        content: Value,
        /// The tool failed (LangChain's `status: "error"`, Anthropic's `is_error`, a Pydantic AI retry, a
        /// failed tool span): shown as a failure, not as an answer.
        failed: bool,
    },
    Media(Media),
    /// A part of a shape not recognised: shown as JSON.
    Other(Value),
}

/// An image, audio clip or document referenced by a message.
#[derive(Clone, Debug, PartialEq)]
pub struct Media {
    /// A `data:` URL (built from base64 and a MIME type when the format splits them), an http(s) URL, an
    /// `mlflow-attachment://` reference, or whatever URI the trace gives (`gs://…`).
    pub url: String,
    pub mime: Option<String>,
    pub kind: MediaKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Audio,
    Document,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ToolDefinition {
    pub name: String,
    pub description: Option<String>,
    pub parameters: Option<Value>,
}

/// The span's chat, if its inputs or outputs hold messages.
pub fn conversation(span: &Span) -> Option<Conversation> {
    // A bare string prompt, or outputs alone, count as chat only on a model's span: a tool's `{"input": …}`
    // is not a conversation.
    let is_model = matches!(span.span_type, SpanType::Llm | SpanType::ChatModel) || span.attribute("mlflow.message.format").is_some();
    let mut messages = match span.attribute("mlflow.chat.messages").map(json_text).as_deref() {
        // MLflow 2.x wrote the whole conversation into this attribute: it is taken as it is.
        Some(Value::Array(items)) => {
            let mut messages = message_list(items);
            if let Some(last) = messages.last_mut().filter(|message| message.role == "assistant") {
                last.is_output = true;
            }
            messages
        }
        _ => conversation_messages(span, is_model),
    };
    // The OpenAI Agents SDK keeps an agent's instructions in its `Response` span's attributes, not its inputs.
    if let Some(instructions) = span.attribute("instructions").and_then(Value::as_str).filter(|text| !text.trim().is_empty()) {
        if is_model && !messages.iter().any(|message| message.role == "system") {
            messages.insert(0, message("system", vec![ChatPart::Text(instructions.to_string())]));
        }
    }
    if !is_model && messages.iter().all(|message| message.is_output || message.role == "system") {
        return None;
    }
    if span.attribute("mlflow.message.format").and_then(Value::as_str) == Some("dspy") {
        messages.iter_mut().flat_map(|message| &mut message.parts).for_each(dspy_sections);
    }
    if messages.is_empty() {
        return None;
    }
    let tools = span
        .attribute("mlflow.chat.tools")
        .or_else(|| span.attribute("gen_ai.tool.definitions"))
        .or_else(|| span.inputs.as_ref()?.get("tools"))
        .or_else(|| span.inputs.as_ref()?.get("config")?.get("tools"))
        .map(tool_definitions)
        .unwrap_or_default();
    Some(Conversation { messages, tools })
}

/// The inputs' messages, then the outputs' (marked `is_output`). OpenTelemetry's GenAI message events, where
/// a span has them, are the whole of what the model was sent (Strands' inputs leave out its system prompt and
/// the model's own earlier tool calls): they stand for the inputs then.
fn conversation_messages(span: &Span, is_model: bool) -> Vec<ChatMessage> {
    let inputs = span.inputs.as_ref().map(json_text);
    let outputs = span.outputs.as_ref().map(json_text);
    let mut messages = match event_messages(span) {
        Some(sent) => sent,
        None => inputs.as_ref().map(|inputs| input_messages(inputs, is_model)).unwrap_or_default(),
    };
    // LlamaIndex's chat engines: `chat(message)`, answered `{"response", "sources"}`.
    if let (true, Some(asked), Some(answer)) = (
        messages.is_empty(),
        inputs.as_deref().and_then(|inputs| inputs.get("message")?.as_str()),
        outputs.as_deref().and_then(|outputs| outputs.get("response")?.as_str()),
    ) {
        let answer = ChatMessage { is_output: true, ..message("assistant", vec![ChatPart::Text(not_a_placeholder(answer))]) };
        return vec![message("user", vec![ChatPart::Text(asked.to_string())]), answer];
    }
    let answers = match outputs.as_deref() {
        // A plain answer to a conversation (Strands, Agno, VoltAgent agents) is the assistant's; a stream's
        // object logged in its place (`<async_generator object …>`) is no answer.
        Some(Value::String(text)) if !messages.is_empty() && !text.trim().is_empty() => {
            vec![message("assistant", vec![ChatPart::Text(not_a_placeholder(text))])]
        }
        Some(outputs) => output_messages(outputs),
        None => Vec::new(),
    };
    let repeated = repeated_inputs(&messages, &answers);
    let mut answers = answers.into_iter().skip(repeated).peekable();
    // A run that returns its whole new history (Pydantic AI's) starts it with the prompt it was given: that
    // part was the run's input, not its answer.
    while let Some(prompt) = answers.next_if(|message| matches!(message.role.as_str(), "system" | "user")) {
        messages.push(prompt);
    }
    messages.extend(answers.map(|message| ChatMessage { is_output: true, ..message }));
    messages
}

/// The text of an answer, or what it is when it is the `repr` of a Python stream logged in place of the
/// answer (the framework returned a generator and the tracer saw only that).
pub(super) fn not_a_placeholder(text: &str) -> String {
    let placeholder = text.starts_with('<')
        && text.ends_with('>')
        && [" object at 0x", "generator object "].iter().any(|mark| text.contains(mark))
        && ["generator", "stream", "Stream", "Generator", "coroutine"].iter().any(|kind| text.contains(kind));
    match placeholder {
        true => format!("(The answer was not captured: the tracer logged the stream that produced it, {text}.)"),
        false => text.to_string(),
    }
}

/// A value that is not a chat read as text: a string, or an object's one string field (`{"task": …}`,
/// `{"answer": …}`), else its JSON.
pub(super) fn plain_parts(value: &Value) -> Vec<ChatPart> {
    vec![ChatPart::Text(plain_text(value).unwrap_or_else(|| format!("{value:#}")))]
}

/// The text of a string, or of an object's one string field; None for anything else.
pub(super) fn plain_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(not_a_placeholder(text)),
        Value::Object(fields) if fields.len() == 1 => fields.values().next()?.as_str().map(not_a_placeholder),
        _ => None,
    }
}

/// The messages of a span's `gen_ai.{system,user,assistant,tool}.message` events, None when it has none.
fn event_messages(span: &Span) -> Option<Vec<ChatMessage>> {
    let messages: Vec<ChatMessage> = span
        .events
        .iter()
        .filter_map(|event| {
            let role = event.name.strip_prefix("gen_ai.")?.strip_suffix(".message")?;
            let content = event.attributes.iter().find(|(key, _)| key == "content").map(|(_, value)| json_text(value))?;
            let mut parts = content_parts(&content);
            if role == "tool" && !parts.iter().any(|part| matches!(part, ChatPart::ToolResult { .. })) {
                // A tool event holding the call's arguments (Strands' tool span) is not a message sent.
                return None;
            }
            parts.retain(|part| !matches!(part, ChatPart::Text(text) if text.is_empty()));
            Some(message(role, parts))
        })
        .collect();
    (!messages.is_empty()).then_some(messages)
}

/// What a tool returned: content blocks of text alone (Strands', Bedrock's `[{"text": …}]`) as their text,
/// anything else as it is.
pub(super) fn blocks_as_text(outputs: &Value) -> Value {
    let texts: Option<Vec<&str>> = outputs
        .as_array()
        .filter(|blocks| !blocks.is_empty())
        .and_then(|blocks| blocks.iter().map(|block| block.as_object().filter(|block| block.len() == 1)?.get("text")?.as_str()).collect());
    match texts {
        Some(texts) => Value::String(texts.join("\n")),
        None => outputs.clone(),
    }
}

/// How many of `outputs` repeat the conversation `inputs` (LangGraph returns its whole state, the inputs
/// included): those up to the last input message found among them, else none.
fn repeated_inputs(inputs: &[ChatMessage], outputs: &[ChatMessage]) -> usize {
    let same = |a: &ChatMessage, b: &ChatMessage| a.role == b.role && a.parts == b.parts;
    inputs.last().and_then(|last| outputs.iter().rposition(|output| same(output, last))).map_or(0, |at| at + 1)
}

/// A value that is JSON text of a list or an object (Agno's and VoltAgent's messages, attributes written by
/// older SDKs), parsed; anything else as it is.
pub(super) fn json_text(value: &Value) -> Cow<'_, Value> {
    match value {
        Value::String(text) if text.trim_start().starts_with(['[', '{']) => {
            serde_json::from_str(text).map_or(Cow::Borrowed(value), Cow::Owned)
        }
        other => Cow::Borrowed(other),
    }
}

pub(super) fn input_messages(inputs: &Value, is_model: bool) -> Vec<ChatMessage> {
    let mut messages = Vec::new();
    // System prompts kept beside the messages: Anthropic `system`, OpenAI responses `instructions`, Gemini
    // `system_instruction`, gen_ai `system_instructions`.
    let system = ["system", "instructions", "system_instruction", "systemInstruction", "system_instructions"]
        .iter()
        .find_map(|key| inputs.get(key))
        .or_else(|| inputs.get("config")?.get("system_instruction"));
    if let Some(system) = system {
        let parts = content_parts(system);
        if !parts.is_empty() {
            messages.push(message("system", parts));
        }
    }
    let list = ["messages", "input", "contents", "prompt", "message_history"]
        .iter()
        .find_map(|key| inputs.get(key).filter(|v| !v.is_null()))
        .unwrap_or(inputs);
    match list {
        // A bare prompt (responses `input`, Gemini `contents`) is one user message.
        Value::String(text) if is_model && !std::ptr::eq(list, inputs) => {
            messages.push(message("user", vec![ChatPart::Text(text.clone())]))
        }
        Value::Array(items) => messages.extend(message_list(items)),
        _ => {}
    }
    if messages.is_empty() && is_model {
        messages.extend(completion_prompt(inputs).map(|prompt| message("user", vec![ChatPart::Text(prompt)])));
    }
    messages
}

/// The prompt of a completion-style call: LlamaIndex's `complete` takes it as its first argument
/// (`{"args": [prompt]}`), its `predict` as a prompt template (`{"prompt": {"template", "kwargs"}}`), shown
/// with the arguments it was given filled in.
fn completion_prompt(inputs: &Value) -> Option<String> {
    if let Some(prompt) = inputs.get("args").and_then(|args| args.get(0)?.as_str()) {
        return Some(prompt.to_string());
    }
    let prompt = inputs.get("prompt")?;
    let template = prompt.get("template").or_else(|| prompt.get("default_template")?.get("template"))?.as_str()?;
    Some(filled_template(template, prompt.get("kwargs").and_then(Value::as_object)))
}

/// A `{name}` template with the string arguments it was given put in, in one pass over the template (a
/// trace's template and arguments may be large and many; what an argument holds is never filled again).
fn filled_template(template: &str, arguments: Option<&Map<String, Value>>) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| Some((close, arguments?.get(&after[..close])?.as_str()?)));
        match value {
            Some((close, value)) => {
                filled.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

pub(super) fn output_messages(outputs: &Value) -> Vec<ChatMessage> {
    // Pydantic AI: one model response, {"kind": "response", "parts": […]}.
    if let Some(response) = pydantic_ai_messages(outputs) {
        return response;
    }
    // LangGraph's state (the whole conversation so far, which [`conversation_messages`] trims to what is new)
    // and the Vercel AI SDK's {"response": {"messages": […]}}.
    if let Some(Value::Array(items)) = outputs.get("messages").or_else(|| outputs.get("response")?.get("messages")) {
        return message_list(items);
    }
    // OpenAI chat completions: choices[].message.
    if let Some(choices) = outputs.get("choices").and_then(Value::as_array) {
        return choices.iter().filter_map(|choice| parse_message(choice.get("message")?)).collect();
    }
    // Gemini: candidates[].content.
    if let Some(candidates) = outputs.get("candidates").and_then(Value::as_array) {
        return candidates.iter().filter_map(|candidate| parse_message(candidate.get("content")?)).collect();
    }
    // OpenAI responses: output[] items.
    if let Some(items) = outputs.get("output").and_then(Value::as_array) {
        return message_list(items);
    }
    // Bedrock converse: output.message.
    if let Some(message) = outputs.get("output").and_then(|output| output.get("message")) {
        return parse_message(message).into_iter().collect();
    }
    // LangChain LLMResult / ChatResult: generations[[{message | text}]].
    if let Some(generations) = outputs.get("generations").and_then(Value::as_array) {
        return generations
            .iter()
            .flat_map(|group| group.as_array().cloned().unwrap_or_else(|| vec![group.clone()]))
            .filter_map(|generation| match generation.get("message") {
                Some(message) => parse_message(message),
                None => Some(message("assistant", vec![ChatPart::Text(generation.get("text")?.as_str()?.to_string())])),
            })
            .collect();
    }
    // LlamaIndex ChatResponse and Ollama: {"message": {…}}; Pydantic AI: the run's new messages.
    if let Some(message) = outputs.get("message").and_then(parse_message) {
        return vec![message];
    }
    if let Some(Value::Array(items)) = outputs.get("_new_messages_serialized") {
        return message_list(items);
    }
    // AutoGen's CreateResult: {"content", "finish_reason", "thought"?}.
    if let (Some(content), true) = (outputs.get("content"), outputs.get("finish_reason").is_some() && outputs.get("role").is_none()) {
        let mut parts = reasoning_parts(outputs, &["thought"]);
        parts.extend(content_parts(content));
        return vec![message("assistant", parts)];
    }
    // Vercel AI SDK results: {"text", "toolCalls"?, "reasoning"?}.
    if let Some(text) =
        outputs.get("text").and_then(Value::as_str).filter(|_| outputs.get("role").is_none() && outputs.get("type").is_none())
    {
        let mut parts = reasoning_parts(outputs, &["reasoningText", "reasoning"]);
        parts.extend((!text.is_empty()).then(|| ChatPart::Text(text.to_string())));
        parts.extend(outputs.get("toolCalls").and_then(Value::as_array).into_iter().flatten().map(vercel_tool_call));
        return vec![message("assistant", parts)];
    }
    match outputs {
        Value::Array(items) => {
            let messages = message_list(items);
            // Strands' content blocks and DSPy's completions are one answer's parts, not messages.
            if messages.is_empty() && items.iter().all(|item| item.is_string() || is_part(item)) {
                return vec![message("assistant", items.iter().map(parse_part).collect())];
            }
            messages
        }
        Value::Object(_) => parse_message(outputs).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A Vercel AI SDK tool call, `{"toolCallId", "toolName", "input" | "args"}` (typed `tool-call` in messages,
/// untyped in a result's `toolCalls`).
fn vercel_tool_call(call: &Value) -> ChatPart {
    ChatPart::ToolCall {
        id: text_of(call.get("toolCallId")),
        name: text_of(call.get("toolName")).unwrap_or_default(),
        arguments: parse_arguments(call.get("input").or_else(|| call.get("args"))),
    }
}

/// A content block without a message around it: Bedrock's and Strands' keyed blocks, typed parts.
fn is_part(value: &Value) -> bool {
    value.as_object().is_some_and(|object| {
        ["text", "toolUse", "toolResult", "reasoningContent", "image", "document"].iter().any(|key| object.contains_key(*key))
            || object.get("type").and_then(Value::as_str).is_some_and(|kind| !kind.is_empty())
    })
}

/// Reasoning a message or result keeps beside its content, under one of `keys`.
fn reasoning_parts(object: &Value, keys: &[&str]) -> Vec<ChatPart> {
    keys.iter()
        .filter_map(|key| object.get(key)?.as_str().filter(|text| !text.is_empty()))
        .map(|text| ChatPart::Reasoning(text.to_string()))
        .collect()
}

/// A list of messages; LangChain batches (`[[message, …]]`) are flattened, and Pydantic AI's requests and
/// responses and Agno's combined tool results become a message per part.
pub(super) fn message_list(items: &[Value]) -> Vec<ChatMessage> {
    let mut messages = Vec::new();
    for item in items {
        match item {
            Value::Array(batch) => messages.extend(batch.iter().filter_map(parse_message)),
            other => match pydantic_ai_messages(other).or_else(|| agno_tool_results(other)) {
                Some(expanded) => messages.extend(expanded),
                None => messages.extend(parse_message(other)),
            },
        }
    }
    messages
}

/// Pydantic AI's `{"kind": "request" | "response", "parts": [{"part_kind", …}]}`: a request's parts are
/// separate messages (system prompt, user prompt, tool returns, retries), a response is one assistant message.
fn pydantic_ai_messages(item: &Value) -> Option<Vec<ChatMessage>> {
    let kind = item.get("kind")?.as_str()?;
    let parts = item.get("parts")?.as_array()?;
    let field = |part: &Value, key: &str| part.get(key).cloned().unwrap_or(Value::Null);
    match kind {
        "request" => Some(
            parts
                .iter()
                .filter_map(|part| {
                    let content = field(part, "content");
                    Some(match part.get("part_kind")?.as_str()? {
                        "system-prompt" => message("system", content_parts(&content)),
                        "user-prompt" => message("user", content_parts(&content)),
                        kind @ ("tool-return" | "builtin-tool-return" | "retry-prompt") => {
                            let id = text_of(part.get("tool_call_id"));
                            let failed = kind == "retry-prompt";
                            let result = ChatPart::ToolResult { id: id.clone(), name: text_of(part.get("tool_name")), content, failed };
                            ChatMessage { tool_call_id: id, ..message("tool", vec![result]) }
                        }
                        _ => return None,
                    })
                })
                .collect(),
        ),
        "response" => {
            let parts = parts
                .iter()
                .filter_map(|part| {
                    Some(match part.get("part_kind")?.as_str()? {
                        "text" => ChatPart::Text(part.get("content")?.as_str()?.to_string()),
                        "thinking" => ChatPart::Reasoning(part.get("content")?.as_str()?.to_string()),
                        "tool-call" | "builtin-tool-call" => ChatPart::ToolCall {
                            id: text_of(part.get("tool_call_id")),
                            name: text_of(part.get("tool_name")).unwrap_or_default(),
                            arguments: parse_arguments(part.get("args")),
                        },
                        _ => ChatPart::Other(part.clone()),
                    })
                })
                .collect();
            Some(vec![message("assistant", parts)])
        }
        _ => None,
    }
}

/// Agno's combined tool message: `{"role": "tool", "tool_calls": [{"tool_call_id", "tool_name", "content"}]}`,
/// one result per call.
fn agno_tool_results(item: &Value) -> Option<Vec<ChatMessage>> {
    if item.get("role")?.as_str()? != "tool" {
        return None;
    }
    let results: Vec<ChatMessage> = item
        .get("tool_calls")?
        .as_array()?
        .iter()
        .filter(|call| call.get("tool_call_id").is_some() && call.get("tool_name").is_some())
        .map(|call| {
            let id = text_of(call.get("tool_call_id"));
            let name = text_of(call.get("tool_name"));
            let result = ChatPart::ToolResult {
                id: id.clone(),
                name: name.clone(),
                content: call.get("content").cloned().unwrap_or(Value::Null),
                failed: false,
            };
            ChatMessage { tool_call_id: id, name, ..message("tool", vec![result]) }
        })
        .collect();
    (!results.is_empty()).then_some(results)
}

fn message(role: &str, parts: Vec<ChatPart>) -> ChatMessage {
    ChatMessage { role: role.to_string(), parts, tool_call_id: None, name: None, is_output: false }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    value?.as_str().map(str::to_string)
}

/// One message in any of the recognised shapes; None when the value is not a message.
pub(super) fn parse_message(value: &Value) -> Option<ChatMessage> {
    let object = value.as_object()?;
    // LangChain's serialised form: {"lc": 1, "type": "constructor", "id": [..., "HumanMessage"], "kwargs": {...}}.
    if let (Some(kwargs), Some(id)) = (object.get("kwargs"), object.get("id").and_then(Value::as_array)) {
        let class = id.last().and_then(Value::as_str).unwrap_or_default();
        let role = class.trim_end_matches("MessageChunk").trim_end_matches("Message");
        let mut kwargs = kwargs.clone();
        if let Some(kwargs) = kwargs.as_object_mut() {
            kwargs.insert("type".into(), Value::String(role.to_ascii_lowercase()));
        }
        return parse_message(&kwargs);
    }
    let kind = object.get("type").and_then(Value::as_str);
    // OpenAI responses items that are not messages.
    match kind {
        Some("function_call") | Some("custom_tool_call") => {
            let call = ChatPart::ToolCall {
                id: text_of(object.get("call_id")),
                name: text_of(object.get("name")).unwrap_or_default(),
                arguments: parse_arguments(object.get("arguments").or_else(|| object.get("input"))),
            };
            return Some(message("assistant", vec![call]));
        }
        Some("function_call_output") | Some("custom_tool_call_output") => {
            let id = text_of(object.get("call_id"));
            let result = ChatPart::ToolResult {
                id: id.clone(),
                name: None,
                content: object.get("output").cloned().unwrap_or(Value::Null),
                failed: false,
            };
            return Some(ChatMessage { tool_call_id: id, ..message("tool", vec![result]) });
        }
        Some("reasoning") if !object.contains_key("role") => {
            let text = reasoning_text(value);
            return Some(message("assistant", vec![ChatPart::Reasoning(text)]));
        }
        _ => {}
    }
    // AutoGen's agentchat messages name who spoke in `source` ("user" or an agent).
    let source = object.get("source").and_then(Value::as_str);
    let role = match object.get("role").and_then(Value::as_str).or(kind)? {
        "TextMessage" | "MultiModalMessage" if source == Some("user") => "user",
        "TextMessage"
        | "MultiModalMessage"
        | "ToolCallRequestEvent"
        | "ToolCallSummaryMessage"
        | "ThoughtEvent"
        | "HandoffMessage"
        | "StopMessage" => "assistant",
        "ToolCallExecutionEvent" => "tool",
        "human" | "Human" | "HumanMessage" | "UserMessage" => "user",
        "ai" | "AI" | "AIMessage" | "AssistantMessage" | "model" | "bot" | "chatbot" | "tool-call" => "assistant",
        "SystemMessage" => "system",
        "ToolMessage" | "function" | "FunctionMessage" | "FunctionExecutionResultMessage" | "tool-response" => "tool",
        "message" => "assistant",
        other => other,
    }
    .to_string();
    // LlamaIndex keeps content in `blocks` and calls in `additional_kwargs`.
    let extra = object.get("additional_kwargs");
    let content = object.get("content").or_else(|| object.get("parts")).or_else(|| object.get("blocks"));
    let calls = object.get("tool_calls").or_else(|| extra?.get("tool_calls")).and_then(Value::as_array);
    let has_calls = calls.is_some() || object.contains_key("function_call");
    if content.is_none() && !has_calls && !object.contains_key("audio") {
        return None;
    }
    // Reasoning beside the content: LiteLLM and DeepSeek `reasoning_content`, Groq `reasoning`, Ollama
    // `thinking`, AutoGen `thought`.
    let mut parts = reasoning_parts(value, &["reasoning_content", "reasoning", "thinking", "thought"]);
    let tool_call_id = text_of(object.get("tool_call_id")).or_else(|| text_of(extra?.get("tool_call_id")));
    // The tool's name (Agno `tool_name`), or the agent that spoke (AutoGen `source`, when it names one).
    let name = text_of(object.get("name")).or_else(|| text_of(object.get("tool_name"))).or_else(|| {
        text_of(object.get("source")).filter(|source| !matches!(source.as_str(), "user" | "assistant" | "system" | "function"))
    });
    match content {
        // A tool's answer keeps its structure: it is shown as the result of the call.
        Some(content) if role == "tool" && tool_call_id.is_some() => {
            // LangChain marks a failed tool's message `status: "error"`.
            let failed = object.get("status").and_then(Value::as_str) == Some("error");
            parts.push(ChatPart::ToolResult { id: tool_call_id.clone(), name: name.clone(), content: content.clone(), failed })
        }
        Some(content) => parts.extend(content_parts(content)),
        None => {}
    }
    if let Some(audio) = object.get("audio").and_then(Value::as_object) {
        parts.extend(audio_output(audio));
    }
    for call in calls.into_iter().flatten() {
        parts.push(tool_call(call));
    }
    if let Some(call) = object.get("function_call").filter(|call| call.is_object()) {
        parts.push(tool_call(call));
    }
    // Anthropic returns tool results in a user message: a message of nothing else is the tools' answer.
    let role = match role.as_str() {
        "user" if !parts.is_empty() && parts.iter().all(|part| matches!(part, ChatPart::ToolResult { .. })) => "tool".to_string(),
        _ => role,
    };
    Some(ChatMessage { role, parts, tool_call_id, name, is_output: false })
}

/// A message's content: a string, a list of parts, or one part.
fn content_parts(content: &Value) -> Vec<ChatPart> {
    match content {
        Value::Null => Vec::new(),
        Value::String(text) => vec![ChatPart::Text(text.clone())],
        Value::Array(items) => items.iter().map(parse_part).collect(),
        // Gemini's system_instruction is a content ({parts: […]}).
        Value::Object(object) if object.contains_key("parts") => content_parts(&object["parts"]),
        other => vec![parse_part(other)],
    }
}

fn parse_part(part: &Value) -> ChatPart {
    let Some(object) = part.as_object() else {
        return match part {
            Value::String(text) => ChatPart::Text(text.clone()),
            other => ChatPart::Other(other.clone()),
        };
    };
    let get = |key: &str| object.get(key);
    // LlamaIndex names a block's kind `block_type`.
    let kind = get("type").or_else(|| get("block_type")).and_then(Value::as_str).unwrap_or_default();
    match kind {
        "text" | "input_text" | "output_text" => {
            if let Some(text) = get("text").or_else(|| get("content")).and_then(Value::as_str) {
                return ChatPart::Text(text.to_string());
            }
        }
        "thinking" | "reasoning" | "redacted_thinking" => return ChatPart::Reasoning(reasoning_text(part)),
        "refusal" => return ChatPart::Text(text_of(get("refusal")).unwrap_or_default()),
        // LlamaIndex's ToolCallBlock names them `tool_call_id`, `tool_name` and `tool_kwargs`.
        "tool_use" | "tool_call" | "function_call" => {
            return ChatPart::ToolCall {
                id: text_of(get("id")).or_else(|| text_of(get("call_id"))).or_else(|| text_of(get("tool_call_id"))),
                name: text_of(get("name")).or_else(|| text_of(get("tool_name"))).unwrap_or_default(),
                arguments: parse_arguments(get("input").or_else(|| get("arguments")).or_else(|| get("tool_kwargs"))),
            }
        }
        "tool_result" | "tool_call_response" | "function_call_output" => {
            return ChatPart::ToolResult {
                id: text_of(get("tool_use_id")).or_else(|| text_of(get("id"))).or_else(|| text_of(get("call_id"))),
                name: None,
                content: get("content")
                    .or_else(|| get("response"))
                    .or_else(|| get("result"))
                    .or_else(|| get("output"))
                    .cloned()
                    .unwrap_or(Value::Null),
                failed: get("is_error").and_then(Value::as_bool).unwrap_or(false),
            }
        }
        // Vercel AI SDK and VoltAgent: {"type": "tool-call", "toolCallId", "toolName", "input" | "args"}.
        "tool-call" => return vercel_tool_call(part),
        // … and {"type": "tool-result", "output" | "result"}, an output typed `{"type": "json", "value"}`.
        "tool-result" => {
            let output = get("output").or_else(|| get("result")).cloned().unwrap_or(Value::Null);
            let content = match output.get("value") {
                Some(value) if output.get("type").is_some() => value.clone(),
                _ => output,
            };
            return ChatPart::ToolResult { id: text_of(get("toolCallId")), name: text_of(get("toolName")), content, failed: false };
        }
        _ => {}
    }
    // AutoGen's FunctionCall {"id", "name", "arguments"} and FunctionExecutionResult {"call_id", "content"}.
    if kind.is_empty() && get("arguments").is_some() {
        if let Some(name) = text_of(get("name")) {
            return ChatPart::ToolCall { id: text_of(get("id")), name, arguments: parse_arguments(get("arguments")) };
        }
    }
    if kind.is_empty() && get("call_id").is_some() && get("content").is_some() {
        return ChatPart::ToolResult {
            id: text_of(get("call_id")),
            name: text_of(get("name")),
            content: get("content").cloned().unwrap_or(Value::Null),
            // AutoGen's FunctionExecutionResult says `is_error`.
            failed: get("is_error").and_then(Value::as_bool).unwrap_or(false),
        };
    }
    if let Some(media) = media_part(object, kind) {
        return ChatPart::Media(media);
    }
    // Gemini parts and Bedrock content blocks have no type: they are named by their key.
    if let Some(text) = get("text").and_then(Value::as_str) {
        let thought = get("thought").and_then(Value::as_bool).unwrap_or(false);
        return if thought { ChatPart::Reasoning(text.to_string()) } else { ChatPart::Text(text.to_string()) };
    }
    if let Some(call) = get("function_call").or_else(|| get("functionCall")) {
        return ChatPart::ToolCall {
            id: text_of(call.get("id")),
            name: text_of(call.get("name")).unwrap_or_default(),
            arguments: call.get("args").cloned().unwrap_or(Value::Null),
        };
    }
    if let Some(response) = get("function_response").or_else(|| get("functionResponse")) {
        return ChatPart::ToolResult {
            id: text_of(response.get("id")),
            name: text_of(response.get("name")),
            content: response.get("response").cloned().unwrap_or(Value::Null),
            failed: false,
        };
    }
    if let Some(call) = get("toolUse") {
        return ChatPart::ToolCall {
            id: text_of(call.get("toolUseId")),
            name: text_of(call.get("name")).unwrap_or_default(),
            arguments: call.get("input").cloned().unwrap_or(Value::Null),
        };
    }
    if let Some(result) = get("toolResult") {
        return ChatPart::ToolResult {
            id: text_of(result.get("toolUseId")),
            name: None,
            content: result.get("content").map(blocks_as_text).unwrap_or(Value::Null),
            // Bedrock's and Strands' toolResult says `"status": "error"`.
            failed: result.get("status").and_then(Value::as_str) == Some("error"),
        };
    }
    if let Some(text) = get("reasoningContent").and_then(|r| r.get("reasoningText")).and_then(|r| r.get("text")).and_then(Value::as_str) {
        return ChatPart::Reasoning(text.to_string());
    }
    ChatPart::Other(part.clone())
}

/// Images, audio and documents in each provider's part shape.
fn media_part(object: &Map<String, Value>, kind: &str) -> Option<Media> {
    let get = |key: &str| object.get(key);
    let string = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_string);
    match kind {
        // OpenAI chat: {"type": "image_url", "image_url": {"url"}} (or a bare string); responses: input_image.
        "image_url" | "input_image" => {
            let url = get("image_url").and_then(|u| string(u.get("url")).or_else(|| string(Some(u)))).or_else(|| string(get("url")))?;
            return Some(Media::from_url(url, None, MediaKind::Image));
        }
        // OpenAI chat: {"type": "input_audio", "input_audio": {"data", "format"}}.
        "input_audio" => {
            let audio = get("input_audio")?;
            let format = string(audio.get("format")).unwrap_or_else(|| "wav".into());
            return Some(Media::from_base64(string(audio.get("data"))?, format!("audio/{format}"), MediaKind::Audio));
        }
        // OpenAI chat files: {"type": "file", "file": {"file_data": "data:…", "filename"}}; Vercel AI SDK files:
        // {"type": "file", "data", "mediaType"}.
        "file" | "input_file" => {
            let file = get("file").unwrap_or(&Value::Null);
            if let Some(url) = string(file.get("file_data")).or_else(|| string(get("file_data"))).or_else(|| string(get("file_url"))) {
                return Some(Media::from_url(url, None, MediaKind::Document));
            }
            let mime = string(get("mediaType")).or_else(|| string(get("mimeType")))?;
            let kind = MediaKind::of(&mime).unwrap_or(MediaKind::Document);
            return Some(Media::from_base64(string(get("data"))?, mime, kind));
        }
        _ => {}
    }
    // Vercel AI SDK images: {"type": "image", "image": URL or base64, "mediaType"?}; LlamaIndex image blocks:
    // {"block_type": "image", "image": base64 | null, "url", "image_mimetype"}.
    if kind == "image" {
        let mime = string(get("mediaType")).or_else(|| string(get("image_mimetype")));
        if let Some(image) = string(get("image")) {
            return Some(Media::from_base64(image, mime.unwrap_or_else(|| "image/png".into()), MediaKind::Image));
        }
    }
    // Anthropic: {"type": "image"|"document", "source": {"type": "base64", "media_type", "data"} | {"type": "url", "url"}}.
    if let Some(source) = get("source").and_then(Value::as_object) {
        let fallback = if kind == "document" { MediaKind::Document } else { MediaKind::Image };
        let mime = string(source.get("media_type"));
        if let Some(data) = string(source.get("data")).filter(|_| source.get("type").and_then(Value::as_str) == Some("base64")) {
            let mime = mime.unwrap_or_else(|| "application/octet-stream".into());
            let kind = MediaKind::of(&mime).unwrap_or(fallback);
            return Some(Media::from_base64(data, mime, kind));
        }
        if let Some(url) = string(source.get("url")) {
            return Some(Media::from_url(url, mime, fallback));
        }
        // Bedrock: {"image": {"format": "png", "source": {"bytes": …}}} arrives here through the outer key below.
    }
    // LangChain standard blocks: {"type": "image"|"audio"|"file", "source_type": "base64"|"url", "data"|"url", "mime_type"}.
    if matches!(kind, "image" | "audio") {
        let fallback = if kind == "audio" { MediaKind::Audio } else { MediaKind::Image };
        let mime = string(get("mime_type"));
        if let Some(data) = string(get("data")).or_else(|| string(get("base64"))) {
            let mime = mime.unwrap_or_else(|| if kind == "audio" { "audio/wav".into() } else { "image/png".into() });
            return Some(Media::from_base64(data, mime, fallback));
        }
        if let Some(url) = string(get("url")) {
            return Some(Media::from_url(url, mime, fallback));
        }
    }
    // OTel gen_ai parts: {"type": "blob", "mime_type", "content"} and {"type": "uri", "uri", "mime_type"}.
    if kind == "blob" {
        let mime = string(get("mime_type")).unwrap_or_else(|| "application/octet-stream".into());
        let kind = MediaKind::of(&mime).unwrap_or(MediaKind::Document);
        return Some(Media::from_base64(string(get("content"))?, mime, kind));
    }
    if kind == "uri" {
        let mime = string(get("mime_type"));
        let kind = mime.as_deref().and_then(MediaKind::of).unwrap_or(MediaKind::Image);
        return Some(Media::from_url(string(get("uri"))?, mime, kind));
    }
    // Gemini: {"inline_data": {"mime_type", "data"}} and {"file_data": {"mime_type", "file_uri"}} (or camelCase).
    if let Some(inline) = get("inline_data").or_else(|| get("inlineData")) {
        let mime =
            string(inline.get("mime_type")).or_else(|| string(inline.get("mimeType"))).unwrap_or_else(|| "application/octet-stream".into());
        let kind = MediaKind::of(&mime).unwrap_or(MediaKind::Document);
        return Some(Media::from_base64(string(inline.get("data"))?, mime, kind));
    }
    if let Some(file) = get("file_data").or_else(|| get("fileData")).filter(|file| file.is_object()) {
        let mime = string(file.get("mime_type")).or_else(|| string(file.get("mimeType")));
        let kind = mime.as_deref().and_then(MediaKind::of).unwrap_or(MediaKind::Document);
        let uri = string(file.get("file_uri")).or_else(|| string(file.get("fileUri")))?;
        return Some(Media::from_url(uri, mime, kind));
    }
    // Bedrock converse: {"image": {"format": "png", "source": {"bytes": base64}}}, likewise "document".
    for (key, kind, family) in [("image", MediaKind::Image, "image"), ("document", MediaKind::Document, "application")] {
        if let Some(block) = get(key).and_then(Value::as_object) {
            let format = string(block.get("format")).unwrap_or_default();
            let bytes = string(block.get("source").and_then(|source| source.get("bytes")))?;
            return Some(Media::from_base64(bytes, format!("{family}/{format}"), kind));
        }
    }
    None
}

/// DSPy's prompts and completions mark fields with lines `[[ ## name ## ]]`: each becomes a heading
/// (`#### Name`), and the closing `[[ ## completed ## ]]` is dropped. Markers inside a line stay as they are.
fn dspy_sections(part: &mut ChatPart) {
    let ChatPart::Text(text) = part else { return };
    if !text.contains("[[") {
        return;
    }
    let lines: Vec<String> = text
        .lines()
        .filter_map(|line| match dspy_marker(line) {
            Some(name) if name.eq_ignore_ascii_case("completed") => None,
            Some(name) => Some(format!("#### {}", title_case(name))),
            None => Some(line.to_string()),
        })
        .collect();
    *text = lines.join("\n");
}

/// `[[ ## answer ## ]]` → `answer`.
fn dspy_marker(line: &str) -> Option<&str> {
    line.trim().strip_prefix("[[")?.strip_suffix("]]")?.trim().strip_prefix("##")?.strip_suffix("##").map(str::trim)
}

/// `tool_name_0` → `Tool Name 0`.
fn title_case(name: &str) -> String {
    name.split(['_', ' '])
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// OpenAI's assistant audio output: {"data", "transcript", "format"?}.
fn audio_output(audio: &Map<String, Value>) -> Vec<ChatPart> {
    let mut parts = Vec::new();
    if let Some(data) = audio.get("data").and_then(Value::as_str) {
        let format = audio.get("format").and_then(Value::as_str).unwrap_or("wav");
        parts.push(ChatPart::Media(Media::from_base64(data.to_string(), format!("audio/{format}"), MediaKind::Audio)));
    }
    if let Some(transcript) = audio.get("transcript").and_then(Value::as_str) {
        parts.push(ChatPart::Text(transcript.to_string()));
    }
    parts
}

/// A tool call in OpenAI's (`{id, function: {name, arguments}}`), LangChain's (`{id, name, args}`) or the
/// legacy `function_call` shape.
fn tool_call(call: &Value) -> ChatPart {
    let function = call.get("function").unwrap_or(call);
    ChatPart::ToolCall {
        id: text_of(call.get("id")),
        name: text_of(function.get("name")).unwrap_or_default(),
        arguments: parse_arguments(function.get("arguments").or_else(|| call.get("args"))),
    }
}

/// Arguments often arrive as JSON text: show their structure when they parse.
fn parse_arguments(arguments: Option<&Value>) -> Value {
    match arguments {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
        Some(other) => other.clone(),
        None => Value::Null,
    }
}

fn reasoning_text(part: &Value) -> String {
    if let Some(text) = ["thinking", "text", "content", "reasoning"].iter().find_map(|key| part.get(key)?.as_str()) {
        return text.to_string();
    }
    // OpenAI responses: {"type": "reasoning", "summary": [{"text"}]}.
    if let Some(summary) = part.get("summary").and_then(Value::as_array) {
        return summary.iter().filter_map(|item| item.get("text")?.as_str()).collect::<Vec<_>>().join("\n\n");
    }
    if part.get("type").and_then(Value::as_str) == Some("redacted_thinking") {
        return "(redacted)".into();
    }
    String::new()
}

/// Tool definitions in OpenAI chat (`{type: function, function: {…}}`), OpenAI responses and Anthropic
/// (`{name, description, parameters | input_schema}`) or Gemini (`{function_declarations: […]}`) shape.
fn tool_definitions(tools: &Value) -> Vec<ToolDefinition> {
    let tools = match tools {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    };
    let mut definitions = Vec::new();
    for tool in tools.as_array().into_iter().flatten() {
        let declarations = tool.get("function_declarations").or_else(|| tool.get("functionDeclarations"));
        let functions: Vec<&Value> = match declarations.and_then(Value::as_array) {
            Some(list) => list.iter().collect(),
            None => vec![tool.get("function").or_else(|| tool.get("toolSpec")).unwrap_or(tool)],
        };
        for function in functions {
            let Some(name) = text_of(function.get("name")) else { continue };
            definitions.push(ToolDefinition {
                name,
                description: text_of(function.get("description")),
                parameters: ["parameters", "input_schema", "inputSchema"].iter().find_map(|key| function.get(key)).cloned(),
            });
        }
    }
    definitions
}

impl Media {
    fn from_url(url: String, mime: Option<String>, fallback: MediaKind) -> Media {
        // A data URL's own type is what a browser will treat its bytes as: a declared type never overrides it
        // (`"application/pdf"` beside `data:text/html,…` must not make a page look like a PDF).
        let mime = data_url_mime(&url).or(mime).or_else(|| attachment_mime(&url));
        let kind = mime.as_deref().and_then(MediaKind::of).unwrap_or(fallback);
        Media { url, mime, kind }
    }

    fn from_base64(data: String, mime: String, kind: MediaKind) -> Media {
        // Some SDKs put a whole data URL where the base64 belongs, and MLflow's attachment extraction puts
        // its reference there.
        if ["data:", "mlflow-attachment://", "https://", "http://"].iter().any(|scheme| data.starts_with(scheme)) {
            return Media::from_url(data, Some(mime), kind);
        }
        Media { url: format!("data:{mime};base64,{data}"), mime: Some(mime), kind }
    }
}

/// Where a media value's bytes are, which decides how (and whether) it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaSource {
    /// Inline `data:` URL; `bytes` is the decoded size.
    Data { bytes: u64 },
    /// An http(s) URL.
    Web,
    /// An MLflow attachment stored beside the trace: fetched with get-trace-artifact.
    Attachment { id: String, trace_id: Option<String>, bytes: Option<u64> },
    /// Any other scheme (`gs://`, `file:`, `javascript:`, …): never followed.
    Other,
}

impl Media {
    /// A string found anywhere in a payload that is itself a media reference: a `data:` URL of an image,
    /// audio or document, or an `mlflow-attachment://` reference.
    pub fn from_text(text: &str) -> Option<Media> {
        let mime = data_url_mime(text).or_else(|| attachment_mime(text))?;
        let kind = MediaKind::of(&mime)?;
        Some(Media { url: text.to_string(), mime: Some(mime), kind })
    }

    pub fn source(&self) -> MediaSource {
        let url = self.url.as_str();
        if let Some(rest) = url.strip_prefix("data:") {
            let (header, payload) = rest.split_once(',').unwrap_or((rest, ""));
            let bytes = if header.ends_with(";base64") { payload.len() as u64 * 3 / 4 } else { payload.len() as u64 };
            return MediaSource::Data { bytes };
        }
        if let Some(rest) = url.strip_prefix("mlflow-attachment://") {
            let (id, query) = rest.split_once('?').unwrap_or((rest, ""));
            let param = |name: &str| query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')).map(str::to_string);
            return MediaSource::Attachment {
                id: id.to_string(),
                trace_id: param("trace_id"),
                bytes: param("size").and_then(|s| s.parse().ok()),
            };
        }
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            MediaSource::Web
        } else {
            MediaSource::Other
        }
    }

    /// The size in bytes, when the reference tells it (inline data, or an attachment's `size`).
    pub fn byte_size(&self) -> Option<u64> {
        match self.source() {
            MediaSource::Data { bytes } => Some(bytes),
            MediaSource::Attachment { bytes, .. } => bytes,
            MediaSource::Web | MediaSource::Other => None,
        }
    }

    /// True for SVG, which can carry script and is therefore never rendered as an image.
    pub fn is_svg(&self) -> bool {
        self.mime.as_deref().is_some_and(|mime| mime.to_ascii_lowercase().contains("svg"))
            || self.url.to_ascii_lowercase().split('?').next().is_some_and(|path| path.ends_with(".svg"))
    }

    /// The bytes of a `data:` URL (base64 or percent-encoded).
    pub fn data_bytes(&self) -> Option<Vec<u8>> {
        let rest = self.url.strip_prefix("data:")?;
        let (header, payload) = rest.split_once(',')?;
        if header.ends_with(";base64") {
            super::ids::decode_base64(payload)
        } else {
            Some(crate::location::decode_component(payload).into_bytes())
        }
    }

    /// The text of a `data:` URL, for showing an SVG as text.
    pub fn data_text(&self) -> Option<String> {
        self.data_bytes().map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The extension a download of this media is saved with: one of a few known harmless ones for its type,
    /// else `bin` (a trace must not make the user save `document.hta` or `image.exe`).
    pub fn file_extension(&self) -> &'static str {
        let mime = self.mime.as_deref().unwrap_or_default().to_ascii_lowercase();
        let subtype = mime.split(';').next().unwrap_or_default().trim();
        match subtype {
            "image/png" => "png",
            "image/jpeg" | "image/jpg" => "jpg",
            "image/gif" => "gif",
            "image/webp" => "webp",
            "image/svg+xml" => "svg",
            "audio/wav" | "audio/x-wav" | "audio/wave" => "wav",
            "audio/mpeg" | "audio/mp3" => "mp3",
            "audio/ogg" => "ogg",
            "audio/webm" => "webm",
            "audio/flac" => "flac",
            "application/pdf" => "pdf",
            "text/plain" => "txt",
            "text/csv" => "csv",
            "text/markdown" => "md",
            "application/json" => "json",
            _ => "bin",
        }
    }

    /// Whether `bytes` of this media may be previewed as a PDF: it says it is one, and the bytes begin as
    /// every PDF does. Anything else is only offered for download.
    pub fn is_pdf(&self, bytes: &[u8]) -> bool {
        self.mime.as_deref().is_some_and(|mime| mime.eq_ignore_ascii_case("application/pdf")) && bytes.starts_with(b"%PDF-")
    }
}

impl MediaKind {
    pub fn of(mime: &str) -> Option<MediaKind> {
        let mime = mime.to_ascii_lowercase();
        if mime.starts_with("image/") {
            Some(MediaKind::Image)
        } else if mime.starts_with("audio/") {
            Some(MediaKind::Audio)
        } else if mime.starts_with("application/") || mime.starts_with("text/") {
            Some(MediaKind::Document)
        } else {
            None
        }
    }
}

/// `data:image/png;base64,…` → `image/png`.
pub fn data_url_mime(url: &str) -> Option<String> {
    let rest = url.strip_prefix("data:")?;
    let end = rest.find([';', ','])?;
    Some(rest[..end].to_ascii_lowercase()).filter(|mime| !mime.is_empty())
}

/// `mlflow-attachment://<id>?content_type=image%2Fpng&…` → `image/png`.
pub fn attachment_mime(url: &str) -> Option<String> {
    let query = url.strip_prefix("mlflow-attachment://")?.split_once('?')?.1;
    let value = query.split('&').find_map(|pair| pair.strip_prefix("content_type="))?;
    Some(crate::location::decode_component(value))
}
