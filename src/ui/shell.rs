//! The app shell: reads what to show from the URL, loads it through the data layer, and shows the list,
//! a trace, an experiment picker, or what went wrong.

use crate::data::{self, Listing, TraceList};
use crate::location::{Source, ViewLocation};
use crate::model::Trace;
use crate::ui::browser::theme::ThemePicker;
use crate::ui::compare::CompareRuns;
use crate::ui::listing::ListingLoad;
use crate::ui::navigation::{Navigator, ProvidedTraces, TableOrder};
use crate::ui::overview::Overview;
use crate::ui::rows::LoadedRows;
use crate::ui::session::SessionView;
use crate::ui::table::experiment_picker::ExperimentPicker;
use crate::ui::table::TracesTable;
use crate::ui::trace::detail::TraceDetail;
use crate::ui::widgets::error_panel::ErrorPanel;
use leptos::ev;
use leptos::prelude::*;

/// The viewer owning the page: what it shows is the page's URL.
#[component]
pub fn App() -> impl IntoView {
    let navigator = Navigator::for_page();
    let location = navigator.signal();
    let popstate = window_event_listener(ev::popstate, move |_| navigator.follow_page());
    on_cleanup(move || popstate.remove());
    let provided: ProvidedTraces = RwSignal::new(None);
    // Traces written into a standalone file, or sent by a host page with MLflow's frame-renderer protocol,
    // replace whatever the URL named.
    let in_page = crate::ui::browser::embed::traces_in_page();
    // A standalone file has no deployment beside it: no config.json to read.
    let deployed = in_page.is_none();
    if let Some(traces) = in_page {
        navigator.show_provided(provided, traces);
    }
    if crate::ui::browser::embed::is_framed() {
        Effect::new(move |_| {
            location.with(|location| crate::ui::browser::embed::report_selection(location.trace_id.as_deref(), location.span_id.as_deref()))
        });
        // Who may hear the frame's messages is known once config.json is read: only then does the viewer say
        // READY and report its height, and the selection so far is told again.
        let report_height = location.with_untracked(|location| location.embed);
        leptos::task::spawn_local(async move {
            if deployed {
                crate::ui::browser::embed::allow_embedders(
                    data::deploy_config().await.ok().flatten().map(|config| config.embedder_origins()).unwrap_or_default(),
                );
                location.with_untracked(|location| {
                    crate::ui::browser::embed::report_selection(location.trace_id.as_deref(), location.span_id.as_deref())
                });
            }
            crate::ui::browser::embed::receive_traces_from_parent(move |traces| navigator.show_provided(provided, traces));
            if report_height {
                crate::ui::browser::embed::report_height_to_parent();
            }
        });
    }
    view! { <Viewer navigator=navigator provided=provided /> }
}

/// The viewer mounted into a host page's element (the JavaScript API): it starts at `start`, keeps its view
/// in memory, and hands its navigator and traces signal to `expose` so the host can change them later.
#[component]
pub fn MountedApp(
    start: ViewLocation,
    traces: Option<Result<Vec<Trace>, String>>,
    expose: Box<dyn FnOnce(Navigator, ProvidedTraces)>,
) -> impl IntoView {
    let navigator = Navigator::in_memory(start);
    let provided: ProvidedTraces = RwSignal::new(None);
    if let Some(traces) = traces {
        navigator.show_provided(provided, traces);
    }
    expose(navigator, provided);
    view! { <Viewer navigator=navigator provided=provided /> }
}

