//! Charts for the overview, drawn by hand: a time chart (bars and lines over buckets, with a second axis and
//! a reference line when asked) and a list of horizontal bars. The plot is an SVG stretched to its box, so it
//! follows the page's width without measuring it; text (axes, legend, tooltip) is HTML so it stays crisp.
//! Colours are CSS variables, so both themes apply. Each bucket is a focusable column whose label reads its
//! exact values; clicking it (or a bar row) calls `on_pick`.

use crate::analytics::time::{bucket_label, bucket_title, TimeUnit};
use crate::axis::{axis_top, measured_runs, ValueFormat, TICKS};
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Bar,
    Line,
}

/// One named row of values, one per bucket.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    pub mark: Mark,
    /// Read against the right-hand axis (its own format).
    pub right_axis: bool,
}

impl Series {
    pub fn bars(name: &str, values: Vec<f64>) -> Series {
        Series { name: name.into(), values, mark: Mark::Bar, right_axis: false }
    }

    pub fn line(name: &str, values: Vec<f64>) -> Series {
        Series { name: name.into(), values, mark: Mark::Line, right_axis: false }
    }

    pub fn on_right_axis(mut self) -> Series {
        self.right_axis = true;
        self
    }
}

/// Colours cycle through this many CSS classes (`series-0` …).
const PALETTE: usize = 6;

/// Where values stand on the plot: buckets side by side across 1000 units, values from the bottom (100) up
/// to their axis's top (0).
#[derive(Clone, Copy)]
struct Scale {
    count: usize,
    left_top: f64,
    right_top: f64,
}

impl Scale {
    /// Each axis reaches a round number above the largest value read against it (and the reference line).
    fn new(series: &[Series], buckets: usize, format: ValueFormat, right_format: Option<ValueFormat>, reference: Option<f64>) -> Scale {
        let top_of = |right: bool| {
            let values = series.iter().filter(|s| s.right_axis == right).flat_map(|s| s.values.iter().copied());
            let reference = if right { None } else { reference };
            let side_format = if right { right_format.unwrap_or(format) } else { format };
            axis_top(values.chain(reference).fold(0.0, f64::max), side_format == ValueFormat::Count)
        };
        Scale { count: buckets.max(1), left_top: top_of(false), right_top: top_of(true) }
    }

    /// The width of one bucket.
    fn slot(self) -> f64 {
        1000.0 / self.count as f64
    }

    fn y(self, value: f64, right: bool) -> f64 {
        100.0 - (value / if right { self.right_top } else { self.left_top }).clamp(0.0, 1.0) * 100.0
    }
}

#[component]
pub fn TimeChart(
    title: String,
    buckets: Vec<i64>,
    unit: TimeUnit,
    series: Vec<Series>,
    format: ValueFormat,
    #[prop(optional)] right_format: Option<ValueFormat>,
    /// A dashed horizontal line, with its legend text.
    #[prop(optional)]
    reference: Option<(String, f64)>,
    #[prop(optional)] on_pick: Option<Callback<usize>>,
) -> impl IntoView {
    let scale = Scale::new(&series, buckets.len(), format, right_format, reference.as_ref().map(|(_, value)| *value));
    let reference_line = reference.as_ref().map(|(_, value)| {
        let at = scale.y(*value, false);
        view! { <line class="reference" x1="0" x2="1000" y1=at y2=at vector-effect="non-scaling-stroke" /> }
    });
    let grid = (1..=TICKS)
        .map(|tick| {
            let at = 100.0 - tick as f64 * 100.0 / TICKS as f64;
            view! { <line class="grid" x1="0" x2="1000" y1=at y2=at vector-effect="non-scaling-stroke" /> }
        })
        .collect_view();
    let all_zero = series.iter().all(|s| s.values.iter().all(|v| *v == 0.0 || v.is_nan()));
    let hovered = RwSignal::new(None::<usize>);
    let describe = Describe { series: Arc::new(series.clone()), buckets: Arc::new(buckets.clone()), unit, format, right_format };
    view! {
        <figure class="chart" class:has-right-axis=right_format.is_some()>
            <figcaption>
                <span class="chart-title">{title}</span>
                <ChartLegend series=series.clone() reference=reference format=format />
            </figcaption>
            <div class="plot-frame">
                <div class="axis left">{axis_labels(scale.left_top, format, "left")}</div>
                <div class="plot" on:mouseleave=move |_| hovered.set(None)>
                    <svg viewBox="0 0 1000 100" preserveAspectRatio="none" aria-hidden="true">
                        {grid}{plot_marks(&series, scale)}{reference_line}
                    </svg>
                    {all_zero.then(|| view! { <p class="no-data">"Nothing in this range"</p> })}
                    <BucketColumns describe=describe.clone() hovered=hovered on_pick=on_pick />
                    <BucketTooltip describe=describe hovered=hovered picks=on_pick.is_some() />
                </div>
                {right_format.map(|right| view! { <div class="axis right">{axis_labels(scale.right_top, right, "right")}</div> })}
            </div>
            <div class="x-labels">{x_labels(&buckets, unit)}</div>
        </figure>
    }
}

