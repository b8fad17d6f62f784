//! A trace's state as a coloured badge with its name (colour is never the only signal).

use crate::model::TraceState;
use leptos::prelude::*;

#[component]
pub fn StateBadge(state: TraceState) -> impl IntoView {
    let class = match state {
        TraceState::Ok => "badge badge-ok",
        TraceState::Error => "badge badge-error",
        TraceState::InProgress => "badge badge-running",
        TraceState::Unspecified => "badge",
    };
    view! { <span class=class>{state.as_str()}</span> }
}
