//! The minimap's picture, drawn in wasm memory: one bar per span, top to bottom in the tree's order, across the
//! trace's time, as RGBA pixels the canvas takes in one call (a canvas call per span costs 100 ms at 50,000
//! spans). Pure, tested natively.

use crate::model::{Span, Trace};

const ERROR_COLOR: [u8; 3] = [0xc2, 0x30, 0x2a];

/// The span type's bar colour (as in the stylesheet's `.type-bar-*`); a failed span's is red.
fn bar_color(span: &Span) -> [u8; 3] {
    if span.failed() {
        return ERROR_COLOR;
    }
    match span.span_type.as_str() {
        "AGENT" => [0x7c, 0x3a, 0xed],
        "CHAT_MODEL" | "LLM" => [0x25, 0x63, 0xc9],
        "TOOL" => [0xd9, 0x77, 0x06],
        "RETRIEVER" | "RERANKER" | "EMBEDDING" => [0x0f, 0x76, 0x6e],
        "GUARDRAIL" | "EVALUATOR" => [0xbe, 0x18, 0x5d],
        _ => [0x8a, 0x93, 0xa3],
    }
}

/// `width` × `height` RGBA pixels (transparent where no span is): the spans of `trace` in `order`, each its
/// row's share of the height, placed along the time window `(start, end)` (ns); an unfinished span runs to
/// `end`, and every span is at least one pixel wide and tall.
pub fn minimap_pixels(trace: &Trace, order: &[usize], (start, end): (u64, u64), width: usize, height: usize) -> Vec<u8> {
    let mut pixels = vec![0u8; width * height * 4];
    if width == 0 || height == 0 {
        return pixels;
    }
    let extent = end.saturating_sub(start).max(1) as f64;
    let rows = order.len().max(1) as f64;
    let x_of = |ns: u64| (ns.saturating_sub(start) as f64 / extent * width as f64) as usize;
    for (position, span) in order.iter().filter_map(|&index| trace.spans.get(index)).enumerate() {
        let x0 = x_of(span.start_ns).min(width - 1);
        let x1 = x_of(span.end_ns.unwrap_or(end)).clamp(x0 + 1, width);
        let y0 = ((position as f64 / rows * height as f64) as usize).min(height - 1);
        let y1 = (((position + 1) as f64 / rows * height as f64) as usize).clamp(y0 + 1, height);
        let [r, g, b] = bar_color(span);
        for y in y0..y1 {
            for pixel in pixels[(y * width + x0) * 4..(y * width + x1) * 4].chunks_exact_mut(4) {
                pixel.copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    pixels
}