#[component]
fn Viewer(navigator: Navigator, provided: ProvidedTraces) -> impl IntoView {
    let location = navigator.signal();
    provide_context(navigator);
    provide_context(TableOrder(RwSignal::new(Vec::new())));

    // Traces handed over by the host page (or written into it) stay read-only whatever the URL says after:
    // a default source resolved later, or a link, never turns their ids into writes on a server.
    let source = Memo::new(move |_| match provided.with(Option::is_some) {
        true => Source::Provided,
        false => location.with(|location| location.source.clone()),
    });
    let trace_id = Memo::new(move |_| location.with(|location| location.trace_id.clone()));
    // A server is asked again when its search changes; files are filtered in the table.
    let search = Memo::new(move |_| location.with(data::server_query));
    let resolving = resolve_default_source(navigator, provided);
    // A link straight to a trace on a server asks for the list only once that trace has loaded (or the user
    // has left it): the server answers the trace alone, sooner, and the list only serves j/k and Back.
    let trace_settled = RwSignal::new(false);
    let list_wanted = Memo::new(move |wanted: Option<&bool>| {
        wanted == Some(&true) || trace_settled.get() || trace_id.with(Option::is_none) || !source.with(Source::fetches_each_trace)
    });
    let rows = LoadedRows::default();
    let load = ListingLoad::start(source, search, Signal::derive(move || !resolving.get() && list_wanted.get()), rows);
    let shown = Signal::derive(move || match provided.get() {
        Some(result) => Some(result.map(Listing::Traces)),
        // A trace named on a server opens without choosing its experiment first.
        None => load.answer.get().flatten().map(|result| match result {
            Ok(Listing::ChooseExperiment(_)) if trace_id.with(Option::is_some) => Ok(Listing::Traces(TraceList::default())),
            other => other.map_err(|err| err.to_string()),
        }),
    });
    // A trace on a server opens at once, while the list loads beside it; a trace in files waits for them all.
    let detail_ready = Memo::new(move |_| {
        !resolving.get()
            && (source.with(Source::fetches_each_trace)
                || !load.files_reading.get()
                    && matches!(shown.get(), Some(Ok(Listing::Traces(list))) if !list.traces.is_empty() || list.problems.is_empty()))
    });
    let detail = move || {
        let id = trace_id.get()?;
        // Opened anew when its source changes, and for files whenever their rows are replaced (its trace is
        // taken from them); a server's list arriving does not reopen it.
        if !source.with(Source::fetches_each_trace) {
            rows.list().track();
        }
        detail_ready.get().then(|| view! {
            <TracePager />
            <TraceDetail source=source.get_untracked() trace_id=id rows=rows on_settled=Callback::new(move |_| trace_settled.set(true)) />
        })
    };
    let trace_open = Signal::derive(move || detail_ready.get() && trace_id.with(Option::is_some));
    view! {
        <div class="app">
            <AppHeader source=source />
            <main class="app-main">
                <ListPage shown=shown load=load rows=rows source=source resolving=resolving.into() trace_open=trace_open provided=provided />
                {detail}
            </main>
        </div>
    }
}

/// A URL naming no source gets the deployment's default (config.json, a server at this origin, or the
/// demo), decided before anything loads; not for traces written into the page, even unreadable ones.
/// Whether it is still being decided.
fn resolve_default_source(navigator: Navigator, provided: ProvidedTraces) -> ReadSignal<bool> {
    let resolving =
        RwSignal::new(navigator.in_url() && provided.with_untracked(Option::is_none) && navigator.location().source == Source::Demo);
    if resolving.get_untracked() {
        leptos::task::spawn_local(async move {
            let page = window().location();
            let (origin, path) = (page.origin().unwrap_or_default(), page.pathname().unwrap_or_default());
            // Experiments named without a server (as in MLflow's notebook renderer URL) belong to the default one.
            let query = crate::location::parse_query(&page.search().unwrap_or_default());
            let mut experiment_ids: Vec<String> = Vec::new();
            for (_, id) in query.into_iter().filter(|(key, _)| key == "experiment_id") {
                if !experiment_ids.contains(&id) {
                    experiment_ids.push(id);
                }
            }
            let source = match data::default_source(&origin, &path, &experiment_ids).await {
                Ok(source) => source,
                // Shown where the traces would be: nothing else is, rather than the demo in its place.
                Err(message) => {
                    provided.set(Some(Err(message.into())));
                    Source::Demo
                }
            };
            // Unless something else named the source meanwhile (a host page's traces).
            if source != Source::Demo && navigator.location().source == Source::Demo {
                let mut next = navigator.location();
                next.source = source;
                navigator.replace(next);
            }
            resolving.set(false);
        });
    }
    resolving.read_only()
}

