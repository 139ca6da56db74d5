//! One workload in one process: setup, warm-up, calibration, timed samples.

use crate::results::{Recording, TimerInfo};
use pqbench_workloads::Workload;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// A timed sample must last at least this many times the larger of the
/// timer's resolution and overhead, so that the clock adds at most ~0.1 %.
pub const SAMPLE_FACTOR: f64 = 1000.0;
/// …and never less than this, in nanoseconds.
pub const MIN_SAMPLE_NS: f64 = 1_000.0;
/// Share of a process's budget spent warming up (at least one operation).
pub const WARMUP_SHARE: f64 = 0.1;

/// How one process measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EngineConfig {
    /// Budget of the whole process: setup, warm-up and samples. At least
    /// one sample is always taken, even when one operation exceeds it.
    pub budget: Duration,
    /// Stop after this many samples even if budget remains.
    pub max_samples: usize,
    /// Use this calibration instead of calibrating (later processes of a
    /// benchmark reuse the first process's, so all processes record alike).
    pub forced: Option<Calibration>,
}

/// How samples are taken: the outcome of calibration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calibration {
    /// Single-op latencies or batch means.
    pub recording: Recording,
    /// Operations per timed sample (1 for single-op).
    pub iterations_per_sample: u64,
}

/// What one process measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// The calibration used.
    pub calibration: Calibration,
    /// Per-operation nanoseconds, one value per sample.
    pub samples: Vec<f64>,
    /// Nanoseconds spent in the untimed setup.
    pub setup_ns: u64,
    /// Operations run during warm-up.
    pub warmup_ops: u64,
    /// Per-operation nanoseconds estimated at the end of warm-up.
    pub estimated_op_ns: f64,
    /// Shortest timed sample in nanoseconds the calibration aimed for.
    pub target_sample_ns: f64,
    /// The placement the worker applied before setup (randomised runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<super::placement::Placement>,
}

/// The shortest sample (ns) that keeps the clock's error negligible.
pub fn target_sample_ns(timer: &TimerInfo) -> f64 {
    (SAMPLE_FACTOR * timer.resolution.max(timer.overhead)).max(MIN_SAMPLE_NS)
}

/// Chooses single-op recording when one operation lasts at least
/// `target_ns`, otherwise batches of `ceil(target_ns / op_ns)` operations.
pub fn calibrate(op_ns: f64, target_ns: f64) -> Calibration {
    if op_ns >= target_ns {
        Calibration {
            recording: Recording::SingleOp,
            iterations_per_sample: 1,
        }
    } else {
        let iters = (target_ns / op_ns.max(0.01)).ceil().max(2.0);
        Calibration {
            recording: Recording::BatchMean,
            iterations_per_sample: iters.min(1e12) as u64,
        }
    }
}

/// Measures `workload` in this process: untimed [`Workload::setup`] from
/// `seed`, warm-up for [`WARMUP_SHARE`] of the budget (doubling batches,
/// which also estimate the cost of one operation: the cheapest per-op cost
/// of a batch of at least [`MIN_SAMPLE_NS`]), calibration (unless
/// forced), then samples until the budget or the sample cap is reached.
pub fn measure(
    workload: &mut dyn Workload,
    seed: u64,
    timer: &TimerInfo,
    config: &EngineConfig,
) -> Measurement {
    let start = Instant::now();
    workload.setup(seed);
    let setup_ns = start.elapsed().as_nanos() as u64;
    measure_routine(setup_ns, || workload.run(), timer, config)
}

