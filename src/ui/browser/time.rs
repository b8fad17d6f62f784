//! Times shown in the viewer's local time zone, which only the browser knows.

/// `2026-11-21 23:46:51` in the browser's time zone.
pub fn local_time(unix_ns: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((unix_ns / 1_000_000) as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}
