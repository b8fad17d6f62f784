//! What the span explorer shows and where the user is in it: folds, filters, the rows shown, the selection
//! (in the URL as `span_id`), the search within the trace (in the URL as `search`) and its current match,
//! the timeline's zoom and the critical path. One owner for all of it; the explorer's views read it and
//! change it through its methods.

use super::ROW_HEIGHT;
use crate::model::loops::{find_loops, loops_hiding, rows_with_loops, Loop, LoopView, TreeRow};
use crate::model::span_search::matching_spans;
use crate::model::tree::TreeMove;
use crate::model::{Span, SpanTree, Trace};
use crate::ui::navigation::Navigator;
use crate::ui::trace::assessments_pane::TraceAssessments;
use crate::ui::trace::minimap::TimeWindow;
use crate::ui::widgets::windowing::Windowing;
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

const OVERSCAN: usize = 20;
/// Sibling steps repeated more often than this fold into one row by default.
const FOLD_ABOVE: usize = crate::model::compare::FOLD_ABOVE;

#[derive(Clone, Copy)]
pub struct ExplorerState {
    pub trace: StoredValue<Arc<Trace>>,
    pub tree: StoredValue<Arc<SpanTree>>,
    /// Which spans failed (`Span::failed`), by index.
    pub failed: StoredValue<Arc<Vec<bool>>>,
    pub folded: RwSignal<HashSet<usize>>,
    pub type_filter: RwSignal<Option<String>>,
    pub errors_only: RwSignal<bool>,
    /// The spans the filters keep (with their ancestors), when a filter is on.
    filter: Memo<Option<Vec<bool>>>,
    /// Agent loops (repeated siblings) in the trace.
    pub loops: StoredValue<Arc<Vec<Loop>>>,
    /// Whether loops fold into one row (they do by default; not while a filter is on).
    pub fold_loops: RwSignal<bool>,
    /// How each loop the user opened shows (the others are folded).
    loop_views: RwSignal<HashMap<usize, LoopView>>,
    /// The rows shown, in order.
    pub rows: Memo<Vec<TreeRow>>,
    /// The spans shown, in order (what the arrow keys walk).
    pub visible: Memo<Vec<usize>>,
    pub window: Windowing,
    pub selected: RwSignal<usize>,
    /// The span named by the URL when the trace opened, brought into view once its row is there.
    named: Option<usize>,
    pub search: RwSignal<String>,
    pub matches: Memo<Vec<usize>>,
    pub is_match: Memo<Vec<bool>>,
    /// Which match the user stepped to last (an index into `matches`).
    pub current_match: RwSignal<Option<usize>>,
    /// The timeline's extent: from the first start to the last end (running spans reach the last known
    /// time).
    pub extent: TimeWindow,
    /// What was zoomed into on the minimap; None shows everything.
    pub zoom: RwSignal<Option<TimeWindow>>,
    pub show_critical: RwSignal<bool>,
    /// Which spans are on the critical path, while it is shown.
    pub critical: Memo<Option<Vec<bool>>>,
    /// How many valid assessments each assessed span has.
    pub assessed: Memo<BTreeMap<usize, usize>>,
    navigator: Navigator,
}

