//! A trace's agent graph: one node per span type and name (an agent, a model call, a tool) with how many
//! spans it stands for, their median duration and their errors; edges from parent to child with counts, and
//! from each step to the next one under the same parent (its flow), so that a loop shows as an edge going
//! back. Laid out in layers (a node's layer is the depth of its shallowest span), nodes in each layer in the
//! order they first ran, so the layout reads top to bottom and left to right like the run.

use super::{Span, SpanTree, Trace};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span_type: String,
    pub name: String,
    /// The spans it stands for, in the order they ran.
    pub spans: Vec<usize>,
    pub p50_ns: u64,
    pub errors: usize,
    pub layer: usize,
    /// Its place in its layer, from the left.
    pub column: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// A parent called a child.
    Calls,
    /// One step followed another under the same parent.
    Then,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub count: usize,
    /// A step followed by one that ran before it in the layout (the loop goes back).
    pub back: bool,
}

/// Edges drawn at the most: 400 nodes could be joined by 160,000 edges, an SVG no one can read or render.
/// The most frequent are kept; the rest are counted.
pub const MOST_EDGES: usize = 1_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentGraph {
    pub nodes: Vec<Node>,
    /// The [`MOST_EDGES`] most frequent edges at the most, in the order they first ran.
    pub edges: Vec<Edge>,
    /// How many edges were left out (the least frequent).
    pub edges_left_out: usize,
    /// How many nodes the widest layer holds.
    pub width: usize,
    pub layers: usize,
}

/// The graph of a trace.
pub fn agent_graph(trace: &Trace) -> AgentGraph {
    if trace.spans.is_empty() {
        return AgentGraph::default();
    }
    let tree = SpanTree::build(&trace.spans);
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut node_of = vec![0usize; trace.spans.len()];
    for span in tree.preorder() {
        let s = &trace.spans[span];
        let key = (s.span_type.as_str(), s.name.as_str());
        let at = *index.entry(key).or_insert_with(|| {
            nodes.push(Node {
                span_type: key.0.to_string(),
                name: key.1.to_string(),
                spans: Vec::new(),
                p50_ns: 0,
                errors: 0,
                layer: tree.depth[span] as usize,
                column: 0,
            });
            nodes.len() - 1
        });
        let node = &mut nodes[at];
        node.spans.push(span);
        node.layer = node.layer.min(tree.depth[span] as usize);
        node.errors += usize::from(s.failed());
        node_of[span] = at;
    }
    for node in &mut nodes {
        node.p50_ns = median(node.spans.iter().filter_map(|&span| trace.spans[span].duration_ns()).collect());
    }
    // Columns: nodes of a layer in the order they first ran (nodes were created in run order).
    let mut per_layer: Vec<usize> = Vec::new();
    for node in &mut nodes {
        if per_layer.len() <= node.layer {
            per_layer.resize(node.layer + 1, 0);
        }
        node.column = per_layer[node.layer];
        per_layer[node.layer] += 1;
    }
    let mut edges = edges(&trace.spans, &tree, &node_of, &nodes);
    let edges_left_out = keep_most_frequent(&mut edges, MOST_EDGES);
    AgentGraph { width: per_layer.iter().copied().max().unwrap_or(0), layers: per_layer.len(), nodes, edges, edges_left_out }
}

/// Keeps the `most` most frequent edges (the earlier first among equals), in their order; returns how many went.
fn keep_most_frequent(edges: &mut Vec<Edge>, most: usize) -> usize {
    if edges.len() <= most {
        return 0;
    }
    let mut by_count: Vec<usize> = (0..edges.len()).collect();
    crate::sorting::sort_by(&mut by_count, |a, b| edges[*b].count.cmp(&edges[*a].count).then(a.cmp(b)));
    let mut kept = vec![false; edges.len()];
    for &at in &by_count[..most] {
        kept[at] = true;
    }
    let mut at = 0;
    edges.retain(|_| {
        at += 1;
        kept[at - 1]
    });
    kept.len() - most
}

fn edges(spans: &[Span], tree: &SpanTree, node_of: &[usize], nodes: &[Node]) -> Vec<Edge> {
    let mut counts: HashMap<(usize, usize, bool), usize> = HashMap::new();
    let mut order: Vec<(usize, usize, bool)> = Vec::new();
    let mut count = |key: (usize, usize, bool)| {
        let seen = counts.entry(key).or_insert(0);
        if *seen == 0 {
            order.push(key);
        }
        *seen += 1;
    };
    for span in 0..spans.len() {
        if let Some(parent) = tree.parent[span] {
            count((node_of[parent], node_of[span], false));
        }
        for pair in tree.children[span].windows(2) {
            count((node_of[pair[0]], node_of[pair[1]], true));
        }
    }
    for pair in tree.roots.windows(2) {
        count((node_of[pair[0]], node_of[pair[1]], true));
    }
    let place = |node: usize| (nodes[node].layer, nodes[node].column);
    order
        .into_iter()
        .map(|(from, to, then)| Edge {
            from,
            to,
            kind: if then { EdgeKind::Then } else { EdgeKind::Calls },
            count: counts[&(from, to, then)],
            back: then && place(to) <= place(from),
        })
        .collect()
}

