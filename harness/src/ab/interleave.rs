//! One replication of the in-process A/B (the worker side): both libraries
//! in this process, each selected benchmark set up on both sides, one
//! calibration shared by the sides, then blocks of one baseline sample and
//! one candidate sample in a random order (seeded), timed with the engine's
//! clock. The process returns a per-benchmark summary of its pairs.
//!
//! What is not alternated is randomised per process from the order seed:
//! which library is loaded first, and which side of each benchmark is set
//! up (allocates its inputs) first. An A/A run with both in a fixed order
//! showed a steady bias of a few tenths of a percent; randomised, such
//! placement effects become process-to-process variance, which the final
//! test over processes accounts for.

use super::library::{AbiLibrary, load_pair};
use crate::measure::clock;
use crate::measure::engine::{WARMUP_SHARE, calibrate, target_sample_ns};
pub use crate::measure::pairs::PairSummary;
use crate::measure::pairs::{Blocks, warm_up};
use crate::results::TimerInfo;
use anyhow::bail;
use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the parent asks one replication process to do.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReplicationRequest {
    /// The baseline library (a private copy).
    pub baseline: PathBuf,
    /// The candidate library (a private copy).
    pub candidate: PathBuf,
    /// The benchmarks, in order.
    pub ids: Vec<String>,
    /// Input seed, the same on both sides.
    pub seed: u64,
    /// Seed of the A/B order of the blocks (differs per replication).
    pub order_seed: u64,
    /// Budget per benchmark (warm-up and blocks), nanoseconds.
    pub bench_time_ns: u64,
    /// Most blocks per benchmark.
    pub max_blocks: usize,
    /// Harness validation: slowdown of the candidate library, percent.
    pub candidate_slowdown_pct: f64,
}

/// What one replication process sends back (one JSON line on stdout).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReplicationReply {
    /// OS process id.
    pub pid: u32,
    /// The clock measured at the start of the process.
    pub timer: TimerInfo,
    /// Whether the candidate library was loaded before the baseline's.
    pub candidate_loaded_first: bool,
    /// The placement this process applied (heap offset before the
    /// libraries are loaded, stack offset before the benchmarks; see
    /// [`crate::measure::placement`]), when randomised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<crate::measure::placement::Placement>,
    /// One summary per requested benchmark, in order.
    pub benches: Vec<PairSummary>,
}

/// Runs `request` in this process.
pub fn serve(request: &ReplicationRequest) -> anyhow::Result<ReplicationReply> {
    let timer = crate::measure::measure_timer()?;
    let placement = crate::measure::placement::from_env()?;
    let heap_pad = std::hint::black_box(vec![0u8; placement.map_or(0, |p| p.heap_pad as usize)]);
    let mut rng = pqbench_workloads::seeded_rng(request.order_seed, 0xab);
    let candidate_loaded_first = rng.next_u32() & 1 == 1;
    let (a, b) = load_pair(
        &request.baseline,
        &request.candidate,
        candidate_loaded_first,
    )?;
    b.set_slowdown(request.candidate_slowdown_pct)?;
    let benches =
        crate::measure::placement::with_stack_pad(placement.map_or(0, |p| p.stack_pad), || {
            request
                .ids
                .iter()
                .map(|id| one(&a, &b, id, request, &timer, &mut rng))
                .collect::<anyhow::Result<Vec<_>>>()
        })?;
    drop(std::hint::black_box(heap_pad));
    Ok(ReplicationReply {
        pid: std::process::id(),
        timer,
        candidate_loaded_first,
        placement,
        benches,
    })
}

/// One benchmark: setup on both sides, shared warm-up and calibration,
/// then randomised blocks until the budget or the block cap.
fn one(
    a: &AbiLibrary,
    b: &AbiLibrary,
    id: &str,
    request: &ReplicationRequest,
    timer: &TimerInfo,
    rng: &mut impl RngCore,
) -> anyhow::Result<PairSummary> {
    let clock = clock::current();
    let (mut wa, mut wb) = if rng.next_u32() & 1 == 1 {
        let wb = b.instance(id, request.seed)?;
        (a.instance(id, request.seed)?, wb)
    } else {
        let wa = a.instance(id, request.seed)?;
        (wa, b.instance(id, request.seed)?)
    };
    let budget = Duration::from_nanos(request.bench_time_ns);
    let start = Instant::now();
    // Warm-up as the engine's (doubling batches for WARMUP_SHARE of the
    // budget), alternating the sides; the estimate is the cheaper side's
    // cheapest per-op cost of a batch long enough to time, so that both
    // sides' samples are at least the target length.
    let estimate = warm_up(start, budget.mul_f64(WARMUP_SHARE), |n, record| {
        for w in [&mut wa, &mut wb] {
            let t = clock.now();
            w.run(n)?;
            record(clock.elapsed_ns(t));
        }
        anyhow::Ok(())
    })?;
    let iters = calibrate(estimate, target_sample_ns(timer))
        .iterations_per_sample
        .max(1);
    let cap = request.max_blocks.max(1);
    let mut blocks = Blocks::new();
    loop {
        let baseline_first = rng.next_u32() & 1 == 0;
        // One code path for both orders: the sides differ only in which
        // instance each timed call gets.
        let (first, second) = if baseline_first {
            (&mut wa, &mut wb)
        } else {
            (&mut wb, &mut wa)
        };
        let t = clock.now();
        first.run(iters)?;
        let t1 = clock.now();
        second.run(iters)?;
        let t2 = clock.now();
        let (n1, n2) = (clock.ns(t1.wrapping_sub(t)), clock.ns(t2.wrapping_sub(t1)));
        let (ta, tb) = if baseline_first { (n1, n2) } else { (n2, n1) };
        blocks.push(ta / iters as f64, tb / iters as f64, baseline_first);
        if blocks.len() >= cap || start.elapsed() >= budget {
            break;
        }
    }
    match blocks.summary(id, iters) {
        Some(s) => Ok(s),
        None => bail!("{id}: no block with both samples above zero (clock too coarse?)"),
    }
}
