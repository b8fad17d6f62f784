//! Says what failed, in place, with a way to try again: never a blank page.

use leptos::prelude::*;

#[component]
pub fn ErrorPanel(
    title: &'static str,
    #[prop(into)] message: String,
    /// Shown as a "Try again" button when given.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <section class="error-panel" role="alert">
            <h2>{title}</h2>
            <p class="error-message">{message}</p>
            {on_retry.map(|retry| view! {
                <button class="button" on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </section>
    }
}
