//! The selected span: what it is, what it cost, what went wrong (exceptions always on top), and tabs for
//! its chat, inputs and outputs, retrieved documents, attributes, events and assessments. The chosen tab is
//! kept while the user moves between spans.

use crate::format;
use crate::model::agent_chat::span_conversation;
use crate::model::documents::{span_documents, Document, Ranked, SpanDocuments};
use crate::model::{Span, StatusCode, Trace};
use crate::sorting::json_object;
use crate::ui::trace::assessments_pane::{AssessmentsPane, TraceAssessments};
use crate::ui::trace::chat_view::ChatView;
use crate::ui::trace::span_links::SpanLinks;
use crate::ui::widgets::json_tree::JsonTree;
use leptos::prelude::*;
use serde_json::Value;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelTab {
    Chat,
    Content,
    Documents,
    Attributes,
    Events,
    Assessments,
}

impl PanelTab {
    fn label(self) -> &'static str {
        match self {
            PanelTab::Chat => "Chat",
            PanelTab::Content => "Inputs / Outputs",
            PanelTab::Documents => "Documents",
            PanelTab::Attributes => "Attributes",
            PanelTab::Events => "Events",
            PanelTab::Assessments => "Assessments",
        }
    }
}

#[component]
pub fn SpanPanel(
    trace: Arc<Trace>,
    span_index: usize,
    tab: RwSignal<PanelTab>,
    /// Selects another span of the trace (a link to it was followed).
    on_select: Callback<usize>,
) -> impl IntoView {
    let span = &trace.spans[span_index];
    let chat = span_conversation(&trace.spans, span_index);
    let documents = span_documents(span);
    let other_events: Vec<_> = span.events.iter().filter(|event| event.name != "exception").cloned().collect();
    let assessments = expect_context::<TraceAssessments>().list;
    let assessment_count = {
        let span_id = span.span_id.clone();
        move || {
            assessments
                .with(|list| list.iter().filter(|a| a.valid && (a.span_id.is_none() || a.span_id.as_deref() == Some(&span_id))).count())
        }
    };

    let mut tabs = Vec::new();
    if chat.is_some() {
        tabs.push((PanelTab::Chat, None));
    }
    if let Some(documents) = &documents {
        tabs.push((PanelTab::Documents, Some(documents.count())));
    }
    tabs.push((PanelTab::Content, None));
    tabs.push((PanelTab::Attributes, Some(span.attributes.len())));
    if !other_events.is_empty() {
        tabs.push((PanelTab::Events, Some(other_events.len())));
    }
    tabs.push((PanelTab::Assessments, None));
    // The remembered tab if this span has it, else the first (Chat when there is one).
    let available: Vec<PanelTab> = tabs.iter().map(|(tab, _)| *tab).collect();
    let shown = Memo::new(move |_| {
        let wanted = tab.get();
        if available.contains(&wanted) {
            wanted
        } else {
            available[0]
        }
    });

    let body = {
        let span = span.clone();
        let trace = trace.clone();
        move || match shown.get() {
            PanelTab::Chat => chat.clone().map(|chat| view! { <ChatView conversation=chat /> }).into_any(),
            PanelTab::Content => view! {
                <section class="span-section">
                    <h3>"Inputs"</h3>
                    {optional_json(span.inputs.clone())}
                </section>
                <section class="span-section">
                    <h3>"Outputs"</h3>
                    {optional_json(span.outputs.clone())}
                </section>
            }
            .into_any(),
            PanelTab::Documents => match documents.clone() {
                Some(SpanDocuments::Retrieved(documents)) => {
                    documents.into_iter().map(|document| view! { <DocumentView document=document /> }).collect_view().into_any()
                }
                Some(SpanDocuments::Reranked { given, ranked }) => view! { <Reranking given=given ranked=ranked /> }.into_any(),
                None => ().into_any(),
            },
            PanelTab::Attributes => view! { <JsonTree value=json_object(span.attributes.iter().cloned()) /> }.into_any(),
            PanelTab::Events => other_events
                .iter()
                .cloned()
                .map(|event| {
                    let attributes = json_object(event.attributes);
                    view! { <div class="event"><strong>{event.name}</strong><JsonTree value=attributes /></div> }
                })
                .collect_view()
                .into_any(),
            PanelTab::Assessments => view! { <AssessmentsPane trace=trace.clone() span_index=span_index on_select=on_select /> }.into_any(),
        }
    };

    view! {
        <div class="span-panel-body">
            <h2 class="span-title">{span.name.clone()}</h2>
            <p class="mono muted">{span.span_id.clone()}</p>
            <dl class="facts">{span_facts(span).into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}</dl>
            <Exceptions span=span.clone() />
            {(!span.links.is_empty()).then(|| view! { <SpanLinks trace=trace.clone() links=span.links.clone() on_select=on_select /> })}
            <div class="tabs" role="tablist" aria-label="Span details">
                {tabs.into_iter().map(|(this, count)| view! {
                    <button
                        role="tab"
                        class="tab"
                        aria-selected=move || (shown.get() == this).to_string()
                        on:click=move |_| tab.set(this)
                    >
                        {this.label()}
                        {count.map(|count| view! { <span class="tab-count">{count}</span> })}
                        {(this == PanelTab::Assessments).then(|| view! { <span class="tab-count">{assessment_count.clone()}</span> })}
                    </button>
                }).collect_view()}
            </div>
            <div class="tab-body" role="tabpanel">{body}</div>
        </div>
    }
}

