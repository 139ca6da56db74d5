//! Category charts: the forest plot of a comparison and the hardware bar
//! chart, both with one row per category on a segmented axis.

use super::chart::{SIZE, ValueAxis, colour};
use crate::compare::Comparison;
use crate::results::Unit;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use pqbench_stats::Verdict;

/// The colour of a verdict (red worse, green better, grey unchanged,
/// amber inconclusive).
pub fn verdict_colour(v: Verdict) -> RGBColor {
    match v {
        Verdict::Improved => RGBColor(0, 140, 70),
        Verdict::Regressed => RGBColor(200, 30, 30),
        Verdict::Unchanged => RGBColor(110, 110, 110),
        Verdict::Inconclusive => RGBColor(220, 150, 0),
    }
}

/// One row of a forest plot.
struct ForestRow {
    label: String,
    estimate: f64,
    ci: Option<(f64, f64)>,
    tolerance: f64,
    verdict: Verdict,
}

fn forest_rows(c: &Comparison) -> Vec<ForestRow> {
    c.rows
        .iter()
        .filter_map(|r| {
            let (estimate, ci) = match (&r.exact, &r.stats) {
                (Some(e), _) => (e.ratio, None),
                (None, Some(s)) => {
                    let m = s.ratios.median;
                    (m.estimate, Some((m.lo, m.hi)))
                }
                _ => return None,
            };
            estimate.is_finite().then(|| ForestRow {
                label: r.key(),
                estimate,
                ci: ci.filter(|(a, b)| a.is_finite() && b.is_finite()),
                tolerance: r.tolerance,
                verdict: r.verdict,
            })
        })
        .collect()
}

/// Height of a category chart with `n` rows.
fn height(n: usize) -> u32 {
    (90 + 24 * n as u32).max(SIZE.1 / 2)
}

/// Width of the label area for these labels (plotters' size estimate is
/// about 0.6 em per character).
fn label_width(labels: &[String]) -> u32 {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32;
    (longest * 7 + 16).clamp(60, 460)
}

