//! The conversation of an agent whose framework logs it as child spans instead of in the agent span's own
//! inputs and outputs: Strands, Agno and VoltAgent (their spans carry `mlflow.message.format`, or Strands'
//! OpenTelemetry's `invoke_agent`), and any agent span whose own inputs and outputs hold no chat. The agent's
//! prompt comes first (with the system prompt of its first model call when it has none of its own), then, in
//! the order they ran, each model call's answer and each tool's call and result, then the agent's answer.

use super::chat::{
    blocks_as_text, conversation, input_messages, json_text, output_messages, parse_message, plain_text, ChatMessage, ChatPart,
    Conversation,
};
use super::{Span, SpanTree, SpanType};
use crate::sorting::sort_by_key;
use serde_json::Value;

/// Where an agent's result object keeps its answer (smolagents wraps it as `{"_value": …}`).
const ANSWER_FIELDS: [&str; 5] = ["answer", "final_answer", "response", "output", "_value"];

/// `mlflow.message.format` values of the frameworks whose agent conversations are assembled.
const ASSEMBLED_FORMATS: [&str; 3] = ["strands", "agno", "voltagent"];

/// The chat of `spans[index]`: assembled from its descendants for an agent of the frameworks above, else read
/// from the span alone ([`conversation`]); the root of a trace in which no model call was logged (smolagents'
/// code agents) reads as its task and answer.
pub fn span_conversation(spans: &[Span], index: usize) -> Option<Conversation> {
    let span = spans.get(index)?;
    // OpenTelemetry's GenAI conventions name an agent's run `invoke_agent` (Strands logs no format of its own).
    let assembled_format =
        span.attribute("mlflow.message.format").and_then(Value::as_str).is_some_and(|format| ASSEMBLED_FORMATS.contains(&format))
            || span.attribute("gen_ai.operation.name").and_then(Value::as_str) == Some("invoke_agent");
    let is_step = is_model(span) || span.span_type == SpanType::Tool;
    if assembled_format && !is_step {
        if let Some(assembled) = assemble(spans, index) {
            return Some(assembled);
        }
    }
    conversation(span)
        // An agent whose own inputs and outputs hold no chat (the OpenAI Agents SDK's runner) reads as its steps.
        .or_else(|| (span.span_type == SpanType::Agent && !is_step).then(|| assemble(spans, index)).flatten())
        .or_else(|| (span.parent_id.is_none() && !spans.iter().any(is_model)).then(|| task_and_answer(span)).flatten())
}

/// A span's inputs as the user's task and its outputs as the answer, when both are text (a string, or an
/// object's one string field): a function's structured inputs and outputs are no conversation.
fn task_and_answer(span: &Span) -> Option<Conversation> {
    let task = plain_text(&json_text(span.inputs.as_ref()?))?;
    let answer = plain_text(&json_text(span.outputs.as_ref()?))?;
    let messages = vec![text_message("user", task), ChatMessage { is_output: true, ..text_message("assistant", answer) }];
    Some(Conversation { messages, tools: Vec::new() })
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
        Some(inputs) => match (input_messages(inputs, true), plain_text(inputs)) {
            (messages, _) if !messages.is_empty() => messages,
            // DSPy's `{"question": …}`: the one thing the agent was asked.
            (_, Some(question)) => vec![text_message("user", question)],
            (messages, None) => messages,
        },
        None => Vec::new(),
    };
    let first_model = steps.iter().map(|&i| &spans[i]).find(|step| is_model(step));
    let first_call = first_model.and_then(conversation);
    // What the agent was asked, when its own inputs do not say, is what its first model call was sent; its
    // system prompt likewise.
    let sent = || first_call.iter().flat_map(|call| &call.messages).filter(|message| !message.is_output);
    if messages.is_empty() {
        messages.extend(sent().cloned());
    } else if !messages.iter().any(|message| message.role == "system") {
        messages.splice(0..0, sent().filter(|message| message.role == "system").cloned());
    }
    for step in steps.iter().map(|&i| &spans[i]) {
        if is_model(step) {
            let answers = step.outputs.as_ref().map(|outputs| output_messages(&json_text(outputs))).unwrap_or_default();
            // A step that hands back the conversation so far (LlamaIndex's `_prepare_chat_with_tools`: several
            // messages, not one answer) adds only what is new; a repeated call keeps its own id, so it is new.
            // A model call's one answer is taken as it is (no scan of the conversation per step).
            let hands_back_chat = answers.len() > 1;
            for answer in answers.into_iter().filter(|message| message.role == "assistant") {
                if !hands_back_chat || !messages.iter().any(|known| same_message(known, &answer)) {
                    messages.push(answer);
                }
            }
        } else {
            tool_step(step, &mut messages);
        }
    }
    let answer = match span.outputs.as_ref().map(json_text).as_deref() {
        Some(Value::String(text)) if !text.trim().is_empty() => vec![text_message("assistant", text.clone())],
        // DSPy's prediction `{"trajectory", "reasoning", "answer"}`; LlamaIndex's `{"result": {"response": a
        // message, …}}`.
        Some(outputs) => {
            let result = outputs.get("result").filter(|result| result.is_object()).unwrap_or(outputs);
            match ANSWER_FIELDS.iter().find_map(|key| result.get(key)) {
                Some(Value::String(text)) => vec![text_message("assistant", text.clone())],
                Some(message @ Value::Object(_)) => parse_message(message).into_iter().collect(),
                _ => output_messages(outputs),
            }
        }
        None => Vec::new(),
    };
    // The agent's answer is usually its last model call's again (give or take a trailing newline).
    let trimmed = |parts: &[ChatPart]| -> Vec<ChatPart> {
        parts
            .iter()
            .map(|part| if let ChatPart::Text(text) = part { ChatPart::Text(text.trim().to_string()) } else { part.clone() })
            .collect()
    };
    let last_answer = messages.iter().rposition(|message| message.role == "assistant");
    for message in answer {
        match last_answer.filter(|&at| trimmed(&messages[at].parts) == trimmed(&message.parts)) {
            Some(at) => messages[at].is_output = true,
            None => messages.push(ChatMessage { is_output: true, ..message }),
        }
    }
    Some(Conversation { messages, tools: first_call.map(|call| call.tools).unwrap_or_default() })
}