/// Type, duration, status, model, provider, tokens and cost.
fn span_facts(span: &Span) -> Vec<(&'static str, String)> {
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
    facts
}

/// Exceptions recorded on the span (type, message, stack trace), or its error status message.
#[component]
fn Exceptions(span: Span) -> impl IntoView {
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
            (
                get("exception.type").unwrap_or_else(|| "Exception".into()),
                get("exception.message").unwrap_or_default(),
                get("exception.stacktrace"),
            )
        })
        .collect();
    let status_message = (!span.status.message.is_empty() && exceptions.is_empty()).then(|| span.status.message.clone());
    view! {
        {exceptions.into_iter().map(|(kind, message, stack)| view! {
            <section class="exception" role="alert">
                <h3>{format!("{kind}: {message}")}</h3>
                {stack.map(|stack| view! { <pre class="stack-trace">{stack}</pre> })}
            </section>
        }).collect_view()}
        {status_message.map(|message| view! { <section class="exception" role="alert"><h3>{message}</h3></section> })}
    }
}

fn optional_json(value: Option<Value>) -> AnyView {
    match value {
        Some(value) => view! { <JsonTree value=value /> }.into_any(),
        None => view! { <p class="muted">"None"</p> }.into_any(),
    }
}

/// A reranker's work side by side: the documents it was given, in their order, and the order it returned
/// them in, each with how far it moved and its relevance score.
#[component]
fn Reranking(given: Vec<Document>, ranked: Vec<Ranked>) -> impl IntoView {
    let (given_count, ranked_count) = (given.len(), ranked.len());
    let given = given
        .into_iter()
        .enumerate()
        .map(|(at, document)| view! { <li><span class="rank">{format!("#{}", at + 1)}</span><DocumentView document=document /></li> })
        .collect_view();
    let ranked = ranked
        .into_iter()
        .map(|Ranked { document, rank, rank_before }| {
            let (class, change) = match rank_before {
                Some(before) if before > rank => ("up", format!("↑ {} (was #{before})", before - rank)),
                Some(before) if before < rank => ("down", format!("↓ {} (was #{before})", rank - before)),
                Some(_) => ("same", "unchanged".to_string()),
                None => ("new", "not among the given".to_string()),
            };
            view! {
                <li>
                    <span class="rank">{format!("#{rank}")}</span>
                    <span class=format!("rank-change {class}")>{change}</span>
                    <DocumentView document=document />
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="reranking">
            <section><h3>{format!("Given ({given_count})")}</h3><ol class="ranked-documents">{given}</ol></section>
            <section><h3>{format!("Reranked ({ranked_count})")}</h3><ol class="ranked-documents">{ranked}</ol></section>
        </div>
    }
}

#[component]
fn DocumentView(document: Document) -> impl IntoView {
    let Document { id, content, uri, score, metadata } = document;
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
                {id.map(|id| view! { <span class="mono muted">{id}</span> })}
                // The score as the trace holds it: 0.9962 is not 1.00.
                {score.map(|score| view! { <span class="badge document-score">{format!("score {score}")}</span> })}
            </header>
            <p class="document-content">{content}</p>
            {(!metadata.is_empty()).then(|| view! { <JsonTree value=Value::Object(metadata) /> })}
        </article>
    }
}
