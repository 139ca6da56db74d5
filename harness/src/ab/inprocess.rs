//! In-process paired A/B (`pqbench ab --in-process`): the baseline's and
//! the candidate's workload libraries (crate `pqbench-abi`) loaded into one
//! process, samples alternating A/B in a random order
//! ([`super::interleave`]), replicated over processes; the process is the
//! unit of the final test.
//!
//! The parent checks both libraries (ABI version, ids) with the user's
//! paths in its messages and runs the replications one after the other,
//! each a fresh process ([`super::spawn`]) loading fresh private copies of
//! both files: two copies of one build are two libraries to the dynamic
//! loader (an A/A run), and a fresh copy per process puts the code on other
//! physical pages each time. Measured on sha256/1KiB (A/A, one copy per
//! run shared by its processes): a bias of -0.35 %, +0.55 %, +0.21 % in
//! three runs, each tight within its run; a per-run constant that a test
//! over that run's processes cannot see, so the copy is made per process. Per benchmark, each replication gives one ratio,
//! `exp(median ln(b/a))` over its blocks; the ratios go through the same
//! paired analysis as `ab`'s rounds (t-test on the log ratios, bootstrap
//! CIs, correction over the benchmarks, verdict against the tolerance),
//! but without `ab`'s two-round blocks: the order is balanced inside every
//! replication.

use super::exec::Clock;
use super::interleave::{PairSummary, ReplicationReply, ReplicationRequest};
use super::library::{load, load_pair};
use super::stop::{Plan, Stop};
use crate::compare::paired::{self, PairedOptions, PairedRow, worst_half_width};
use crate::measure::repeat::WorkerOutcome;
use crate::results::TimerInfo;
use anyhow::{Context, bail};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct InProcessConfig {
    /// The baseline's library, as given.
    pub baseline_lib: PathBuf,
    /// The candidate's library, as given.
    pub candidate_lib: PathBuf,
    /// Substring filters on the ids (none: every common id).
    pub filters: Vec<String>,
    /// Suites (`hash`, …): ids starting with `SUITE/` (none: any suite).
    pub suites: Vec<String>,
    /// Input seed.
    pub seed: u64,
    /// Budget per benchmark per replication.
    pub bench_time: Duration,
    /// Most blocks per benchmark per replication.
    pub max_blocks: usize,
    /// Harness validation: slowdown of the candidate library, percent.
    pub candidate_slowdown_pct: f64,
    /// Replications (`rounds`), minimum before adaptive stopping, target CI,
    /// time cap.
    pub plan: Plan,
}

/// Both libraries checked; the benchmarks chosen.
pub struct Prepared {
    /// The baseline library, as given.
    pub baseline: PathBuf,
    /// The candidate library, as given.
    pub candidate: PathBuf,
    /// The ABI version of both.
    pub abi_version: u32,
    /// The benchmarks compared.
    pub ids: Vec<String>,
    /// Benchmarks matching the filters on one side only.
    pub skipped: Vec<String>,
}

/// Checks both libraries and chooses the benchmarks: the ids both export
/// that match a filter. An id on one side only is skipped with a note (a
/// candidate may add or remove a benchmark); none in common is an error.
pub fn prepare(cfg: &InProcessConfig) -> anyhow::Result<Prepared> {
    if let Some(v) = crate::env::injected_slowdown() {
        bail!(
            "{}={v} is set: in one process it would slow both sides alike; \
use --candidate-slowdown to slow the candidate library only",
            crate::env::INJECT_SLOWDOWN_VAR
        );
    }
    for p in [&cfg.baseline_lib, &cfg.candidate_lib] {
        if !p.is_file() {
            bail!("no such file: {}", p.display());
        }
    }
    let (a, b) = if cfg.baseline_lib == cfg.candidate_lib {
        let a = load(&cfg.baseline_lib)?;
        let ids = a.ids.clone();
        (a, ids)
    } else {
        let (a, b) = load_pair(&cfg.baseline_lib, &cfg.candidate_lib, false)?;
        let ids = b.ids.clone();
        (a, ids)
    };
    let wanted = |id: &str| {
        (cfg.filters.is_empty() || cfg.filters.iter().any(|f| id.contains(f)))
            && (cfg.suites.is_empty()
                || cfg.suites.iter().any(|s| id.starts_with(&format!("{s}/"))))
    };
    let ids: Vec<String> = a
        .ids
        .iter()
        .filter(|id| wanted(id) && b.contains(id))
        .cloned()
        .collect();
    let mut skipped: Vec<String> = a
        .ids
        .iter()
        .filter(|id| wanted(id) && !b.contains(id))
        .map(|id| format!("{id}: in the baseline only"))
        .collect();
    skipped.extend(
        b.iter()
            .filter(|id| wanted(id) && !a.ids.contains(id))
            .map(|id| format!("{id}: in the candidate only")),
    );
    if ids.is_empty() {
        bail!(
            "no benchmark in both libraries matches the filters {:?} and suites {:?} (the baseline \
exports {}, the candidate {}; `pqbench-abi` exports the hash suite by default, others with its \
features)",
            cfg.filters,
            cfg.suites,
            a.ids.len(),
            b.len()
        );
    }
    Ok(Prepared {
        baseline: cfg.baseline_lib.clone(),
        candidate: cfg.candidate_lib.clone(),
        abi_version: a.version,
        ids,
        skipped,
    })
}

