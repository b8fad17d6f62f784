//! A session as the conversation it was (`session=<id>`): its traces in time order, each turn with the
//! user's input, the assistant's answer (markdown, media inline), the tools it called, and its duration,
//! tokens, cost, state and assessments; the session's totals on top. Turns are windowed (a card of fixed
//! height each, its messages scrolling inside), so 500 turns stay fluid. A turn opens its trace; Back returns.

use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::chat::{ChatMessage, ChatPart};
use crate::model::sessions::{conversation_of, Conversation, Turn};
use crate::model::Trace;
use crate::ui::browser::time::local_time;
use crate::ui::navigation::Navigator;
use crate::ui::trace::chat_view::MessageView;
use crate::ui::widgets::back_to_list::BackToList;
use crate::ui::widgets::error_panel::ErrorPanel;
use crate::ui::widgets::media::MediaContext;
use crate::ui::widgets::state_badge::StateBadge;
use crate::ui::widgets::windowing::Windowing;
use leptos::prelude::*;
use std::sync::Arc;

/// Every turn's card is this tall (px); the stylesheet reads it as `--turn-height`.
const TURN_HEIGHT: f64 = 300.0;
const OVERSCAN: usize = 3;

#[component]
pub fn SessionView(
    source: Source,
    session_id: String,
    /// The loaded rows (a file's traces are taken from them).
    rows: ReadSignal<Vec<Arc<Trace>>>,
    /// Whether the rows are all there (files are still being read otherwise).
    ready: Signal<bool>,
) -> impl IntoView {
    let title = format!("Session {session_id}");
    let source_for_turns = source.clone();
    // How many turns are asked for ("Load more" asks for more), and the traces already fetched whole.
    let limit = RwSignal::new(data::SESSION_TURNS_AT_ONCE);
    let fetched = StoredValue::new(Vec::<Arc<Trace>>::new());
    let loaded = LocalResource::new({
        let session_id = session_id.clone();
        move || {
            let (source, session_id, ready, limit) = (source.clone(), session_id.clone(), ready.get(), limit.get());
            let rows = if ready { rows.get_untracked() } else { Vec::new() };
            async move {
                if !ready {
                    return None;
                }
                let read = data::session_traces(&source, &session_id, &rows, &fetched.get_value(), limit).await;
                Some(read.map(|read| {
                    fetched.set_value(read.traces.clone());
                    (conversation_of(&session_id, &read.traces), read.more)
                }))
            }
        }
    });
    let load_more = move |_| limit.update(|limit| *limit += data::SESSION_TURNS_AT_ONCE);
    let body = move || match loaded.get().flatten() {
        None => view! { <p class="loading" role="status">"Loading the session…"</p> }.into_any(),
        Some(Err(message)) => view! {
            <ErrorPanel title="Could not load this session" message=message on_retry=Callback::new(move |_| loaded.refetch()) />
        }
        .into_any(),
        Some(Ok((conversation, _))) if conversation.turns.is_empty() => view! {
            <p class="warning" role="alert">{format!("No trace belongs to the session \"{session_id}\" here.")}</p>
        }
        .into_any(),
        Some(Ok((conversation, more))) => view! {
            <SessionTurns conversation=Arc::new(conversation) source=source_for_turns.clone() />
            {more.then(|| view! {
                <p class="session-more" role="status">
                    {format!("The first {} turns are shown; the session has more. ", format::count(limit.get_untracked() as u64))}
                    <button class="button small" on:click=load_more>"Load more turns"</button>
                </p>
            })}
        }
        .into_any(),
    };
    view! {
        <section class="session-view" aria-label="Session">
            <BackToList leave=|location| location.session = None />
            <h2 class="compare-title">{title}</h2>
            {body}
        </section>
    }
}

/// The totals, then the turns, windowed.
#[component]
fn SessionTurns(conversation: Arc<Conversation>, source: Source) -> impl IntoView {
    let count = conversation.turns.len();
    let window = Windowing::new(TURN_HEIGHT, OVERSCAN, move || count);
    let totals = [
        ("Turns", format::count(count as u64)),
        ("Failed turns", conversation.failed_turns.to_string()),
        ("Duration", format::duration_ns(conversation.duration_ns)),
        ("Tokens", conversation.tokens.map(format::count).unwrap_or_else(|| "–".into())),
        ("Cost", conversation.cost.map(format::cost_usd).unwrap_or_else(|| "–".into())),
    ];
    let turns = move || {
        let range = window.range.get();
        conversation.turns[range.clone()]
            .iter()
            .zip(range)
            .map(|(turn, at)| view! { <TurnCard turn=turn.clone() number=at + 1 top=window.top(at) source=source.clone() /> })
            .collect_view()
    };
    view! {
        <dl class="stat-cards session-totals">
            {totals.into_iter().map(|(label, value)| view! { <div class="stat-card"><dt class="stat-label">{label}</dt><dd class="stat-value">{value}</dd></div> }).collect_view()}
        </dl>
        <div class="session-scroller" node_ref=window.scroller on:scroll=move |_| window.measure() style:--turn-height=format!("{TURN_HEIGHT}px")
            role="list" aria-label="Turns">
            <div class="session-turns" style:height=window.height(count)>{turns}</div>
        </div>
    }
}

/// One turn: what the user said, what the assistant answered, the tools called, and its figures.
#[component]
fn TurnCard(turn: Turn, number: usize, top: String, source: Source) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    // Its media (MLflow keeps logged images as the trace's attachments) are fetched from its trace.
    provide_context(MediaContext::new(source, turn.trace.info.trace_id.clone()));
    let trace_id = turn.trace.info.trace_id.clone();
    let open = move |_| {
        let mut next = navigator.location();
        next.trace_id = Some(trace_id.clone());
        next.span_id = None;
        navigator.go(next);
    };
    let message = |role: &str, parts: Vec<ChatPart>, is_output: bool| ChatMessage {
        role: role.into(),
        parts,
        tool_call_id: None,
        name: None,
        is_output,
    };
    let facts: Vec<String> = [
        turn.trace.info.request_time_ns.map(local_time),
        turn.duration_ns.map(format::duration_ns),
        turn.tokens.map(|tokens| format!("{} tokens", format::count(tokens))),
        turn.cost.map(format::cost_usd),
    ]
    .into_iter()
    .flatten()
    .collect();
    let failed = turn.trace.info.state == crate::model::TraceState::Error;
    view! {
        <article class="turn-card" class:failed=failed role="listitem" style:top=top data-trace-id=turn.trace.info.trace_id.clone()>
            <header class="turn-head">
                <strong>{format!("Turn {number}")}</strong>
                <StateBadge state=turn.trace.info.state.clone() />
                <span class="muted">{facts.join(" · ")}</span>
                {(!turn.assessments.is_empty()).then(|| view! { <span class="turn-assessments">{turn.assessments.join(", ")}</span> })}
                <button class="button small" on:click=open>"Open trace"</button>
            </header>
            <div class="turn-body">
                <MessageView message=message("user", turn.input, false) />
                <MessageView message=message("assistant", turn.answer, true) />
                {(!turn.tools.is_empty()).then(|| view! {
                    <p class="turn-tools"><span class="muted">"Tools: "</span>
                        {turn.tools.into_iter().map(|tool| view! { <span class="span-type type-tool">{tool}</span> }).collect_view()}
                    </p>
                })}
            </div>
        </article>
    }
}
