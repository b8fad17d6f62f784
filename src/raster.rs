//! The minimap's picture, drawn in wasm memory: one bar per span, top to bottom in the tree's order, across the
//! trace's time, as RGBA pixels the canvas takes in one call (a canvas call per span costs 100 ms at 50,000
//! spans). Pure, tested natively.

use crate::model::{Span, Trace};

/// The bars' colours, read from the stylesheet's tokens (`--bar-*` in style/tokens.css), so the minimap draws
/// each span type as the span tree does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    pub agent: [u8; 3],
    pub model: [u8; 3],
    pub tool: [u8; 3],
    pub retrieval: [u8; 3],
    pub check: [u8; 3],
    pub other: [u8; 3],
    pub failed: [u8; 3],
}

impl Palette {
    /// The tokens, in the order [`Palette::from_values`] takes their values.
    pub const TOKENS: [&'static str; 7] =
        ["--bar-agent", "--bar-model", "--bar-tool", "--bar-retrieval", "--bar-check", "--bar-other", "--bar-error"];

    /// The palette from the tokens' values (`#rrggbb` or `#rgb`) in [`Palette::TOKENS`] order; a value that is
    /// missing or not such a colour draws mid-grey.
    pub fn from_values(values: &[String]) -> Palette {
        let color = |index: usize| values.get(index).and_then(|value| hex_color(value)).unwrap_or([128, 128, 128]);
        Palette {
            agent: color(0),
            model: color(1),
            tool: color(2),
            retrieval: color(3),
            check: color(4),
            other: color(5),
            failed: color(6),
        }
    }

    /// A span's bar colour: by its type (as the stylesheet's `.type-bar-*` rules), the failed colour when it
    /// failed.
    fn of(&self, span: &Span) -> [u8; 3] {
        if span.failed() {
            return self.failed;
        }
        match span.span_type.as_str() {
            "AGENT" => self.agent,
            "CHAT_MODEL" | "LLM" => self.model,
            "TOOL" => self.tool,
            "RETRIEVER" | "RERANKER" | "EMBEDDING" => self.retrieval,
            "GUARDRAIL" | "EVALUATOR" => self.check,
            _ => self.other,
        }
    }
}

/// `#rrggbb` or `#rgb` (surrounding space allowed), as red, green and blue.
pub fn hex_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#').filter(|hex| hex.chars().all(|c| c.is_ascii_hexdigit()))?;
    let channel = |digits: &str| u8::from_str_radix(digits, 16).ok();
    match hex.len() {
        6 => Some([channel(&hex[0..2])?, channel(&hex[2..4])?, channel(&hex[4..6])?]),
        3 => Some([channel(&hex[0..1])? * 17, channel(&hex[1..2])? * 17, channel(&hex[2..3])? * 17]),
        _ => None,
    }
}

/// `width` × `height` RGBA pixels (transparent where no span is): the spans of `trace` in `order`, in the
/// `palette`'s colours, each its row's share of the height, placed along the time window `(start, end)` (ns);
/// an unfinished span runs to `end`, and every span is at least one pixel wide and tall.
pub fn minimap_pixels(
    trace: &Trace,
    order: &[usize],
    (start, end): (u64, u64),
    (width, height): (usize, usize),
    palette: &Palette,
) -> Vec<u8> {
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
        let [r, g, b] = palette.of(span);
        for y in y0..y1 {
            for pixel in pixels[(y * width + x0) * 4..(y * width + x1) * 4].chunks_exact_mut(4) {
                pixel.copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    pixels
}
