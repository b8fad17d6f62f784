//! The whole trace at a glance, drawn on a canvas (one line per span, so 50,000 spans cost one paint and no
//! DOM). Dragging across it zooms the timeline into that time window; "Reset zoom" shows all again.

use crate::format;
use crate::model::Trace;
use crate::raster::{minimap_pixels, Palette};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// A time range of the trace, in Unix nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: u64,
    pub end: u64,
}

const HEIGHT_PX: f64 = 44.0;
/// A drag shorter than this is a click, not a zoom.
const MIN_DRAG_PX: f64 = 4.0;

#[component]
pub fn Minimap(
    trace: Arc<Trace>,
    /// The spans top to bottom (the tree's depth-first order).
    order: Vec<usize>,
    start: u64,
    end: u64,
    zoom: RwSignal<Option<TimeWindow>>,
) -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    let order = StoredValue::new(order);
    let trace = StoredValue::new(trace);
    let extent = end.saturating_sub(start).max(1) as f64;
    let draw = move || draw_spans(canvas, trace, order, (start, end));
    // Drawn in a task of its own: the canvas's width lays out the page just built.
    Effect::new(move |_| {
        if canvas.get().is_some() {
            set_timeout(draw, std::time::Duration::ZERO);
        }
    });
    let resize = window_event_listener(ev::resize, move |_| draw());
    on_cleanup(move || resize.remove());

    // The drag in progress, as x positions in CSS pixels from the canvas's left edge.
    let drag = RwSignal::new(None::<(f64, f64)>);
    let x_of = move |event: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let canvas = canvas.get_untracked()?;
        let rect = canvas.get_bounding_client_rect();
        Some(((event.client_x() as f64 - rect.left()).clamp(0.0, rect.width()), rect.width()))
    };
    let on_down = move |event: web_sys::PointerEvent| {
        if let Some((x, _)) = x_of(&event) {
            if let Some(canvas) = canvas.get_untracked() {
                let _ = canvas.set_pointer_capture(event.pointer_id());
            }
            drag.set(Some((x, x)));
        }
    };
    let on_move = move |event: web_sys::PointerEvent| {
        if drag.with_untracked(Option::is_some) {
            if let Some((x, _)) = x_of(&event) {
                drag.update(|drag| {
                    if let Some((_, to)) = drag {
                        *to = x
                    }
                });
            }
        }
    };
    let on_up = move |event: web_sys::PointerEvent| {
        let Some((from, to)) = drag.get_untracked() else { return };
        drag.set(None);
        let Some((_, width)) = x_of(&event) else { return };
        if (to - from).abs() >= MIN_DRAG_PX && width > 0.0 {
            let time = |x: f64| start + (x.min(from.max(to)) / width * extent) as u64;
            let (left, right) = (from.min(to), from.max(to));
            zoom.set(Some(TimeWindow { start: time(left), end: time(right).max(time(left) + 1) }));
        }
    };

    // The band over the canvas: the drag in progress, else the zoomed window.
    let band = move || {
        if let Some((from, to)) = drag.get() {
            return Some((format!("{}px", from.min(to)), format!("{}px", (to - from).abs())));
        }
        zoom.get().map(|window| {
            let left = (window.start - start) as f64 / extent * 100.0;
            let width = (window.end - window.start) as f64 / extent * 100.0;
            (format!("{left:.3}%"), format!("{width:.3}%"))
        })
    };

    view! {
        <div class="minimap">
            <div class="minimap-track">
                <canvas
                    node_ref=canvas
                    class="minimap-canvas"
                    aria-label="Minimap of the whole trace: drag across it to zoom the timeline"
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                ></canvas>
                {move || band().map(|(left, width)| view! { <div class="minimap-band" style:left=left style:width=width></div> })}
            </div>
            <div class="minimap-caption muted">
                {move || match zoom.get() {
                    Some(window) => view! {
                        <span>{format!("Showing {} – {}", format::duration_ns(window.start - start), format::duration_ns(window.end - start))}</span>
                        <button class="button small" on:click=move |_| zoom.set(None)>"Reset zoom"</button>
                    }.into_any(),
                    None => view! { <span>"Drag across the minimap to zoom"</span> }.into_any(),
                }}
            </div>
        </div>
    }
}

/// Draws the spans into the canvas at its current size. Drawn into a pixel buffer in wasm and handed to the
/// canvas once: a canvas call per span costs 100 ms at 50,000 spans.
fn draw_spans(canvas: NodeRef<html::Canvas>, trace: StoredValue<Arc<Trace>>, order: StoredValue<Vec<usize>>, (start, end): (u64, u64)) {
    // try_: a draw scheduled before the minimap went away finds it disposed.
    let Some(canvas) = canvas.try_get_untracked().flatten() else { return };
    let ratio = web_sys::window().map_or(1.0, |window| window.device_pixel_ratio());
    let (width, height) = ((canvas.client_width() as f64 * ratio).round() as usize, (HEIGHT_PX * ratio).round() as usize);
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    if width == 0 {
        return;
    }
    let Some(context) =
        canvas.get_context("2d").ok().flatten().and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let palette = palette(&canvas);
    let Some(pixels) = trace
        .try_with_value(|trace| order.try_with_value(|order| minimap_pixels(trace, order, (start, end), (width, height), &palette)))
        .flatten()
    else {
        return;
    };
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&pixels), width as u32, height as u32) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}

/// The bar colours as the stylesheet defines them where the minimap is (a host page may override them).
fn palette(element: &web_sys::Element) -> Palette {
    let style = web_sys::window().and_then(|window| window.get_computed_style(element).ok().flatten());
    let values: Vec<String> = Palette::TOKENS
        .iter()
        .map(|token| style.as_ref().and_then(|style| style.get_property_value(token).ok()).unwrap_or_default())
        .collect();
    Palette::from_values(&values)
}
