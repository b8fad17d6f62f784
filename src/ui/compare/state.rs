//! What the comparison shows and where the user is in it: the aligned rows as lines (repeated steps folded
//! unless the user turned folding off or opened that loop), the selected row, and the windowed list.

use crate::model::compare::{compare_lines, CompareLine, Comparison};
use crate::model::Trace;
use crate::ui::widgets::windowing::Windowing;
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// Every line of the steps is this tall (px); the stylesheet reads it as `--compare-row-height`.
pub const ROW_HEIGHT: f64 = 54.0;
const OVERSCAN: usize = 10;

/// A line of the steps list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shown {
    Row(usize),
    /// A loop of `count` iterations from row `first`, open or folded.
    Loop {
        first: usize,
        period: usize,
        count: usize,
        open: bool,
    },
}

#[derive(Clone, Copy)]
pub struct CompareState {
    pub traces: StoredValue<Vec<Arc<Trace>>>,
    pub comparison: StoredValue<Arc<Comparison>>,
    /// Whether repeated steps fold into one line.
    pub fold: RwSignal<bool>,
    /// Loops the user opened (by their first row).
    open_loops: RwSignal<HashSet<usize>>,
    pub lines: Memo<Vec<Shown>>,
    pub selected: RwSignal<Option<usize>>,
    pub window: Windowing,
}

impl CompareState {
    pub fn new(traces: Vec<Arc<Trace>>, comparison: Arc<Comparison>) -> CompareState {
        let fold = RwSignal::new(true);
        let open_loops = RwSignal::new(HashSet::new());
        let lines = Memo::new({
            let comparison = comparison.clone();
            move |_| shown_lines(&compare_lines(&comparison, fold.get()), &open_loops.get())
        });
        CompareState {
            traces: StoredValue::new(traces),
            comparison: StoredValue::new(comparison),
            fold,
            open_loops,
            lines,
            selected: RwSignal::new(None),
            window: Windowing::new(ROW_HEIGHT, OVERSCAN, move || lines.with(Vec::len)),
        }
    }

    pub fn toggle_loop(self, first: usize) {
        self.open_loops.update(|open| {
            if !open.remove(&first) {
                open.insert(first);
            }
        });
    }

    /// Selects a row, opening the loop that holds it, and scrolls it into view.
    pub fn reveal(self, row: usize) {
        let folded_in = self.lines.with_untracked(|lines| {
            lines.iter().find_map(|line| match *line {
                Shown::Loop { first, period, count, open: false } if (first..first + period * count).contains(&row) => Some(first),
                _ => None,
            })
        });
        if let Some(first) = folded_in {
            self.open_loops.update(|open| {
                open.insert(first);
            });
        }
        self.selected.set(Some(row));
        if let Some(position) = self.lines.with_untracked(|lines| lines.iter().position(|line| *line == Shown::Row(row))) {
            self.window.scroll_into_view(position, 2);
        }
    }
}

/// The lines shown: an open loop is its header line followed by its rows.
fn shown_lines(lines: &[CompareLine], open_loops: &HashSet<usize>) -> Vec<Shown> {
    let mut shown = Vec::with_capacity(lines.len());
    for line in lines {
        match *line {
            CompareLine::Row(row) => shown.push(Shown::Row(row)),
            CompareLine::Loop { first, period, count } => {
                let open = open_loops.contains(&first);
                shown.push(Shown::Loop { first, period, count, open });
                if open {
                    shown.extend((first..first + period * count).map(Shown::Row));
                }
            }
        }
    }
    shown
}
