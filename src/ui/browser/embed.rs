//! Inside another page (an iframe), the viewer talks to its parent with `postMessage`:
//! - out: `{type: "trace-viewer:height", height}` whenever the content height changes (with `embed=1`), so
//!   the host can size the frame; `{type: "trace-viewer:select", trace_id, span_id}` when the user opens a
//!   trace or selects a span;
//! - MLflow's frame-renderer protocol: `{type: "READY"}` goes out once the viewer listens; the parent answers
//!   `{type: "UPDATE_TRACE", traceData: <Trace.to_json() object, or a list, or its JSON text>}`, which is
//!   shown; a trace that cannot be read goes back as `{type: "LOG_ERROR", error}` (and is shown as an error).
//!
//! Messages go only to origins allowed to hear them: the page's own, and the `embedders` that config.json
//! names (a page at any other origin that frames the viewer hears nothing: the list's height alone would
//! tell it how many traces match a filter it chose). Only messages from the parent window are read; trace
//! data from it is as untrusted as any other, and shown read-only.
//!
//! A standalone file (`standalone.html` with traces written in, see scripts/standalone_template.py) carries
//! its traces in the page itself: [`traces_in_page`].

use crate::model::{parse_traces, Trace};
use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The element of a standalone file that holds its traces, and what it holds until traces are written in.
const DATA_ELEMENT_ID: &str = "trace-viewer-data";
const DATA_PLACEHOLDER: &str = "__TRACE_VIEWER_DATA__";
/// How traces written in gzipped begin (`{"gzip_base64": "…"}`, from the Python helper).
const PACKED_PREFIX: &str = r#"{"gzip_base64""#;

/// The traces written into this page (a standalone file), or why they cannot be read; None for a plain page.
pub fn traces_in_page() -> Option<Result<Vec<Trace>, String>> {
    let element = web_sys::window()?.document()?.get_element_by_id(DATA_ELEMENT_ID)?;
    let text = element.text_content().filter(|text| !text.trim().is_empty() && text.trim() != DATA_PLACEHOLDER)?;
    // The page's script unpacks packed traces before the app starts; still packed, it left why on the element.
    if text.trim_start().starts_with(PACKED_PREFIX) {
        let why = element.get_attribute("data-unpack-error").unwrap_or_else(|| "the file is damaged or was cut short".into());
        return Some(Err(format!("The traces in this file are compressed and cannot be unpacked: {why}. Save or export it again.")));
    }
    Some(parse_traces(&text).map_err(|err| format!("The traces in this file cannot be read: {err}")))
}

/// The standalone page (`standalone.html`) with `traces_json` written in, ready to save as one file.
pub fn standalone_page(template: &str, traces_json: &str) -> Result<String, String> {
    if !template.contains(DATA_PLACEHOLDER) {
        return Err("standalone.html does not look like this viewer's template.".into());
    }
    // `<` only occurs inside JSON strings, where `\u003c` means the same; so no `</script>` can end the element.
    Ok(template.replacen(DATA_PLACEHOLDER, &traces_json.replace('<', "\\u003c"), 1))
}

/// The parent window, when this page is framed.
fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    (parent != window).then_some(parent)
}

pub fn is_framed() -> bool {
    parent().is_some()
}

thread_local! {
    /// Origins besides the page's own that may hear the viewer's messages (config.json's `embedders`).
    static EMBEDDERS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lets these origins (besides the page's own) hear what the viewer posts from now on.
pub fn allow_embedders(origins: Vec<String>) {
    EMBEDDERS.with(|embedders| *embedders.borrow_mut() = origins);
}

/// Posts a JSON message to the parent, addressed to each allowed origin: the browser delivers it only when
/// the parent's origin is that one, so no other page can read it.
fn post(message: &Value) {
    let (Some(parent), Ok(value)) = (parent(), js_sys::JSON::parse(&message.to_string())) else { return };
    let own = web_sys::window().and_then(|window| window.location().origin().ok()).filter(|origin| origin != "null");
    let mut origins: Vec<String> = own.into_iter().collect();
    EMBEDDERS.with(|embedders| origins.extend(embedders.borrow().iter().cloned()));
    for origin in origins {
        let _ = parent.post_message(&value, &origin);
    }
}

/// Starts reporting the content height to the parent window, when there is one.
pub fn report_height_to_parent() {
    let Some(body) = web_sys::window().and_then(|window| window.document()).and_then(|document| document.body()) else { return };
    if !is_framed() {
        return;
    }
    let measured = body.clone();
    let report = Closure::<dyn FnMut()>::new(move || post(&json!({"type": "trace-viewer:height", "height": measured.scroll_height()})));
    if let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // The observer lives as long as the page.
    report.forget();
}

/// Tells the parent which trace (and span) the user has open.
pub fn report_selection(trace_id: Option<&str>, span_id: Option<&str>) {
    post(&json!({"type": "trace-viewer:select", "trace_id": trace_id, "span_id": span_id}));
}

/// Listens for `UPDATE_TRACE` from the parent and then says `READY`. `on_traces` gets the traces, or what is
/// wrong with them (also sent back as `LOG_ERROR`).
pub fn receive_traces_from_parent(on_traces: impl Fn(Result<Vec<Trace>, String>) + 'static) {
    let (Some(window), Some(parent)) = (web_sys::window(), parent()) else { return };
    let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let from_parent = event.source().is_some_and(|source| JsValue::from(source) == JsValue::from(parent.clone()));
        if !from_parent
            || js_sys::Reflect::get(&event.data(), &"type".into()).ok().and_then(|t| t.as_string()).as_deref() != Some("UPDATE_TRACE")
        {
            return;
        }
        let data = js_sys::Reflect::get(&event.data(), &"traceData".into()).unwrap_or(JsValue::UNDEFINED);
        // A JSON text as it is; anything else through JSON.stringify.
        let text = data.as_string().or_else(|| js_sys::JSON::stringify(&data).ok().and_then(|text| text.as_string()));
        let traces = match text {
            Some(text) => parse_traces(&text).map_err(|err| format!("The trace sent by the host page cannot be read: {err}")),
            None => Err("The host page sent UPDATE_TRACE without traceData.".into()),
        };
        if let Err(error) = &traces {
            post(&json!({"type": "LOG_ERROR", "error": error}));
        }
        on_traces(traces);
    });
    let _ = window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    // Listens as long as the page lives.
    listener.forget();
    post(&json!({"type": "READY"}));
}
