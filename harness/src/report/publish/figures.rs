//! Which figures a report has: per benchmark and unit a percentile plot and
//! a per-replication ECDF; per benchmark with more than one target, machine
//! or published figure a hardware bar chart.

use super::bars::{Bar, bars_svg};
use super::chart::{EcdfSeries, PercentileLine, ecdf_svg, percentile_svg};
use super::html::Figure;
use super::series::{Benchmark, slug};
use super::stats::SeriesStats;
use super::tables::anchors_for;
use crate::report::anchors::Anchor;
use crate::report::suite::short_source;
use crate::results::{Status, Unit};
use rayon::prelude::*;

fn units_of(b: &Benchmark<'_>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for s in &b.series {
        if s.result.status == Status::Ok && !units.contains(&s.result.unit) {
            units.push(s.result.unit);
        }
    }
    units
}

/// The percentile and ECDF figures of benchmark number `n`.
pub fn benchmark_figures(n: usize, b: &Benchmark<'_>) -> anyhow::Result<Vec<Figure>> {
    let mut out = Vec::new();
    for unit in units_of(b) {
        let series: Vec<_> = b
            .series
            .iter()
            .filter(|s| {
                s.result.status == Status::Ok
                    && s.result.unit == unit
                    && s.result.processes.iter().any(|p| !p.samples.is_empty())
            })
            .collect();
        if series.is_empty() {
            continue;
        }
        let stem = format!("{n:03}-{}-{unit}", slug(&b.id));
        let lines: Vec<PercentileLine<'_>> = series
            .iter()
            .map(|s| {
                let mut sorted: Vec<f64> = s
                    .result
                    .processes
                    .iter()
                    .flat_map(|p| p.samples.iter().copied())
                    .filter(|v| v.is_finite())
                    .collect();
                sorted.sort_by(f64::total_cmp);
                PercentileLine {
                    label: &s.label,
                    sorted,
                }
            })
            .collect();
        let batch = series
            .iter()
            .any(|s| s.result.recording == crate::results::Recording::BatchMean);
        out.push(Figure {
            stem: format!("{stem}-percentiles"),
            kind: "percentile",
            caption: format!(
                "{}: latency by percentile, one line per target or file ({unit}){}",
                b.id,
                if batch {
                    "; batch-mean samples: percentiles of means, not of single operations"
                } else {
                    ""
                }
            ),
            svg: percentile_svg(&format!("{} — percentiles", b.id), unit, &lines)?,
        });
        let ecdf: Vec<EcdfSeries<'_>> = series
            .iter()
            .map(|s| EcdfSeries {
                label: &s.label,
                processes: &s.result.processes,
            })
            .collect();
        out.push(Figure {
            stem: format!("{stem}-replications"),
            kind: "ecdf",
            caption: format!(
                "{}: distribution of each replication (ECDF, one curve per process or board session); curves that do not coincide show process-level variation",
                b.id
            ),
            svg: ecdf_svg(&format!("{} — per replication", b.id), unit, &ecdf)?,
        });
    }
    Ok(out)
}

/// The axis a unit is charted on: time, or counts (cycles and
/// instructions share one axis, each bar naming its unit, so emulated
/// instruction counts stand next to published cycle counts).
fn axis_unit(u: Unit) -> Unit {
    match u {
        Unit::Ns => Unit::Ns,
        Unit::Cycles | Unit::Instructions => Unit::Cycles,
    }
}

/// The hardware bar charts of benchmark number `n` (one for time, one for
/// counts), when there is more than one bar to compare.
pub fn hardware_figures(
    n: usize,
    stats: &[SeriesStats],
    anchors: &[Anchor],
) -> anyhow::Result<Vec<Figure>> {
    let Some(first) = stats.first() else {
        return Ok(Vec::new());
    };
    let published = anchors_for(&first.id, anchors);
    let mut out = Vec::new();
    for axis in [Unit::Ns, Unit::Cycles] {
        let mut bars: Vec<Bar> = stats
            .iter()
            .filter(|s| axis_unit(s.unit) == axis)
            .filter_map(|s| {
                s.median.map(|m| Bar {
                    label: if axis == Unit::Ns {
                        s.label.clone()
                    } else {
                        format!("{} ({})", s.label, s.unit)
                    },
                    value: m,
                    ci: s.ci.as_ref().ok().copied(),
                    published: false,
                })
            })
            .collect();
        bars.extend(
            published
                .iter()
                .filter(|a| {
                    a.value > 0.0
                        && match axis {
                            Unit::Ns => a.unit == "ns",
                            _ => a.unit == "cycles" || a.unit == "instructions",
                        }
                })
                .map(|a| Bar {
                    label: if axis == Unit::Ns {
                        format!("published: {}, {}", short_source(&a.source), a.hardware)
                    } else {
                        format!(
                            "published: {}, {} ({})",
                            short_source(&a.source),
                            a.hardware,
                            a.unit
                        )
                    },
                    value: a.value,
                    ci: None,
                    published: true,
                }),
        );
        if bars.len() < 2 || bars.iter().all(|b| b.published) {
            continue;
        }
        let what = if axis == Unit::Ns {
            "time per operation"
        } else {
            "cycles or instructions per operation"
        };
        out.push(Figure {
            stem: format!(
                "{n:03}-{}-{}-hardware",
                slug(&first.id),
                if axis == Unit::Ns { "time" } else { "counts" }
            ),
            kind: "hardware",
            caption: format!(
                "{}: {what}, median per target and machine with 95 % CI; hollow bars are published figures (their hardware and implementation), not measured here",
                first.id
            ),
            svg: bars_svg(&format!("{} — {what}", first.id), axis, &bars)?,
        });
    }
    Ok(out)
}

/// Figures of every benchmark (in parallel, in order): per benchmark its
/// hardware charts, then its percentile and ECDF figures.
pub fn all_figures(
    benchmarks: &[Benchmark<'_>],
    stats: &[Vec<SeriesStats>],
    anchors: &[Anchor],
) -> anyhow::Result<Vec<(Vec<Figure>, Vec<Figure>)>> {
    benchmarks
        .par_iter()
        .zip(stats.par_iter())
        .enumerate()
        .map(|(n, (b, s))| Ok((hardware_figures(n, s, anchors)?, benchmark_figures(n, b)?)))
        .collect()
}
