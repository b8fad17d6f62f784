//! When the app panics (a bug), it stops; instead of a frozen page the user sees what happened and what to
//! report. Written with plain DOM calls because the reactive system may be what broke.

/// Installs the panic hook; call once before mounting the app.
pub fn install() {
    std::panic::set_hook(Box::new(|info| show(&info.to_string())));
}

/// Puts the error panel on the page (as text only), once.
pub fn show(details: &str) {
    web_sys::console::error_1(&format!("trace-viewer stopped: {details}").into());
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("panic-panel").is_some() {
        return;
    }
    let element = |tag: &str, text: &str| {
        let node = document.create_element(tag).ok()?;
        node.set_text_content(Some(text));
        Some(node)
    };
    let Ok(panel) = document.create_element("section") else { return };
    panel.set_id("panic-panel");
    panel.set_class_name("error-panel panic-panel");
    let _ = panel.set_attribute("role", "alert");
    let agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let url = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let parts = [
        element("h2", "The trace viewer stopped because of an internal error"),
        element("p", "Reload the page to continue. Please report this, with the details below, to the viewer's maintainers."),
        element("pre", &format!("{details}\n\npage: {url}\nbrowser: {agent}")),
    ];
    for part in parts.into_iter().flatten() {
        let _ = panel.append_child(&part);
    }
    let _ = body.insert_before(&panel, body.first_child().as_ref());
}