/// A tool's call (unless a model's answer already asked for it) and its result.
fn tool_step(tool: &Span, messages: &mut Vec<ChatMessage>) {
    // smolagents returns an agent's answer through a tool of its own: that is the answer, not a step.
    if tool.name.starts_with("FinalAnswerTool") {
        return;
    }
    let attribute = |keys: &[&str]| keys.iter().find_map(|key| tool.attribute(key)?.as_str().map(str::to_string));
    let outputs = tool.outputs.as_ref().map(|outputs| json_text(outputs).into_owned()).unwrap_or(Value::Null);
    // LlamaIndex's ToolOutput names its tool (the span is `FunctionTool.acall`).
    let name = attribute(&["tool.name", "gen_ai.tool.name"])
        .or_else(|| outputs.get("tool_name")?.as_str().map(str::to_string))
        .unwrap_or_else(|| tool.name.clone());
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
        let call = ChatPart::ToolCall { id: id.clone(), name: name.clone(), arguments: unwrapped_arguments(arguments) };
        messages.push(ChatMessage { role: "assistant".into(), parts: vec![call], tool_call_id: None, name: None, is_output: false });
    }
    let failed = tool.failed() || outputs.get("is_error").and_then(Value::as_bool) == Some(true);
    let result = ChatPart::ToolResult { id: id.clone(), name: Some(name.clone()), content: unwrapped_result(outputs), failed };
    messages.push(ChatMessage { role: "tool".into(), parts: vec![result], tool_call_id: id, name: Some(name), is_output: false });
}

/// Whether two messages say the same, a tool call shown from its tool span (which knows no call id) being
/// the same as the model's call of that tool with those arguments.
fn same_message(a: &ChatMessage, b: &ChatMessage) -> bool {
    let same_part = |x: &ChatPart, y: &ChatPart| match (x, y) {
        (ChatPart::ToolCall { id: i, name: n, arguments: g }, ChatPart::ToolCall { id: j, name: m, arguments: h }) => {
            (i == j || i.is_none() || j.is_none()) && n == m && g == h
        }
        _ => x == y,
    };
    a.role == b.role && a.parts.len() == b.parts.len() && a.parts.iter().zip(&b.parts).all(|(x, y)| same_part(x, y))
}

/// A tool's arguments as the model gave them: LlamaIndex logs them as `{"kwargs": {…}}`, smolagents as
/// `{"sanitize_inputs_outputs", "kwargs": {…}}`.
fn unwrapped_arguments(inputs: Value) -> Value {
    let wrapped =
        inputs.as_object().is_some_and(|fields| fields.keys().all(|key| matches!(key.as_str(), "kwargs" | "sanitize_inputs_outputs")));
    match inputs.get("kwargs") {
        Some(kwargs) if wrapped => kwargs.clone(),
        _ => inputs,
    }
}

/// What a tool returned: LlamaIndex's ToolOutput's `raw_output`, smolagents' `{"_value": …}`, content blocks of
/// text as their text, anything else as it is.
fn unwrapped_result(outputs: Value) -> Value {
    let inner = match outputs.as_object() {
        Some(fields) if fields.contains_key("raw_output") && fields.contains_key("tool_name") => fields["raw_output"].clone(),
        Some(fields) if fields.len() == 1 && fields.contains_key("_value") => fields["_value"].clone(),
        _ => outputs,
    };
    blocks_as_text(&inner)
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
