//! The app shell mounted in headless Chromium, asserting what a user sees.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;
use trace_viewer::model::parse_traces;
use trace_viewer::ui::App;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../demo/traces.json");

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A Blob URL holding `text`, so the shell fetches it like any trace file.
fn blob_url(text: &str) -> String {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).unwrap();
    web_sys::Url::create_object_url_with_blob(&blob).unwrap()
}

/// The app's stylesheets, in index.html's order.
const STYLESHEETS: [&str; 8] = [
    include_str!("../style/tokens.css"),
    include_str!("../style/base.css"),
    include_str!("../style/widgets.css"),
    include_str!("../style/table.css"),
    include_str!("../style/trace.css"),
    include_str!("../style/overview.css"),
    include_str!("../style/compare.css"),
    include_str!("../style/session.css"),
];

/// Opens the app at `query` in a fresh container, with the app's real stylesheet (windowing depends on
/// it); the handle keeps it mounted.
fn mount_at(query: &str) -> (HtmlElement, impl Drop) {
    if document().get_element_by_id("app-style").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("app-style");
        style.set_text_content(Some(STYLESHEETS.concat().as_str()));
        document().head().unwrap().append_child(&style).unwrap();
    }
    let window = web_sys::window().unwrap();
    window.history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(query)).unwrap();
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), App);
    (container, handle)
}

async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, duration.as_millis() as i32).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits (up to 10 s) until `selector` matches inside `root`, and returns the matches.
async fn wait_for(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    for _ in 0..200 {
        let found = root.query_selector_all(selector).unwrap();
        if found.length() > 0 {
            return (0..found.length()).map(|i| found.get(i).unwrap().unchecked_into()).collect();
        }
        sleep(Duration::from_millis(50)).await;
    }
    panic!("nothing matched {selector}; the page shows: {}", root.inner_text());
}

/// Waits (up to 10 s) until the first match of `selector` inside `root` reads `text` (a large file's first
/// rows show while the rest is read, so counts grow before they settle).
async fn wait_for_text(root: &HtmlElement, selector: &str, text: &str) {
    for _ in 0..200 {
        if root.query_selector(selector).unwrap().is_some_and(|found| found.text_content().as_deref() == Some(text)) {
            return;
        }
        sleep(Duration::from_millis(50)).await;
    }
    panic!("{selector} never read {text:?}; the page shows: {}", root.inner_text());
}

#[wasm_bindgen_test]
async fn the_shell_lists_the_demo_traces_and_opens_one() {
    let expected = parse_traces(DEMO).unwrap();
    let url = blob_url(DEMO);
    let (root, _mounted) = mount_at(&format!("?traces={url}"));

    wait_for_text(&root, "[data-testid=trace-count]", &format!("{} traces", expected.len())).await;
    let rows = wait_for(&root, ".trace-row").await;
    let table = wait_for(&root, "[role=table]").await.remove(0);
    assert_eq!(table.get_attribute("aria-rowcount"), Some(expected.len().to_string()));
    assert!(rows.len() < expected.len(), "rows are windowed: {} in the DOM", rows.len());
    let newest = expected.iter().max_by_key(|t| t.info.request_time_ns).unwrap();
    assert_eq!(rows[0].get_attribute("data-trace-id").as_deref(), Some(newest.info.trace_id.as_str()), "newest first");

    // Open the newest trace: its header and every span are shown, and the URL names it.
    let link = wait_for(&root, ".trace-row .open-trace").await.remove(0);
    link.click();
    let spans = wait_for(&root, ".span-row").await;
    assert_eq!(spans.len(), newest.spans.len());
    let header = wait_for(&root, ".trace-header").await[0].inner_text();
    assert!(header.contains(&newest.name()) && header.contains(&newest.info.trace_id), "{header}");
    let search = web_sys::window().unwrap().location().search().unwrap();
    assert!(search.contains(&format!("trace_id={}", newest.info.trace_id)), "{search}");

    // Back to the list, as it was.
    wait_for(&root, ".back-link").await[0].click();
    leptos::task::tick().await;
    assert_eq!(root.query_selector_all(".table-page.behind").unwrap().length(), 0, "the table is shown again");
    assert_eq!(wait_for(&root, ".trace-row").await[0].get_attribute("data-trace-id").as_deref(), Some(newest.info.trace_id.as_str()));
}

