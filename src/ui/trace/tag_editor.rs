//! A trace's tags: add, change and remove the user's own; MLflow's `mlflow.*` tags are read-only.
//!
//! Changes show at once and are sent to the server; when it refuses, that one tag goes back to what it was
//! (other edits, saved or on their way, are kept) with the server's message, and what the user typed stays
//! in the form to fix and retry. A removed tag can be put back with Undo.

use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::tag_edit::{self, is_system_tag, Tags};
use crate::model::Trace;
use leptos::prelude::*;
use std::sync::Arc;

/// User tags listed at first (a few lines), and how many more each "Show more" adds.
const TAGS_SHOWN_FIRST: usize = 40;
const TAGS_PER_PAGE: usize = 200;

/// Where a change to a tag was asked for: what to clear or say once the server has taken it.
#[derive(Clone, Copy, PartialEq)]
enum AskedBy {
    NewTagForm,
    ValueField,
    RemoveButton,
    Undo,
}

/// A change to one tag: its new value, or None to remove it.
#[derive(Clone)]
struct TagWrite {
    key: String,
    value: Option<String>,
    asked_by: AskedBy,
}

/// The tags as shown (edits applied at once) and the editing under way.
#[derive(Clone, Copy)]
struct TagEdits {
    tags: RwSignal<Tags>,
    /// The server's refusal of the last change, or a form that cannot be sent.
    error: RwSignal<Option<String>>,
    /// The tag being edited, and its draft value.
    editing: RwSignal<Option<(String, String)>>,
    /// The tag last removed, with its value, until the user undoes it or makes another change.
    removed: RwSignal<Option<(String, String)>>,
    new_key: RwSignal<String>,
    new_value: RwSignal<String>,
    write: Action<TagWrite, ()>,
}

impl TagEdits {
    fn new(trace: Arc<Trace>, source: Source, on_changed: Callback<Arc<Trace>>) -> TagEdits {
        let tags = RwSignal::new(trace.info.tags.clone());
        let (error, editing, removed) = (RwSignal::new(None), RwSignal::new(None), RwSignal::new(None::<(String, String)>));
        let (new_key, new_value) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
        let trace = StoredValue::new(trace);
        // Applied at once; sent; put back if the server refuses (see `tag_edit::revert`).
        let write = Action::new_local(move |write: &TagWrite| {
            let TagWrite { key, value, asked_by } = write.clone();
            let before = tags.try_update(|tags| tag_edit::apply(tags, &key, value.as_deref())).flatten();
            removed.set(None);
            error.set(None);
            let (source, trace_id) = (source.clone(), trace.with_value(|t| t.info.trace_id.clone()));
            async move {
                let result = match &value {
                    Some(value) => data::set_trace_tag(&source, &trace_id, &key, value).await,
                    None => data::delete_trace_tag(&source, &trace_id, &key).await,
                };
                if let Err(message) = result {
                    tags.update(|tags| tag_edit::revert(tags, &key, value.as_deref(), before));
                    error.set(Some(format!("The tag \"{key}\" was not changed: {message}")));
                    return;
                }
                // What the user typed is cleared only once the server has taken it.
                match asked_by {
                    AskedBy::NewTagForm => {
                        new_key.set(String::new());
                        new_value.set(String::new());
                    }
                    AskedBy::ValueField => editing.set(None),
                    AskedBy::RemoveButton => removed.set(before.map(|before| (key, before))),
                    AskedBy::Undo => {}
                }
                let mut updated = trace.with_value(|t| (**t).clone());
                updated.info.tags = tags.get_untracked();
                on_changed.run(Arc::new(updated));
            }
        });
        TagEdits { tags, error, editing, removed, new_key, new_value, write }
    }

    fn send(self, key: String, value: Option<String>, asked_by: AskedBy) {
        self.write.dispatch_local(TagWrite { key, value, asked_by });
    }

    fn add(self) {
        let key = self.new_key.get_untracked().trim().to_string();
        if key.is_empty() {
            self.error.set(Some("A tag needs a key.".into()));
            return;
        }
        self.send(key, Some(self.new_value.get_untracked()), AskedBy::NewTagForm);
    }
}

