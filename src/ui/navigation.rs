//! Where the viewer is and how it moves: the location (what the URL says, or what a host page set), the
//! traces handed over instead of named, and the table's order that j/k walk. The shell owns these; screens
//! read and change them through here, not through the shell.

use crate::data::TraceList;
use crate::location::{renderer_base, Source, ViewLocation};
use crate::model::Trace;
use leptos::prelude::*;
use std::sync::Arc;

/// Changes what is shown and records it in the URL (so Back and shared links work); mounted into a host's
/// element, the view is kept in memory and the host's URL is left alone.
#[derive(Clone, Copy)]
pub struct Navigator {
    location: RwSignal<ViewLocation>,
    in_url: bool,
}

impl Navigator {
    /// The page's own navigator: it starts at the page's URL and keeps the URL in step (Back works).
    pub fn for_page() -> Navigator {
        Navigator { location: RwSignal::new(current_location()), in_url: true }
    }

    /// A navigator for a viewer mounted into a host's element: the view in memory, the host's URL untouched.
    pub fn in_memory(start: ViewLocation) -> Navigator {
        Navigator { location: RwSignal::new(start), in_url: false }
    }

    /// Whether the view is the page's URL (and so a URL naming nothing may get the deployment's default).
    pub fn in_url(&self) -> bool {
        self.in_url
    }

    /// The location as a signal, for readers that track a part of it.
    pub fn signal(&self) -> RwSignal<ViewLocation> {
        self.location
    }

    /// The page's URL changed under the viewer (Back, Forward): show what it names now.
    pub fn follow_page(&self) {
        self.location.set(current_location());
    }

    /// Shows `next` as a new history entry.
    pub fn go(&self, next: ViewLocation) {
        if let (true, Ok(history)) = (self.in_url, window().history()) {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url_of(&next)));
        }
        self.location.set(next);
    }

    /// Shows `next` in place of the current entry (typing in the search box should not fill the history).
    pub fn replace(&self, next: ViewLocation) {
        if let (true, Ok(history)) = (self.in_url, window().history()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url_of(&next)));
        }
        self.location.set(next);
    }

    /// Shows traces handed over (a standalone file's, a host page's): one opens, several are listed.
    pub fn show_provided(&self, provided: ProvidedTraces, traces: Result<Vec<Trace>, String>) {
        match traces {
            Ok(traces) => {
                let mut next = ViewLocation::of(Source::Provided);
                next.embed = self.location().embed;
                next.trace_id = (traces.len() == 1).then(|| traces[0].info.trace_id.clone());
                provided.set(Some(Ok(TraceList { traces: traces.into_iter().map(Arc::new).collect(), ..TraceList::default() })));
                self.replace(next);
            }
            Err(message) => provided.set(Some(Err(message))),
        }
    }

    pub fn location(&self) -> ViewLocation {
        self.location.get_untracked()
    }

    /// The location, tracked: a reactive closure reading it reruns when it changes.
    pub fn current(&self) -> ViewLocation {
        self.location.get()
    }
}

fn url_of(location: &ViewLocation) -> String {
    match location.to_query() {
        query if query.is_empty() => window().location().pathname().unwrap_or_default(),
        query => query,
    }
}

fn current_location() -> ViewLocation {
    let mut location = ViewLocation::from_query(&window().location().search().unwrap_or_default());
    // Where MLflow's notebook display looks for its renderer, the view is compact: no header.
    location.embed |= renderer_base(&window().location().pathname().unwrap_or_default()).is_some();
    location
}

/// Traces handed over rather than named by the URL, or why they cannot be shown.
pub type ProvidedTraces = RwSignal<Option<Result<TraceList, String>>>;

/// The traces in the table's current order (filtered and sorted), so that `j`/`k` walk them.
#[derive(Clone, Copy)]
pub struct TableOrder(pub RwSignal<Vec<String>>);