#[wasm_bindgen_test]
async fn typing_a_filter_narrows_the_rows_and_a_syntax_error_points_at_it() {
    let expected = parse_traces(DEMO).unwrap();
    let errors = expected.iter().filter(|t| t.info.state == trace_viewer::model::TraceState::Error).count();
    let (root, _mounted) = mount_at(&format!("?traces={}", blob_url(DEMO)));
    wait_for_text(&root, "[data-testid=trace-count]", &format!("{} traces", expected.len())).await;
    let input: web_sys::HtmlInputElement = wait_for(&root, ".filter-input").await.remove(0).unchecked_into();
    let type_text = |text: &str| {
        input.set_value(text);
        input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    };

    type_text("trace.status = 'ERROR'");
    leptos::task::tick().await;
    let summary = wait_for(&root, "[data-testid=trace-count]").await[0].inner_text();
    assert_eq!(summary, format!("{errors} of {} traces", expected.len()));
    assert!(web_sys::window().unwrap().location().search().unwrap().contains("filter=trace.status"), "the URL follows");

    type_text("trace.status = ERROR");
    let error = wait_for(&root, ".filter-error").await[0].inner_text();
    assert!(error.contains("Syntax error at character 16") && error.contains("quoted"), "{error}");
    assert_eq!(wait_for(&root, ".filter-error mark").await[0].inner_text(), "E", "the offending character is marked");
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_json_is_named_in_an_error_panel() {
    let url = blob_url("{\"spans\": [ this is not json");
    let (root, _mounted) = mount_at(&format!("?traces={url}"));
    let panel = wait_for(&root, ".error-panel").await[0].inner_text();
    assert!(panel.contains("Could not read the trace files"), "{panel}");
    assert!(panel.contains(&url), "names the file: {panel}");
    assert!(panel.contains("not valid JSON"), "{panel}");
}

#[wasm_bindgen_test]
async fn one_bad_file_does_not_stop_the_others() {
    let good = blob_url(DEMO);
    let bad = blob_url("{\"experiments\": []}");
    let (root, _mounted) = mount_at(&format!("?traces={good}&traces={bad}"));
    let count = parse_traces(DEMO).unwrap().len();
    wait_for_text(&root, "[data-testid=trace-count]", &format!("{count} traces")).await;
    let warning = wait_for(&root, ".warning").await[0].inner_text();
    assert!(warning.contains(&bad) && warning.contains("not a trace format"), "{warning}");
}

#[wasm_bindgen_test]
async fn an_unreachable_server_says_so_with_a_retry() {
    // Port 9 (discard) is closed on the test machine.
    let (root, _mounted) = mount_at("?server=http://127.0.0.1:9&experiment_id=1");
    let panel = wait_for(&root, ".error-panel").await[0].inner_text();
    assert!(panel.contains("Could not load traces"), "{panel}");
    assert!(panel.contains("Could not reach http://127.0.0.1:9/api/3.0/mlflow/traces/search"), "{panel}");
    assert!(panel.contains("--cors-allowed-origins"), "{panel}");
    assert_eq!(root.query_selector_all(".error-panel button").unwrap().length(), 1, "a retry button");
}

#[wasm_bindgen_test]
fn a_panic_shows_what_to_report_instead_of_a_frozen_page() {
    trace_viewer::ui::browser::panic_panel::show("panicked at src/ui/x.rs:1:1: <img src=x onerror=alert(1)>");
    trace_viewer::ui::browser::panic_panel::show("a second panic adds no second panel");
    let panels = document().query_selector_all("#panic-panel").unwrap();
    assert_eq!(panels.length(), 1);
    let panel: HtmlElement = panels.get(0).unwrap().unchecked_into();
    let text = panel.inner_text();
    assert!(text.contains("stopped because of an internal error") && text.contains("Reload the page"), "{text}");
    assert!(text.contains("panicked at src/ui/x.rs:1:1: <img src=x onerror=alert(1)>"), "the details, as text: {text}");
    assert_eq!(panel.query_selector_all("img").unwrap().length(), 0, "nothing becomes HTML");
    panel.remove();
}
