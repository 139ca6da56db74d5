//! Paired A/B of two builds of a bench binary in lockstep (`cargo bench --
//! --baseline NAME`, when NAME has a saved executable): the baseline's executable, saved with the
//! baseline, and this one run as two worker processes side by side; the
//! parent has them take samples in turn, one baseline sample and one
//! candidate sample per block in a random order, while the other waits on
//! its input. Both sides see the same machine state, moments apart, as in
//! `pqbench ab --in-process` (which loads both builds into one process:
//! bench targets are executables, which cannot be loaded as libraries).
//!
//! Per benchmark and replication: a fresh pair of workers (started in a
//! random order) with one placement drawn for the pair (the same CPU, stack,
//! heap and environment offsets, address randomisation off where allowed:
//! [`crate::measure::placement::apply_matched`]; a process's layout moved
//! its timings by up to 20 % for its whole life in a test, so each pair
//! shares its luck and the pairs average it out), a warm-up in each, one calibration shared by both (the
//! cheaper side's estimate, samples at least [`MIN_SAMPLE_NS`] long so the
//! switches between the processes stay small beside them), then blocks
//! until the replication's share of `--bench-time`. Each replication gives
//! one ratio, `exp(median ln(b/a))` over its blocks
//! ([`crate::measure::pairs`]); the replications go through the paired
//! analysis of `ab` ([`crate::compare::paired::rows_from_summaries`]) with
//! the test of the options (`cargo bench`: the 20 % trimmed t on the log
//! ratios), Holm over the benchmarks, verdict against the tolerance. The
//! process pair is the unit of the test.
//!
//! * [`worker`]: the worker side and the line protocol;
//! * [`child`]: a worker process seen from the parent.

pub mod child;
pub mod worker;

use crate::compare::paired::{PairedOptions, PairedRow, rows_from_summaries};
use crate::measure::engine::{WARMUP_SHARE, calibrate, target_sample_ns};
use crate::measure::pairs::{Blocks, PairSummary};
use crate::results::TimerInfo;
use child::{Ready, Stop, Worker};
use pqbench_workloads::RngCore;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use worker::LockstepRequest;

/// Shortest sample of a lockstep block (ns): a switch between the two
/// processes (a pipe round trip, about 10–30 µs here) stays outside the
/// timed region, but its cache and TLB effects fall into the next sample;
/// at 100 µs and more they are a small, equal share of both sides.
pub const MIN_SAMPLE_NS: f64 = 100_000.0;

/// Replications when `-p` is not given (as `ab --in-process`).
pub const DEFAULT_REPLICATIONS: u32 = 10;

/// What to pair and how long.
#[derive(Clone, Debug)]
pub struct PairedPlan {
    /// The baseline's saved executable.
    pub baseline_exe: PathBuf,
    /// This build's executable.
    pub candidate_exe: PathBuf,
    /// The benchmarks, in order.
    pub ids: Vec<String>,
    /// Replications (pairs of processes) per benchmark.
    pub replications: u32,
    /// Budget per benchmark, all replications.
    pub bench_time: Duration,
    /// Most blocks per benchmark per replication.
    pub max_blocks: usize,
    /// Seed of the random orders.
    pub seed: u64,
    /// Harness validation: slowdown of the candidate, percent (0: none).
    pub candidate_slowdown_pct: f64,
    /// CPUs a pair may be pinned to (one drawn per pair, both workers on
    /// it); empty: not pinned.
    pub cpus: Vec<usize>,
}

/// One replication: a summary per compared benchmark.
#[derive(Clone, Debug, Serialize)]
pub struct Replication {
    /// 1-based.
    pub index: usize,
    /// Per compared benchmark, in the order of [`PairedOutcome::compared`].
    pub benches: Vec<PairSummary>,
}

/// What the pairing produced.
#[derive(Debug, Default, Serialize)]
pub struct PairedOutcome {
    /// The benchmarks compared (in both builds).
    pub compared: Vec<String>,
    /// Benchmarks the baseline's executable does not have.
    pub not_in_baseline: Vec<String>,
    /// Completed replications.
    pub replications: Vec<Replication>,
    /// The analysis over them.
    pub rows: Vec<PairedRow>,
    /// True when SIGINT/SIGTERM stopped the pairing (the replication
    /// running was dropped; the completed ones are analysed).
    pub interrupted: bool,
}

/// How one benchmark's replication ended.
enum Paired {
    Done(PairSummary),
    NotInBaseline,
}

/// Which side a worker is.
#[derive(Clone, Copy)]
enum Side {
    Baseline,
    Candidate,
}

