//! A trace as its agent graph (`view=graph`): a node per span type and name with its count, median duration
//! and errors, laid out in layers (model::graph); calls drawn down, the flow between siblings across, a loop
//! as an edge going back. SVG drawn here, no graph library. Clicking a node lists its spans; clicking one
//! selects it in the tree.

use crate::format;
use crate::model::graph::{agent_graph, AgentGraph, EdgeKind};
use crate::model::Trace;
use crate::ui::navigation::Navigator;
use leptos::prelude::*;
use std::sync::Arc;

const NODE_WIDTH: f64 = 190.0;
const NODE_HEIGHT: f64 = 54.0;
const GAP_X: f64 = 50.0;
const GAP_Y: f64 = 64.0;
/// A node lists at most this many of its spans.
const LISTED_SPANS: usize = 200;
/// More nodes than this (a trace naming every span differently) would be thousands of elements and no summary.
const MAX_NODES: usize = 400;

#[component]
pub fn AgentGraphView(trace: Arc<Trace>) -> impl IntoView {
    let graph = Arc::new(agent_graph(&trace));
    if graph.nodes.len() > MAX_NODES {
        let message = format!(
            "This trace names its {} spans in {} different ways: too many to draw as a graph (at most {MAX_NODES}). \
             The tree and timeline show them all.",
            format::count(trace.spans.len() as u64),
            format::count(graph.nodes.len() as u64)
        );
        return view! { <p class="warning" role="status">{message}</p> }.into_any();
    }
    let selected = RwSignal::new(None::<usize>);
    let width = graph.width.max(1) as f64 * (NODE_WIDTH + GAP_X) + GAP_X;
    let height = graph.layers.max(1) as f64 * (NODE_HEIGHT + GAP_Y) + GAP_Y;
    let layer_sizes: Vec<usize> = (0..graph.layers).map(|layer| graph.nodes.iter().filter(|n| n.layer == layer).count()).collect();
    // Each layer centred under the widest one.
    let place = {
        let graph = graph.clone();
        move |node: usize| {
            let n = &graph.nodes[node];
            let offset = (graph.width - layer_sizes[n.layer]) as f64 * (NODE_WIDTH + GAP_X) / 2.0;
            (GAP_X + offset + n.column as f64 * (NODE_WIDTH + GAP_X), GAP_Y / 2.0 + n.layer as f64 * (NODE_HEIGHT + GAP_Y))
        }
    };
    let edges = graph
        .edges
        .iter()
        .map(|edge| {
            let ((x1, y1), (x2, y2)) = (place(edge.from), place(edge.to));
            let (path, label_at) = match (edge.kind, edge.back) {
                (EdgeKind::Calls, _) => {
                    let (sx, sy, ex, ey) = (x1 + NODE_WIDTH / 2.0, y1 + NODE_HEIGHT, x2 + NODE_WIDTH / 2.0, y2);
                    (
                        format!("M{sx},{sy} C{sx},{} {ex},{} {ex},{ey}", sy + GAP_Y / 2.0, ey - GAP_Y / 2.0),
                        ((sx + ex) / 2.0, (sy + ey) / 2.0),
                    )
                }
                (EdgeKind::Then, false) => {
                    let (sx, sy, ex, ey) = (x1 + NODE_WIDTH, y1 + NODE_HEIGHT / 2.0, x2, y2 + NODE_HEIGHT / 2.0);
                    (format!("M{sx},{sy} L{ex},{ey}"), ((sx + ex) / 2.0, (sy + ey) / 2.0 - 4.0))
                }
                // A loop: from the bottom of the later step, round under both, back up into the earlier one.
                (EdgeKind::Then, true) => {
                    let (sx, sy, ex, ey) = (x1 + NODE_WIDTH * 0.3, y1 + NODE_HEIGHT, x2 + NODE_WIDTH * 0.7, y2 + NODE_HEIGHT);
                    let low = sy.max(ey) + GAP_Y * 0.45;
                    (format!("M{sx},{sy} C{sx},{low} {ex},{low} {ex},{ey}"), ((sx + ex) / 2.0, low - 6.0))
                }
            };
            let class = match (edge.kind, edge.back) {
                (EdgeKind::Calls, _) => "edge calls",
                (EdgeKind::Then, false) => "edge then",
                (EdgeKind::Then, true) => "edge back",
            };
            view! {
                <g class=class>
                    <path d=path marker-end="url(#graph-arrow)"></path>
                    <text x=label_at.0 y=label_at.1 text-anchor="middle">{format!("× {}", edge.count)}</text>
                </g>
            }
        })
        .collect_view();
    let nodes = graph.nodes.iter().enumerate().map(|(at, node)| {
        let (x, y) = place(at);
        let facts = format!("× {} · p50 {}{}", node.spans.len(), format::duration_ns(node.p50_ns),
            if node.errors > 0 { format!(" · {} failed", node.errors) } else { String::new() });
        let label = format!("{} {}: {facts}", node.span_type, node.name);
        view! {
            <g class="graph-node" class:failed={node.errors > 0} class:selected=move || selected.get() == Some(at) data-node=node.name.clone()
                transform=format!("translate({x},{y})") tabindex="0" role="button" aria-label=label
                on:click=move |_| selected.set(Some(at)) on:keydown=move |event| if event.key() == "Enter" { selected.set(Some(at)) }>
                <rect width=NODE_WIDTH height=NODE_HEIGHT rx="8" class=format!("type-bar-{}", class_of(&node.span_type))></rect>
                <text x="10" y="18" class="node-type">{node.span_type.clone()}</text>
                <text x="10" y="34" class="node-name">{shorten(&node.name, 24)}</text>
                <text x="10" y="48" class="node-facts">{facts}</text>
            </g>
        }
    }).collect_view();
    view! {
        <section class="agent-graph" aria-label="Agent graph">
            <p class="muted graph-caption">{format!("{} spans as {} nodes. Calls go down, steps follow each other across, a loop goes back.",
                format::count(trace.spans.len() as u64), graph.nodes.len())}
                {(graph.edges_left_out > 0).then(|| format!(" The {} most frequent edges are drawn; {} rarer ones are left out.",
                    format::count(graph.edges.len() as u64), format::count(graph.edges_left_out as u64)))}</p>
            <div class="graph-frame">
                <svg width=width height=height viewBox=format!("0 0 {width} {height}") role="img" aria-label="The trace's agents, model calls and tools">
                    <defs>
                        <marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z"></path>
                        </marker>
                    </defs>
                    {edges}
                    {nodes}
                </svg>
            </div>
            <NodeSpans trace=trace graph=graph selected=selected />
        </section>
    }
    .into_any()
}

