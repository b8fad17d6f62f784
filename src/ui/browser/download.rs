//! Blobs: text the viewer made (exports) offered as downloads, and fetched bytes (attachments) given an
//! object URL to show.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, mime_type: &str, text: &str) -> Result<(), String> {
    let fail = |err: JsValue| format!("The browser refused the download: {err:?}");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The click has taken the URL; release the blob once the browser has started the download.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
    Ok(())
}

/// An object URL for `bytes` typed `mime_type`; the caller revokes it with [`revoke`] when it is no longer shown.
pub fn blob_url(bytes: &[u8], mime_type: &str) -> Result<String, String> {
    let fail = |err: JsValue| format!("The browser could not hold the file: {err:?}");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}
