//! A trace's spans: the hierarchy with a timeline bar per span against a time axis (rows windowed, so a
//! trace of any size keeps a bounded DOM), a minimap to zoom the timeline, the critical path on demand,
//! folding per span, per level and all, filters by span type and errors, search within the trace, and the
//! selected span's panel. The selected span and the search are in the URL (`span_id`, `search`).

mod row;
mod state;
mod toolbar;

use crate::format;
use crate::model::loops::TreeRow;
use crate::model::Trace;
use crate::ui::navigation::Navigator;
use crate::ui::trace::minimap::Minimap;
use crate::ui::trace::span_panel::{PanelTab, SpanPanel};
use leptos::html;
use leptos::prelude::*;
use row::{LoopRow, SpanRow, TimeAxis};
use state::ExplorerState;
use std::sync::Arc;
use toolbar::{SpanFilters, SpanSearch};

/// Every span row is this tall (px); the stylesheet reads it as `--span-row-height`.
const ROW_HEIGHT: f64 = 30.0;

#[component]
pub fn SpanExplorer(
    trace: Arc<Trace>,
    /// The search box, so that `/` can focus it from anywhere on the page.
    search_input: NodeRef<html::Input>,
) -> impl IntoView {
    if trace.spans.is_empty() {
        let message = if trace.spans_loaded { "This trace has no spans." } else { "The spans of this trace are not loaded." };
        return view! { <p class="empty">{message}</p> }.into_any();
    }
    let state = ExplorerState::new(trace.clone(), expect_context::<Navigator>());
    let ExplorerState { rows: tree_rows, window, selected, .. } = state;
    let rows = move || {
        let range = window.range.get();
        let view = state.shown_window();
        tree_rows.with(|rows| {
            rows[range.clone()]
                .iter()
                .zip(range)
                .map(|(row, position)| match *row {
                    TreeRow::Span(index) => view! { <SpanRow state=state index=index position=position view=view /> }.into_any(),
                    TreeRow::Loop(at) => view! { <LoopRow state=state at=at position=position /> }.into_any(),
                })
                .collect_view()
        })
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if state.key(&event.key()) {
            event.prevent_default();
        }
    };
    let tab = RwSignal::new(PanelTab::Chat);
    let panel = {
        let trace = trace.clone();
        move || view! { <SpanPanel trace=trace.clone() span_index=selected.get() tab=tab on_select=Callback::new(move |index| state.reveal(index)) /> }
    };
    let order = state.tree.with_value(|tree| tree.preorder());
    view! {
        <section class="span-explorer">
            <div class="span-pane">
                <div class="span-toolbar">
                    <SpanSearch state=state search_input=search_input />
                    <SpanFilters state=state />
                </div>
                <Minimap trace=trace.clone() order=order start=state.extent.start end=state.extent.end zoom=state.zoom />
                <div class="span-pane-head">
                    <span>{format!("Spans ({})", format::count(trace.spans.len() as u64))}</span>
                    <span class="span-axis" aria-hidden="true"><TimeAxis state=state /></span>
                </div>
                <div class="span-scroller" node_ref=window.scroller on:scroll=move |_| window.measure() on:keydown=on_key tabindex="0" role="tree" aria-label="Spans" style:--span-row-height=format!("{ROW_HEIGHT}px")>
                    <div class="span-rows" style:height=move || window.height(tree_rows.with(Vec::len))>
                        {rows}
                    </div>
                    <Show when=move || tree_rows.with(Vec::is_empty)>
                        <p class="empty">"No span matches these filters."</p>
                    </Show>
                </div>
            </div>
            <aside class="span-panel" aria-label="Selected span">{panel}</aside>
        </section>
    }
    .into_any()
}
