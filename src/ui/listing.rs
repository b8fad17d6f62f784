//! The list's load, owned by the shell: asked of the data layer whenever the source or a server's search
//! changes, the rows it brings put into [`LoadedRows`], and how far it is (for files: which one, how much
//! read) told to the views.

use crate::api::{ApiError, SearchQuery};
use crate::data::{self, Listing, LoadProblem, LoadStep};
use crate::location::Source;
use crate::ui::rows::LoadedRows;
use leptos::prelude::*;
use web_sys::AbortController;

#[derive(Clone, Copy)]
pub struct ListingLoad {
    /// The list's answer; None until the list is asked for.
    pub answer: LocalResource<Option<Result<Listing, ApiError>>>,
    /// What the load is doing, in words.
    pub step: RwSignal<LoadStep>,
    /// Files go on being read after their first rows show: whether they still are.
    pub files_reading: RwSignal<bool>,
    /// The files that could not be read (the others are shown).
    pub file_problems: RwSignal<Vec<LoadProblem>>,
}

impl ListingLoad {
    /// Loads the list of `source` filtered by `search`, once `ready` says the source is known and the list
    /// is wanted. A load that is replaced by the next one is aborted: it no longer touches the rows.
    pub fn start(source: Memo<Source>, search: Memo<Option<SearchQuery>>, ready: Signal<bool>, rows: LoadedRows) -> ListingLoad {
        let step = RwSignal::new(LoadStep::default());
        let files_reading = RwSignal::new(false);
        let file_problems = RwSignal::new(Vec::<LoadProblem>::new());
        let current = StoredValue::new_local(None::<AbortController>);
        on_cleanup(move || {
            if let Some(Some(load)) = current.try_with_value(Option::clone) {
                load.abort();
            }
        });
        let answer = LocalResource::new(move || {
            let (source, search, ready) = (source.get(), search.get().unwrap_or_default(), ready.get());
            step.set(LoadStep::text_only("Loading traces…".into()));
            files_reading.set(source.streams_files());
            let load = AbortController::new().ok();
            let wanted = load.as_ref().map(AbortController::signal);
            if let Some(previous) = current.try_update_value(|current| std::mem::replace(current, load)).flatten() {
                previous.abort();
            }
            let wanted = move || wanted.as_ref().is_some_and(|signal| !signal.aborted());
            let listener = data::LoadListener {
                progress: Box::new({
                    let wanted = wanted.clone();
                    move |now| {
                        if wanted() {
                            step.try_set(now);
                        }
                    }
                }),
                later: Box::new({
                    let wanted = wanted.clone();
                    move |so_far| {
                        if wanted() {
                            rows.show(so_far.traces);
                            file_problems.try_set(so_far.problems);
                            files_reading.try_set(!so_far.done);
                        }
                    }
                }),
                wanted: Box::new(wanted),
            };
            // Not ready: answered at once, and asked again once it is (a resource takes its next load only
            // after the current one has answered).
            async move {
                match ready {
                    true => Some(data::load_listing(&source, &search, listener).await),
                    false => None,
                }
            }
        });
        ListingLoad { answer, step, files_reading, file_problems }
    }

    /// How far the files are read, while more rows are still to come.
    pub fn reading(self) -> Signal<Option<LoadStep>> {
        Signal::derive(move || self.files_reading.get().then(|| self.step.get()))
    }
}