fn median(mut values: Vec<u64>) -> u64 {
    if values.is_empty() {
        return 0;
    }
    crate::sorting::sort_by(&mut values, Ord::cmp);
    values[values.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::span;
    use crate::model::{SpanStatus, SpanType, StatusCode, TraceInfo};

    fn trace(spans: Vec<Span>) -> Trace {
        Trace { info: TraceInfo::default(), spans, spans_loaded: true }
    }

    /// A supervisor handing to a researcher that loops plan → search three times, then a writer.
    fn multi_agent() -> Trace {
        let mut spans = vec![span("supervisor", None, SpanType::Agent, 0, 1_000)];
        let named = |id: &str, name: &str, parent: &str, kind: SpanType, start: u64, end: u64| {
            let mut s = span(id, Some(parent), kind, start, end);
            s.name = name.into();
            s
        };
        spans.push(named("r", "researcher", "supervisor", SpanType::Agent, 10, 600));
        for k in 0..3u64 {
            spans.push(named(&format!("p{k}"), "plan", "r", SpanType::ChatModel, 20 + k * 100, 60 + k * 100));
            let mut search = named(&format!("s{k}"), "search", "r", SpanType::Tool, 70 + k * 100, 100 + k * 100 + k * 10);
            if k == 1 {
                search.status = SpanStatus { code: StatusCode::Error, message: "timeout".into() };
            }
            spans.push(search);
        }
        spans.push(named("w", "writer", "supervisor", SpanType::Agent, 600, 900));
        trace(spans)
    }

    #[test]
    fn nodes_group_spans_by_type_and_name_with_counts_medians_and_errors() {
        let graph = agent_graph(&multi_agent());
        let names: Vec<(&str, usize, usize)> = graph.nodes.iter().map(|n| (n.name.as_str(), n.spans.len(), n.layer)).collect();
        assert_eq!(names, [("supervisor", 1, 0), ("researcher", 1, 1), ("plan", 3, 2), ("search", 3, 2), ("writer", 1, 1)]);
        let search = &graph.nodes[3];
        assert_eq!((search.errors, search.p50_ns), (1, 40));
        assert_eq!((graph.layers, graph.width), (3, 2));
    }

    #[test]
    fn calls_and_the_flow_between_siblings_are_counted_and_the_loop_goes_back() {
        let graph = agent_graph(&multi_agent());
        let edge = |from: &str, to: &str, kind: EdgeKind| {
            let at = |name: &str| graph.nodes.iter().position(|n| n.name == name).unwrap();
            graph.edges.iter().find(|e| e.from == at(from) && e.to == at(to) && e.kind == kind).cloned()
        };
        assert_eq!(edge("researcher", "plan", EdgeKind::Calls).map(|e| e.count), Some(3));
        let forward = edge("plan", "search", EdgeKind::Then).unwrap();
        assert_eq!((forward.count, forward.back), (3, false));
        let back = edge("search", "plan", EdgeKind::Then).unwrap();
        assert_eq!((back.count, back.back), (2, true));
        assert_eq!(edge("researcher", "writer", EdgeKind::Then).map(|e| e.back), Some(false));
    }

    #[test]
    fn one_span_is_a_graph_of_one_node_and_none_is_empty() {
        let graph = agent_graph(&trace(vec![span("only", None, SpanType::Chain, 0, 5)]));
        assert_eq!((graph.nodes.len(), graph.edges.len(), graph.layers), (1, 0, 1));
        assert_eq!(agent_graph(&trace(Vec::new())), AgentGraph::default());
    }

    #[test]
    fn fifty_thousand_spans_make_a_graph_of_their_names() {
        let mut spans = vec![span("root", None, SpanType::Agent, 0, 1)];
        for k in 0..50_000u64 {
            let mut s = span(&format!("s{k}"), Some("root"), if k % 2 == 0 { SpanType::ChatModel } else { SpanType::Tool }, k, k + 1);
            s.name = if k % 2 == 0 { "plan".into() } else { format!("tool_{}", k % 10) };
            spans.push(s);
        }
        let graph = agent_graph(&trace(spans));
        assert_eq!(graph.nodes.len(), 1 + 1 + 5);
        assert_eq!(graph.nodes.iter().map(|n| n.spans.len()).sum::<usize>(), 50_001);
    }

    #[test]
    fn only_the_most_frequent_edges_are_kept() {
        let edge = |from: usize, count: usize| Edge { from, to: 0, kind: EdgeKind::Calls, count, back: false };
        let mut edges: Vec<Edge> = vec![edge(1, 1), edge(2, 5), edge(3, 2), edge(4, 5), edge(5, 1)];
        assert_eq!(keep_most_frequent(&mut edges, 3), 2);
        assert_eq!(edges.iter().map(|e| e.from).collect::<Vec<_>>(), [2, 3, 4], "the most frequent, in their order");
        let mut few = vec![edge(1, 1)];
        assert_eq!(keep_most_frequent(&mut few, 3), 0);
    }
}
