//! A trace's spans: the hierarchy with a timeline bar per span (rows windowed, so a trace of any size keeps
//! a bounded DOM), folding per span, and the selected span's panel. The selected span is in the URL
//! (`span_id`), so a link reopens it.

use super::json_tree::JsonTree;
use super::shell::Navigator;
use super::windowing::Windowing;
use crate::format;
use crate::model::{Span, SpanTree, StatusCode, Trace};
use leptos::prelude::*;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

const ROW_HEIGHT: f64 = 30.0;
const OVERSCAN: usize = 20;

#[component]
pub fn SpanExplorer(trace: Arc<Trace>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    if trace.spans.is_empty() {
        let message = if trace.spans_loaded { "This trace has no spans." } else { "The spans of this trace are not loaded." };
        return view! { <p class="empty">{message}</p> }.into_any();
    }
    let tree = Arc::new(SpanTree::build(&trace.spans));
    let folded = RwSignal::new(HashSet::<usize>::new());
    let visible = Memo::new({
        let tree = tree.clone();
        move |_| folded.with(|folded| tree.visible(folded))
    });

    // The selection: the span named in the URL, else the first root.
    let wanted = navigator.location().span_id;
    let initial = wanted.and_then(|id| trace.spans.iter().position(|span| span.span_id == id)).unwrap_or(tree.roots[0]);
    let selected = RwSignal::new(initial);
    let span_ids = StoredValue::new(trace.spans.iter().map(|span| span.span_id.clone()).collect::<Vec<_>>());
    let select = move |index: usize| {
        selected.set(index);
        let mut next = navigator.location();
        next.span_id = span_ids.with_value(|ids| ids.get(index).cloned());
        navigator.replace(next);
    };

    // The timeline's extent: from the first start to the last end (running spans reach the last known time).
    let start = trace.spans.iter().map(|span| span.start_ns).min().unwrap_or(0);
    let end = trace.spans.iter().map(|span| span.end_ns.unwrap_or(span.start_ns)).max().unwrap_or(start).max(start + 1);
    let extent = (end - start) as f64;

    let window = Windowing::new(ROW_HEIGHT, OVERSCAN, move || visible.with(Vec::len));
    let range = window.range;
    // Bring a span selected by the URL into view once the rows are there.
    Effect::new(move |_| {
        if window.scroller.get().is_some() {
            if let Some(position) = visible.with_untracked(|v| v.iter().position(|&i| i == initial)) {
                window.scroll_into_view(position, 3);
            }
        }
    });

    // Keys: ↑/↓ move the selection, ← folds (or goes to the parent), → unfolds; the selection stays in view.
    let on_key = {
        let tree = tree.clone();
        move |event: leptos::ev::KeyboardEvent| {
            let current = selected.get_untracked();
            let position = visible.with_untracked(|v| v.iter().position(|&i| i == current));
            let next = match (event.key().as_str(), position) {
                ("ArrowDown", Some(p)) => visible.with_untracked(|v| v.get(p + 1).copied()),
                ("ArrowUp", Some(p)) if p > 0 => visible.with_untracked(|v| v.get(p - 1).copied()),
                ("ArrowLeft", _) if !tree.children[current].is_empty() && !folded.with_untracked(|f| f.contains(&current)) => {
                    folded.update(|f| {
                        f.insert(current);
                    });
                    None
                }
                ("ArrowLeft", _) => tree.parent[current],
                ("ArrowRight", _) => {
                    folded.update(|f| {
                        f.remove(&current);
                    });
                    None
                }
                _ => return,
            };
            event.prevent_default();
            if let Some(index) = next {
                select(index);
                if let Some(position) = visible.with_untracked(|v| v.iter().position(|&i| i == index)) {
                    window.scroll_into_view(position, 0);
                }
            }
        }
    };

    let rows = {
        let (trace, tree) = (trace.clone(), tree.clone());
        move || {
            let range = range.get();
            visible.with(|visible| {
                visible[range.clone()]
                    .iter()
                    .zip(range.clone())
                    .map(|(&index, position)| {
                        let span = &trace.spans[index];
                        let has_children = !tree.children[index].is_empty();
                        let failed = span.status.code == StatusCode::Error || span.events.iter().any(|e| e.name == "exception");
                        let left = (span.start_ns - start) as f64 / extent * 100.0;
                        let width = span.duration_ns().map_or(100.0 - left, |d| d as f64 / extent * 100.0).max(0.15);
                        let kind = span.span_type.as_str().to_string();
                        view! {
                            <div
                                class="span-row"
                                class:selected=move || selected.get() == index
                                class:failed=failed
                                role="treeitem"
                                // (tachys has no aria-level attribute yet; the depth is exposed as data.)
                                data-depth=tree.depth[index].to_string()
                                aria-selected=move || (selected.get() == index).to_string()
                                aria-expanded=has_children.then_some(move || (!folded.with(|f| f.contains(&index))).to_string())
                                data-span-id=span.span_id.clone()
                                style:top=window.top(position)
                                on:click=move |_| select(index)
                            >
                                <span class="span-label" style:padding-left=format!("{}rem", 0.3 + tree.depth[index] as f32 * 1.1)>
                                    {has_children.then(|| view! {
                                        <button class="fold" aria-label="Fold or unfold" on:click=move |event| {
                                            event.stop_propagation();
                                            folded.update(|f| if !f.remove(&index) { f.insert(index); });
                                        }>{move || if folded.with(|f| f.contains(&index)) { "▸" } else { "▾" }}</button>
                                    })}
                                    <span class=format!("span-type type-{}", kind.to_ascii_lowercase())>{kind.clone()}</span>
                                    <span class="span-name" title=span.name.clone()>{span.name.clone()}</span>
                                    {failed.then(|| view! { <span class="badge badge-error">"error"</span> })}
                                    {tree.orphan[index].then(|| view! { <span class="badge" title="Its parent span is not in this trace">"orphan"</span> })}
                                </span>
                                <span class="span-timeline">
                                    <span class=format!("span-bar type-bar-{}", kind.to_ascii_lowercase()) style:left=format!("{left:.3}%") style:width=format!("{width:.3}%")></span>
                                    <span class="span-duration">{span.duration_ns().map(format::duration_ns).unwrap_or_else(|| "running".into())}</span>
                                </span>
                            </div>
                        }
                    })
                    .collect_view()
            })
        }
    };

    let panel = {
        let trace = trace.clone();
        move || {
            let index = selected.get();
            view! { <SpanPanel span=trace.spans[index].clone() /> }
        }
    };

    view! {
        <section class="span-explorer">
            <div class="span-pane">
                <div class="span-pane-head">
                    <span>{format!("Spans ({})", format::count(trace.spans.len() as u64))}</span>
                    <span class="muted">{format!("0 – {}", format::duration_ns(end - start))}</span>
                </div>
                <div class="span-scroller" node_ref=window.scroller on:scroll=move |_| window.measure() on:keydown=on_key tabindex="0" role="tree" aria-label="Spans">
                    <div class="span-rows" style:height=move || window.height(visible.with(Vec::len))>
                        {rows}
                    </div>
                </div>
            </div>
            <aside class="span-panel" aria-label="Selected span">{panel}</aside>
        </section>
    }
    .into_any()
}

