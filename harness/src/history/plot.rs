//! Trend plots: one SVG per series (run median with its interval over
//! runs, change points as vertical lines), drawn with `plotters`.

use super::analysis::{Change, Point};
use plotters::prelude::*;
use std::path::Path;

/// Draws `points` (oldest first) with `changes` into the SVG file `path`;
/// `title` heads the chart, `unit` labels the y axis.
pub fn trend_svg(
    path: &Path,
    title: &str,
    unit: &str,
    points: &[Point],
    changes: &[Change],
) -> anyhow::Result<()> {
    if points.is_empty() {
        anyhow::bail!("trend plot {title}: no points");
    }
    let lo = points.iter().map(|p| p.ci[0]).fold(f64::INFINITY, f64::min);
    let hi = points
        .iter()
        .map(|p| p.ci[1])
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.1).max(hi.abs() * 1e-3).max(1e-9);
    let (y0, y1) = (lo - pad, hi + pad);
    let n = points.len();
    let root = SVGBackend::new(path, (960, 480)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: plotting: {e}", path.display());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), y0..y1)
        .map_err(|e| err(&e))?;
    let commit = |x: &f64| {
        let i = x.round();
        if i < 0.0 || i as usize >= n {
            return String::new();
        }
        let c = points[i as usize].run.commit.as_deref().unwrap_or("-");
        c.chars().take(8).collect()
    };
    chart
        .configure_mesh()
        .x_desc("commit (run order)")
        .y_desc(format!("median ({unit})"))
        .x_label_formatter(&commit)
        .x_labels(n.min(10))
        .draw()
        .map_err(|e| err(&e))?;
    for c in changes {
        let x = c.index as f64 - 0.5;
        chart
            .draw_series(LineSeries::new([(x, y0), (x, y1)], RED.stroke_width(2)))
            .map_err(|e| err(&e))?;
    }
    chart
        .draw_series(points.iter().enumerate().map(|(i, p)| {
            let x = i as f64;
            PathElement::new([(x, p.ci[0]), (x, p.ci[1])], BLUE.mix(0.4).stroke_width(2))
        }))
        .map_err(|e| err(&e))?;
    chart
        .draw_series(LineSeries::new(
            points.iter().enumerate().map(|(i, p)| (i as f64, p.median)),
            BLUE,
        ))
        .map_err(|e| err(&e))?;
    chart
        .draw_series(
            points
                .iter()
                .enumerate()
                .map(|(i, p)| Circle::new((i as f64, p.median), 3, BLUE.filled())),
        )
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
