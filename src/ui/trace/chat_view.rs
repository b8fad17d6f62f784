//! A span's conversation: each message with its role, text as markdown, reasoning folded, tool calls with
//! their arguments and the results that answer them, media inline, and the tools the model was offered.

use crate::format;
use crate::model::chat::{ChatMessage, ChatPart, Conversation, ToolDefinition};
use crate::ui::widgets::json_tree::JsonTree;
use crate::ui::widgets::long_text::ShowAllOrDownload;
use crate::ui::widgets::markdown_view::Markdown;
use crate::ui::widgets::media::MediaView;
use leptos::prelude::*;
use serde_json::Value;

/// Text longer than this is cut until the user asks for all of it (markdown of megabytes is slow to lay out).
const TEXT_PREVIEW_CHARS: usize = 20_000;

/// Messages shown at first, and added by each "Show more": a conversation of 50,000 messages must not
/// put them all in the page at once.
const MESSAGES_PER_STEP: usize = 200;

#[component]
pub fn ChatView(conversation: Conversation) -> impl IntoView {
    let Conversation { messages, tools } = conversation;
    let total = messages.len();
    let messages = StoredValue::new(messages);
    let shown = RwSignal::new(MESSAGES_PER_STEP.min(total));
    view! {
        <div class="chat">
            {(!tools.is_empty()).then(|| view! { <ToolDefinitions tools=tools /> })}
            <For
                each=move || 0..shown.get()
                key=|index| *index
                children=move |index| view! { <MessageView message=messages.with_value(|all| all[index].clone()) /> }
            />
            {move || (shown.get() < total).then(|| view! {
                <button class="button small chat-more" on:click=move |_| shown.update(|n| *n = (*n + MESSAGES_PER_STEP).min(total))>
                    {format!("Show {} more messages ({} of {} shown)", MESSAGES_PER_STEP.min(total - shown.get()), format::count(shown.get() as u64), format::count(total as u64))}
                </button>
            })}
        </div>
    }
}

#[component]
pub fn MessageView(message: ChatMessage) -> impl IntoView {
    let role_class = match message.role.as_str() {
        "system" | "developer" => "system",
        "user" => "user",
        "assistant" => "assistant",
        "tool" => "tool",
        _ => "other",
    };
    let heading = match (&message.name, message.is_output) {
        (Some(name), _) => format!("{} · {name}", message.role),
        (None, true) => format!("{} (output)", message.role),
        (None, false) => message.role.clone(),
    };
    view! {
        <article class=format!("chat-message role-{role_class}") class:output=message.is_output data-role=message.role.clone()>
            <header class="chat-role">{heading}</header>
            {message.parts.into_iter().map(part_view).collect_view()}
        </article>
    }
}

fn part_view(part: ChatPart) -> AnyView {
    match part {
        ChatPart::Text(text) if text.is_empty() => ().into_any(),
        ChatPart::Text(text) => view! { <LongText text=text /> }.into_any(),
        ChatPart::Reasoning(text) => view! {
            <details class="chat-reasoning">
                <summary>{format!("Reasoning ({} characters)", format::count(text.chars().count() as u64))}</summary>
                <LongText text=text />
            </details>
        }
        .into_any(),
        ChatPart::ToolCall { id, name, arguments } => view! {
            <section class="tool-call">
                <header>
                    <span class="tool-call-label">"Tool call"</span>
                    <strong class="tool-call-name">{name}</strong>
                    {id.map(|id| view! { <span class="mono muted">{id}</span> })}
                </header>
                <JsonTree value=arguments />
            </section>
        }
        .into_any(),
        ChatPart::ToolResult { id, name, content, failed } => view! {
            <section class="tool-result" class:failed=failed>
                <header>
                    <span class="tool-call-label">{if failed { "Tool failed" } else { "Tool result" }}</span>
                    {name.map(|name| view! { <strong>{name}</strong> })}
                    {id.map(|id| view! { <span class="mono muted">{id}</span> })}
                </header>
                {value_view(content)}
            </section>
        }
        .into_any(),
        ChatPart::Media(media) => view! { <MediaView media=media /> }.into_any(),
        ChatPart::Other(value) => view! { <JsonTree value=value /> }.into_any(),
    }
}

/// A tool's result: its text, or the JSON it holds, or its structure.
fn value_view(content: Value) -> AnyView {
    match content {
        Value::String(text) => match serde_json::from_str::<Value>(&text) {
            Ok(parsed @ (Value::Object(_) | Value::Array(_))) => view! { <JsonTree value=parsed /> }.into_any(),
            _ => view! { <pre class="tool-text">{text}</pre> }.into_any(),
        },
        other => view! { <JsonTree value=other /> }.into_any(),
    }
}

/// Markdown, cut at [`TEXT_PREVIEW_CHARS`] with "Show all".
#[component]
fn LongText(text: String) -> impl IntoView {
    let length = text.chars().count();
    if length <= TEXT_PREVIEW_CHARS {
        return view! { <Markdown text=text /> }.into_any();
    }
    let show_all = RwSignal::new(false);
    let text = StoredValue::new(text);
    view! {
        {move || {
            let shown = if show_all.get() { text.get_value() } else { crate::model::derive::truncate_chars(&text.read_value(), TEXT_PREVIEW_CHARS) };
            view! { <Markdown text=shown /> }
        }}
        <ShowAllOrDownload text=text length=length show_all=show_all />
    }
    .into_any()
}

#[component]
fn ToolDefinitions(tools: Vec<ToolDefinition>) -> impl IntoView {
    view! {
        <details class="tool-definitions">
            <summary>{format!("Tools offered ({})", tools.len())}</summary>
            {tools.into_iter().map(|tool| view! {
                <section class="tool-definition">
                    <strong class="mono">{tool.name}</strong>
                    {tool.description.map(|description| view! { <p>{description}</p> })}
                    {tool.parameters.map(|parameters| view! { <JsonTree value=parameters /> })}
                </section>
            }).collect_view()}
        </details>
    }
}
