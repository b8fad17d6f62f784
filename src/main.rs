//! The page's entry point: the viewer mounts itself on <body>, unless the host page asked to mount it itself
//! (`window.TRACE_VIEWER_MANUAL_MOUNT = true` before loader.js), in which case it calls the exported `mount`.

use std::cell::RefCell;
use std::rc::Rc;
use trace_viewer::location::MountOptions;
use trace_viewer::model::parse_traces;
use trace_viewer::ui::navigation::{Navigator, ProvidedTraces};
use trace_viewer::ui::shell::{MountedApp, MountedAppProps};
use wasm_bindgen::prelude::*;

fn main() {
    trace_viewer::ui::browser::panic_panel::install();
    let manual = web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window, &"TRACE_VIEWER_MANUAL_MOUNT".into()).ok())
        .is_some_and(|flag| flag.is_truthy());
    if !manual {
        leptos::mount::mount_to_body(trace_viewer::ui::App);
    }
}

/// A viewer mounted into a host element; `update` hands it other traces, `unmount` removes it.
#[wasm_bindgen]
pub struct ViewerHandle {
    mounted: Option<Box<dyn std::any::Any>>,
    navigator: Navigator,
    provided: ProvidedTraces,
}

#[wasm_bindgen]
impl ViewerHandle {
    /// Shows these traces (Trace.to_json() objects, a list of them, or their JSON text).
    pub fn update(&self, traces: JsValue) {
        self.navigator.show_provided(self.provided, read_traces(&traces));
    }

    /// Removes the viewer from its element; the handle does nothing afterwards.
    pub fn unmount(&mut self) {
        self.mounted = None;
    }
}

/// Mounts a viewer into `element` with `options` ([`MountOptions`]: where it starts, which traces, header and
/// theme); options it cannot read are refused with the reason.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<ViewerHandle, JsValue> {
    let options: MountOptions = match js_sys::JSON::stringify(&options).ok().and_then(|text| text.as_string()) {
        Some(text) if text != "undefined" && text != "null" => {
            serde_json::from_str(&text).map_err(|err| JsValue::from_str(&format!("mount options: {err}")))?
        }
        _ => MountOptions::default(),
    };
    let start = options.start();
    let traces = options.traces.as_ref().map(|traces| {
        parse_traces(&traces.as_str().map(str::to_string).unwrap_or_else(|| traces.to_string())).map_err(|err| err.to_string())
    });
    let exposed: Rc<RefCell<Option<(Navigator, ProvidedTraces)>>> = Rc::default();
    let expose = {
        let exposed = exposed.clone();
        Box::new(move |navigator, provided| *exposed.borrow_mut() = Some((navigator, provided)))
    };
    let mounted = leptos::mount::mount_to(element, move || MountedApp(MountedAppProps { start, traces, expose }));
    let (navigator, provided) = exposed.borrow_mut().take().ok_or_else(|| JsValue::from_str("the viewer did not start"))?;
    if let Some(theme) = &options.theme {
        trace_viewer::ui::browser::theme::apply(theme);
    }
    Ok(ViewerHandle { mounted: Some(Box::new(mounted)), navigator, provided })
}

fn read_traces(traces: &JsValue) -> Result<Vec<trace_viewer::model::Trace>, String> {
    let text = traces.as_string().or_else(|| js_sys::JSON::stringify(traces).ok().and_then(|text| text.as_string()));
    parse_traces(&text.unwrap_or_default()).map_err(|err| format!("These traces cannot be read: {err}"))
}
