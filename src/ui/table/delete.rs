//! Deleting the selected traces from the tracking server: asked first, naming the count; rows go only when
//! the server confirms, and a partial deletion says how many were not deleted and why.

use super::selection::Selection;
use crate::data;
use crate::location::Source;
use crate::model::Trace;
use crate::ui::rows::LoadedRows;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ConfirmDelete(
    source: Source,
    /// The selected traces.
    chosen: Signal<Vec<Arc<Trace>>>,
    /// The loaded rows: the deleted ones are removed once the server confirms.
    loaded: LoadedRows,
    selected: RwSignal<Selection>,
    /// Where the outcome is said: (message, whether it is an error).
    notice: RwSignal<Option<(String, bool)>>,
    /// Whether this question is shown; closed when done or cancelled.
    confirming: RwSignal<bool>,
) -> impl IntoView {
    let deleting = RwSignal::new(false);
    let delete_selected = move |_| {
        let doomed = chosen.get_untracked();
        deleting.set(true);
        let source = source.clone();
        leptos::task::spawn_local(async move {
            match data::delete_traces(&source, &doomed).await {
                Ok(deleted) => {
                    loaded.remove(&deleted.trace_ids);
                    selected.update(|s| s.forget(&deleted.trace_ids));
                    notice.set(Some(match &deleted.failure {
                        None => (format!("Deleted {} traces.", deleted.count), false),
                        Some(why) if deleted.trace_ids.is_empty() => (format!("Nothing was deleted: {why}"), true),
                        Some(why) => (
                            format!(
                                "Deleted {} traces; the other {} were not deleted: {why}",
                                deleted.count,
                                doomed.len() - deleted.trace_ids.len()
                            ),
                            true,
                        ),
                    }));
                }
                Err(message) => notice.set(Some((format!("Nothing was deleted: {message}"), true))),
            }
            deleting.set(false);
            confirming.set(false);
        });
    };
    view! {
        <div class="confirm-bar" role="alertdialog" aria-label="Confirm deletion">
            <span>{move || format!("Delete {} traces from the tracking server? This cannot be undone.", selected.with(Selection::len))}</span>
            <button class="button danger" disabled=move || deleting.get() on:click=delete_selected>
                {move || if deleting.get() { "Deleting…".to_string() } else { format!("Delete {} traces", selected.with(Selection::len)) }}
            </button>
            <button class="button" disabled=move || deleting.get() on:click=move |_| confirming.set(false)>"Cancel"</button>
        </div>
    }
}