/// The series drawn: bars grouped side by side in each bucket, lines broken where a bucket was not measured.
fn plot_marks(series: &[Series], scale: Scale) -> impl IntoView {
    let slot = scale.slot();
    let bar_series: Vec<usize> = (0..series.len()).filter(|&i| series[i].mark == Mark::Bar).collect();
    let bar_width = slot * 0.8 / bar_series.len().max(1) as f64;
    series
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let class = format!("series-{}", index % PALETTE);
            match s.mark {
                Mark::Bar => {
                    let group_at = bar_series.iter().position(|&i| i == index).unwrap_or(0) as f64;
                    let rects = s
                        .values
                        .iter()
                        .enumerate()
                        .map(|(i, value)| {
                            let top = scale.y(*value, s.right_axis);
                            view! { <rect x=i as f64 * slot + slot * 0.1 + group_at * bar_width y=top width=bar_width height=100.0 - top /> }
                        })
                        .collect_view();
                    view! { <g class=format!("bars {class}")>{rects}</g> }.into_any()
                }
                Mark::Line => {
                    let point = |x: f64, value: f64| format!("{x},{}", scale.y(value, s.right_axis));
                    let lines = measured_runs(&s.values)
                        .into_iter()
                        .map(|run| {
                            let points: Vec<String> = match run.as_slice() {
                                // A bucket measured alone: a level stroke across its slot (the whole width
                                // when it is the only bucket).
                                [(_, value)] if scale.count == 1 => vec![point(0.0, *value), point(1000.0, *value)],
                                [(i, value)] => vec![point((*i as f64 + 0.25) * slot, *value), point((*i as f64 + 0.75) * slot, *value)],
                                run => run.iter().map(|(i, value)| point((*i as f64 + 0.5) * slot, *value)).collect(),
                            };
                            view! { <polyline points=points.join(" ") vector-effect="non-scaling-stroke" /> }
                        })
                        .collect_view();
                    view! { <g class=format!("line {class}")>{lines}</g> }.into_any()
                }
            }
        })
        .collect_view()
}

fn axis_labels(top: f64, format: ValueFormat, side: &'static str) -> impl IntoView {
    (0..=TICKS)
        .map(|tick| {
            let value = top * tick as f64 / TICKS as f64;
            let top = format!("{}%", 100.0 - tick as f64 * 100.0 / TICKS as f64);
            view! { <span class=format!("tick {side}") style:top=top>{format.show(value)}</span> }
        })
        .collect_view()
}

/// At most six bucket labels under the plot.
fn x_labels(buckets: &[i64], unit: TimeUnit) -> impl IntoView {
    let count = buckets.len().max(1);
    let label_step = count.div_ceil(6);
    buckets
        .iter()
        .enumerate()
        .filter(|(i, _)| i % label_step == 0)
        .map(|(i, start)| {
            let left = format!("{}%", (i as f64 + 0.5) * 100.0 / count as f64);
            view! { <span class="x-label" style:left=left>{bucket_label(*start, unit)}</span> }
        })
        .collect_view()
}

