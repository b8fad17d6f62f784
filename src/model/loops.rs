//! Agent loops folded: consecutive runs of sibling spans that repeat the same steps (an agent's iterations,
//! a retried call, the same tool fanned out) are found so a view can show them as one row, "× N
//! iterations", with each iteration's duration, tokens and whether it went differently from the first.
//!
//! Siblings repeat when their type and name repeat with a period of one to [`MAX_PERIOD`] spans (a model call
//! then a tool call is a period of two); what each iteration did below that may differ, and is what "differs
//! from the first" looks at, with whether it failed.

use super::{Span, SpanTree, Trace};
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// The longest run of siblings that counts as one iteration.
pub const MAX_PERIOD: usize = 4;

/// A run of repeated siblings under `parent` (None: among the roots).
#[derive(Clone, Debug, PartialEq)]
pub struct Loop {
    pub parent: Option<usize>,
    /// Where the run starts among the parent's children, in spans.
    pub first: usize,
    /// Spans per iteration.
    pub period: usize,
    pub iterations: Vec<Iteration>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Iteration {
    /// Its spans among the parent's children (their subtrees belong to it too).
    pub siblings: Range<usize>,
    pub duration_ns: u64,
    pub tokens: u64,
    pub failed: bool,
    /// Whether it went differently from the first iteration: other steps below, or a different outcome.
    pub differs: bool,
}

impl Loop {
    /// The spans at the top of the loop, all iterations.
    pub fn span_count(&self) -> usize {
        self.period * self.iterations.len()
    }

    /// The iterations as at most `bars` bars, in order: with more iterations than bars, each bar stands for
    /// a run of them (the longest duration, their tokens together; failed or different if any was).
    pub fn strip(&self, bars: usize) -> Vec<StripBar> {
        let per_bar = self.iterations.len().div_ceil(bars.max(1)).max(1);
        self.iterations
            .chunks(per_bar)
            .enumerate()
            .map(|(at, chunk)| StripBar {
                first: at * per_bar,
                iterations: chunk.len(),
                duration_ns: chunk.iter().map(|i| i.duration_ns).max().unwrap_or(0),
                tokens: chunk.iter().map(|i| i.tokens).sum(),
                failed: chunk.iter().any(|i| i.failed),
                differs: chunk.iter().any(|i| i.differs),
            })
            .collect()
    }
}

/// Durations as at most `bars` bars: each the longest of a run of them.
pub fn strip_heights(durations: &[u64], bars: usize) -> Vec<u64> {
    let per_bar = durations.len().div_ceil(bars.max(1)).max(1);
    durations.chunks(per_bar).map(|chunk| chunk.iter().copied().max().unwrap_or(0)).collect()
}

/// A bar of a loop's strip: one iteration, or a run of them from `first`.
#[derive(Clone, Debug, PartialEq)]
pub struct StripBar {
    pub first: usize,
    pub iterations: usize,
    pub duration_ns: u64,
    pub tokens: u64,
    pub failed: bool,
    pub differs: bool,
}

/// How a loop shows in the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopView {
    /// One row for all its iterations.
    Folded,
    /// Its row, then every iteration.
    Open,
    /// Its row, then the first iteration and those that went differently.
    OnlyDiffering,
}

/// A row of the span tree: a span, or a loop's row (an index into the loops).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TreeRow {
    Span(usize),
    Loop(usize),
}