/// Pairs every benchmark of `plan` for `plan.replications` replications,
/// calling `progress(replication, elapsed)` after each; `Err` when a worker
/// fails (the message names the side and the benchmark).
pub fn run(
    plan: &PairedPlan,
    options: &PairedOptions,
    timer: &TimerInfo,
    cancel: &AtomicBool,
    mut progress: impl FnMut(usize, Duration),
) -> anyhow::Result<PairedOutcome> {
    let mut out = PairedOutcome {
        compared: plan.ids.clone(),
        ..PairedOutcome::default()
    };
    let reps = plan.replications.max(1) as usize;
    let budget = plan.bench_time.div_f64(reps as f64);
    let start = Instant::now();
    'reps: for index in 1..=reps {
        let mut benches = Vec::new();
        let ids = out.compared.clone();
        for id in &ids {
            match one(plan, id, index, budget, timer, cancel) {
                Ok(Paired::Done(s)) => benches.push(s),
                Ok(Paired::NotInBaseline) => {
                    out.not_in_baseline.push(id.clone());
                    out.compared.retain(|c| c != id);
                    for r in &mut out.replications {
                        r.benches.retain(|b| &b.id != id);
                    }
                }
                Err(Stop::Cancelled) => {
                    out.interrupted = true;
                    break 'reps;
                }
                Err(Stop::Failed(m)) => anyhow::bail!("replication {index}: {m}"),
            }
        }
        out.replications.push(Replication { index, benches });
        progress(index, start.elapsed());
    }
    let summaries: Vec<&[PairSummary]> = out
        .replications
        .iter()
        .map(|r| r.benches.as_slice())
        .collect();
    out.rows = rows_from_summaries(&out.compared, super::backend::TARGET, &summaries, options);
    Ok(out)
}

/// The seed of benchmark `id`'s orders in replication `index`.
fn order_seed(seed: u64, id: &str, index: usize) -> u64 {
    let h = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    seed ^ h ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// One replication of benchmark `id`: a fresh pair of workers, warm-up,
/// shared calibration, blocks until `budget`.
fn one(
    plan: &PairedPlan,
    id: &str,
    index: usize,
    budget: Duration,
    timer: &TimerInfo,
    cancel: &AtomicBool,
) -> Result<Paired, Stop> {
    let seed = order_seed(plan.seed, id, index);
    let mut rng = pqbench_workloads::seeded_rng(seed, 0x10c5);
    let placement = crate::measure::placement::draw(seed, 0);
    let cpu = plan
        .cpus
        .get((seed % plan.cpus.len().max(1) as u64) as usize)
        .copied();
    // Started (and warmed up) one after the other, in a random order; `None`
    // when the side's binary has no such benchmark.
    let spawn = |side: Side| -> Result<Option<(Worker, f64)>, Stop> {
        let (exe, pct, name): (&Path, f64, &str) = match side {
            Side::Baseline => (&plan.baseline_exe, 0.0, "the baseline's"),
            Side::Candidate => (
                &plan.candidate_exe,
                plan.candidate_slowdown_pct,
                "this build's",
            ),
        };
        let request = LockstepRequest::new(id, budget, pct);
        let mut w = Worker::spawn(
            exe,
            &request,
            placement,
            cpu,
            format!("{name} worker for {id}"),
        )?;
        Ok(match w.ready(budget, cancel)? {
            Ready::Estimate(e) => Some((w, e)),
            Ready::Missing => None,
        })
    };
    let candidate_first = rng.next_u32() & 1 == 1;
    let (a, b) = if candidate_first {
        let b = spawn(Side::Candidate)?;
        (spawn(Side::Baseline)?, b)
    } else {
        let a = spawn(Side::Baseline)?;
        (a, spawn(Side::Candidate)?)
    };
    let Some((mut a, ea)) = a else {
        return Ok(Paired::NotInBaseline);
    };
    let Some((mut b, eb)) = b else {
        return Err(Stop::Failed(format!(
            "this build's worker does not know {id}, which this build lists"
        )));
    };
    let estimate = ea.min(eb);
    let target = target_sample_ns(timer).max(MIN_SAMPLE_NS);
    let iters = calibrate(estimate, target).iterations_per_sample.max(1);
    let sampling = budget.mul_f64(1.0 - WARMUP_SHARE);
    let t0 = Instant::now();
    let mut blocks = Blocks::new();
    loop {
        let baseline_first = rng.next_u32() & 1 == 0;
        let (ta, tb) = if baseline_first {
            let ta = a.sample(iters, cancel)?;
            (ta, b.sample(iters, cancel)?)
        } else {
            let tb = b.sample(iters, cancel)?;
            (a.sample(iters, cancel)?, tb)
        };
        blocks.push(ta / iters as f64, tb / iters as f64, baseline_first);
        if blocks.len() >= plan.max_blocks.max(1) || t0.elapsed() >= sampling {
            break;
        }
    }
    a.finish(cancel)?;
    b.finish(cancel)?;
    blocks
        .summary(id, iters)
        .map(Paired::Done)
        .ok_or_else(|| Stop::Failed(format!("{id}: no block with both samples above zero")))
}
