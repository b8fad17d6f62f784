//! The end of a text cut short: "Show all" when the whole text can be laid out in the page, a download when
//! it is too long for that (a model's multi-megabyte output would freeze the page for seconds).

use crate::format;
use crate::ui::browser::download::download;
use leptos::prelude::*;

/// Longer texts are offered as a download instead of "Show all".
pub const INLINE_LIMIT_CHARS: usize = 500_000;

/// "Show all (N characters)" setting `show_all`, or for very long texts a notice with a download.
#[component]
pub fn ShowAllOrDownload(text: StoredValue<String>, length: usize, show_all: RwSignal<bool>) -> impl IntoView {
    let count = format::count(length as u64);
    if length <= INLINE_LIMIT_CHARS {
        return view! {
            <Show when=move || !show_all.get()>
                <button class="link-button show-all" on:click=move |_| show_all.set(true)>{format!("Show all ({count} characters)")}</button>
            </Show>
        }
        .into_any();
    }
    let problem = RwSignal::new(None::<String>);
    let save = move |_| problem.set(text.with_value(|text| download("text.txt", "text/plain;charset=utf-8", text)).err());
    view! {
        <span class="too-long muted small">{format!("Too long to show here in full ({count} characters).")}</span>
        <button class="link-button show-all" on:click=save>"Download"</button>
        {move || problem.get().map(|message| view! { <span class="warning small" role="alert">{message}</span> })}
    }
    .into_any()
}
