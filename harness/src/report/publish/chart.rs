//! Per-benchmark figures drawn with plotters' SVG backend: the HDR
//! percentile plot and the per-replication ECDF. Text uses plotters'
//! built-in size estimate (no font files), so output is the same bytes on
//! every machine.

use crate::report::format_value;
use crate::results::{ProcessSamples, Unit, quantile_sorted};
use plotters::prelude::*;

/// Figure size in pixels.
pub const SIZE: (u32, u32) = (720, 400);

/// Okabe–Ito colours (colour-blind safe), then darker variants.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(153, 0, 0),
    RGBColor(0, 76, 115),
    RGBColor(100, 100, 0),
];

/// The colour of series `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A value axis: logarithmic (log10 of the value is plotted) when the data
/// span more than a factor of 10, linear otherwise.
#[derive(Clone, Copy, Debug)]
pub struct ValueAxis {
    /// Plot log10 of values.
    pub log: bool,
    /// Lower end, in plot coordinates.
    pub lo: f64,
    /// Upper end, in plot coordinates.
    pub hi: f64,
}

impl ValueAxis {
    /// An axis covering `min..=max` (positive values), padded by 4 %.
    pub fn covering(min: f64, max: f64) -> ValueAxis {
        let log = min > 0.0 && max / min > 10.0;
        let (a, b) = if log {
            (min.log10(), max.log10())
        } else {
            (min, max)
        };
        let pad = if b > a {
            (b - a) * 0.04
        } else {
            a.abs() * 0.01 + 1.0
        };
        let lo = if log { a - pad } else { (a - pad).max(0.0) };
        ValueAxis {
            log,
            lo,
            hi: b + pad,
        }
    }

    /// Plot coordinate of value `v`.
    pub fn to_plot(self, v: f64) -> f64 {
        if self.log { v.log10() } else { v }
    }

    /// Value at plot coordinate `x`.
    pub fn value(self, x: f64) -> f64 {
        if self.log { 10f64.powf(x) } else { x }
    }

    /// How many label positions to ask plotters for: on a log axis, enough
    /// that positions fall near 1, 2 and 5 times each power of ten (steps of
    /// 0.1 in log10), of which [`ValueAxis::label`] keeps those.
    pub fn label_count(self) -> usize {
        if self.log {
            (((self.hi - self.lo) * 10.0).ceil() as usize + 1).clamp(6, 60)
        } else {
            6
        }
    }

    /// Light grid lines between two label positions: none on a log axis,
    /// whose label positions are already dense.
    pub fn light_lines(self) -> usize {
        if self.log { 0 } else { 4 }
    }

    /// The label at plot coordinate `x`: the value in `unit`; on a log axis
    /// only at round values (1, 2, 5 x 10^k, shown exactly), elsewhere none,
    /// instead of values such as 31,623 at half decades.
    pub fn label(self, x: f64, unit: Unit) -> String {
        if !self.log {
            return format_value(self.value(x), unit);
        }
        let decade = x.floor();
        let mantissa = 10f64.powf(x - decade);
        [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .find(|m| (mantissa / m - 1.0).abs() < 0.015)
            .map_or(String::new(), |m| {
                format_value(m * 10f64.powf(decade), unit)
            })
    }

    /// Axis description for `unit`.
    pub fn describe(self, unit: Unit) -> String {
        if self.log {
            format!("{unit} (log scale)")
        } else {
            unit.to_string()
        }
    }
}

/// One line of a percentile plot: its label and all samples, sorted.
pub struct PercentileLine<'a> {
    /// Legend label.
    pub label: &'a str,
    /// Every sample of every replication, ascending.
    pub sorted: Vec<f64>,
}

