//! A span's links (OpenTelemetry's `follows_from` and the like): each names the linked trace and span with
//! its attributes, and opens it: a span of this trace is selected, another trace is opened at the span when
//! it is loaded or on the server. A link whose trace or span is known to be missing says so.

use crate::data;
use crate::location::Source;
use crate::model::links::{link_target, LinkTarget};
use crate::model::{SpanLink, Trace};
use crate::sorting::json_object;
use crate::ui::navigation::Navigator;
use crate::ui::widgets::json_tree::JsonTree;
use leptos::prelude::*;
use std::sync::Arc;

/// What a link can lead to beyond the open trace: the loaded traces and where they come from. Provided by
/// the trace view.
#[derive(Clone, Copy)]
pub struct LinkedTraces {
    pub source: StoredValue<Source>,
    pub rows: ReadSignal<Vec<Arc<Trace>>>,
}

#[component]
pub fn SpanLinks(trace: Arc<Trace>, links: Vec<SpanLink>, on_select: Callback<usize>) -> impl IntoView {
    let items = links.into_iter().map(|link| view! { <LinkItem trace=trace.clone() link=link on_select=on_select /> }).collect_view();
    view! {
        <section class="span-section span-links">
            <h3>"Links"</h3>
            <ul>{items}</ul>
        </section>
    }
}

#[component]
fn LinkItem(trace: Arc<Trace>, link: SpanLink, on_select: Callback<usize>) -> impl IntoView {
    let linked = expect_context::<LinkedTraces>();
    let navigator = expect_context::<Navigator>();
    let target = linked.rows.with_untracked(|rows| link_target(&link, &trace, rows));
    let span_id = link.span_id.clone();
    let open_trace = move |trace_id: String| {
        let mut next = navigator.location();
        next.trace_id = Some(trace_id);
        next.span_id = Some(span_id.clone()).filter(|id| !id.is_empty());
        next.search = None;
        navigator.go(next);
    };
    let on_server = linked.source.with_value(Source::filters_on_server);
    let action = match target.clone() {
        LinkTarget::ThisTrace(index) => view! {
            <button class="link-button" on:click=move |_| on_select.run(index)>"Select this span"</button>
        }
        .into_any(),
        LinkTarget::MissingInThisTrace => dangling("This trace holds no such span").into_any(),
        LinkTarget::OtherTrace { trace_id, loaded: true } => open_button(open_trace, trace_id),
        LinkTarget::OtherTrace { loaded: false, .. } if !on_server => dangling("Not among the loaded traces").into_any(),
        LinkTarget::OtherTrace { trace_id, loaded: false } => {
            // Only the server knows whether it has the trace: asked once, when the link is shown.
            let source = linked.source.get_value();
            let asked_id = trace_id.clone();
            let exists = LocalResource::new(move || {
                let (source, trace_id) = (source.clone(), asked_id.clone());
                async move { data::trace_exists(&source, &trace_id).await }
            });
            (move || match exists.get() {
                None => view! { <span class="muted">"Looking for it on the server…"</span> }.into_any(),
                Some(Ok(false)) => dangling("The server has no such trace").into_any(),
                // When the server cannot say, opening the trace shows what it answers.
                Some(Ok(true)) | Some(Err(_)) => open_button(open_trace.clone(), trace_id.clone()),
            })
            .into_any()
        }
    };
    let trace_label = match &target {
        LinkTarget::ThisTrace(_) | LinkTarget::MissingInThisTrace => "this trace".to_string(),
        LinkTarget::OtherTrace { trace_id, .. } => trace_id.clone(),
    };
    let has_attributes = !link.attributes.is_empty();
    let attributes = json_object(link.attributes);
    view! {
        <li class="span-link" class:dangling=matches!(target, LinkTarget::MissingInThisTrace)>
            <div class="span-link-target">
                <span class="muted">"Trace "</span><span class="mono">{trace_label}</span>
                <span class="muted">" · span "</span><span class="mono">{link.span_id.clone()}</span>
            </div>
            {has_attributes.then(|| view! { <JsonTree value=attributes /> })}
            <div class="span-link-action">{action}</div>
        </li>
    }
}

fn open_button(open_trace: impl Fn(String) + 'static, trace_id: String) -> AnyView {
    view! { <button class="link-button" on:click=move |_| open_trace(trace_id.clone())>"Open the linked trace"</button> }.into_any()
}

fn dangling(why: &'static str) -> impl IntoView {
    view! { <span class="badge badge-dangling" title="The link points at something this viewer cannot find">{format!("Dangling: {why}")}</span> }
}