/// The list (or the overview, or the experiments to choose from, or what went wrong), under an open trace.
#[component]
fn ListPage(
    shown: Signal<Option<Result<Listing, String>>>,
    load: ListingLoad,
    rows: LoadedRows,
    source: Memo<Source>,
    resolving: Signal<bool>,
    /// Whether a trace is open over the list.
    trace_open: Signal<bool>,
    provided: ProvidedTraces,
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let location = navigator.signal();
    let overview_shown = Memo::new(move |_| location.with(|location| location.overview.is_some() && location.trace_id.is_none()));
    // Traces compared side by side, when the URL asks for it.
    let compared =
        Memo::new(move |_| location.with(|location| if location.trace_id.is_none() { location.compare.clone() } else { Vec::new() }));
    // A session shown as its conversation, when the URL asks for it.
    let session = Memo::new(move |_| location.with(|location| location.session.clone().filter(|_| location.trace_id.is_none())));
    let list_shown = Memo::new(move |_| {
        location.with(|location| location.trace_id.is_none())
            && !overview_shown.get()
            && compared.with(Vec::is_empty)
            && session.with(Option::is_none)
    });
    move || match shown.get() {
        _ if resolving.get() => view! { <p class="loading" role="status">"Loading traces…"</p> }.into_any(),
        // The open trace shows meanwhile; the list's own trouble is told when the user goes back to it.
        None | Some(Err(_)) if trace_open.get() => ().into_any(),
        None => view! { <p class="loading" role="status">{move || load.step.with(|step| step.text.clone())}</p> }.into_any(),
        // Only the host page can send its traces again.
        Some(Err(message)) if provided.with(Option::is_some) => {
            view! { <ErrorPanel title="Could not show the traces" message=message /> }.into_any()
        }
        Some(Err(message)) => view! {
            <ErrorPanel title="Could not load traces" message=message on_retry=Callback::new(move |_| load.answer.refetch()) />
        }
        .into_any(),
        Some(Ok(Listing::ChooseExperiment(experiments))) => view! { <ExperimentPicker experiments=experiments /> }.into_any(),
        Some(Ok(Listing::Traces(list))) if list.traces.is_empty() && !list.problems.is_empty() => {
            view! { <ErrorPanel title="Could not read the trace files" message=data::problems_text(&list.problems) /> }.into_any()
        }
        // The table stays mounted (hidden) under an open trace, so Back finds its scroll position,
        // search, selection and loaded pages as they were.
        // A link straight to a trace builds the table only when the user first goes back to it.
        Some(Ok(Listing::Traces(list))) => {
            rows.show(list.traces.clone());
            load.file_problems.set(list.problems.clone());
            // Read untracked: this view must not be rebuilt (and the rows reset to the list's first answer)
            // each time a trace is opened or left.
            let table_wanted = RwSignal::new(list_shown.get_untracked());
            Effect::new(move |_| {
                if list_shown.get() && !table_wanted.get_untracked() {
                    table_wanted.set(true);
                }
            });
            view! {
                <div class="table-page" class:behind=move || !list_shown.get()>
                    {move || table_wanted.get().then(|| view! {
                        <TracesTable list=list.clone() rows=rows problems=load.file_problems reading=load.reading() source=source.get_untracked() />
                    })}
                </div>
                {move || overview_shown.get().then(|| view! { <Overview source=source.get_untracked() rows=rows.list() /> })}
                {move || session.get().map(|session_id| view! {
                    <SessionView source=source.get_untracked() session_id=session_id rows=rows.list() ready=Signal::derive(move || !load.files_reading.get()) />
                })}
                {move || {
                    let trace_ids = compared.get();
                    (!trace_ids.is_empty()).then(|| view! {
                        <CompareRuns source=source.get_untracked() trace_ids=trace_ids rows=rows.list() ready=Signal::derive(move || !load.files_reading.get()) />
                    })
                }}
            }
            .into_any()
        }
    }
}

/// The header: the way back to the list, the views, where the traces come from, and the theme.
#[component]
fn AppHeader(source: Memo<Source>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let location = navigator.signal();
    let embedded = location.with_untracked(|location| location.embed);
    let overview_shown = Memo::new(move |_| location.with(|location| location.overview.is_some() && location.trace_id.is_none()));
    // The list as it was left (its filter and sort), without the open trace or the overview.
    let show_list = move |event: ev::MouseEvent| {
        event.prevent_default();
        let mut list = navigator.location();
        list.trace_id = None;
        list.span_id = None;
        list.search = None;
        list.graph = false;
        list.overview = None;
        navigator.go(list);
    };
    let show_overview = move |event: ev::MouseEvent| {
        event.prevent_default();
        let mut overview = ViewLocation::of(navigator.location().source);
        overview.overview = Some(navigator.location().overview.unwrap_or_default());
        navigator.go(overview);
    };
    view! {
        <header class="app-header" class:hidden=embedded>
            <a class="brand" href="?" on:click=show_list>"Trace viewer"</a>
            <nav class="view-switch" aria-label="Views">
                <a href="?" aria-current=move || (!overview_shown.get()).then_some("page") on:click=show_list>"Traces"</a>
                <a href="?view=overview" aria-current=move || overview_shown.get().then_some("page") on:click=show_overview>"Overview"</a>
            </nav>
            <span class="source-label">{move || source.with(Source::label)}</span>
            <ThemePicker />
        </header>
    }
}

/// When the URL names several traces (a notebook's), which one this is, and the way to the others.
#[component]
fn TracePager() -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let place = move || {
        let location = navigator.current();
        let at = location.trace_id.as_ref().and_then(|id| location.trace_ids.iter().position(|listed| listed == id))?;
        Some((at, location.trace_ids.len()))
    };
    let show = move |at: usize| {
        let mut next = navigator.location();
        next.trace_id = next.trace_ids.get(at).cloned();
        next.span_id = None;
        next.search = None;
        navigator.replace(next);
    };
    move || {
        place().map(|(at, count)| {
            view! {
                <nav class="trace-pager" aria-label="Traces">
                    <button type="button" class="button small" disabled=at == 0 on:click=move |_| show(at - 1)>"‹ Previous"</button>
                    <span>{format!("Trace {} of {count}", at + 1)}</span>
                    <button type="button" class="button small" disabled=at + 1 == count on:click=move |_| show(at + 1)>"Next ›"</button>
                </nav>
            }
        })
    }
}
