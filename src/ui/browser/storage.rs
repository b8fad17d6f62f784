//! Small settings remembered across visits in the browser's localStorage. Storage can be full or disabled
//! (private windows): reads then find nothing and writes are dropped, and the viewer works without them.

pub fn load_text(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok().flatten()?.get_item(key).ok().flatten()
}

pub fn save_text(key: &str, text: &str) {
    if let Some(storage) = web_sys::window().and_then(|window| window.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, text);
    }
}
