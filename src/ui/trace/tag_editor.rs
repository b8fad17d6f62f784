//! A trace's tags: add, change and remove the user's own; MLflow's `mlflow.*` tags are read-only.
//!
//! Changes show at once and are sent to the server; when it refuses, that one tag goes back to what it was
//! (other edits, saved or on their way, are kept) with the server's message, and what the user typed stays
//! in the form to fix and retry. A removed tag can be put back with Undo.

use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::Trace;
use crate::sorting::btree_map;
use leptos::prelude::*;
use std::sync::Arc;

/// User tags listed at first (a few lines), and how many more each "Show more" adds.
const TAGS_SHOWN_FIRST: usize = 40;
const TAGS_PER_PAGE: usize = 200;

#[component]
pub fn TagEditor(
    trace: Arc<Trace>,
    source: Source,
    /// Called with the trace as the server now has it, after each confirmed change.
    on_changed: Callback<Arc<Trace>>,
) -> impl IntoView {
    let editable = source.is_writable();
    let tags = RwSignal::new(trace.info.tags.clone());
    let error = RwSignal::new(None::<String>);
    let new_key = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    // The tag being edited, and its draft value.
    let editing = RwSignal::new(None::<(String, String)>);
    let trace = StoredValue::new(trace);

    // The tag last removed, with its value, until the user undoes it or makes another change.
    let removed = RwSignal::new(None::<(String, String)>);

    // Apply locally, send, and if the server refuses put this tag back as it was, unless it was changed again
    // meanwhile.
    let commit = {
        let source = source.clone();
        move |key: String, value: Option<String>, on_success: Box<dyn FnOnce()>| {
            let before = tags.with_untracked(|tags| tags.get(&key).cloned());
            removed.set(None);
            tags.update(|tags| match &value {
                Some(value) => {
                    tags.insert(key.clone(), value.clone());
                }
                None => {
                    tags.remove(&key);
                }
            });
            error.set(None);
            let source = source.clone();
            let trace_id = trace.with_value(|t| t.info.trace_id.clone());
            leptos::task::spawn_local(async move {
                let result = match &value {
                    Some(value) => data::set_trace_tag(&source, &trace_id, &key, value).await,
                    None => data::delete_trace_tag(&source, &trace_id, &key).await,
                };
                match result {
                    Ok(()) => {
                        on_success();
                        let mut updated = trace.with_value(|t| (**t).clone());
                        updated.info.tags = tags.get_untracked();
                        on_changed.run(Arc::new(updated));
                    }
                    Err(message) => {
                        tags.update(|tags| {
                            if tags.get(&key) == value.as_ref() {
                                match before {
                                    Some(before) => tags.insert(key.clone(), before),
                                    None => tags.remove(&key),
                                };
                            }
                        });
                        error.set(Some(format!("The tag \"{key}\" was not changed: {message}")));
                    }
                }
            });
        }
    };

    let add = {
        let commit = commit.clone();
        move || {
            let key = new_key.get_untracked().trim().to_string();
            if key.is_empty() {
                error.set(Some("A tag needs a key.".into()));
                return;
            }
            // The typed key and value are cleared only once the server has taken them.
            commit(
                key,
                Some(new_value.get_untracked()),
                Box::new(move || {
                    new_key.set(String::new());
                    new_value.set(String::new());
                }),
            );
        }
    };

    // Thousands of tags would take seconds to lay out: show them a page at a time.
    let shown_count = RwSignal::new(TAGS_SHOWN_FIRST);
    let user_tag_count = move || tags.with(|tags| tags.keys().filter(|k| !k.starts_with("mlflow.")).count());
    let user_tags = move || {
        tags.with(|tags| {
            tags.iter()
                .filter(|(k, _)| !k.starts_with("mlflow."))
                .take(shown_count.get())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        })
    };
    let system_tags =
        move || tags.with(|tags| btree_map(tags.iter().filter(|(k, _)| k.starts_with("mlflow.")).map(|(k, v)| (k.clone(), v.clone()))));

    let undo_commit = commit.clone();
    view! {
        <section class="tag-editor" aria-label="Tags">
            <ul class="tags">
                <For each=user_tags key=|(key, value)| (key.clone(), value.clone()) let:tag>
                    {
                        let (key, value) = tag;
                        let is_editing = {
                            let key = key.clone();
                            move || editing.with(|e| e.as_ref().is_some_and(|(k, _)| *k == key))
                        };
                        let commit = commit.clone();
                        let remove_commit = commit.clone();
                        let (edit_key, save_key, remove_key) = (key.clone(), key.clone(), key.clone());
                        let edit_value = value.clone();
                        let data_key = key.clone();
                        view! {
                            <li class="tag" data-tag-key=data_key>
                                <Show
                                    when=is_editing
                                    fallback=move || view! {
                                        <span class="tag-text">{format!("{}: {}", key, value)}</span>
                                    }
                                >
                                    <span class="tag-key">{format!("{}:", save_key)}</span>
                                    <input
                                        class="tag-input"
                                        aria-label=format!("Value of {}", save_key)
                                        prop:value=move || editing.with(|e| e.as_ref().map(|(_, v)| v.clone()).unwrap_or_default())
                                        on:input=move |event| editing.update(|e| if let Some((_, v)) = e { *v = event_target_value(&event) })
                                    />
                                    <button class="button small" on:click={
                                        let commit = commit.clone();
                                        let key = save_key.clone();
                                        move |_| {
                                            let Some((_, value)) = editing.get_untracked() else { return };
                                            commit(key.clone(), Some(value), Box::new(move || editing.set(None)));
                                        }
                                    }>"Save"</button>
                                    <button class="button small" on:click=move |_| editing.set(None)>"Cancel"</button>
                                </Show>
                                {editable.then(|| {
                                    let (edit_key, edit_value, remove_key, remove_commit) = (edit_key.clone(), edit_value.clone(), remove_key.clone(), remove_commit.clone());
                                    let removed_value = edit_value.clone();
                                    view! {
                                        <button class="icon-button" title="Change value" aria-label=format!("Change {}", edit_key)
                                            on:click=move |_| editing.set(Some((edit_key.clone(), edit_value.clone())))>"✎"</button>
                                        <button class="icon-button" title="Remove tag" aria-label=format!("Remove {}", remove_key)
                                            on:click=move |_| {
                                                let gone = (remove_key.clone(), removed_value.clone());
                                                remove_commit(remove_key.clone(), None, Box::new(move || removed.set(Some(gone))))
                                            }>"×"</button>
                                    }
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || {
                let hidden = user_tag_count().saturating_sub(shown_count.get());
                (hidden > 0).then(|| view! {
                    <button class="link-button" on:click=move |_| shown_count.update(|count| *count += TAGS_PER_PAGE)>
                        {format!("Show {} more tags ({} not shown)", TAGS_PER_PAGE.min(hidden), format::count(hidden as u64))}
                    </button>
                })
            }}
            {editable.then(|| view! {
                <form class="tag-form" on:submit=move |event| { event.prevent_default(); add(); }>
                    <input class="tag-input" placeholder="key" aria-label="New tag key" prop:value=move || new_key.get() on:input=move |e| new_key.set(event_target_value(&e)) />
                    <input class="tag-input" placeholder="value" aria-label="New tag value" prop:value=move || new_value.get() on:input=move |e| new_value.set(event_target_value(&e)) />
                    <button class="button small" type="submit">"Add tag"</button>
                </form>
            })}
            {move || error.get().map(|message| view! { <p class="warning" role="alert">{message}</p> })}
            {move || removed.get().map(|(key, value)| {
                let commit = undo_commit.clone();
                let (undo_key, undo_value) = (key.clone(), value.clone());
                view! {
                    <p class="muted tag-removed" role="status">
                        {format!("Removed the tag \"{key}\". ")}
                        <button class="link-button" on:click=move |_| commit(undo_key.clone(), Some(undo_value.clone()), Box::new(|| ()))>"Undo"</button>
                    </p>
                }
            })}
            {move || {
                let system = system_tags();
                (!system.is_empty()).then(|| view! {
                    <details class="system-tags">
                        <summary>{format!("MLflow tags ({}, read-only)", system.len())}</summary>
                        <dl>{system.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}</dl>
                    </details>
                })
            }}
        </section>
    }
}