#[component]
fn ChartLegend(series: Vec<Series>, reference: Option<(String, f64)>, format: ValueFormat) -> impl IntoView {
    let items = series
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let class = format!("legend-item series-{} {}", index % PALETTE, if s.mark == Mark::Line { "as-line" } else { "as-bar" });
            view! { <span class=class><i></i>{s.name.clone()}</span> }
        })
        .collect_view();
    let reference = reference
        .map(|(name, value)| view! { <span class="legend-item reference-key"><i></i>{format!("{name} {}", format.show(value))}</span> });
    view! { <span class="legend">{items}{reference}</span> }
}

/// A bucket's values in words: its time, and each series' value in its own format.
#[derive(Clone)]
struct Describe {
    series: Arc<Vec<Series>>,
    buckets: Arc<Vec<i64>>,
    unit: TimeUnit,
    format: ValueFormat,
    right_format: Option<ValueFormat>,
}

impl Describe {
    fn bucket(&self, i: usize) -> (String, Vec<String>) {
        let lines = self
            .series
            .iter()
            .map(|s| {
                let shown = if s.right_axis { self.right_format.unwrap_or(self.format) } else { self.format };
                format!("{}: {}", s.name, shown.show(s.values.get(i).copied().unwrap_or(0.0)))
            })
            .collect();
        (bucket_title(self.buckets.get(i).copied().unwrap_or(0), self.unit), lines)
    }
}

/// A focusable column over each bucket whose label reads its values; hovering shows the tooltip, clicking
/// (or Enter) picks the bucket.
#[component]
fn BucketColumns(describe: Describe, hovered: RwSignal<Option<usize>>, on_pick: Option<Callback<usize>>) -> impl IntoView {
    let columns = (0..describe.buckets.len())
        .map(|i| {
            let (title, lines) = describe.bucket(i);
            let label = format!("{title}: {}", lines.join(", "));
            let pick = move || {
                if let Some(on_pick) = on_pick {
                    on_pick.run(i);
                }
            };
            view! {
                <div class="hit" class:hovered=move || hovered.get() == Some(i) tabindex="0" role=on_pick.map(|_| "button")
                    aria-label=label data-bucket=describe.buckets[i]
                    on:mouseenter=move |_| hovered.set(Some(i)) on:focus=move |_| hovered.set(Some(i)) on:click=move |_| pick()
                    on:keydown=move |event| if event.key() == "Enter" { pick() }></div>
            }
        })
        .collect_view();
    view! { <div class="hits">{columns}</div> }
}

/// The hovered bucket's values, kept inside the plot at its edges.
#[component]
fn BucketTooltip(describe: Describe, hovered: RwSignal<Option<usize>>, picks: bool) -> impl IntoView {
    let count = describe.buckets.len().max(1);
    move || {
        hovered.get().map(|i| {
            let (title, lines) = describe.bucket(i);
            let at = (i as f64 + 0.5) / count as f64;
            let anchor = match at {
                at if at < 0.25 => "anchor-start",
                at if at > 0.75 => "anchor-end",
                _ => "anchor-middle",
            };
            view! {
                <div class=format!("chart-tooltip {anchor}") style:left=format!("{}%", at * 100.0) role="status">
                    <b>{title}</b>
                    {lines.into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}
                    {picks.then(|| view! { <div class="muted">"Click to list these traces"</div> })}
                </div>
            }
        })
    }
}

/// One row of a [`BarList`].
#[derive(Clone, Debug, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub value: f64,
}

/// Horizontal bars, one per row, longest first as given; clicking a row calls `on_pick` with its index.
#[component]
pub fn BarList(title: String, rows: Vec<BarRow>, format: ValueFormat, #[prop(optional)] on_pick: Option<Callback<usize>>) -> impl IntoView {
    let top = rows.iter().map(|row| row.value).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let items = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let width = format!("{}%", (row.value / top * 100.0).clamp(0.0, 100.0));
            let shown = format.show(row.value);
            let label = format!("{}: {shown}", row.label);
            view! {
                <li>
                    <button type="button" class="bar-row" disabled=on_pick.is_none() aria-label=label
                        on:click=move |_| if let Some(on_pick) = on_pick { on_pick.run(i) }>
                        <span class="bar-label">{row.label}</span>
                        <span class="bar-track"><span class="bar-fill" style:width=width></span></span>
                        <span class="bar-value">{shown}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="chart bar-list">
            <figcaption><span class="chart-title">{title}</span></figcaption>
            <ul>{items}</ul>
        </figure>
    }
}
