//! "← All traces" over a view that replaced the list (a comparison, a session): back to the list as it was.

use crate::location::ViewLocation;
use crate::ui::navigation::Navigator;
use leptos::prelude::*;

#[component]
pub fn BackToList(
    /// Takes the view out of the location.
    leave: fn(&mut ViewLocation),
) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    let back = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let mut list = navigator.location();
        leave(&mut list);
        navigator.go(list);
    };
    view! {
        <div class="trace-nav">
            <a class="back-link" href="?" on:click=back>"← All traces"</a>
        </div>
    }
}
