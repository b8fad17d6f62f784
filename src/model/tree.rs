//! The span hierarchy, built once per trace. Spans whose parent is missing (an in-progress trace, a
//! partial export) become extra roots and are flagged, never dropped; cycles in hostile data are broken.

use super::Span;
use crate::sorting::{sort_by, sort_by_key};
use std::collections::{HashMap, HashSet};

/// What a key press does in the span tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeMove {
    Select(usize),
    Fold(usize),
    Unfold(usize),
    /// The key is the tree's but there is nowhere to go (↓ on the last row).
    Stay,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanTree {
    /// Top-level spans in start order: the real root(s) first, then orphans.
    pub roots: Vec<usize>,
    /// Children of each span (indexes into the trace's spans), in start order.
    pub children: Vec<Vec<usize>>,
    pub parent: Vec<Option<usize>>,
    pub depth: Vec<u32>,
    /// True for spans that name a parent the trace does not contain.
    pub orphan: Vec<bool>,
}

impl SpanTree {
    pub fn build(spans: &[Span]) -> SpanTree {
        let count = spans.len();
        let index_by_id: HashMap<&str, usize> = spans.iter().enumerate().map(|(index, span)| (span.span_id.as_str(), index)).collect();
        let mut tree = SpanTree {
            roots: Vec::new(),
            children: vec![Vec::new(); count],
            parent: vec![None; count],
            depth: vec![0; count],
            orphan: vec![false; count],
        };
        let mut real_roots = Vec::new();
        let mut orphans = Vec::new();
        for (index, span) in spans.iter().enumerate() {
            match span.parent_id.as_deref() {
                None => real_roots.push(index),
                Some(parent_id) => match index_by_id.get(parent_id) {
                    Some(&parent) if parent != index => {
                        tree.parent[index] = Some(parent);
                        tree.children[parent].push(index);
                    }
                    _ => {
                        tree.orphan[index] = true;
                        orphans.push(index);
                    }
                },
            }
        }
        let by_start = |a: &usize, b: &usize| spans[*a].start_ns.cmp(&spans[*b].start_ns).then(a.cmp(b));
        for children in &mut tree.children {
            sort_by(children, by_start);
        }
        sort_by(&mut real_roots, by_start);
        sort_by(&mut orphans, by_start);
        tree.roots = real_roots.into_iter().chain(orphans).collect();

        // Walk from the roots; whatever is not reached sits on a parent cycle and is cut loose as an orphan.
        let mut reached = vec![false; count];
        walk(&tree.children, &tree.roots, &mut reached, &mut |index, depth| tree.depth[index] = depth);
        for index in 0..count {
            if !reached[index] {
                if let Some(parent) = tree.parent[index].take() {
                    tree.children[parent].retain(|&child| child != index);
                }
                tree.orphan[index] = true;
                tree.roots.push(index);
                walk(&tree.children, &[index], &mut reached, &mut |index, depth| tree.depth[index] = depth);
            }
        }
        tree
    }

    /// Depth-first order of the spans shown when the spans in `folded` hide their descendants and, with a
    /// filter, only the spans it marks are shown.
    pub fn visible(&self, folded: &HashSet<usize>, filter: Option<&[bool]>) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.parent.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(index) = stack.pop() {
            if filter.is_some_and(|shown| !shown[index]) {
                continue;
            }
            order.push(index);
            if !folded.contains(&index) {
                stack.extend(self.children[index].iter().rev());
            }
        }
        order
    }

    /// The spans in `keep` and every ancestor of one (so that a filtered tree keeps its shape).
    pub fn with_ancestors(&self, keep: &[bool]) -> Vec<bool> {
        let mut shown = keep.to_vec();
        for (index, &kept) in keep.iter().enumerate() {
            if !kept {
                continue;
            }
            let mut parent = self.parent[index];
            while let Some(p) = parent {
                if std::mem::replace(&mut shown[p], true) {
                    break; // the rest of the chain is marked already
                }
                parent = self.parent[p];
            }
        }
        shown
    }

    /// The critical path: the chain of spans that determined when the trace ended (as Jaeger draws it). From
    /// the root that ends last, walking back from its end: the child that finished last, then the child that
    /// finished before that one started, and so on, each child followed into its own children the same way.
    pub fn critical_path(&self, spans: &[Span]) -> Vec<bool> {
        let end = |index: usize| spans[index].end_ns.unwrap_or(spans[index].start_ns);
        let mut on_path = vec![false; spans.len()];
        let Some(&root) = self.roots.iter().filter(|&&r| !self.orphan[r]).max_by_key(|&&r| end(r)) else { return on_path };
        let mut stack = vec![(root, end(root))];
        while let Some((index, until)) = stack.pop() {
            on_path[index] = true;
            let mut children = self.children[index].clone();
            sort_by_key(&mut children, |&child| std::cmp::Reverse(end(child)));
            let mut time = until;
            for child in children {
                // Only a child that had finished by then can have held the parent up (the first one may
                // overrun its parent: it is cut at the parent's end).
                if end(child).min(until) <= time {
                    stack.push((child, end(child).min(until)));
                    time = spans[child].start_ns;
                }
            }
        }
        on_path
    }

    /// The spans to fold so that `levels` levels show: every span with children from that depth down.
    pub fn folded_below(&self, levels: u32) -> HashSet<usize> {
        (0..self.parent.len()).filter(|&i| self.depth[i] + 1 >= levels && !self.children[i].is_empty()).collect()
    }

    /// The span's parent, its parent's parent, and so on up to its root.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent[index], |&p| self.parent[p])
    }

    /// What a key does to the tree as it is shown (`visible`, with `folded` spans closed) when `current` is
    /// selected: ↑/↓ move to the row above or below, ← folds an open span (or goes to the parent of a closed
    /// one or a leaf), → unfolds. None for a key the tree does not use.
    pub fn key_move(&self, key: &str, current: usize, visible: &[usize], folded: &HashSet<usize>) -> Option<TreeMove> {
        let position = visible.iter().position(|&i| i == current);
        let select = |index: Option<usize>| index.map_or(TreeMove::Stay, TreeMove::Select);
        Some(match key {
            "ArrowDown" => select(position.and_then(|p| visible.get(p + 1).copied())),
            "ArrowUp" => select(position.filter(|&p| p > 0).map(|p| visible[p - 1])),
            "ArrowLeft" if !self.children[current].is_empty() && !folded.contains(&current) => TreeMove::Fold(current),
            "ArrowLeft" => select(self.parent[current]),
            "ArrowRight" => TreeMove::Unfold(current),
            _ => return None,
        })
    }

    /// Depth-first order of every span.
    pub fn preorder(&self) -> Vec<usize> {
        let mut reached = vec![false; self.parent.len()];
        let mut order = Vec::with_capacity(self.parent.len());
        walk(&self.children, &self.roots, &mut reached, &mut |index, _| order.push(index));
        order
    }
}