/// The selected span: what it is, how long it took, what went wrong, what went in and out.
#[component]
fn SpanPanel(span: Span) -> impl IntoView {
    let mut facts: Vec<(&'static str, String)> = vec![("Type", span.span_type.as_str().to_string())];
    facts.push(("Duration", span.duration_ns().map(format::duration_ns).unwrap_or_else(|| "running".into())));
    facts.push((
        "Status",
        match span.status.code {
            StatusCode::Ok => "OK".into(),
            StatusCode::Error => "ERROR".into(),
            StatusCode::Unset => "UNSET".into(),
        },
    ));
    if let Some(model) = span.model() {
        facts.push(("Model", model.to_string()));
    }
    if let Some(provider) = span.provider() {
        facts.push(("Provider", provider.to_string()));
    }
    if let Some(usage) = span.token_usage() {
        facts.push(("Tokens", format::token_summary(&usage)));
    }
    if let Some(cost) = span.cost() {
        facts.push(("Cost", format::cost_usd(cost.total_cost)));
    }
    let exceptions: Vec<_> = span
        .events
        .iter()
        .filter(|event| event.name == "exception")
        .map(|event| {
            let get = |key: &str| {
                event.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| match v {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
            };
            (get("exception.type").unwrap_or_else(|| "Exception".into()), get("exception.message").unwrap_or_default(), get("exception.stacktrace"))
        })
        .collect();
    let status_message = (!span.status.message.is_empty() && exceptions.is_empty()).then(|| span.status.message.clone());
    let other_events: Vec<_> = span.events.iter().filter(|event| event.name != "exception").cloned().collect();
    let attributes: serde_json::Map<String, Value> = span.attributes.iter().cloned().collect();

    view! {
        <div class="span-panel-body">
            <h2 class="span-title">{span.name.clone()}</h2>
            <p class="mono muted">{span.span_id.clone()}</p>
            <dl class="facts">{facts.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}</dl>
            {exceptions.into_iter().map(|(kind, message, stack)| view! {
                <section class="exception" role="alert">
                    <h3>{format!("{kind}: {message}")}</h3>
                    {stack.map(|stack| view! { <pre class="stack-trace">{stack}</pre> })}
                </section>
            }).collect_view()}
            {status_message.map(|message| view! { <section class="exception" role="alert"><h3>{message}</h3></section> })}
            {retrieved_documents(&span).map(|documents| view! {
                <section class="span-section">
                    <h3>{format!("Retrieved documents ({})", documents.len())}</h3>
                    {documents.into_iter().map(|document| view! { <RetrievedDocument document=document /> }).collect_view()}
                </section>
            })}
            <section class="span-section">
                <h3>"Inputs"</h3>
                {match span.inputs.clone() {
                    Some(value) => view! { <JsonTree value=value /> }.into_any(),
                    None => view! { <p class="muted">"None"</p> }.into_any(),
                }}
            </section>
            <section class="span-section">
                <h3>"Outputs"</h3>
                {match span.outputs.clone() {
                    Some(value) => view! { <JsonTree value=value /> }.into_any(),
                    None => view! { <p class="muted">"None"</p> }.into_any(),
                }}
            </section>
            <section class="span-section">
                <h3>{format!("Attributes ({})", attributes.len())}</h3>
                <JsonTree value=Value::Object(attributes) />
            </section>
            {(!other_events.is_empty()).then(|| view! {
                <section class="span-section">
                    <h3>{format!("Events ({})", other_events.len())}</h3>
                    {other_events.into_iter().map(|event| {
                        let attributes: serde_json::Map<String, Value> = event.attributes.into_iter().collect();
                        view! { <div class="event"><strong>{event.name}</strong><JsonTree value=Value::Object(attributes) /></div> }
                    }).collect_view()}
                </section>
            })}
        </div>
    }
}

/// The documents a RETRIEVER span returned (`[{page_content, metadata: {doc_uri, …}, id}]`), if that is what
/// its outputs hold.
fn retrieved_documents(span: &Span) -> Option<Vec<serde_json::Map<String, Value>>> {
    if span.span_type != crate::model::SpanType::Retriever {
        return None;
    }
    let documents: Vec<_> = span.outputs.as_ref()?.as_array()?.iter().filter_map(|item| item.as_object().cloned()).collect();
    documents.iter().any(|d| d.contains_key("page_content")).then_some(documents)
}

#[component]
fn RetrievedDocument(document: serde_json::Map<String, Value>) -> impl IntoView {
    let metadata = document.get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
    let text = |value: Option<&Value>| value.map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
    let content = text(document.get("page_content")).unwrap_or_default();
    let uri = text(metadata.get("doc_uri")).or_else(|| text(metadata.get("source")));
    let score = metadata.get("score").or_else(|| document.get("score")).and_then(Value::as_f64);
    // Only web links are followed; any other URI is shown as text.
    let uri_view = uri.map(|uri| {
        if uri.starts_with("https://") || uri.starts_with("http://") {
            let href = uri.clone();
            view! { <a class="doc-uri" href=href target="_blank" rel="noopener noreferrer">{uri}</a> }.into_any()
        } else {
            view! { <span class="doc-uri">{uri}</span> }.into_any()
        }
    });
    view! {
        <article class="document">
            <header>
                {uri_view}
                {score.map(|score| view! { <span class="badge">{format!("score {score:.2}")}</span> })}
            </header>
            <p class="document-content">{content}</p>
            {(!metadata.is_empty()).then(|| view! { <JsonTree value=Value::Object(metadata) /> })}
        </article>
    }
}
