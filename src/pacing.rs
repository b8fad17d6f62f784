//! Browser timers, and long work cut into slices so that the page paints and answers input between them
//! (Chromium counts a task over 50 ms as long; the targets allow none over 200 ms once data has arrived).

use crate::model::parse::text_of;
use crate::model::{ParseError, PiecewiseParse, Trace};
use std::ops::ControlFlow;

/// How long one slice of parsing may hold the page.
const SLICE_MS: f64 = 40.0;
/// Pieces parsed between two looks at the clock (a piece is one span or one trace).
const PIECES_PER_CLOCK_READ: usize = 64;

/// Resolves after about a frame, so that the browser paints what changed before long work begins. (A timer,
/// not requestAnimationFrame, which never fires in a hidden tab or iframe.)
pub async fn let_the_page_paint() {
    sleep(20).await;
}

/// Resolves after `ms` milliseconds (a browser timer).
pub async fn sleep(ms: i32) {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
}

/// [`parse_in_slices`] on a file's or an answer's bytes (read as bytes, a large text is not decoded from
/// UTF-16 to UTF-8 in one long call).
pub async fn parse_bytes_in_slices(bytes: &[u8], progress: impl Fn(String, f64)) -> Result<Vec<Trace>, ParseError> {
    parse_in_slices(text_of(bytes)?, progress).await
}

/// Parses traces a slice at a time, yielding to the browser between slices; `progress` hears how far it
/// is after each slice, in words ("12,000 spans, 43%") and as the share of the text read (0–1).
async fn parse_in_slices(text: &str, progress: impl Fn(String, f64)) -> Result<Vec<Trace>, ParseError> {
    let mut traces = Vec::new();
    read_in_slices(text, progress, |more| {
        traces.extend(more);
        ControlFlow::Continue(())
    })
    .await?;
    Ok(traces)
}

/// [`parse_in_slices`] that hands over the traces complete after each slice (a list's, as they are parsed)
/// to `arrived`, so that they can be shown while the rest is read; `arrived` says whether to go on (a
/// reading nobody waits for stops there). If it then fails, the document is invalid, and so are the
/// traces handed over.
pub async fn read_in_slices(
    text: &str,
    progress: impl Fn(String, f64),
    mut arrived: impl FnMut(Vec<Trace>) -> ControlFlow<()>,
) -> Result<(), ParseError> {
    let mut parse = PiecewiseParse::new(text);
    let mut slice_start = js_sys::Date::now();
    while !parse.is_finished() {
        while !parse.is_finished() && js_sys::Date::now() - slice_start < SLICE_MS {
            parse.parse_pieces(PIECES_PER_CLOCK_READ)?;
        }
        let fraction = parse.fraction_read();
        let percent = (fraction * 100.0) as u32;
        progress(format!("{} {}, {percent}%", crate::format::count(parse.done() as u64), parse.pieces_are()), fraction);
        if arrived(parse.take_traces()).is_break() {
            return Ok(());
        }
        // A text parsed within one slice waits for one timer (below), not two.
        if !parse.is_finished() {
            sleep(0).await;
            slice_start = js_sys::Date::now();
        }
    }
    let _ = arrived(parse.finish()?);
    // Whatever the caller does with the traces (a first render) starts a task of its own; and what was
    // handed over is received (the answer `data::read_files` sends) before the caller goes on.
    sleep(0).await;
    Ok(())
}
