//! One trace: its header (name, id, state, duration, time, tokens, cost, session, user, run, prompts), its
//! tags, and the span explorer. Owns the page's keyboard shortcuts and refreshes an in-progress trace until
//! it completes. The trace is fetched once per open (the table's copy is used when it has the spans).

use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::{Trace, TraceState};
use crate::ui::browser::time::local_time;
use crate::ui::navigation::{Navigator, TableOrder};
use crate::ui::rows::LoadedRows;
use crate::ui::trace::assessments_pane::TraceAssessments;
use crate::ui::trace::graph_view::AgentGraphView;
use crate::ui::trace::shortcuts::{neighbour, trace_key, TraceKey, SHORTCUTS};
use crate::ui::trace::span_explorer::SpanExplorer;
use crate::ui::trace::span_links::LinkedTraces;
use crate::ui::trace::tag_editor::TagEditor;
use crate::ui::widgets::error_panel::ErrorPanel;
use crate::ui::widgets::media::{MediaCapSetting, MediaContext};
use crate::ui::widgets::state_badge::StateBadge;
use leptos::prelude::*;
use std::sync::Arc;

/// How long an in-progress trace keeps being refreshed, and how often.
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(3);
const MAX_REFRESHES: u32 = 100;

#[component]
pub fn TraceDetail(
    source: Source,
    trace_id: String,
    rows: LoadedRows,
    /// Called when the trace has loaded or failed to (and again after each refresh of an in-progress trace).
    on_settled: Callback<()>,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    // Bumped to fetch an in-progress trace again; the shown trace stays until the new one arrives.
    let refresh = RwSignal::new(0u32);
    let trace = LocalResource::new({
        let (trace_id, source) = (trace_id.clone(), source.clone());
        move || {
            let refreshing = refresh.get() > 0;
            // A refresh asks the server again instead of reusing the table's copy.
            let loaded = if refreshing { Vec::new() } else { rows.list().get_untracked() };
            let (source, trace_id) = (source.clone(), trace_id.clone());
            async move { data::load_trace(&source, &trace_id, &loaded).await }
        }
    });
    // A trace file's trace is already parsed in the rows: shown at once, without a round through the
    // resource (which would wait for the next turn of the event loop).
    let from_rows = rows.list().with_untracked(|rows| rows.iter().find(|row| row.info.trace_id == trace_id && row.spans_loaded).cloned());
    let from_rows = (!source.is_writable()).then_some(from_rows).flatten();
    let current = move || match &from_rows {
        Some(trace) => Some(Ok(trace.clone())),
        None => trace.get(),
    };
    let current_is_settled = current.clone();
    Effect::new(move |_| {
        if current_is_settled().is_some() {
            on_settled.run(());
        }
    });
    Effect::new(move |_| {
        let running = trace.with(|t| matches!(t, Some(Ok(trace)) if trace.info.state == TraceState::InProgress));
        if running && refresh.get_untracked() < MAX_REFRESHES {
            set_timeout(
                move || {
                    refresh.try_update(|n| *n += 1);
                },
                REFRESH_EVERY,
            );
        }
    });
    // Keys: as crate::ui::trace::shortcuts lists them.
    let search_input = NodeRef::<leptos::html::Input>::new();
    provide_context(MediaContext::new(source.clone(), trace_id.clone()));
    provide_context(LinkedTraces { source: StoredValue::new(source.clone()), rows: rows.list() });
    let help = RwSignal::new(false);
    let overlays = OpenOverlays(RwSignal::new(0));
    provide_context(overlays);
    listen_for_shortcuts(TraceKeys { navigator, trace_id: trace_id.clone(), rows, help, overlays, search_input });
    let back = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        go_to_list(navigator);
    };
    view! {
        <section class="trace-detail">
            <div class="trace-nav">
                <a class="back-link" href="?" on:click=back>"← All traces"</a>
                <span class="trace-nav-tools">
                    <MediaCapSetting />
                    <button class="link-button muted" on:click=move |_| help.set(true)>"Keyboard shortcuts (?)"</button>
                </span>
            </div>
            {move || match current() {
                None => view! { <p class="loading" role="status">{format!("Loading trace {trace_id}…")}</p> }.into_any(),
                Some(Err(message)) => view! {
                    <ErrorPanel title="Could not load this trace" message=message on_retry=Callback::new(move |_| trace.refetch()) />
                }.into_any(),
                Some(Ok(trace)) => view! { <LoadedTrace trace=trace source=source.clone() rows=rows search_input=search_input /> }.into_any(),
            }}
            <Show when=move || help.get()>
                <KeyboardHelp on_close=Callback::new(move |_| help.set(false)) />
            </Show>
        </section>
    }
}

/// The trace once loaded: its header, tags and spans. Its edits (tags, assessments) reach the table's row.
#[component]
fn LoadedTrace(trace: Arc<Trace>, source: Source, rows: LoadedRows, search_input: NodeRef<leptos::html::Input>) -> impl IntoView {
    let on_changed = Callback::new(move |updated: Arc<Trace>| {
        rows.change(&updated.info.trace_id, |row| row.info.tags = updated.info.tags.clone());
    });
    let assessments = TraceAssessments { list: RwSignal::new(trace.info.assessments.clone()), source: StoredValue::new(source.clone()) };
    provide_context(assessments);
    let trace_id = trace.info.trace_id.clone();
    Effect::new(move |first: Option<()>| {
        let list = assessments.list.get();
        if first.is_some() {
            rows.change(&trace_id, |row| row.info.assessments = list);
        }
    });
    let navigator = expect_context::<Navigator>();
    let graph_shown = Memo::new(move |_| navigator.signal().with(|location| location.graph));
    let show_graph = move |graph: bool| {
        let mut next = navigator.location();
        next.graph = graph;
        navigator.replace(next);
    };
    view! {
        <TraceHeader trace=trace.clone() />
        <TagEditor trace=trace.clone() source=source on_changed=on_changed />
        <nav class="tabs trace-views" aria-label="Trace views" role="tablist">
            <button class="tab" role="tab" aria-selected=move || (!graph_shown.get()).to_string() on:click=move |_| show_graph(false)>"Tree and timeline"</button>
            <button class="tab" role="tab" aria-selected=move || graph_shown.get().to_string() on:click=move |_| show_graph(true)>"Graph"</button>
        </nav>
        {move || match graph_shown.get() {
            true => view! { <AgentGraphView trace=trace.clone() /> }.into_any(),
            false => view! { <SpanExplorer trace=trace.clone() search_input=search_input /> }.into_any(),
        }}
    }
}

