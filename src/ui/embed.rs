//! Inside another page (an iframe): the viewer tells its parent how tall its content is, whenever that
//! changes, so the host can size the frame: `{type: "trace-viewer:height", height: <CSS pixels>}`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Starts reporting the content height to the parent window, when there is one.
pub fn report_height_to_parent() {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if parent == window {
        return; // not framed
    }
    let Some(body) = window.document().and_then(|document| document.body()) else { return };
    let measured = body.clone();
    let report = Closure::<dyn FnMut()>::new(move || {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"trace-viewer:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from(measured.scroll_height()));
        // Only a height goes out, so any parent may read it.
        let _ = parent.post_message(&message, "*");
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // The observer lives as long as the page.
    report.forget();
}