/// Iterative depth-first walk (traces can be thousands of levels deep), visiting each span once.
fn walk(children: &[Vec<usize>], starts: &[usize], reached: &mut [bool], visit: &mut dyn FnMut(usize, u32)) {
    let mut stack: Vec<(usize, u32)> = starts.iter().rev().map(|&index| (index, 0)).collect();
    while let Some((index, depth)) = stack.pop() {
        if std::mem::replace(&mut reached[index], true) {
            continue;
        }
        visit(index, depth);
        stack.extend(children[index].iter().rev().map(|&child| (child, depth + 1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::span;
    use crate::model::SpanType;

    /// root(0) ─ a(1) ─ a1(2)
    ///         └ b(3)
    fn tree() -> SpanTree {
        let span = |id: &str, parent: Option<&str>, start: u64| span(id, parent, SpanType::Chain, start, 10);
        SpanTree::build(&[span("root", None, 0), span("a", Some("root"), 1), span("a1", Some("a"), 2), span("b", Some("root"), 3)])
    }

    #[test]
    fn arrows_walk_the_rows_shown_and_fold_before_going_up() {
        let tree = tree();
        let open = HashSet::new();
        let visible = tree.visible(&open, None);
        assert_eq!(visible, [0, 1, 2, 3]);
        assert_eq!(tree.key_move("ArrowDown", 1, &visible, &open), Some(TreeMove::Select(2)));
        assert_eq!(tree.key_move("ArrowDown", 3, &visible, &open), Some(TreeMove::Stay));
        assert_eq!(tree.key_move("ArrowUp", 0, &visible, &open), Some(TreeMove::Stay));
        assert_eq!(tree.key_move("ArrowUp", 3, &visible, &open), Some(TreeMove::Select(2)));
        assert_eq!(tree.key_move("ArrowLeft", 1, &visible, &open), Some(TreeMove::Fold(1)));
        let folded = HashSet::from([1]);
        let visible = tree.visible(&folded, None);
        assert_eq!(visible, [0, 1, 3]);
        assert_eq!(tree.key_move("ArrowLeft", 1, &visible, &folded), Some(TreeMove::Select(0)));
        assert_eq!(tree.key_move("ArrowDown", 1, &visible, &folded), Some(TreeMove::Select(3)));
        assert_eq!(tree.key_move("ArrowRight", 1, &visible, &folded), Some(TreeMove::Unfold(1)));
        assert_eq!(tree.key_move("ArrowLeft", 2, &visible, &folded), Some(TreeMove::Select(1)));
        assert_eq!(tree.key_move("Enter", 1, &visible, &folded), None);
    }

    #[test]
    fn folding_to_a_level_closes_the_spans_with_children_from_that_depth() {
        let tree = tree();
        assert_eq!(tree.folded_below(1), HashSet::from([0, 1]));
        assert_eq!(tree.folded_below(2), HashSet::from([1]));
        assert!(tree.folded_below(3).is_empty());
        assert_eq!(tree.ancestors(2).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(tree.ancestors(0).count(), 0);
    }
}
