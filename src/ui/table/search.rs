//! The table's search and sort: the text typed (and whether it parses), the clauses added from the filter
//! dropdown, the sort clicked in a header, and how each reaches the URL. Against a server the search is sent
//! on Enter (a new history entry); on files the URL follows every valid keystroke (replacing the entry).

use super::columns::Column;
use crate::query::{parse_filter, Clause, Filter, FilterError, Matcher, OrderBy};
use crate::ui::navigation::Navigator;
use leptos::ev;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct TableSearch {
    /// What is typed in the search box.
    pub draft: RwSignal<String>,
    pub parsed: Memo<Result<Filter, FilterError>>,
    /// A regular expression in the filter that does not compile.
    pub regex_error: Memo<Option<String>>,
    pub order: RwSignal<OrderBy>,
    navigator: Navigator,
    is_server: bool,
}

impl TableSearch {
    /// The search and sort the URL names.
    pub fn new(navigator: Navigator, is_server: bool) -> TableSearch {
        let location = navigator.location();
        let draft = RwSignal::new(location.filter.clone().unwrap_or_default());
        let parsed = Memo::new(move |_| draft.with(|text| parse_filter(text)));
        let regex_error = Memo::new(move |_| match parsed.get() {
            Ok(filter) => Matcher::new(&filter).err(),
            Err(_) => None,
        });
        let order = RwSignal::new(location.order_by.as_deref().and_then(|text| OrderBy::parse(text).ok()).unwrap_or_default());
        let search = TableSearch { draft, parsed, regex_error, order, navigator, is_server };
        if !is_server {
            Effect::new(move |_| {
                if parsed.with(Result::is_ok) {
                    search.apply();
                }
            });
        }
        search
    }

    /// Puts the typed filter, when it parses, into the URL.
    pub fn apply(self) {
        let Ok(filter) = self.parsed.get_untracked() else { return };
        let mut next = self.navigator.location();
        let canonical = (!filter.clauses.is_empty()).then(|| self.draft.get_untracked().trim().to_string());
        if next.filter != canonical {
            next.filter = canonical;
            self.navigate(next, true);
        }
    }

    /// Clauses from the filter dropdown: each replaces an earlier clause on the same field and comparator.
    pub fn add_clauses(self, clauses: Vec<Clause>) {
        let mut filter = self.parsed.get_untracked().unwrap_or_default();
        filter.clauses.retain(|old| !clauses.iter().any(|new| new.field == old.field && new.op == old.op));
        filter.clauses.extend(clauses);
        self.draft.set(filter.to_string());
        self.apply();
    }

    /// A click on a column's header: sorted by it descending, or the other way when it already is.
    pub fn sort_by(self, column: Column) {
        let Some(key) = column.order_key() else { return };
        let current = self.order.get_untracked();
        let same_key = OrderBy::parse(key).map(|o| o.key == current.key).unwrap_or(false);
        let direction = if same_key && current.descending { "ASC" } else { "DESC" };
        let Ok(next_order) = OrderBy::parse(&format!("{key} {direction}")) else { return };
        self.order.set(next_order.clone());
        let mut next = self.navigator.location();
        next.order_by = Some(next_order.to_string());
        self.navigate(next, next_order.server_supported());
    }

    /// A server is asked again (a history entry of its own) when it does the work; otherwise the URL only
    /// follows.
    fn navigate(self, next: crate::location::ViewLocation, server_does_it: bool) {
        if self.is_server && server_does_it {
            self.navigator.go(next);
        } else {
            self.navigator.replace(next);
        }
    }
}

#[component]
pub fn SearchBar(search: TableSearch) -> impl IntoView {
    let TableSearch { draft, parsed, regex_error, is_server, .. } = search;
    let placeholder = if is_server {
        "Search: words, or a filter such as trace.status = 'ERROR' AND tag.env = 'prod' (Enter to search)"
    } else {
        "Search: words, or a filter such as trace.status = 'ERROR' AND tag.env = 'prod'"
    };
    let error_view = move || {
        if let Err(error) = parsed.get() {
            let text = draft.get();
            let before: String = text.chars().take(error.position).collect();
            let at: String = text.chars().skip(error.position).take(1).collect();
            let after: String = text.chars().skip(error.position + 1).collect();
            let at = if at.is_empty() { " ".to_string() } else { at };
            Some(
                view! {
                    <div class="filter-error" role="alert">
                        <code class="filter-echo">{before}<mark>{at}</mark>{after}</code>
                        <span>{format!("Syntax error at character {}: {}", error.position + 1, error.message)}</span>
                    </div>
                }
                .into_any(),
            )
        } else {
            regex_error.get().map(|message| view! { <div class="filter-error" role="alert"><span>{message}</span></div> }.into_any())
        }
    };
    view! {
        <div class="search-bar">
            <input
                class="search-input filter-input"
                type="search"
                spellcheck="false"
                aria-label="Search traces"
                placeholder=placeholder
                class:invalid=move || parsed.with(Result::is_err)
                prop:value=move || draft.get()
                on:input=move |event| draft.set(event_target_value(&event))
                on:keydown=move |event: ev::KeyboardEvent| {
                    if event.key() == "Enter" {
                        search.apply();
                    }
                }
            />
            {error_view}
        </div>
    }
}
