//! The axes of the overview's charts and the span timeline: round steps, where ticks stand and what they read,
//! and how a chart's values are written. Pure, tested natively.

use crate::format;

/// How a chart's values read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueFormat {
    Count,
    Millis,
    /// A share, 0–1.
    Percent,
    Dollars,
    /// An assessment's average: plain numbers.
    Number,
}

impl ValueFormat {
    pub fn show(self, value: f64) -> String {
        if value.is_nan() {
            return "–".into(); // analytics::overview::NO_VALUE: nothing was measured there
        }
        let value = without_float_noise(value);
        match self {
            ValueFormat::Count if value.fract() == 0.0 => format::count(value.max(0.0) as u64),
            ValueFormat::Count | ValueFormat::Number => {
                let text = format!("{value:.2}");
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            }
            ValueFormat::Millis if value <= 0.0 => "0".into(),
            ValueFormat::Millis => format::duration_ns((value * 1_000_000.0) as u64),
            ValueFormat::Percent => format!("{:.1}%", value * 100.0),
            ValueFormat::Dollars => format::cost_usd(value),
        }
    }
}

/// The same figure summed in another order (the server's SQL `AVG` or the browser's sum) can differ in its
/// last bits, 0.805 against 0.8049999999999999, and round to different shown digits (0.81, 0.80). Six
/// decimals are kept, more than any format shows, so both read alike.
fn without_float_noise(value: f64) -> f64 {
    format!("{value:.6}").parse().unwrap_or(value)
}

/// Steps on a chart's value axis.
pub const TICKS: usize = 4;

/// The top of an axis at or above `max` whose [`TICKS`] steps are round (0, 5, 10, 15, 20 or 0, 2.5 s, 5 s, …);
/// with `whole_steps` (counts) no step is a fraction, so 2 errors read 0, 1, 2, 3, 4 rather than 0, 0.5, 1, ….
pub fn axis_top(max: f64, whole_steps: bool) -> f64 {
    let least_step = if max > 0.0 && max.is_finite() { max / TICKS as f64 } else { 0.25 };
    round_step(least_step, whole_steps) * TICKS as f64
}

/// The smallest round step (1, 2, 2.5 or 5 times a power of ten) at or above `least` (positive); with
/// `whole_steps`, never a fraction.
pub fn round_step(least: f64, whole_steps: bool) -> f64 {
    let magnitude = 10f64.powf(least.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|nice| nice * magnitude)
        .find(|step| *step >= least && !(whole_steps && step.fract() != 0.0))
        .unwrap_or(10.0 * magnitude);
    step.max(if whole_steps { 1.0 } else { 0.0 })
}

/// The runs of consecutive measured buckets, (index, value) each: a line is drawn through each run and
/// breaks where a bucket was not measured (NaN).
pub fn measured_runs(values: &[f64]) -> Vec<Vec<(usize, f64)>> {
    let mut runs: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut run = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if value.is_nan() {
            runs.extend((!run.is_empty()).then(|| std::mem::take(&mut run)));
        } else {
            run.push((index, *value));
        }
    }
    runs.extend((!run.is_empty()).then_some(run));
    runs
}

/// A label on the timeline's axis: where it stands (percent of the shown window), its text, and how it is
/// anchored (`minor` ones, every other, give way on narrow screens; those at the edges do not overhang).
pub struct AxisTick {
    pub percent: f64,
    pub label: String,
    pub place: &'static str,
}

/// Round times since the trace's start (0, 500 ms, 1.0 s, 1.5 s …) across the shown window, which starts
/// `from` ns after the trace and lasts `width` ns: three to five of them.
pub fn time_ticks(from: u64, width: u64) -> Vec<AxisTick> {
    let width = width.max(1);
    let step = round_step(width as f64 / 4.0, true) as u64;
    let first = from.div_ceil(step);
    let last = (from + width) / step;
    let (unit, unit_name) = match last * step {
        0..1_000 => (1.0, "ns"),
        1_000..1_000_000 => (1e3, "µs"),
        1_000_000..1_000_000_000 => (1e6, "ms"),
        _ => (1e9, "s"),
    };
    // As many decimals as the step needs in that unit (0.5 s: one), the same for every label.
    let decimals = (0..3).find(|&places| (step as f64 / unit * 10f64.powi(places)).fract() == 0.0).unwrap_or(3) as usize;
    (first..=last)
        .map(|index| {
            let at = index * step;
            let percent = (at - from) as f64 * 100.0 / width as f64;
            let place = match percent {
                p if p < 8.0 => "edge-start",
                p if p > 92.0 => "edge-end",
                _ if (index - first) % 2 == 1 => "minor",
                _ => "",
            };
            let label = if at == 0 { "0".to_string() } else { format!("{:.*} {unit_name}", decimals, at as f64 / unit) };
            AxisTick { percent, label, place }
        })
        .collect()
}