/// The engine after setup: warm-up, calibration and timed samples of
/// `routine` (one operation per call), exactly as [`measure`] does them.
/// `config.budget` is the time of warm-up and samples: setup (`setup_ns`,
/// recorded) is not taken from it, so a workload with a costly setup (key
/// generation, a large input) still gets its samples; the runner counts the
/// setup as the replication's overhead against the run budget. The `cargo
/// bench` API ([`crate::bench`]) calls this with the user's closure,
/// monomorphised, so the timed loop has no indirect call. Warm-up batches
/// and samples are timed with the process's clock
/// ([`super::clock::current`]); budgets are kept with [`Instant`].
pub fn measure_routine(
    setup_ns: u64,
    mut routine: impl FnMut(),
    timer: &TimerInfo,
    config: &EngineConfig,
) -> Measurement {
    let clock = super::clock::current();
    let start = Instant::now();
    // Warm-up: batches of 1, 2, 4, … operations until the warm-up share of
    // the budget has passed; the last batch gives the per-op estimate.
    let warmup_budget = config.budget.mul_f64(WARMUP_SHARE);
    let warm_start = Instant::now();
    let mut batch: u64 = 1;
    let mut warmup_ops: u64 = 0;
    // Interruptions and the clock only ever add time, so the cheapest
    // per-op cost of a batch long enough to time (>= MIN_SAMPLE_NS) is the
    // estimate; the last batch serves when none was that long.
    let mut best = f64::INFINITY;
    let estimated_op_ns = loop {
        let t = clock.now();
        for _ in 0..batch {
            routine();
        }
        let ns = clock.elapsed_ns(t);
        let per_op = ns / batch as f64;
        if ns >= MIN_SAMPLE_NS {
            best = best.min(per_op);
        }
        warmup_ops += batch;
        let estimate = if best.is_finite() { best } else { per_op };
        let Some(left) = warmup_budget.checked_sub(warm_start.elapsed()) else {
            break estimate;
        };
        if left.is_zero() || batch >= 1 << 40 {
            break estimate;
        }
        // Double, but do not overshoot the warm-up budget by much.
        let fits = (left.as_nanos() as f64 / estimate.max(0.01)).max(1.0);
        batch = (batch * 2).min(fits.min(1e12) as u64).max(1);
    };

    let target = target_sample_ns(timer);
    let calibration = config
        .forced
        .unwrap_or_else(|| calibrate(estimated_op_ns, target));
    let iters = calibration.iterations_per_sample.max(1);
    let max_samples = config.max_samples.max(1);
    let mut samples = Vec::with_capacity(max_samples.min(100_000));
    loop {
        let t = clock.now();
        for _ in 0..iters {
            routine();
        }
        let ns = clock.elapsed_ns(t);
        // Two decimals are far below the clock's resolution.
        let value = match calibration.recording {
            Recording::SingleOp => (ns * 100.0).round() / 100.0,
            Recording::BatchMean => (ns / iters as f64 * 100.0).round() / 100.0,
        };
        samples.push(value);
        if samples.len() >= max_samples || start.elapsed() >= config.budget {
            break;
        }
    }
    Measurement {
        calibration,
        samples,
        setup_ns,
        warmup_ops,
        estimated_op_ns,
        target_sample_ns: target,
        placement: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pqbench_workloads::BenchId;

    /// Spins for a fixed time per operation.
    struct Spin {
        op: Duration,
        runs: u64,
        seeded: Option<u64>,
    }

    impl Workload for Spin {
        fn id(&self) -> BenchId {
            BenchId::new("test", "spin", "pqbench", "x")
        }
        fn setup(&mut self, seed: u64) {
            self.seeded = Some(seed);
        }
        fn run(&mut self) {
            self.runs += 1;
            let t = Instant::now();
            while t.elapsed() < self.op {
                std::hint::spin_loop();
            }
        }
    }

    fn spin(ns: u64) -> Spin {
        Spin {
            op: Duration::from_nanos(ns),
            runs: 0,
            seeded: None,
        }
    }

    const TIMER: TimerInfo = TimerInfo {
        overhead: 20.0,
        resolution: 20.0,
        clock: None,
        clock_hz: None,
    };

    fn config(ms: u64) -> EngineConfig {
        EngineConfig {
            budget: Duration::from_millis(ms),
            max_samples: 100_000,
            forced: None,
        }
    }

    #[test]
    fn calibration_rule() {
        assert_eq!(calibrate(50_000.0, 20_000.0).recording, Recording::SingleOp);
        let c = calibrate(100.0, 20_000.0);
        assert_eq!(c.recording, Recording::BatchMean);
        assert_eq!(c.iterations_per_sample, 200);
        assert_eq!(calibrate(0.0, 20_000.0).iterations_per_sample, 2_000_000);
        assert_eq!(target_sample_ns(&TIMER), 20_000.0);
    }

    #[test]
    fn long_ops_are_recorded_one_by_one() {
        let mut w = spin(100_000);
        let m = measure(&mut w, 7, &TIMER, &config(60));
        assert_eq!(w.seeded, Some(7));
        assert_eq!(m.calibration.recording, Recording::SingleOp);
        assert_eq!(m.calibration.iterations_per_sample, 1);
        // ~500 fit in the budget; allow for a loaded machine.
        assert!(m.samples.len() >= 5, "{}", m.samples.len());
        // Each op spins >= 100 µs: no sample can be shorter.
        assert!(m.samples.iter().all(|&s| s >= 100_000.0));
    }

    #[test]
    fn short_ops_are_batched_above_the_target() {
        let mut w = spin(1_000);
        let m = measure(&mut w, 1, &TIMER, &config(60));
        assert_eq!(m.calibration.recording, Recording::BatchMean);
        let iters = m.calibration.iterations_per_sample;
        // ~20 ops of 1 µs make one 20 µs sample (fewer when the estimate
        // was inflated by a preemption on a loaded machine).
        assert!((2..=40).contains(&iters), "{iters}");
        assert!(iters as f64 * m.estimated_op_ns >= m.target_sample_ns);
        assert!(m.samples.iter().all(|&s| s >= 1_000.0));
        assert!(m.warmup_ops >= 1);
    }

    #[test]
    fn budget_and_cap_are_honoured() {
        let mut w = spin(200_000);
        let t = Instant::now();
        let m = measure(&mut w, 1, &TIMER, &config(30));
        assert!(t.elapsed() < Duration::from_millis(200));
        assert!(!m.samples.is_empty());
        let mut w = spin(10);
        let c = EngineConfig {
            max_samples: 5,
            ..config(1_000)
        };
        let t = Instant::now();
        assert_eq!(measure(&mut w, 1, &TIMER, &c).samples.len(), 5);
        assert!(t.elapsed() < Duration::from_millis(500));
    }

    #[test]
    fn an_op_longer_than_the_budget_still_gives_one_sample() {
        let mut w = spin(5_000_000);
        let m = measure(&mut w, 1, &TIMER, &config(1));
        assert_eq!(m.samples.len(), 1);
        assert_eq!(m.calibration.recording, Recording::SingleOp);
    }

    #[test]
    fn forced_calibration_is_used() {
        let forced = Calibration {
            recording: Recording::BatchMean,
            iterations_per_sample: 3,
        };
        let mut w = spin(50_000);
        let c = EngineConfig {
            forced: Some(forced),
            ..config(20)
        };
        assert_eq!(measure(&mut w, 1, &TIMER, &c).calibration, forced);
    }
}
