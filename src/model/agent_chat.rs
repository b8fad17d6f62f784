//! The conversation of an agent whose framework logs it as child spans instead of in the agent span's own
//! inputs and outputs: Strands, Agno and VoltAgent (their spans carry `mlflow.message.format`). The agent's
//! prompt comes first (with the system prompt of its first model call when it has none of its own), then, in
//! the order they ran, each model call's answer and each tool's call and result, then the agent's answer.

use super::chat::{conversation, input_messages, json_text, output_messages, ChatMessage, ChatPart, Conversation};
use super::{Span, SpanTree, SpanType};
use crate::sorting::sort_by_key;
use serde_json::Value;

/// `mlflow.message.format` values of the frameworks whose agent conversations are assembled.
const ASSEMBLED_FORMATS: [&str; 3] = ["strands", "agno", "voltagent"];

/// The chat of `spans[index]`: assembled from its descendants for an agent of the frameworks above, else read
/// from the span alone ([`conversation`]).
pub fn span_conversation(spans: &[Span], index: usize) -> Option<Conversation> {
    let span = spans.get(index)?;
    let assembled_format =
        span.attribute("mlflow.message.format").and_then(Value::as_str).is_some_and(|format| ASSEMBLED_FORMATS.contains(&format));
    let is_step = is_model(span) || span.span_type == SpanType::Tool;
    if assembled_format && !is_step {
        if let Some(assembled) = assemble(spans, index) {
            return Some(assembled);
        }
    }
    conversation(span)
}

fn is_model(span: &Span) -> bool {
    matches!(span.span_type, SpanType::Llm | SpanType::ChatModel)
}

fn assemble(spans: &[Span], agent: usize) -> Option<Conversation> {
    let steps = steps_of(spans, agent);
    if steps.is_empty() {
        return None;
    }
    let span = &spans[agent];
    let mut messages = match span.inputs.as_ref().map(json_text).as_deref() {
        Some(Value::String(prompt)) => vec![text_message("user", prompt.clone())],
        Some(inputs) => input_messages(inputs, true),
        None => Vec::new(),
    };
    let first_model = steps.iter().map(|&i| &spans[i]).find(|step| is_model(step));
    let first_call = first_model.and_then(conversation);
    if !messages.iter().any(|message| message.role == "system") {
        let system = first_call.iter().flat_map(|call| &call.messages).filter(|message| message.role == "system" && !message.is_output);
        messages.splice(0..0, system.cloned());
    }
    for step in steps.iter().map(|&i| &spans[i]) {
        if is_model(step) {
            let answers = step.outputs.as_ref().map(|outputs| output_messages(&json_text(outputs))).unwrap_or_default();
            messages.extend(answers.into_iter().filter(|message| message.role == "assistant"));
        } else {
            tool_step(step, &mut messages);
        }
    }
    let answer = match span.outputs.as_ref().map(json_text).as_deref() {
        Some(Value::String(text)) if !text.trim().is_empty() => vec![text_message("assistant", text.clone())],
        Some(outputs) => output_messages(outputs),
        None => Vec::new(),
    };
    let last_text = messages.iter().rev().find(|message| message.role == "assistant").map(|message| message.parts.clone());
    for message in answer {
        if Some(&message.parts) != last_text.as_ref() {
            messages.push(ChatMessage { is_output: true, ..message });
        }
    }
    Some(Conversation { messages, tools: first_call.map(|call| call.tools).unwrap_or_default() })
}

/// A tool's call (unless a model's answer already asked for it) and its result.
fn tool_step(tool: &Span, messages: &mut Vec<ChatMessage>) {
    let attribute = |keys: &[&str]| keys.iter().find_map(|key| tool.attribute(key)?.as_str().map(str::to_string));
    let name = attribute(&["tool.name", "gen_ai.tool.name"]).unwrap_or_else(|| tool.name.clone());
    let id = match attribute(&["gen_ai.tool.call.id", "tool.call.id"]) {
        Some(id) => Some(id),
        // Agno's tool spans carry no call id: the model's latest unanswered call of this tool is the one.
        None => unanswered_call(messages, &name).flatten(),
    };
    let asked = messages
        .iter()
        .flat_map(|message| &message.parts)
        .any(|part| matches!(part, ChatPart::ToolCall { id: called, .. } if called.is_some() && *called == id));
    if !asked {
        let arguments = tool.inputs.as_ref().map(|inputs| json_text(inputs).into_owned()).unwrap_or(Value::Null);
        let call = ChatPart::ToolCall { id: id.clone(), name: name.clone(), arguments };
        messages.push(ChatMessage { role: "assistant".into(), parts: vec![call], tool_call_id: None, name: None, is_output: false });
    }
    let content = tool.outputs.as_ref().map(|outputs| json_text(outputs).into_owned()).unwrap_or(Value::Null);
    let result = ChatPart::ToolResult { id: id.clone(), name: Some(name.clone()), content };
    messages.push(ChatMessage { role: "tool".into(), parts: vec![result], tool_call_id: id, name: Some(name), is_output: false });
}

/// The id of the latest call of tool `name` that no result answers yet, if there is one.
fn unanswered_call(messages: &[ChatMessage], name: &str) -> Option<Option<String>> {
    let parts = || messages.iter().flat_map(|message| &message.parts);
    let answered = |id: &Option<String>| parts().any(|part| matches!(part, ChatPart::ToolResult { id: result, .. } if result == id));
    parts().rev().find_map(|part| match part {
        ChatPart::ToolCall { id, name: called, .. } if called == name && !answered(id) => Some(id.clone()),
        _ => None,
    })
}

fn text_message(role: &str, text: String) -> ChatMessage {
    ChatMessage { role: role.into(), parts: vec![ChatPart::Text(text)], tool_call_id: None, name: None, is_output: false }
}

/// The model calls and tools below `agent`, in the order they started; what runs inside a model call or a
/// tool (a tool's own sub-agent) is that step's business and is not walked.
fn steps_of(spans: &[Span], agent: usize) -> Vec<usize> {
    let tree = SpanTree::build(spans);
    let mut steps = Vec::new();
    let mut to_visit: Vec<usize> = tree.children[agent].clone();
    while let Some(index) = to_visit.pop() {
        match is_model(&spans[index]) || spans[index].span_type == SpanType::Tool {
            true => steps.push(index),
            false => to_visit.extend(&tree.children[index]),
        }
    }
    sort_by_key(&mut steps, |&index| (spans[index].start_ns, index));
    steps
}