/// The label of a point `x = log10(1/(1-p))` on the percentile axis.
fn percentile_label(x: f64) -> String {
    let p = (1.0 - 10f64.powf(-x)) * 100.0;
    if p < 99.0 {
        format!("p{p:.0}")
    } else {
        let s = format!("p{p:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// HDR percentile plot: latency against percentile on the `1/(1-p)` axis
/// (log scale: p0, p90, p99, p99.9, …), one line per series, up to the
/// percentile the sample count supports.
pub fn percentile_svg(
    title: &str,
    unit: Unit,
    lines: &[PercentileLine<'_>],
) -> anyhow::Result<String> {
    let max_n = lines
        .iter()
        .map(|l| l.sorted.len())
        .max()
        .unwrap_or(1)
        .max(2);
    let x_max = ((max_n as f64).log10()).clamp(1.0, 6.0);
    let min = lines
        .iter()
        .filter_map(|l| l.sorted.first())
        .copied()
        .fold(f64::INFINITY, f64::min);
    let max = lines
        .iter()
        .filter_map(|l| l.sorted.last())
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let axis = ValueAxis::covering(min, max);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 15))
            .margin(12)
            .margin_right(28)
            .x_label_area_size(42)
            .y_label_area_size(86)
            .build_cartesian_2d(0f64..x_max, axis.lo..axis.hi)?;
        chart
            .configure_mesh()
            .x_desc("percentile (axis: 1/(1-p), log)")
            .y_desc(axis.describe(unit))
            .x_labels(x_max.ceil() as usize + 1)
            .x_label_formatter(&|x| percentile_label(*x))
            .y_labels(axis.label_count())
            .y_max_light_lines(axis.light_lines())
            .y_label_formatter(&|y| axis.label(*y, unit))
            .draw()?;
        for (i, l) in lines.iter().enumerate() {
            if l.sorted.is_empty() {
                continue;
            }
            let top = (l.sorted.len() as f64).log10().min(x_max);
            let steps = 80;
            let pts: Vec<(f64, f64)> = (0..=steps)
                .map(|k| {
                    let x = top * k as f64 / steps as f64;
                    let p = 1.0 - 10f64.powf(-x);
                    (x, axis.to_plot(quantile_sorted(&l.sorted, p)))
                })
                .collect();
            let c = colour(i);
            chart
                .draw_series(LineSeries::new(pts, c.stroke_width(2)))?
                .label(l.label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()?;
        root.present()?;
    }
    Ok(buf)
}

/// One series of an ECDF plot: label and its replications.
pub struct EcdfSeries<'a> {
    /// Legend label.
    pub label: &'a str,
    /// The replications (processes).
    pub processes: &'a [ProcessSamples],
}

/// Points of the ECDF of `samples`, at most `max_points` of them.
fn ecdf_points(samples: &[f64], axis: ValueAxis, max_points: usize) -> Vec<(f64, f64)> {
    let mut s: Vec<f64> = samples.iter().copied().filter(|v| v.is_finite()).collect();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return Vec::new();
    }
    let step = n.div_ceil(max_points).max(1);
    let mut pts: Vec<(f64, f64)> = std::iter::once((axis.to_plot(s[0]), 0.0))
        .chain(
            (0..n)
                .step_by(step)
                .map(|i| (axis.to_plot(s[i]), (i + 1) as f64 / n as f64)),
        )
        .collect();
    pts.push((axis.to_plot(s[n - 1]), 1.0));
    pts
}

/// Per-replication distribution: the ECDF of every replication (process,
/// board session), coloured by series, so process-level variation shows as
/// curves that do not coincide.
pub fn ecdf_svg(title: &str, unit: Unit, series: &[EcdfSeries<'_>]) -> anyhow::Result<String> {
    let all = || {
        series
            .iter()
            .flat_map(|s| s.processes.iter().flat_map(|p| p.samples.iter().copied()))
    };
    let min = all()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let max = all()
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let axis = ValueAxis::covering(min, max);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(56)
            .build_cartesian_2d(axis.lo..axis.hi, 0f64..1.0)?;
        chart
            .configure_mesh()
            .x_desc(axis.describe(unit))
            .y_desc("fraction of samples")
            .x_labels(axis.label_count())
            .x_max_light_lines(axis.light_lines())
            .x_label_formatter(&|x| axis.label(*x, unit))
            .draw()?;
        for (i, s) in series.iter().enumerate() {
            let c = colour(i);
            let reps = s.processes.len();
            for (k, p) in s.processes.iter().enumerate() {
                let pts = ecdf_points(&p.samples, axis, 200);
                let drawn = chart.draw_series(LineSeries::new(pts, c.mix(0.75).stroke_width(1)))?;
                if k == 0 {
                    drawn
                        .label(format!("{} ({reps} replications)", s.label))
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2))
                        });
                }
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()?;
        root.present()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_axis_labels() {
        assert_eq!(percentile_label(0.0), "p0");
        assert_eq!(percentile_label(1.0), "p90");
        assert_eq!(percentile_label(2.0), "p99");
        assert_eq!(percentile_label(3.0), "p99.9");
        assert_eq!(percentile_label(4.0), "p99.99");
    }

    #[test]
    fn log_axis_labels_only_round_values() {
        let a = ValueAxis::covering(20_000.0, 1_500_000.0);
        assert!(a.log);
        assert_eq!(a.label(5.0, Unit::Instructions), "100,000");
        assert_eq!(a.label(2f64.log10() + 4.0, Unit::Instructions), "20,000");
        assert_eq!(a.label(4.7, Unit::Instructions), "50,000");
        assert_eq!(a.label(4.5, Unit::Instructions), "");
        assert!(a.label_count() >= 20);
        let lin = ValueAxis::covering(100.0, 900.0);
        assert_eq!(lin.label(250.0, Unit::Ns), "250.0 ns");
    }

    #[test]
    fn axis_goes_log_past_a_factor_of_ten() {
        assert!(!ValueAxis::covering(100.0, 900.0).log);
        let a = ValueAxis::covering(100.0, 100_000.0);
        assert!(a.log);
        assert!((a.value(a.to_plot(1234.0)) - 1234.0).abs() < 1e-9);
    }
}
