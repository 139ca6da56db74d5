//! Statistics over a series of runs: per-run median with a confidence
//! interval from the replications, and change points between runs.

use super::{Filter, HistoryStore, Run, SeriesInfo};
use pqbench_stats::{BootstrapConfig, EDivisiveConfig, Groups, RatioCi, e_divisive};
use serde::Serialize;

/// Bootstrap settings of the history statistics (fewer resamples than a
/// comparison: a series has many points).
fn bootstrap() -> BootstrapConfig {
    BootstrapConfig {
        resamples: 1000,
        ..BootstrapConfig::default()
    }
}

/// One run summarised: median of the replication medians with its
/// percentile-bootstrap interval over replications.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The run.
    #[serde(flatten)]
    pub run: Run,
    /// Median of the replication medians.
    pub median: f64,
    /// 95 % bootstrap interval of that median (replications resampled);
    /// `[min, max]`-like with two replications, the value itself with one.
    pub ci: [f64; 2],
}

/// Summarises runs; runs without replication medians are skipped.
pub fn points(runs: Vec<Run>) -> Vec<Point> {
    runs.into_iter()
        .filter_map(|run| {
            let median = pqbench_stats::median(&run.replication_medians).ok()?;
            let ci = median_ci(&run.replication_medians, run.result_id as u64);
            Some(Point { median, ci, run })
        })
        .collect()
}

/// Replicates of the per-run interval: a run has a handful of
/// replications, so a few hundred resamples describe it fully.
const RUN_RESAMPLES: usize = 400;

/// 95 % percentile-bootstrap interval of the median of `xs` (resampled
/// with replacement), seeded by `seed` so a run always gets the same one.
fn median_ci(xs: &[f64], seed: u64) -> [f64; 2] {
    use rand_core::SeedableRng;
    if xs.len() < 2 {
        return [xs[0], xs[0]];
    }
    let mut rng = pqbench_stats::Rng::seed_from_u64(seed);
    let mut buf = vec![0.0; xs.len()];
    let mut reps: Vec<f64> = (0..RUN_RESAMPLES)
        .map(|_| {
            for b in buf.iter_mut() {
                *b = xs[pqbench_stats::bounded(&mut rng, xs.len())];
            }
            buf.sort_by(f64::total_cmp);
            pqbench_stats::quantile_sorted(&buf, 0.5)
        })
        .collect();
    reps.sort_by(f64::total_cmp);
    [
        pqbench_stats::quantile_sorted(&reps, 0.025),
        pqbench_stats::quantile_sorted(&reps, 0.975),
    ]
}

/// A detected change in one series.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// Index of the first run at the new level.
    pub index: usize,
    /// Commit of that run.
    pub commit: Option<String>,
    /// Time of that run.
    pub time: Option<String>,
    /// Median after / median before (run medians of the segments on either
    /// side, up to the neighbouring change points) with a 95 % bootstrap
    /// interval over runs.
    pub ratio: RatioCi,
    /// Permutation p-value of the split.
    pub p_value: f64,
}

/// A series with its change points.
#[derive(Clone, Debug, Serialize)]
pub struct SeriesChanges {
    /// The series.
    pub series: SeriesInfo,
    /// Changes, oldest first.
    pub changes: Vec<Change>,
}

/// Change points of a series of run medians (E-divisive means).
pub fn changes(points: &[Point], cfg: &EDivisiveConfig) -> anyhow::Result<Vec<Change>> {
    let values: Vec<f64> = points.iter().map(|p| p.median).collect();
    let cps = e_divisive(&values, cfg)?;
    let mut cuts: Vec<usize> = vec![0];
    cuts.extend(cps.iter().map(|c| c.index));
    cuts.push(values.len());
    let mut out = Vec::new();
    for (k, cp) in cps.iter().enumerate() {
        let before = &values[cuts[k]..cuts[k + 1]];
        let after = &values[cuts[k + 1]..cuts[k + 2]];
        let single = |xs: &[f64]| Groups::new(xs.iter().map(|&v| vec![v]).collect());
        let ratio =
            pqbench_stats::bootstrap_ratios(&single(before)?, &single(after)?, &bootstrap())?
                .median;
        let p = &points[cp.index];
        out.push(Change {
            index: cp.index,
            commit: p.run.commit.clone(),
            time: p.run.time.clone(),
            ratio,
            p_value: cp.p_value,
        });
    }
    Ok(out)
}

/// Change points of every series matching `filter` (one series per
/// benchmark, target and machine; `bench` limits to one benchmark).
pub fn all_changes(
    store: &dyn HistoryStore,
    bench: Option<&str>,
    filter: &Filter,
    cfg: &EDivisiveConfig,
) -> anyhow::Result<Vec<SeriesChanges>> {
    let mut out = Vec::new();
    for s in store.series(filter)? {
        if bench.is_some_and(|b| b != s.bench_id) {
            continue;
        }
        let pts = series_points(store, &s, filter)?;
        let changes = changes(&pts, cfg)?;
        out.push(SeriesChanges { series: s, changes });
    }
    Ok(out)
}

/// The points of one series (its benchmark, target and machine).
pub fn series_points(
    store: &dyn HistoryStore,
    s: &SeriesInfo,
    filter: &Filter,
) -> anyhow::Result<Vec<Point>> {
    let f = Filter {
        target: Some(s.target.clone()),
        machine: Some(s.machine.clone()),
        ..filter.clone()
    };
    Ok(points(store.runs(&s.bench_id, &f)?))
}

/// Writes one trend SVG per series matching `filter` into `dir` (created),
/// named after benchmark, target and machine; returns the files.
pub fn plot_all(
    store: &dyn HistoryStore,
    bench: Option<&str>,
    filter: &Filter,
    cfg: &EDivisiveConfig,
    dir: &std::path::Path,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::new();
    for s in store.series(filter)? {
        if bench.is_some_and(|b| b != s.bench_id) {
            continue;
        }
        let pts = series_points(store, &s, filter)?;
        let ch = changes(&pts, cfg)?;
        let name: String = format!("{}@{}@{}", s.bench_id, s.target, s.machine)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{name}.svg"));
        let title = format!("{} on {} ({})", s.bench_id, s.target, s.machine);
        super::plot::trend_svg(&path, &title, &s.unit, &pts, &ch)?;
        out.push(path);
    }
    Ok(out)
}