/// Forest plot: per benchmark the ratio of medians new/base with its CI
/// (exact ratio for deterministic counters), the tolerance band around 1,
/// and the verdict as the marker colour. `None` when no row has a ratio.
pub fn forest_svg(c: &Comparison, correction: &str) -> anyhow::Result<Option<String>> {
    let rows = forest_rows(c);
    if rows.is_empty() {
        return Ok(None);
    }
    let n = rows.len() as i32;
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for r in &rows {
        let (a, b) = r.ci.unwrap_or((r.estimate, r.estimate));
        lo = lo.min(a).min(1.0 - r.tolerance);
        hi = hi.max(b).max(1.0 + r.tolerance);
    }
    let pad = (hi - lo) * 0.06;
    // room on the right for the legend, clear of the data
    let legend_room = (hi - lo) * 0.35;
    // plotters counts segments bottom-up: reverse so the first row is on top
    let labels: Vec<String> = rows.iter().rev().map(|r| r.label.clone()).collect();
    let at = |i: usize| n - 1 - i as i32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (SIZE.0 + 200, height(rows.len())))
            .into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("ratio of medians new/base, 95 % CI; correction: {correction}"),
                ("sans-serif", 15),
            )
            .margin(12)
            .margin_right(36)
            .x_label_area_size(42)
            .y_label_area_size(label_width(&labels))
            .build_cartesian_2d(
                (lo - pad)..(hi + pad + legend_room),
                (0..n - 1).into_segmented(),
            )?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc("new / base (< 1 faster, > 1 slower); grey band: tolerance")
            .y_labels(rows.len())
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|x| format!("{x:.3}"))
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let i = at(i);
            let mut band = Rectangle::new(
                [
                    (1.0 - r.tolerance, SegmentValue::Exact(i)),
                    (1.0 + r.tolerance, SegmentValue::Exact(i + 1)),
                ],
                RGBColor(200, 200, 200).mix(0.6).filled(),
            );
            band.set_margin(2, 2, 0, 0);
            band
        }))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(1.0, SegmentValue::Exact(0)), (1.0, SegmentValue::Exact(n))],
            BLACK.stroke_width(1),
        )))?;
        chart.draw_series(rows.iter().enumerate().filter_map(|(i, r)| {
            r.ci.map(|(a, b)| {
                PathElement::new(
                    vec![
                        (a, SegmentValue::CenterOf(at(i))),
                        (b, SegmentValue::CenterOf(at(i))),
                    ],
                    verdict_colour(r.verdict).stroke_width(2),
                )
            })
        }))?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            Circle::new(
                (r.estimate, SegmentValue::CenterOf(at(i))),
                5,
                verdict_colour(r.verdict).filled(),
            )
        }))?;
        for v in [
            Verdict::Improved,
            Verdict::Regressed,
            Verdict::Unchanged,
            Verdict::Inconclusive,
        ] {
            let col = verdict_colour(v);
            chart
                .draw_series(std::iter::empty::<Circle<(f64, SegmentValue<i32>), i32>>())?
                .label(v.as_str())
                .legend(move |(x, y)| Circle::new((x + 8, y), 5, col.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()?;
        root.present()?;
    }
    Ok(Some(buf))
}

/// One bar of a hardware comparison chart.
pub struct Bar {
    /// Category label (target, machine; anchors say "published").
    pub label: String,
    /// Median (or the published value).
    pub value: f64,
    /// 95 % CI of the median, when known.
    pub ci: Option<(f64, f64)>,
    /// A published figure, not measured here: drawn hollow.
    pub published: bool,
}

/// Horizontal bars of one benchmark in one unit across targets and
/// machines; published anchors hollow and labelled as such.
pub fn bars_svg(title: &str, unit: Unit, bars: &[Bar]) -> anyhow::Result<String> {
    let min = bars
        .iter()
        .map(|b| b.ci.map_or(b.value, |c| c.0))
        .fold(f64::INFINITY, f64::min);
    let max = bars
        .iter()
        .map(|b| b.ci.map_or(b.value, |c| c.1))
        .fold(f64::NEG_INFINITY, f64::max);
    let mut axis = ValueAxis::covering(min, max);
    if !axis.log {
        axis.lo = 0.0;
    }
    let n = bars.len() as i32;
    let labels: Vec<String> = bars.iter().rev().map(|b| b.label.clone()).collect();
    let at = |i: usize| n - 1 - i as i32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (SIZE.0 + 120, height(bars.len())))
            .into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 15))
            .margin(12)
            .margin_right(36)
            .x_label_area_size(42)
            .y_label_area_size(label_width(&labels))
            .build_cartesian_2d(axis.lo..axis.hi, (0..n - 1).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(format!(
                "median, {}; hollow: published, not measured here",
                match (unit, axis.log) {
                    (Unit::Ns, _) => axis.describe(unit),
                    (_, true) => "count (log scale)".into(),
                    (_, false) => "count".into(),
                }
            ))
            .y_labels(bars.len())
            .x_labels(axis.label_count())
            .x_max_light_lines(axis.light_lines())
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|x| axis.label(*x, unit))
            .draw()?;
        chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let c = colour(i);
            let style = if b.published {
                c.stroke_width(2)
            } else {
                c.mix(0.8).filled()
            };
            let mut r = Rectangle::new(
                [
                    (axis.lo, SegmentValue::Exact(at(i))),
                    (axis.to_plot(b.value), SegmentValue::Exact(at(i) + 1)),
                ],
                style,
            );
            r.set_margin(4, 4, 0, 0);
            r
        }))?;
        chart.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
            b.ci.map(|(a, z)| {
                PathElement::new(
                    vec![
                        (axis.to_plot(a), SegmentValue::CenterOf(at(i))),
                        (axis.to_plot(z), SegmentValue::CenterOf(at(i))),
                    ],
                    BLACK.stroke_width(2),
                )
            })
        }))?;
        root.present()?;
    }
    Ok(buf)
}