impl ExplorerState {
    /// The explorer of a trace with at least one span, at the span and search the URL names.
    pub fn new(trace: Arc<Trace>, navigator: Navigator) -> ExplorerState {
        let tree = Arc::new(SpanTree::build(&trace.spans));
        let failed: Arc<Vec<bool>> = Arc::new(trace.spans.iter().map(Span::failed).collect());
        let folded = RwSignal::new(HashSet::<usize>::new());
        let type_filter = RwSignal::new(None::<String>);
        let errors_only = RwSignal::new(false);
        let filter = Memo::new({
            let (trace, tree, failed) = (trace.clone(), tree.clone(), failed.clone());
            move |_| {
                let wanted = type_filter.get();
                let errors = errors_only.get();
                if wanted.is_none() && !errors {
                    return None;
                }
                let keep: Vec<bool> = trace
                    .spans
                    .iter()
                    .zip(failed.iter())
                    .map(|(span, &failed)| wanted.as_deref().is_none_or(|t| span.span_type.as_str() == t) && (!errors || failed))
                    .collect();
                Some(tree.with_ancestors(&keep))
            }
        });
        let loops = Arc::new(find_loops(&trace, &tree, FOLD_ABOVE + 1));
        let fold_loops = RwSignal::new(true);
        let loop_views = RwSignal::new(HashMap::<usize, LoopView>::new());
        let rows = Memo::new({
            let (tree, loops) = (tree.clone(), loops.clone());
            move |_| {
                folded.with(|folded| {
                    filter.with(|filter| match filter {
                        None if fold_loops.get() && !loops.is_empty() => loop_views
                            .with(|views| rows_with_loops(&tree, folded, &loops, |at| views.get(&at).copied().unwrap_or(LoopView::Folded))),
                        _ => tree.visible(folded, filter.as_deref()).into_iter().map(TreeRow::Span).collect(),
                    })
                })
            }
        });
        let visible = Memo::new(move |_| {
            rows.with(|rows| {
                rows.iter()
                    .filter_map(|row| match row {
                        TreeRow::Span(index) => Some(*index),
                        TreeRow::Loop(_) => None,
                    })
                    .collect()
            })
        });
        let location = navigator.location();
        let named = location.span_id.and_then(|id| trace.spans.iter().position(|span| span.span_id == id));
        let search = RwSignal::new(location.search.unwrap_or_default());
        let matches = Memo::new({
            let trace = trace.clone();
            move |_| search.with(|term| matching_spans(&trace.spans, term))
        });
        let span_count = trace.spans.len();
        let is_match = Memo::new(move |_| {
            let mut flags = vec![false; span_count];
            matches.with(|m| m.iter().for_each(|&i| flags[i] = true));
            flags
        });
        let start = trace.spans.iter().map(|span| span.start_ns).min().unwrap_or(0);
        let end = trace.spans.iter().map(|span| span.end_ns.unwrap_or(span.start_ns)).max().unwrap_or(start).max(start + 1);
        let show_critical = RwSignal::new(false);
        let critical = Memo::new({
            let (trace, tree) = (trace.clone(), tree.clone());
            move |_| show_critical.get().then(|| tree.critical_path(&trace.spans))
        });
        let state = ExplorerState {
            selected: RwSignal::new(named.unwrap_or(tree.roots[0])),
            assessed: assessed_spans(&trace),
            trace: StoredValue::new(trace),
            tree: StoredValue::new(tree),
            failed: StoredValue::new(failed),
            folded,
            type_filter,
            errors_only,
            filter,
            loops: StoredValue::new(loops),
            fold_loops,
            loop_views,
            rows,
            visible,
            window: Windowing::new(ROW_HEIGHT, OVERSCAN, move || rows.with(Vec::len)),
            named,
            search,
            matches,
            is_match,
            current_match: RwSignal::new(None),
            extent: TimeWindow { start, end },
            zoom: RwSignal::new(None),
            show_critical,
            critical,
            navigator,
        };
        // The span the URL names comes into view once the rows are there (the first root is in view).
        Effect::new(move |_| {
            if let (Some(_), Some(named)) = (state.window.scroller.get(), state.named) {
                state.scroll_to(named, 3);
            }
        });
        state
    }

    /// The part of the timeline shown.
    pub fn shown_window(self) -> TimeWindow {
        self.zoom.get().unwrap_or(self.extent)
    }

    /// Selects a span, and names it in the URL.
    pub fn select(self, index: usize) {
        self.selected.set(index);
        let mut next = self.navigator.location();
        next.span_id = self.trace.with_value(|trace| trace.spans.get(index).map(|span| span.span_id.clone()));
        self.navigator.replace(next);
    }

    /// Scrolls a span's row into view, if it is shown (`margin` rows above it when scrolling up).
    pub fn scroll_to(self, index: usize, margin: usize) {
        if let Some(position) = self.rows.with_untracked(|rows| rows.iter().position(|&row| row == TreeRow::Span(index))) {
            self.window.scroll_into_view(position, margin);
        }
    }

