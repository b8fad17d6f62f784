//! The explorer's toolbar: search within the trace (Enter and Shift+Enter step through the matches), and the
//! filters and folds (span type, errors only, levels, expand and collapse all, the critical path).

use super::state::ExplorerState;
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The "levels" choices offered for folding.
const LEVEL_CHOICES: [u32; 5] = [1, 2, 3, 4, 5];

#[component]
pub fn SpanSearch(
    state: ExplorerState,
    /// The search box, so that `/` can focus it from anywhere on the page.
    search_input: NodeRef<html::Input>,
) -> impl IntoView {
    let ExplorerState { search, matches, current_match, .. } = state;
    let on_key = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            event.prevent_default();
            state.step_match(!event.shift_key());
        }
        "Escape" => {
            event.stop_propagation();
            if let Some(input) = search_input.get_untracked() {
                let _ = input.blur();
            }
        }
        _ => {}
    };
    let match_count = move || {
        let count = matches.with(Vec::len);
        match (search.with(|s| s.trim().is_empty()), current_match.get()) {
            (true, _) => String::new(),
            (false, _) if count == 0 => "No match".into(),
            (false, Some(at)) => format!("{} of {count}", at + 1),
            (false, None) => format!("{count} {}", if count == 1 { "match" } else { "matches" }),
        }
    };
    view! {
        <div class="span-search">
            <input
                node_ref=search_input
                class="search-input"
                type="search"
                placeholder="Search spans (names, inputs, outputs, attributes, events)"
                aria-label="Search within the trace"
                prop:value=move || search.get()
                on:input=move |event| state.set_search(event_target_value(&event))
                on:keydown=on_key
            />
            <span class="match-count muted" role="status">{match_count}</span>
            <button class="button small" title="Previous match (Shift+Enter)" aria-label="Previous match" on:click=move |_| state.step_match(false)>"↑"</button>
            <button class="button small" title="Next match (Enter)" aria-label="Next match" on:click=move |_| state.step_match(true)>"↓"</button>
        </div>
    }
}

#[component]
pub fn SpanFilters(state: ExplorerState) -> impl IntoView {
    let ExplorerState { type_filter, errors_only, show_critical, fold_loops, .. } = state;
    let has_loops = state.loops.with_value(|loops| !loops.is_empty());
    // Span types present, with how many spans each.
    let (span_count, type_counts) = state.trace.with_value(|trace| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for span in &trace.spans {
            *counts.entry(span.span_type.as_str().to_string()).or_default() += 1;
        }
        (trace.spans.len(), counts)
    });
    let error_count = state.failed.with_value(|failed| failed.iter().filter(|&&f| f).count());
    view! {
        <div class="span-filters">
            <select class="select small" aria-label="Span type" on:change=move |event| {
                let value = event_target_value(&event);
                type_filter.set((!value.is_empty()).then_some(value));
            }>
                <option value="">{format!("All types ({span_count})")}</option>
                {type_counts.into_iter().map(|(kind, count)| {
                    let value = kind.clone();
                    view! { <option value=value>{format!("{kind} ({count})")}</option> }
                }).collect_view()}
            </select>
            <label class="check">
                <input type="checkbox" prop:checked=move || errors_only.get() on:change=move |event| errors_only.set(event_target_checked(&event)) />
                {format!("Errors only ({error_count})")}
            </label>
            <select class="select small" aria-label="Levels shown" on:change=move |event| state.fold_to_level(event_target_value(&event).parse().ok())>
                <option value="">"All levels"</option>
                {LEVEL_CHOICES.into_iter().map(|levels| view! {
                    <option value=levels.to_string()>{format!("{levels} level{}", if levels == 1 { "" } else { "s" })}</option>
                }).collect_view()}
            </select>
            <button class="button small" on:click=move |_| state.fold_to_level(None)>"Expand all"</button>
            <button class="button small" on:click=move |_| state.fold_to_level(Some(1))>"Collapse all"</button>
            {has_loops.then(|| view! {
                <label class="check" title="Repeated steps (an agent's iterations, retries) as one row">
                    <input type="checkbox" prop:checked=move || fold_loops.get() on:change=move |event| fold_loops.set(event_target_checked(&event)) />
                    "Fold loops"
                </label>
            })}
            <button class="button small" aria-pressed=move || show_critical.get().to_string() on:click=move |_| show_critical.update(|on| *on = !*on)
                title="Highlight the chain of spans that determined when the trace ended">"Critical path"</button>
        </div>
    }
}