/// Where a span's bar stands on a timeline showing `view_start..view_end` (ns): its left edge and width in
/// percent of the view, cut at the view's edges and never thinner than a hairline; None when the span lies
/// wholly outside the view.
pub fn bar_percent(span_start: u64, span_end: u64, view_start: u64, view_end: u64) -> Option<(f64, f64)> {
    if span_end < view_start || span_start > view_end {
        return None;
    }
    let extent = view_end.saturating_sub(view_start).max(1) as f64;
    let left = (span_start.max(view_start) - view_start) as f64 / extent * 100.0;
    let right = (span_end.min(view_end) - view_start) as f64 / extent * 100.0;
    Some((left, (right - left).max(0.15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_cut_at_the_view_and_absent_outside_it() {
        assert_eq!(bar_percent(250, 500, 0, 1_000), Some((25.0, 25.0)));
        assert_eq!(bar_percent(0, 2_000, 500, 1_000), Some((0.0, 100.0)));
        assert_eq!(bar_percent(600, 600, 0, 1_000), Some((60.0, 0.15)));
        assert_eq!(bar_percent(1_001, 1_200, 0, 1_000), None);
        assert_eq!(bar_percent(0, 499, 500, 1_000), None);
    }

    #[test]
    fn a_line_breaks_where_a_bucket_was_not_measured() {
        let gap = f64::NAN;
        assert_eq!(
            measured_runs(&[1.0, 2.0, gap, gap, 5.0, gap, 7.0, 8.0]),
            vec![vec![(0, 1.0), (1, 2.0)], vec![(4, 5.0)], vec![(6, 7.0), (7, 8.0)]]
        );
        assert_eq!(measured_runs(&[gap, gap]), Vec::<Vec<(usize, f64)>>::new());
        assert_eq!(measured_runs(&[0.0]), vec![vec![(0, 0.0)]], "a measured zero is drawn");
        assert_eq!(ValueFormat::Millis.show(gap), "–");
    }

    #[test]
    fn a_figure_reads_the_same_whatever_order_it_was_summed_in() {
        // (0.61 + 1.0) / 2 is 0.8049999999999999 in floating point; a server's AVG may give 0.805.
        let summed_here = (0.61 + 1.0) / 2.0;
        assert_ne!(summed_here, 0.805);
        assert_eq!(ValueFormat::Number.show(summed_here), ValueFormat::Number.show(0.805));
        assert_eq!(ValueFormat::Number.show(summed_here), "0.81");
        assert_eq!(ValueFormat::Percent.show(0.87499999999), "87.5%");
    }

    #[test]
    fn axis_steps_are_round_and_counts_are_whole() {
        // (largest value, whether it counts things) -> the axis's top; its four ticks are a quarter each.
        let cases = [
            ((2.0, true), 4.0),
            ((2.0, false), 2.0),
            ((6.0, true), 8.0),
            ((17.0, true), 20.0),
            ((22.0, true), 40.0),
            ((874.0, true), 1000.0),
            ((7350.0, false), 8000.0),
            ((10_000.0, true), 10_000.0),
            ((0.2, false), 0.2),
            ((0.0097, false), 0.01),
            ((0.0, true), 4.0),
            ((f64::NAN, false), 1.0),
        ];
        for ((max, counts), top) in cases {
            let found = axis_top(max, counts);
            assert!((found - top).abs() < 1e-9, "axis for {max} (counts: {counts}): {found}, expected {top}");
            assert!(found >= max || max.is_nan());
            if counts {
                assert_eq!((found / 4.0).fract(), 0.0, "a count axis steps by whole numbers");
            }
        }
    }

    fn labels(from: u64, width: u64) -> Vec<(String, String)> {
        time_ticks(from, width).into_iter().map(|tick| (format!("{:.1}", tick.percent), tick.label)).collect()
    }

    #[test]
    fn the_timeline_axis_reads_round_times() {
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(p, l)| (p.to_string(), l.to_string())).collect::<Vec<_>>();
        // A 4.04 s trace: 0, 2 s, 4 s (not quarters: 1.01 s, 2.02 s …).
        assert_eq!(labels(0, 4_040_000_000), pairs(&[("0.0", "0"), ("49.5", "2 s"), ("99.0", "4 s")]));
        assert_eq!(
            labels(0, 800_000_000),
            pairs(&[("0.0", "0"), ("25.0", "200 ms"), ("50.0", "400 ms"), ("75.0", "600 ms"), ("100.0", "800 ms")])
        );
        // Half-second steps keep one decimal on every label.
        assert_eq!(labels(0, 1_200_000_000), pairs(&[("0.0", "0"), ("41.7", "0.5 s"), ("83.3", "1.0 s")]));
        // Zoomed into 1.23–1.48 s: the labels stand where those times are.
        assert_eq!(labels(1_230_000_000, 250_000_000), pairs(&[("28.0", "1.3 s"), ("68.0", "1.4 s")]));
        assert_eq!(labels(0, 3_000), pairs(&[("0.0", "0"), ("33.3", "1 µs"), ("66.7", "2 µs"), ("100.0", "3 µs")]));
        assert_eq!(labels(0, 1).len(), 2, "a 1 ns window still has its ends");
    }
}
