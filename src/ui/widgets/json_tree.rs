//! A JSON value as a tree to fold and unfold. Children are rendered only once a node is opened, so a value
//! 200 levels deep or with thousands of entries costs nothing until the user goes there; long strings are
//! cut with "Show all"; media references (data URLs, MLflow attachments) show as the media. Everything
//! else is rendered as text.

use crate::format;
use crate::model::chat::Media;
use crate::ui::widgets::long_text::ShowAllOrDownload;
use crate::ui::widgets::media::MediaView;
use leptos::prelude::*;
use serde_json::Value;

/// Nodes this deep start open.
const OPEN_DEPTH: usize = 2;
/// A container with more entries than this starts closed, whatever its depth.
const OPEN_MAX_ENTRIES: usize = 50;
/// Strings longer than this are cut until the user asks for all of them.
const STRING_PREVIEW_CHARS: usize = 2_000;

#[component]
pub fn JsonTree(value: Value) -> impl IntoView {
    view! { <div class="json-tree"><JsonNode label=None value=value depth=0 /></div> }
}

#[component]
fn JsonNode(label: Option<String>, value: Value, depth: usize) -> impl IntoView {
    let label_view = label.map(|label| view! { <span class="json-key">{label}</span><span class="json-colon">": "</span> });
    match value {
        Value::Object(_) | Value::Array(_) => {
            let (count, noun, open_char, close_char) = match &value {
                Value::Object(map) => (map.len(), if map.len() == 1 { "key" } else { "keys" }, "{", "}"),
                Value::Array(items) => (items.len(), if items.len() == 1 { "item" } else { "items" }, "[", "]"),
                _ => unreachable!(),
            };
            let open = RwSignal::new(depth < OPEN_DEPTH && count <= OPEN_MAX_ENTRIES);
            let value = StoredValue::new(value);
            let children = move || {
                open.get().then(|| {
                    value.with_value(|value| {
                        let entries: Vec<(String, Value)> = match value {
                            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v.clone())).collect(),
                            _ => Vec::new(),
                        };
                        view! {
                            <ul class="json-children">
                                {entries.into_iter().map(|(key, child)| view! {
                                    <li><JsonNode label=Some(key) value=child depth=depth + 1 /></li>
                                }).collect_view()}
                            </ul>
                        }
                    })
                })
            };
            view! {
                <div class="json-node">
                    <button class="json-toggle" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                        {move || if open.get() { "▾" } else { "▸" }}
                    </button>
                    {label_view}
                    <span class="json-bracket">{open_char}</span>
                    <Show when=move || !open.get()>
                        <span class="json-summary">{format!(" {} {noun} ", format::count(count as u64))}</span>
                        <span class="json-bracket">{close_char}</span>
                    </Show>
                    {children}
                    <Show when=move || open.get()>
                        <span class="json-bracket">{close_char}</span>
                    </Show>
                </div>
            }
            .into_any()
        }
        // A data URL or an MLflow attachment reference is shown as the image, audio or document it is.
        Value::String(text) if Media::from_text(&text).is_some() => {
            let media = Media::from_text(&text).expect("checked above");
            view! { <div class="json-leaf">{label_view}<MediaView media=media /></div> }.into_any()
        }
        Value::String(text) => {
            let length = text.chars().count();
            let show_all = RwSignal::new(length <= STRING_PREVIEW_CHARS);
            let text = StoredValue::new(text);
            let shown = move || {
                text.with_value(|text| {
                    if show_all.get() {
                        text.clone()
                    } else {
                        text.chars().take(STRING_PREVIEW_CHARS).collect::<String>() + "…"
                    }
                })
            };
            view! {
                <div class="json-leaf">
                    {label_view}
                    <span class="json-string">{move || format!("\"{}\"", shown())}</span>
                    <ShowAllOrDownload text=text length=length show_all=show_all />
                </div>
            }
            .into_any()
        }
        other => {
            let class = match other {
                Value::Number(_) => "json-number",
                Value::Bool(_) => "json-bool",
                _ => "json-null",
            };
            view! { <div class="json-leaf">{label_view}<span class=class>{other.to_string()}</span></div> }.into_any()
        }
    }
}
