//! Charts for the overview, drawn by hand: a time chart (bars and lines over buckets, with a second axis and
//! a reference line when asked) and a list of horizontal bars. The plot is an SVG stretched to its box, so it
//! follows the page's width without measuring it; text (axes, legend, tooltip) is HTML so it stays crisp.
//! Colours are CSS variables, so both themes apply. Each bucket is a focusable column whose label reads its
//! exact values; clicking it (or a bar row) calls `on_pick`.

use crate::analytics::time::{bucket_label, bucket_title, TimeUnit};
use crate::axis::{axis_top, measured_runs, ValueFormat, TICKS};
use leptos::prelude::*;

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
    let count = buckets.len().max(1);
    let slot = 1000.0 / count as f64;
    let top_of = |right: bool| {
        let values = series.iter().filter(|s| s.right_axis == right).flat_map(|s| s.values.iter().copied());
        let reference = if right { None } else { reference.as_ref().map(|(_, value)| *value) };
        let side_format = if right { right_format.unwrap_or(format) } else { format };
        axis_top(values.chain(reference).fold(0.0, f64::max), side_format == ValueFormat::Count)
    };
    let (left_top, right_top) = (top_of(false), top_of(true));
    let y = move |value: f64, right: bool| 100.0 - (value / if right { right_top } else { left_top }).clamp(0.0, 1.0) * 100.0;
    let bar_series: Vec<usize> = (0..series.len()).filter(|&i| series[i].mark == Mark::Bar).collect();
    let bar_width = slot * 0.8 / bar_series.len().max(1) as f64;
    let marks = series
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
                            let top = y(*value, s.right_axis);
                            view! { <rect x=i as f64 * slot + slot * 0.1 + group_at * bar_width y=top width=bar_width height=100.0 - top /> }
                        })
                        .collect_view();
                    view! { <g class=format!("bars {class}")>{rects}</g> }.into_any()
                }
                Mark::Line => {
                    let point = |x: f64, value: f64| format!("{x},{}", y(value, s.right_axis));
                    let lines = measured_runs(&s.values)
                        .into_iter()
                        .map(|run| {
                            let points: Vec<String> = match run.as_slice() {
                                // A bucket measured alone: a level stroke across its slot (the whole width
                                // when it is the only bucket).
                                [(_, value)] if count == 1 => vec![point(0.0, *value), point(1000.0, *value)],
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
        .collect_view();
    let reference_line = reference.as_ref().map(|(_, value)| {
        let at = y(*value, false);
        view! { <line class="reference" x1="0" x2="1000" y1=at y2=at vector-effect="non-scaling-stroke" /> }
    });
    let grid = (1..=TICKS)
        .map(|tick| {
            let at = 100.0 - tick as f64 * 100.0 / TICKS as f64;
            view! { <line class="grid" x1="0" x2="1000" y1=at y2=at vector-effect="non-scaling-stroke" /> }
        })
        .collect_view();
    let axis_labels = |top: f64, format: ValueFormat, side: &'static str| {
        (0..=TICKS)
            .map(|tick| {
                let value = top * tick as f64 / TICKS as f64;
                let top = format!("{}%", 100.0 - tick as f64 * 100.0 / TICKS as f64);
                view! { <span class=format!("tick {side}") style:top=top>{format.show(value)}</span> }
            })
            .collect_view()
    };
    let label_step = count.div_ceil(6);
    let x_labels = buckets
        .iter()
        .enumerate()
        .filter(|(i, _)| i % label_step == 0)
        .map(|(i, start)| {
            let left = format!("{}%", (i as f64 + 0.5) * 100.0 / count as f64);
            view! { <span class="x-label" style:left=left>{bucket_label(*start, unit)}</span> }
        })
        .collect_view();
    let legend = series
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let class = format!("legend-item series-{} {}", index % PALETTE, if s.mark == Mark::Line { "as-line" } else { "as-bar" });
            view! { <span class=class><i></i>{s.name.clone()}</span> }
        })
        .collect_view();
    let reference_legend = reference
        .as_ref()
        .map(|(name, value)| view! { <span class="legend-item reference-key"><i></i>{format!("{name} {}", format.show(*value))}</span> });
    let describe = {
        let series = series.clone();
        let buckets = buckets.clone();
        move |i: usize| -> (String, Vec<String>) {
            let lines = series
                .iter()
                .map(|s| {
                    let shown = if s.right_axis { right_format.unwrap_or(format) } else { format };
                    format!("{}: {}", s.name, shown.show(s.values.get(i).copied().unwrap_or(0.0)))
                })
                .collect();
            (bucket_title(buckets.get(i).copied().unwrap_or(0), unit), lines)
        }
    };
    let hovered = RwSignal::new(None::<usize>);
    let columns = (0..buckets.len())
        .map(|i| {
            let (title, lines) = describe(i);
            let label = format!("{title}: {}", lines.join(", "));
            let pick = move || {
                if let Some(on_pick) = on_pick {
                    on_pick.run(i);
                }
            };
            view! {
                <div class="hit" class:hovered=move || hovered.get() == Some(i) tabindex="0" role=on_pick.map(|_| "button")
                    aria-label=label data-bucket=buckets[i]
                    on:mouseenter=move |_| hovered.set(Some(i)) on:focus=move |_| hovered.set(Some(i)) on:click=move |_| pick()
                    on:keydown=move |event| if event.key() == "Enter" { pick() }></div>
            }
        })
        .collect_view();
    let tooltip = move || {
        hovered.get().map(|i| {
            let (title, lines) = describe(i);
            let at = (i as f64 + 0.5) / count as f64;
            let anchor = if at < 0.25 {
                "anchor-start"
            } else if at > 0.75 {
                "anchor-end"
            } else {
                "anchor-middle"
            };
            view! {
                <div class=format!("chart-tooltip {anchor}") style:left=format!("{}%", at * 100.0) role="status">
                    <b>{title}</b>
                    {lines.into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}
                    {on_pick.map(|_| view! { <div class="muted">"Click to list these traces"</div> })}
                </div>
            }
        })
    };
    let all_zero = series.iter().all(|s| s.values.iter().all(|v| *v == 0.0 || v.is_nan()));
    view! {
        <figure class="chart" class:has-right-axis=right_format.is_some()>
            <figcaption>
                <span class="chart-title">{title}</span>
                <span class="legend">{legend}{reference_legend}</span>
            </figcaption>
            <div class="plot-frame">
                <div class="axis left">{axis_labels(left_top, format, "left")}</div>
                <div class="plot" on:mouseleave=move |_| hovered.set(None)>
                    <svg viewBox="0 0 1000 100" preserveAspectRatio="none" aria-hidden="true">
                        {grid}{marks}{reference_line}
                    </svg>
                    {all_zero.then(|| view! { <p class="no-data">"Nothing in this range"</p> })}
                    <div class="hits">{columns}</div>
                    {tooltip}
                </div>
                {right_format.map(|right| view! { <div class="axis right">{axis_labels(right_top, right, "right")}</div> })}
            </div>
            <div class="x-labels">{x_labels}</div>
        </figure>
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