/// The list as it was left, without the trace.
fn go_to_list(navigator: Navigator) {
    let mut home = navigator.location();
    home.trace_id = None;
    home.span_id = None;
    home.search = None;
    home.graph = false;
    navigator.go(home);
}

/// What the page's shortcuts act on.
struct TraceKeys {
    navigator: Navigator,
    trace_id: String,
    rows: LoadedRows,
    help: RwSignal<bool>,
    overlays: OpenOverlays,
    search_input: NodeRef<leptos::html::Input>,
}

/// Listens for the shortcuts (`shortcuts::SHORTCUTS`) while the trace is shown.
fn listen_for_shortcuts(keys: TraceKeys) {
    let TraceKeys { navigator, trace_id, rows, help, overlays, search_input } = keys;
    let table_order = use_context::<TableOrder>();
    let listener = window_event_listener(leptos::ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let typing = event
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        let overlay_open = overlays.0.get_untracked() > 0;
        let Some(action) = trace_key(&event.key(), typing, help.get_untracked(), overlay_open) else { return };
        match action {
            TraceKey::CloseHelp => help.set(false),
            TraceKey::ToggleHelp => help.update(|open| *open = !*open),
            TraceKey::Back => go_to_list(navigator),
            TraceKey::FocusSearch => {
                event.prevent_default();
                if let Some(input) = search_input.get_untracked() {
                    let _ = input.focus();
                }
            }
            TraceKey::NextTrace | TraceKey::PreviousTrace => {
                let Some(TableOrder(order)) = table_order else { return };
                // Until the table is built (a link straight to a trace), its default order is the rows' order.
                let ids = match order.get_untracked() {
                    ids if ids.is_empty() => rows.list().with_untracked(|rows| rows.iter().map(|row| row.info.trace_id.clone()).collect()),
                    ids => ids,
                };
                if let Some(id) = neighbour(&ids, &trace_id, action == TraceKey::NextTrace) {
                    let mut next = navigator.location();
                    next.trace_id = Some(id);
                    next.span_id = None;
                    next.search = None;
                    navigator.go(next);
                }
            }
        }
    });
    on_cleanup(move || listener.remove());
}

/// How many overlays (an image opened full size) are open over the trace view: Esc closes them first.
#[derive(Clone, Copy)]
pub struct OpenOverlays(RwSignal<u32>);

impl OpenOverlays {
    /// Counts an overlay as open until the component calling this is removed.
    pub fn hold() {
        if let Some(OpenOverlays(open)) = use_context::<OpenOverlays>() {
            open.update(|count| *count += 1);
            on_cleanup(move || open.try_update(|count| *count = count.saturating_sub(1)).unwrap_or(()));
        }
    }
}
#[component]
fn KeyboardHelp(on_close: Callback<()>) -> impl IntoView {
    view! {
        <div class="overlay" on:click=move |_| on_close.run(())>
            <div class="dialog" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" on:click=|event| event.stop_propagation()>
                <h2>"Keyboard shortcuts"</h2>
                <dl class="key-list">
                    {SHORTCUTS.iter().map(|shortcut| view! { <div><dt><kbd>{shortcut.label}</kbd></dt><dd>{shortcut.what}</dd></div> }).collect_view()}
                </dl>
                <button class="button" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </div>
    }
}

#[component]
fn TraceHeader(trace: Arc<Trace>) -> impl IntoView {
    let info = &trace.info;
    let mut facts: Vec<(&'static str, String)> = Vec::new();
    // The root span's own duration is exact; the server keeps whole milliseconds (0 for a fast trace).
    if let Some(duration) = trace.duration_ns() {
        facts.push(("Execution time", format::duration_ns(duration)));
    }
    if let Some(time) = info.request_time_ns {
        facts.push(("Request time", local_time(time)));
    }
    if let Some(usage) = trace.token_usage() {
        facts.push(("Tokens", format::token_summary(&usage)));
    }
    if let Some(cost) = trace.cost() {
        facts.push(("Cost", format::cost_usd(cost.total_cost)));
    }
    if let Some(session) = trace.session() {
        facts.push(("Session", session.to_string()));
    }
    if let Some(user) = trace.user() {
        facts.push(("User", user.to_string()));
    }
    if let Some(run) = trace.run_id() {
        facts.push(("Run", run.to_string()));
    }
    let prompts = trace.linked_prompts();
    if !prompts.is_empty() {
        facts.push(("Prompts", prompts.iter().map(|p| format!("{} v{}", p.name, p.version)).collect::<Vec<_>>().join(", ")));
    }
    view! {
        <header class="trace-header">
            <h1>{trace.name()} " " <StateBadge state=info.state.clone() /></h1>
            <p class="mono muted">{info.trace_id.clone()}</p>
            <dl class="facts">
                {facts.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
            </dl>
        </header>
    }
}