/// The selected node's spans; a click selects one in the tree.
#[component]
fn NodeSpans(trace: Arc<Trace>, graph: Arc<AgentGraph>, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let navigator = expect_context::<Navigator>();
    move || {
        let node = &graph.nodes[selected.get()?];
        let items = node
            .spans
            .iter()
            .take(LISTED_SPANS)
            .map(|&index| {
                let span = &trace.spans[index];
                let span_id = span.span_id.clone();
                let open = move |_| {
                    let mut next = navigator.location();
                    next.span_id = Some(span_id.clone());
                    next.graph = false;
                    navigator.replace(next);
                };
                view! {
                    <li>
                        <button class="link-button" on:click=open>{span.name.clone()}</button>
                        " " <span class="muted">{span.duration_ns().map(format::duration_ns).unwrap_or_else(|| "running".into())}</span>
                        {span.failed().then(|| view! { " " <span class="badge badge-error">"error"</span> })}
                    </li>
                }
            })
            .collect_view();
        let more = node.spans.len().saturating_sub(LISTED_SPANS);
        Some(view! {
            <div class="node-spans">
                <h4>{format!("{} {} ({} spans)", node.span_type, node.name, node.spans.len())}</h4>
                <ol>{items}</ol>
                {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more")}</p> })}
            </div>
        })
    }
}

/// The span type's colour class (`type-bar-…`, as the timeline's bars).
fn class_of(span_type: &str) -> String {
    crate::model::SpanType::parse(span_type).class_name().to_string()
}

fn shorten(text: &str, chars: usize) -> String {
    crate::model::derive::truncate_chars(text, chars)
}