/// Fresh private copies of both libraries in a new temporary directory
/// (removed when dropped).
fn fresh_copies(p: &Prepared) -> anyhow::Result<(tempfile::TempDir, PathBuf, PathBuf)> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let copy = |from: &Path, side: &str| -> anyhow::Result<PathBuf> {
        let to = dir.path().join(format!("{side}-libpqbench_abi.so"));
        std::fs::copy(from, &to)
            .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
        Ok(to)
    };
    let (a, b) = (
        copy(&p.baseline, "baseline")?,
        copy(&p.candidate, "candidate")?,
    );
    Ok((dir, a, b))
}

/// One completed replication.
#[derive(Clone, Debug, Serialize)]
pub struct Replication {
    /// 1-based.
    pub index: usize,
    /// Its process id.
    pub pid: u32,
    /// Its clock.
    pub timer: TimerInfo,
    /// Whether the candidate library was loaded first.
    pub candidate_loaded_first: bool,
    /// Its placement (environment padding, stack and heap offsets), when
    /// randomised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<crate::measure::placement::Placement>,
    /// Per benchmark.
    pub benches: Vec<PairSummary>,
}

/// Reported after every replication.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// The replication just completed (1-based).
    pub replication: usize,
    /// How long it took.
    pub duration: Duration,
    /// The worst CI half-width so far (`inf` while undefined).
    pub width: f64,
}

/// What the loop produced.
#[derive(Debug)]
pub struct InProcessOutcome {
    /// Why it stopped (`interrupted` after SIGINT/SIGTERM).
    pub stop: Stop,
    /// The replications completed.
    pub replications: Vec<Replication>,
    /// The analysis over them.
    pub rows: Vec<PairedRow>,
}

/// Runs replications until `cfg.plan` says stop or `cancel` is raised
/// (the replication running is dropped, the completed ones are kept). A
/// failed replication ends the run with its error.
pub fn run(
    cfg: &InProcessConfig,
    prepared: &Prepared,
    options: &PairedOptions,
    exe: &Path,
    cancel: &AtomicBool,
    clock: &dyn Clock,
    mut progress: impl FnMut(&Progress),
) -> anyhow::Result<InProcessOutcome> {
    let plan = &cfg.plan;
    let start = clock.now();
    let mut replications: Vec<Replication> = Vec::new();
    let mut rows = Vec::new();
    let mut last = Duration::ZERO;
    let interrupted = |done: usize, elapsed: Duration| Stop {
        reason: "interrupted",
        detail: "interrupted (SIGINT/SIGTERM): the replication running was dropped".into(),
        rounds: done,
        elapsed_s: elapsed.as_secs_f64(),
    };
    let budget = cfg.bench_time * prepared.ids.len() as u32;
    let stop = loop {
        let done = replications.len();
        if let Some(s) = plan.stop_before(done, clock.now() - start, last) {
            break s;
        }
        if cancel.load(std::sync::atomic::Ordering::SeqCst) {
            break interrupted(done, clock.now() - start);
        }
        let index = done + 1;
        let t0 = clock.now();
        let (_copies, baseline, candidate) = fresh_copies(prepared)?;
        let request = ReplicationRequest {
            baseline,
            candidate,
            ids: prepared.ids.clone(),
            seed: cfg.seed,
            order_seed: cfg.seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            bench_time_ns: cfg.bench_time.as_nanos().min(u64::MAX as u128) as u64,
            max_blocks: cfg.max_blocks,
            candidate_slowdown_pct: cfg.candidate_slowdown_pct,
        };
        let reply: ReplicationReply = match super::spawn::replicate(exe, &request, budget, cancel) {
            WorkerOutcome::Done(r) => *r,
            WorkerOutcome::Cancelled => break interrupted(done, clock.now() - start),
            WorkerOutcome::Failed(m) => bail!("replication {index}: {m}"),
        };
        if reply.benches.iter().map(|b| &b.id).ne(prepared.ids.iter()) {
            bail!("replication {index}: the reply does not list the benchmarks asked for");
        }
        replications.push(Replication {
            index,
            pid: reply.pid,
            timer: reply.timer,
            candidate_loaded_first: reply.candidate_loaded_first,
            placement: reply.placement,
            benches: reply.benches,
        });
        last = clock.now() - t0;
        rows = analyse(&prepared.ids, &replications, options);
        let width = worst_half_width(&rows);
        progress(&Progress {
            replication: index,
            duration: last,
            width,
        });
        if let Some(s) = plan.stop_after(index, clock.now() - start, width) {
            break s;
        }
    };
    Ok(InProcessOutcome {
        stop,
        replications,
        rows,
    })
}