#[component]
pub fn TagEditor(
    trace: Arc<Trace>,
    source: Source,
    /// Called with the trace as the server now has it, after each confirmed change.
    on_changed: Callback<Arc<Trace>>,
) -> impl IntoView {
    let editable = source.is_writable();
    let edits = TagEdits::new(trace, source, on_changed);
    let TagEdits { tags, error, removed, new_key, new_value, .. } = edits;
    // Thousands of tags would take seconds to lay out: show them a page at a time.
    let shown_count = RwSignal::new(TAGS_SHOWN_FIRST);
    let user_tags = move || {
        tags.with(|tags| {
            tags.iter().filter(|(k, _)| !is_system_tag(k)).take(shown_count.get()).map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>()
        })
    };
    let more_tags = move || {
        let hidden = tags.with(|tags| tags.keys().filter(|k| !is_system_tag(k)).count()).saturating_sub(shown_count.get());
        (hidden > 0).then(|| {
            view! {
                <button class="link-button" on:click=move |_| shown_count.update(|count| *count += TAGS_PER_PAGE)>
                    {format!("Show {} more tags ({} not shown)", TAGS_PER_PAGE.min(hidden), format::count(hidden as u64))}
                </button>
            }
        })
    };
    view! {
        <section class="tag-editor" aria-label="Tags">
            <ul class="tags">
                <For each=user_tags key=|(key, value)| (key.clone(), value.clone()) let:tag>
                    <TagChip key=tag.0 value=tag.1 edits=edits editable=editable />
                </For>
            </ul>
            {more_tags}
            {editable.then(|| view! {
                <form class="tag-form" on:submit=move |event| { event.prevent_default(); edits.add(); }>
                    <input class="tag-input" placeholder="key" aria-label="New tag key" prop:value=move || new_key.get() on:input=move |e| new_key.set(event_target_value(&e)) />
                    <input class="tag-input" placeholder="value" aria-label="New tag value" prop:value=move || new_value.get() on:input=move |e| new_value.set(event_target_value(&e)) />
                    <button class="button small" type="submit">"Add tag"</button>
                </form>
            })}
            {move || error.get().map(|message| view! { <p class="warning" role="alert">{message}</p> })}
            {move || removed.get().map(|(key, value)| view! {
                <p class="muted tag-removed" role="status">
                    {format!("Removed the tag \"{key}\". ")}
                    <button class="link-button" on:click=move |_| edits.send(key.clone(), Some(value.clone()), AskedBy::Undo)>"Undo"</button>
                </p>
            })}
            <SystemTags tags=tags />
        </section>
    }
}

/// One user tag: its text, or its value being edited; with buttons to edit and remove it.
#[component]
fn TagChip(key: String, value: String, edits: TagEdits, editable: bool) -> impl IntoView {
    let editing = edits.editing;
    let is_editing = {
        let key = key.clone();
        move || editing.with(|e| e.as_ref().is_some_and(|(k, _)| *k == key))
    };
    let text = format!("{key}: {value}");
    let save = {
        let key = key.clone();
        move |_| {
            let Some((_, value)) = editing.get_untracked() else { return };
            edits.send(key.clone(), Some(value), AskedBy::ValueField);
        }
    };
    let buttons = editable.then(|| {
        let (edit_key, remove_key, edit_value) = (key.clone(), key.clone(), value.clone());
        view! {
            <button class="icon-button" title="Change value" aria-label=format!("Change {key}")
                on:click=move |_| editing.set(Some((edit_key.clone(), edit_value.clone())))>"✎"</button>
            <button class="icon-button" title="Remove tag" aria-label=format!("Remove {key}")
                on:click=move |_| edits.send(remove_key.clone(), None, AskedBy::RemoveButton)>"×"</button>
        }
    });
    let (key_label, value_label) = (format!("{key}:"), format!("Value of {key}"));
    view! {
        <li class="tag" data-tag-key=key>
            <Show when=is_editing fallback=move || view! { <span class="tag-text">{text.clone()}</span> }>
                <span class="tag-key">{key_label.clone()}</span>
                <input
                    class="tag-input"
                    aria-label=value_label.clone()
                    prop:value=move || editing.with(|e| e.as_ref().map(|(_, v)| v.clone()).unwrap_or_default())
                    on:input=move |event| editing.update(|e| if let Some((_, v)) = e { *v = event_target_value(&event) })
                />
                <button class="button small" on:click=save.clone()>"Save"</button>
                <button class="button small" on:click=move |_| editing.set(None)>"Cancel"</button>
            </Show>
            {buttons}
        </li>
    }
}

/// MLflow's own tags, read-only, folded away.
#[component]
fn SystemTags(tags: RwSignal<Tags>) -> impl IntoView {
    move || {
        let system: Vec<(String, String)> =
            tags.with(|tags| tags.iter().filter(|(k, _)| is_system_tag(k)).map(|(k, v)| (k.clone(), v.clone())).collect());
        (!system.is_empty()).then(|| {
            view! {
                <details class="system-tags">
                    <summary>{format!("MLflow tags ({}, read-only)", system.len())}</summary>
                    <dl>{system.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}</dl>
                </details>
            }
        })
    }
}
