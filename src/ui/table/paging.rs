//! A server's list, a page at a time: the next page is asked for as the user nears the end of what is
//! loaded; a failed page says why and offers to try again; a page token handed out a second time ends the
//! list with an error rather than a loop.

use crate::api::{ApiError, SearchQuery};
use crate::data::{self, PageTokens, TraceList};
use crate::location::Source;
use crate::ui::rows::LoadedRows;
use leptos::prelude::*;

/// Why the list stops early.
#[derive(Clone, Debug)]
pub enum PageProblem {
    /// The request failed; trying again may help.
    Failed(ApiError),
    /// The server's page tokens go round in a circle.
    Circular(String),
}

impl std::fmt::Display for PageProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageProblem::Failed(error) => write!(f, "{error}"),
            PageProblem::Circular(problem) => write!(f, "The list ends here: {problem}."),
        }
    }
}

#[derive(Clone, Copy)]
pub struct ServerPages {
    /// Where the next page starts, while there is one.
    next: RwSignal<Option<String>>,
    pub problem: RwSignal<Option<PageProblem>>,
    /// Whether a page is on its way.
    loading: RwSignal<bool>,
    /// Where the pages are read from (a read, not a write: no `Action`, whose machinery costs 5 KB of wasm).
    source: StoredValue<(Source, SearchQuery)>,
    /// The tokens followed so far, to see a circle.
    followed: StoredValue<PageTokens>,
    rows: LoadedRows,
}

impl ServerPages {
    /// The pages after the first one (`list`), appended to `rows` as they arrive.
    pub fn new(list: &TraceList, source: Source, query: SearchQuery, rows: LoadedRows) -> ServerPages {
        let next = RwSignal::new(list.next_page_token.clone());
        let mut followed = PageTokens::default();
        let _ = followed.follow(list.next_page_token.clone(), list.traces.len());
        ServerPages {
            next,
            problem: RwSignal::new(None),
            loading: RwSignal::new(false),
            source: StoredValue::new((source, query)),
            followed: StoredValue::new(followed),
            rows,
        }
    }

    pub fn has_more(self) -> bool {
        self.next.with(Option::is_some)
    }

    pub fn loading(self) -> bool {
        self.loading.get()
    }

    /// Asks for the next page, unless one is on its way or there is none.
    pub fn load_more(self) {
        if self.loading.get_untracked() {
            return;
        }
        let Some(token) = self.next.get_untracked() else { return };
        self.problem.set(None);
        self.loading.set(true);
        let (source, query) = self.source.get_value();
        leptos::task::spawn_local(async move {
            let page = data::load_more(&source, &query, &token).await;
            self.loading.set(false);
            match page {
                Ok(page) => {
                    let added = page.traces.len();
                    self.rows.append_page(page.traces);
                    match self.followed.try_update_value(|followed| followed.follow(page.next_page_token, added)).unwrap_or(Ok(None)) {
                        Ok(token) => self.next.set(token),
                        Err(circular) => {
                            self.next.set(None);
                            self.problem.set(Some(PageProblem::Circular(circular)));
                        }
                    }
                }
                Err(error) => self.problem.set(Some(PageProblem::Failed(error))),
            }
        });
    }

    /// Asks for the next page when the user has scrolled within `ahead` rows of the end.
    pub fn follow_scrolling(self, rows_after_view: impl Fn() -> usize + 'static, ahead: usize) {
        Effect::new(move |_| {
            if rows_after_view() < ahead && self.has_more() && self.problem.with(Option::is_none) {
                self.load_more();
            }
        });
    }
}

/// Says that more traces are loading, or why they could not be, with a way to try again.
#[component]
pub fn PagingStatus(pages: ServerPages) -> impl IntoView {
    view! {
        <Show when=move || pages.loading()>
            <p class="loading" role="status">"Loading more traces…"</p>
        </Show>
        {move || pages.problem.get().map(|problem| view! {
            <p class="warning" role="alert">
                {format!("Could not load more traces. {problem} ")}
                <button class="button" on:click=move |_| pages.load_more()>"Try again"</button>
            </p>
        })}
    }
}