/// The tree's rows, depth first, with spans in `folded` closed and each loop shown as `view_of` says.
pub fn rows_with_loops(tree: &SpanTree, folded: &HashSet<usize>, loops: &[Loop], view_of: impl Fn(usize) -> LoopView) -> Vec<TreeRow> {
    let mut by_parent: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (index, found) in loops.iter().enumerate() {
        by_parent.entry(found.parent).or_default().push(index);
    }
    // The rows under a parent (None: the roots), in order: its children, with each loop's row before its
    // iterations and the iterations it hides left out.
    let level = |parent: Option<usize>| -> Vec<TreeRow> {
        let children = match parent {
            Some(parent) => &tree.children[parent],
            None => &tree.roots,
        };
        let mut level = Vec::with_capacity(children.len());
        let mut at = 0;
        for &index in by_parent.get(&parent).map(Vec::as_slice).unwrap_or(&[]) {
            let found = &loops[index];
            level.extend(children[at..found.first].iter().map(|&child| TreeRow::Span(child)));
            level.push(TreeRow::Loop(index));
            let shown: Vec<&Iteration> = match view_of(index) {
                LoopView::Folded => Vec::new(),
                LoopView::Open => found.iterations.iter().collect(),
                LoopView::OnlyDiffering => {
                    found.iterations.iter().enumerate().filter(|(k, i)| *k == 0 || i.differs).map(|(_, i)| i).collect()
                }
            };
            for iteration in shown {
                level.extend(children[iteration.siblings.clone()].iter().map(|&child| TreeRow::Span(child)));
            }
            at = found.first + found.span_count();
        }
        level.extend(children[at..].iter().map(|&child| TreeRow::Span(child)));
        level
    };
    let mut rows = Vec::with_capacity(tree.parent.len());
    let mut stack: Vec<TreeRow> = level(None).into_iter().rev().collect();
    while let Some(row) = stack.pop() {
        rows.push(row);
        if let TreeRow::Span(index) = row {
            if !folded.contains(&index) && !tree.children[index].is_empty() {
                stack.extend(level(Some(index)).into_iter().rev());
            }
        }
    }
    rows
}

/// The loops to open so that `index` shows: those whose hidden iterations hold it or one of its ancestors.
pub fn loops_hiding(tree: &SpanTree, loops: &[Loop], index: usize) -> Vec<usize> {
    let chain: Vec<usize> = std::iter::once(index).chain(tree.ancestors(index)).collect();
    loops
        .iter()
        .enumerate()
        .filter(|(_, found)| {
            let children = match found.parent {
                Some(parent) => &tree.children[parent],
                None => &tree.roots,
            };
            children[found.first..found.first + found.span_count()].iter().any(|child| chain.contains(child))
        })
        .map(|(at, _)| at)
        .collect()
}

/// Every run of at least `min_iterations` repeated siblings in the trace, parents before their children.
pub fn find_loops(trace: &Trace, tree: &SpanTree, min_iterations: usize) -> Vec<Loop> {
    // First the runs, from a key per span; what the iterations did is worked out only when there are any (a
    // trace without loops pays one pass over its spans).
    let order = tree.preorder();
    let keys: Vec<u64> = trace.spans.iter().map(|span| fingerprint(&[span.span_type.as_str(), &span.name])).collect();
    let mut runs: Vec<(Option<usize>, Run)> = Vec::new();
    for parent in std::iter::once(None).chain(order.iter().copied().map(Some)) {
        let children = children_of(tree, parent);
        if children.len() >= min_iterations.max(2) {
            let child_keys: Vec<u64> = children.iter().map(|&i| keys[i]).collect();
            runs.extend(repeated_runs(&child_keys, min_iterations).into_iter().map(|run| (parent, run)));
        }
    }
    if runs.is_empty() {
        return Vec::new();
    }
    let below = Below::of(&trace.spans, tree, &order);
    runs.into_iter()
        .map(|(parent, run)| {
            let children = children_of(tree, parent);
            let iteration = |k: usize| {
                let siblings = run.start + k * run.period..run.start + (k + 1) * run.period;
                let spans = &children[siblings.clone()];
                let start = spans.iter().map(|&i| trace.spans[i].start_ns).min().unwrap_or(0);
                let end = spans.iter().map(|&i| trace.spans[i].end_ns.unwrap_or(trace.spans[i].start_ns)).max().unwrap_or(start);
                let shape: Vec<u64> = spans.iter().map(|&i| below.shapes[i]).collect();
                let failed = spans.iter().any(|&i| below.failed[i]);
                (siblings, end.saturating_sub(start), spans.iter().map(|&i| below.tokens[i]).sum::<u64>(), failed, shape)
            };
            let (_, _, _, first_failed, first_shape) = iteration(0);
            let iterations = (0..run.count)
                .map(|k| {
                    let (siblings, duration_ns, tokens, failed, shape) = iteration(k);
                    Iteration { siblings, duration_ns, tokens, failed, differs: failed != first_failed || shape != first_shape }
                })
                .collect();
            Loop { parent, first: run.start, period: run.period, iterations }
        })
        .collect()
}