/// Per benchmark, one ratio per replication, analysed as paired ratios
/// ([`paired::rows_from_summaries`]).
pub fn analyse(ids: &[String], reps: &[Replication], o: &PairedOptions) -> Vec<PairedRow> {
    let summaries: Vec<&[PairSummary]> = reps.iter().map(|r| r.benches.as_slice()).collect();
    paired::rows_from_summaries(ids, "host", &summaries, o)
}

/// The JSON report of an in-process A/B (`pqbench ab --in-process --json`).
#[derive(Serialize)]
pub struct InProcessReport<'a> {
    /// `in-process`.
    pub mode: &'static str,
    /// The workload ABI version of both libraries.
    pub abi_version: u32,
    /// The baseline library, as given.
    pub baseline_lib: &'a Path,
    /// The candidate library, as given.
    pub candidate_lib: &'a Path,
    /// Harness validation: the candidate's injected slowdown (percent; 0 =
    /// a real measurement).
    pub candidate_slowdown_pct: f64,
    /// Budget per benchmark per replication, seconds.
    pub bench_time_s: f64,
    /// Why the loop stopped.
    pub stop: &'a Stop,
    /// The analysis settings.
    pub options: &'a PairedOptions,
    /// Every replication's per-benchmark summary of its pairs.
    pub replications: &'a [Replication],
    /// One row per benchmark (`ratios`: one per replication).
    pub rows: &'a [PairedRow],
    /// Benchmarks on one side only.
    pub skipped: &'a [String],
    /// Ids of the benchmarks that regressed.
    pub regressed: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Tolerances;
    use crate::compare::paired::PairedTest;
    use pqbench_stats::{BootstrapConfig, Correction, Verdict};

    fn options() -> PairedOptions {
        PairedOptions {
            alpha: 0.01,
            correction: Correction::Holm,
            tolerances: Tolerances {
                default: 0.01,
                overrides: Vec::new(),
            },
            confidence: 0.95,
            resamples: 500,
            seed: BootstrapConfig::default().seed,
            test: PairedTest::T,
        }
    }

    /// Replications whose two benchmarks have these log ratios.
    fn reps(logs: &[(f64, f64)]) -> Vec<Replication> {
        logs.iter()
            .enumerate()
            .map(|(i, &(x, y))| Replication {
                index: i + 1,
                pid: i as u32,
                timer: TimerInfo {
                    overhead: 20.0,
                    resolution: 10.0,
                    clock: None,
                    clock_hz: None,
                },
                candidate_loaded_first: i % 2 == 0,
                placement: None,
                benches: [("a", x), ("b", y)]
                    .into_iter()
                    .map(|(id, l)| PairSummary {
                        id: id.into(),
                        iterations_per_sample: 1,
                        blocks: 100,
                        baseline_first: 50,
                        baseline_median_ns: 1000.0,
                        candidate_median_ns: 1000.0 * l.exp(),
                        median_log_ratio: l,
                        median_log_ratio_baseline_first: Some(l),
                        median_log_ratio_candidate_first: Some(l),
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn the_process_is_the_unit_and_a_shift_beyond_the_tolerance_regresses() {
        // Benchmark a: +3 % in every process (with process noise);
        // b: no change.
        let noise = [0.002, -0.001, 0.0015, -0.002, 0.0005, -0.0005];
        let logs: Vec<(f64, f64)> = noise.iter().map(|n| (1.03f64.ln() + n, *n)).collect();
        let ids = vec!["a".to_string(), "b".to_string()];
        let rows = analyse(&ids, &reps(&logs), &options());
        assert_eq!(rows[0].ratios.len(), 6);
        assert_eq!(rows[0].verdict, Verdict::Regressed);
        let g = rows[0].analysis.as_ref().unwrap().geomean;
        assert!((g.estimate - 1.03).abs() < 0.002, "{g:?}");
        assert!(g.lo < 1.03 && g.hi > 1.03, "{g:?}");
        assert_eq!(rows[1].verdict, Verdict::Unchanged);
        assert!(rows[0].p_adjusted >= rows[0].p_value);
    }

    #[test]
    fn one_replication_is_inconclusive() {
        let ids = vec!["a".to_string(), "b".to_string()];
        let rows = analyse(&ids, &reps(&[(0.5, 0.5)]), &options());
        assert!(rows.iter().all(|r| r.verdict == Verdict::Inconclusive));
        assert!(worst_half_width(&rows).is_infinite());
    }
}