    /// Selects a span, unfolding its ancestors and clearing filters that hide it, and scrolls to it.
    pub fn reveal(self, index: usize) {
        if self.filter.with_untracked(|f| f.as_ref().is_some_and(|shown| !shown[index])) {
            self.type_filter.set(None);
            self.errors_only.set(false);
        }
        self.tree.with_value(|tree| {
            self.folded.update(|folded| {
                for ancestor in tree.ancestors(index) {
                    folded.remove(&ancestor);
                }
            });
            let hiding = self.loops.with_value(|loops| loops_hiding(tree, loops, index));
            self.loop_views.update(|views| {
                for at in hiding {
                    if views.get(&at) != Some(&LoopView::Open) {
                        views.insert(at, LoopView::Open);
                    }
                }
            });
        });
        self.select(index);
        self.scroll_to(index, 3);
    }

    /// How a loop shows.
    pub fn loop_view(self, at: usize) -> LoopView {
        self.loop_views.with(|views| views.get(&at).copied().unwrap_or(LoopView::Folded))
    }

    pub fn show_loop(self, at: usize, view: LoopView) {
        self.loop_views.update(|views| {
            views.insert(at, view);
        });
    }

    pub fn toggle_fold(self, index: usize) {
        self.folded.update(|folded| {
            if !folded.remove(&index) {
                folded.insert(index);
            }
        });
    }

    /// Shows `levels` levels of the tree, or all of them.
    pub fn fold_to_level(self, levels: Option<u32>) {
        self.folded.set(match levels {
            None => HashSet::new(),
            Some(levels) => self.tree.with_value(|tree| tree.folded_below(levels)),
        });
    }

    /// A key pressed in the tree; whether it was the tree's (see `SpanTree::key_move`).
    pub fn key(self, key: &str) -> bool {
        let current = self.selected.get_untracked();
        let step = self.visible.with_untracked(|visible| {
            self.folded.with_untracked(|folded| self.tree.with_value(|tree| tree.key_move(key, current, visible, folded)))
        });
        match step {
            None => return false,
            Some(TreeMove::Select(index)) => {
                self.select(index);
                self.scroll_to(index, 0);
            }
            Some(TreeMove::Fold(index)) => self.folded.update(|f| {
                f.insert(index);
            }),
            Some(TreeMove::Unfold(index)) => self.folded.update(|f| {
                f.remove(&index);
            }),
            Some(TreeMove::Stay) => {}
        }
        true
    }

    /// A new search term, named in the URL.
    pub fn set_search(self, term: String) {
        self.current_match.set(None);
        self.search.set(term.clone());
        let mut next = self.navigator.location();
        next.search = Some(term).filter(|t| !t.trim().is_empty());
        self.navigator.replace(next);
    }

    /// Goes to the next (or previous) match, round the end.
    pub fn step_match(self, forward: bool) {
        let count = self.matches.with_untracked(Vec::len);
        if count == 0 {
            return;
        }
        let next = match self.current_match.get_untracked() {
            None if forward => 0,
            None => count - 1,
            Some(at) if forward => (at + 1) % count,
            Some(at) => (at + count - 1) % count,
        };
        self.current_match.set(Some(next));
        self.reveal(self.matches.with_untracked(|m| m[next]));
    }
}

/// How many valid assessments each assessed span has: marked in the tree.
fn assessed_spans(trace: &Trace) -> Memo<BTreeMap<usize, usize>> {
    let span_ids: Vec<String> = trace.spans.iter().map(|span| span.span_id.clone()).collect();
    let list = use_context::<TraceAssessments>().map(|store| store.list);
    Memo::new(move |_| {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        if let Some(list) = list {
            list.with(|list| {
                for on in list.iter().filter(|a| a.valid).filter_map(|a| a.span_id.as_ref()) {
                    if let Some(index) = span_ids.iter().position(|id| id == on) {
                        *counts.entry(index).or_default() += 1;
                    }
                }
            })
        }
        counts
    })
}