fn children_of(tree: &SpanTree, parent: Option<usize>) -> &[usize] {
    match parent {
        Some(parent) => &tree.children[parent],
        None => &tree.roots,
    }
}

/// A key standing for these strings, to compare sequences by (one copy of the alignment and repeat code,
/// whatever is compared).
pub fn fingerprint(parts: &[&str]) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

/// A run of `count` repeats of `period` keys from `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub period: usize,
    pub count: usize,
}

/// The runs of keys that repeat at least `min_count` times back to back, left to right, not overlapping: at
/// each position the period that covers the most keys wins (the shorter on a tie).
pub fn repeated_runs(keys: &[u64], min_count: usize) -> Vec<Run> {
    let min_count = min_count.max(2);
    let mut runs = Vec::new();
    let mut at = 0;
    while at < keys.len() {
        let best = (1..=MAX_PERIOD)
            .filter(|period| at + period * min_count <= keys.len())
            .map(|period| {
                let mut count = 1;
                while at + (count + 1) * period <= keys.len()
                    && keys[at + count * period..at + (count + 1) * period] == keys[at..at + period]
                {
                    count += 1;
                }
                Run { start: at, period, count }
            })
            .filter(|run| run.count >= min_count)
            .max_by_key(|run| (run.period * run.count, std::cmp::Reverse(run.period)));
        match best {
            Some(run) => {
                at += run.period * run.count;
                runs.push(run);
            }
            None => at += 1,
        }
    }
    runs
}

/// What each span's subtree holds, worked out bottom up in one pass: a hash of its shape (type, name and its
/// children's shapes in order), whether any span in it failed, and the tokens its model calls used.
struct Below {
    shapes: Vec<u64>,
    failed: Vec<bool>,
    tokens: Vec<u64>,
}

