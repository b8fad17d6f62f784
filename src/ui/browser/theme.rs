//! Light, dark, or as the system is: the choice is remembered in this browser and set as `data-theme` on
//! the root element, which the stylesheet's `color-scheme` follows (every colour is a `light-dark()` pair).

use crate::ui::browser::storage::{load_text, save_text};
use leptos::prelude::*;

const THEME_KEY: &str = "trace-viewer.theme";
const THEMES: [(&str, &str); 3] = [("system", "System theme"), ("light", "Light"), ("dark", "Dark")];

#[component]
pub fn ThemePicker() -> impl IntoView {
    let saved = load_text(THEME_KEY).filter(|theme| THEMES.iter().any(|(id, _)| id == theme)).unwrap_or_else(|| "system".into());
    apply(&saved);
    let theme = RwSignal::new(saved);
    view! {
        <select class="select small theme-picker" aria-label="Theme" on:change=move |event| {
            let chosen = event_target_value(&event);
            apply(&chosen);
            save_text(THEME_KEY, &chosen);
            theme.set(chosen);
        }>
            {THEMES.into_iter().map(|(id, label)| view! {
                <option value=id selected=move || theme.with(|theme| theme == id)>{label}</option>
            }).collect_view()}
        </select>
    }
}

/// Sets the theme for the page ("light", "dark"; anything else follows the system).
pub fn apply(theme: &str) {
    let Some(root) = web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element()) else {
        return;
    };
    let _ = match theme {
        "light" | "dark" => root.set_attribute("data-theme", theme),
        _ => root.remove_attribute("data-theme"),
    };
}
