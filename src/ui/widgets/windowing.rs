//! Windowed lists: only the rows near the viewport are in the DOM. Every row has the same height, so the
//! visible range follows from the scroll position alone. Used by the trace table and the span explorer.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use std::ops::Range;

#[derive(Clone, Copy)]
pub struct Windowing {
    /// The scrolling element; give it `node_ref` and call [`Windowing::measure`] on its scroll events.
    pub scroller: NodeRef<html::Div>,
    /// Which rows to render.
    pub range: Memo<Range<usize>>,
    scroll_top: RwSignal<f64>,
    viewport_height: RwSignal<f64>,
    row_height: f64,
}

impl Windowing {
    /// `count` gives how many rows there are; `overscan` rows are rendered above and below the viewport
    /// so that fast scrolling does not show blanks.
    pub fn new(row_height: f64, overscan: usize, count: impl Fn() -> usize + Send + Sync + 'static) -> Windowing {
        let scroll_top = RwSignal::new(0.0);
        let viewport_height = RwSignal::new(800.0);
        let range = Memo::new(move |_| {
            let count = count();
            let first = (scroll_top.get() / row_height) as usize;
            let shown = (viewport_height.get() / row_height).ceil() as usize + 1;
            first.saturating_sub(overscan).min(count)..(first + shown + overscan).min(count)
        });
        let windowing = Windowing { scroller: NodeRef::new(), range, scroll_top, viewport_height, row_height };
        // Measured in a task of its own: reading the scroll position lays out the rows just built, and a
        // large list's first render is long enough without it.
        Effect::new(move |_| {
            if windowing.scroller.get().is_some() {
                set_timeout(move || windowing.measure(), std::time::Duration::ZERO);
            }
        });
        // The listener goes with the list: a resize after it is gone must not touch its disposed state.
        let resize = window_event_listener(ev::resize, move |_| windowing.measure());
        on_cleanup(move || resize.remove());
        windowing
    }

    /// Reads the scroll position and viewport size (on scroll, and when the element appears or resizes).
    pub fn measure(&self) {
        if let Some(element) = self.scroller.try_get_untracked().flatten() {
            // try_set: a measure scheduled before the list went away finds its state disposed.
            self.scroll_top.try_set(element.scroll_top() as f64);
            self.viewport_height.try_set(element.client_height() as f64);
        }
    }

    /// Total height of the rows, for the element that holds them.
    pub fn height(&self, count: usize) -> String {
        format!("{}px", count as f64 * self.row_height)
    }

    /// Where row `position` sits.
    pub fn top(&self, position: usize) -> String {
        format!("{}px", position as f64 * self.row_height)
    }

    /// Scrolls as little as needed for row `position` to be in view (`margin` rows above it, when scrolling up).
    pub fn scroll_into_view(&self, position: usize, margin: usize) {
        let Some(element) = self.scroller.get_untracked() else { return };
        let top = position.saturating_sub(margin) as f64 * self.row_height;
        let bottom = (position + 1) as f64 * self.row_height;
        let (view_top, view_height) = (element.scroll_top() as f64, element.client_height() as f64);
        if top < view_top {
            element.set_scroll_top(top as i32);
        } else if bottom > view_top + view_height {
            element.set_scroll_top((bottom - view_height) as i32);
        }
    }
}
