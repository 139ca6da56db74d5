//! The baseline of `pqbench history gate`: for each benchmark of a new
//! results file, every replication of the stored runs since the last change
//! point of its series (same benchmark, target and machine), merged into
//! one result, so a new run is compared with the stable level rather than
//! with one noisy baseline run.

use super::analysis::{changes, points};
use super::{Filter, HistoryStore, PreparedFile};
use crate::results::{BenchResult, ResultsFile, Status};
use pqbench_stats::EDivisiveConfig;
use serde::Serialize;

/// The window used for one benchmark.
#[derive(Clone, Debug, Serialize)]
pub struct Window {
    /// `id@target`.
    pub benchmark: String,
    /// Runs in the series (before the new file).
    pub series_runs: usize,
    /// Runs in the window (since the last change point).
    pub window_runs: usize,
    /// Replications pooled from them.
    pub replications: usize,
    /// Commit of the first run of the window.
    pub since_commit: Option<String>,
}

/// A baseline results file built from the store for `new` (the new
/// file's environment, one merged result per benchmark with stored runs),
/// with the windows. Benchmarks without stored runs are left out (the gate
/// reports them as present on one side only). The new file itself, if
/// already stored, is excluded.
pub fn baseline(
    store: &dyn HistoryStore,
    new: &PreparedFile,
    cfg: &EDivisiveConfig,
) -> anyhow::Result<(ResultsFile, Vec<Window>)> {
    let mut base = ResultsFile::new(new.file.environment.clone());
    base.complete = true;
    let mut windows = Vec::new();
    for r in new.file.results.iter().filter(|r| r.status == Status::Ok) {
        let filter = Filter {
            target: Some(r.target.clone()),
            machine: Some(new.machine.clone()),
            ..Filter::default()
        };
        let runs: Vec<_> = store
            .runs(&r.id, &filter)?
            .into_iter()
            .filter(|run| run.file_sha256 != new.sha256 && run.unit == r.unit.as_str())
            .collect();
        if runs.is_empty() {
            continue;
        }
        let pts = points(runs);
        let start = changes(&pts, cfg)?.last().map_or(0, |c| c.index);
        let window = &pts[start..];
        let mut processes = Vec::new();
        let mut last: Option<BenchResult> = None;
        for p in window {
            let stored = store.result(p.run.result_id)?;
            processes.extend(stored.processes.iter().cloned());
            last = Some(stored);
        }
        let Some(last) = last else { continue };
        let mut merged = BenchResult::measured(
            r.id.clone(),
            r.target.clone(),
            last.unit,
            last.recording,
            last.iterations_per_sample,
            processes,
        )?;
        merged.details = last.details.clone();
        merged.throughput = last.throughput;
        windows.push(Window {
            benchmark: format!("{}@{}", r.id, r.target),
            series_runs: pts.len(),
            window_runs: window.len(),
            replications: merged.processes.len(),
            since_commit: window.first().and_then(|p| p.run.commit.clone()),
        });
        base.results.push(merged);
    }
    Ok((base, windows))
}