impl Below {
    fn of(spans: &[Span], tree: &SpanTree, order: &[usize]) -> Below {
        let mut below = Below {
            shapes: vec![0; spans.len()],
            failed: spans.iter().map(Span::failed).collect(),
            tokens: spans.iter().map(|span| span.token_usage().map_or(0, |usage| usage.total_tokens)).collect(),
        };
        for &index in order.iter().rev() {
            let mut hasher = DefaultHasher::new();
            spans[index].span_type.as_str().hash(&mut hasher);
            spans[index].name.hash(&mut hasher);
            for &child in &tree.children[index] {
                below.shapes[child].hash(&mut hasher);
            }
            below.shapes[index] = hasher.finish();
            if let Some(parent) = tree.parent[index] {
                below.failed[parent] |= below.failed[index];
                below.tokens[parent] += below.tokens[index];
            }
        }
        below
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::span;
    use crate::model::{SpanStatus, SpanType, StatusCode, TraceInfo};

    fn trace(spans: Vec<Span>) -> Trace {
        Trace { info: TraceInfo::default(), spans, spans_loaded: true }
    }

    #[test]
    fn runs_take_the_period_that_covers_most() {
        let keys: Vec<u64> = ["a", "m", "t", "m", "t", "m", "t", "x", "x", "x", "x", "z"].map(|k| fingerprint(&[k])).to_vec();
        assert_eq!(repeated_runs(&keys, 3), [Run { start: 1, period: 2, count: 3 }, Run { start: 7, period: 1, count: 4 }]);
        assert_eq!(repeated_runs(&keys, 4), [Run { start: 7, period: 1, count: 4 }]);
        assert!(repeated_runs(&[1, 2, 3], 2).is_empty());
        assert!(repeated_runs(&[], 2).is_empty());
    }

    #[test]
    fn loops_of_one_to_ten_thousand_iterations_are_found_whole() {
        for count in [1, 2, 3, 4, 5, 10, 100, 10_000] {
            let keys = vec![7u64; count];
            let runs = repeated_runs(&keys, 2);
            match count {
                1 => assert!(runs.is_empty()),
                _ => assert_eq!(runs, [Run { start: 0, period: 1, count }], "{count} iterations"),
            }
        }
    }

    #[test]
    fn a_long_loop_is_drawn_as_a_bounded_strip() {
        let iteration = |k: usize| Iteration { siblings: k..k + 1, duration_ns: k as u64, tokens: 1, failed: k == 7, differs: k == 7 };
        let found = Loop { parent: None, first: 0, period: 1, iterations: (0..10_000).map(iteration).collect() };
        let strip = found.strip(60);
        assert!(strip.len() <= 60);
        assert_eq!(strip.iter().map(|bar| bar.iterations).sum::<usize>(), 10_000);
        assert_eq!(strip.iter().map(|bar| bar.tokens).sum::<u64>(), 10_000);
        assert!(strip[0].failed && !strip[1].failed);
        assert_eq!(strip.last().unwrap().duration_ns, 9_999);
        let short = Loop { iterations: (0..5).map(iteration).collect(), ..found };
        assert_eq!(short.strip(60).len(), 5);
        assert_eq!(strip_heights(&[1, 5, 2, 2, 9], 2), [5, 9]);
        assert_eq!(strip_heights(&[], 60), Vec::<u64>::new());
    }

    #[test]
    fn an_agent_loop_folds_and_the_iteration_that_went_differently_is_marked() {
        // agent ─ (plan → search) × 5, the fourth search failing and the fifth plan calling a sub-step.
        let mut spans = vec![span("agent", None, SpanType::Agent, 0, 1_000)];
        for k in 0..5u64 {
            let plan = format!("plan{k}");
            let mut model = span(&plan, Some("agent"), SpanType::ChatModel, k * 100, k * 100 + 40);
            model.name = "plan".into();
            spans.push(model);
            let mut tool = span(&format!("search{k}"), Some("agent"), SpanType::Tool, k * 100 + 50, k * 100 + 90);
            tool.name = "search".into();
            if k == 3 {
                tool.status = SpanStatus { code: StatusCode::Error, message: "timeout".into() };
            }
            spans.push(tool);
            if k == 4 {
                spans.push(span("extra", Some(&plan), SpanType::Tool, k * 100 + 10, k * 100 + 20));
            }
        }
        let trace = trace(spans);
        let tree = SpanTree::build(&trace.spans);
        let loops = find_loops(&trace, &tree, 3);
        assert_eq!(loops.len(), 1);
        let found = &loops[0];
        assert_eq!((found.parent, found.first, found.period, found.iterations.len()), (Some(0), 0, 2, 5));
        assert_eq!(found.iterations.iter().map(|i| i.differs).collect::<Vec<_>>(), [false, false, false, true, true]);
        assert!(found.iterations[3].failed);
        assert_eq!(found.iterations[1].duration_ns, 90);
        assert!(find_loops(&trace, &tree, 6).is_empty());

        let none = HashSet::new();
        let rows = |view: LoopView| rows_with_loops(&tree, &none, &loops, |_| view);
        assert_eq!(rows(LoopView::Folded), [TreeRow::Span(0), TreeRow::Loop(0)]);
        assert_eq!(rows(LoopView::Open).len(), 2 + 10 + 1, "the agent, the loop's row, ten spans and the extra step");
        let differing = rows(LoopView::OnlyDiffering);
        let spans: Vec<&str> = differing
            .iter()
            .filter_map(|row| match row {
                TreeRow::Span(index) => Some(trace.spans[*index].span_id.as_str()),
                TreeRow::Loop(_) => None,
            })
            .collect();
        assert_eq!(spans, ["agent", "plan0", "search0", "plan3", "search3", "plan4", "extra", "search4"]);
        assert_eq!(loops_hiding(&tree, &loops, trace.spans.iter().position(|s| s.span_id == "extra").unwrap()), [0]);
        assert!(loops_hiding(&tree, &loops, 0).is_empty());
    }
}
