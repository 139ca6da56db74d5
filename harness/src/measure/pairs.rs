//! Paired samples of two builds taken in alternation (blocks of one
//! baseline sample and one candidate sample, in a random order), and their
//! per-replication summary: the unit of the paired tests of `pqbench ab
//! --in-process` (both builds in one process) and of `cargo bench --
//! --baseline NAME --paired` (two processes in lockstep).

use super::engine::MIN_SAMPLE_NS;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Warm-up as the engine's: batches of 1, 2, 4, … operations until
/// `warmup` has passed since `start`. `batch(n, record)` runs `n`
/// operations on every side it warms up and calls `record` with each
/// side's nanoseconds. Returns the cheapest per-op cost of a batch long
/// enough to time ([`MIN_SAMPLE_NS`]), else the last one: calibrating on
/// the cheaper side keeps both sides' samples at least the target length.
pub fn warm_up<E>(
    start: Instant,
    warmup: Duration,
    mut batch: impl FnMut(u64, &mut dyn FnMut(f64)) -> Result<(), E>,
) -> Result<f64, E> {
    let mut n: u64 = 1;
    let mut best = f64::INFINITY;
    let mut last = f64::INFINITY;
    loop {
        batch(n, &mut |ns| {
            last = ns / n as f64;
            if ns >= MIN_SAMPLE_NS {
                best = best.min(last);
            }
        })?;
        if start.elapsed() >= warmup || n >= 1 << 40 {
            break;
        }
        n *= 2;
    }
    Ok(if best.is_finite() { best } else { last })
}

/// One benchmark in one replication: a summary of its paired samples.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairSummary {
    /// Benchmark id.
    pub id: String,
    /// Operations per sample, the same on both sides.
    pub iterations_per_sample: u64,
    /// Blocks (pairs of samples) taken.
    pub blocks: usize,
    /// Blocks in which the baseline ran first.
    pub baseline_first: usize,
    /// Median per-op ns of the baseline samples.
    pub baseline_median_ns: f64,
    /// Median per-op ns of the candidate samples.
    pub candidate_median_ns: f64,
    /// Median over the blocks of `ln(candidate / baseline)`: this
    /// replication's estimate, the unit of the final test.
    pub median_log_ratio: f64,
    /// The same over the blocks in which the baseline ran first (`None`
    /// when none), and over the others: their difference shows an order
    /// effect.
    pub median_log_ratio_baseline_first: Option<f64>,
    /// See [`PairSummary::median_log_ratio_baseline_first`].
    pub median_log_ratio_candidate_first: Option<f64>,
}

/// The blocks of one benchmark in one replication, as they are taken.
#[derive(Clone, Debug, Default)]
pub struct Blocks {
    baseline: Vec<f64>,
    candidate: Vec<f64>,
    logs: Vec<f64>,
    baseline_first: Vec<bool>,
}

fn median(v: &[f64]) -> Option<f64> {
    pqbench_stats::median(v).ok()
}

impl Blocks {
    /// No blocks yet.
    pub fn new() -> Blocks {
        Blocks::default()
    }

    /// Adds a block: per-op ns of the baseline (`a`) and candidate (`b`)
    /// samples, and which ran first. A block with a sample not above zero
    /// (a clock too coarse for it) is dropped.
    pub fn push(&mut self, a: f64, b: f64, baseline_first: bool) {
        if a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite() {
            self.baseline.push(a);
            self.candidate.push(b);
            self.logs.push((b / a).ln());
            self.baseline_first.push(baseline_first);
        }
    }

    /// Blocks kept.
    pub fn len(&self) -> usize {
        self.logs.len()
    }

    /// True before the first kept block.
    pub fn is_empty(&self) -> bool {
        self.logs.is_empty()
    }

    /// The summary of benchmark `id` sampled `iterations_per_sample`
    /// operations at a time; `None` without a kept block.
    pub fn summary(&self, id: &str, iterations_per_sample: u64) -> Option<PairSummary> {
        let split = |want: bool| -> Option<f64> {
            let v: Vec<f64> = self
                .logs
                .iter()
                .zip(&self.baseline_first)
                .filter(|(_, f)| **f == want)
                .map(|(l, _)| *l)
                .collect();
            median(&v)
        };
        Some(PairSummary {
            id: id.to_string(),
            iterations_per_sample,
            blocks: self.logs.len(),
            baseline_first: self.baseline_first.iter().filter(|f| **f).count(),
            baseline_median_ns: median(&self.baseline)?,
            candidate_median_ns: median(&self.candidate)?,
            median_log_ratio: median(&self.logs)?,
            median_log_ratio_baseline_first: split(true),
            median_log_ratio_candidate_first: split(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_blocks() {
        let mut b = Blocks::new();
        assert!(b.summary("x", 1).is_none());
        // Candidate 10 % slower in every block; one block dropped (zero).
        for (k, a) in [100.0, 102.0, 98.0, 0.0, 101.0].into_iter().enumerate() {
            b.push(a, a * 1.1, k % 2 == 0);
        }
        assert_eq!(b.len(), 4);
        let s = b.summary("x", 8).unwrap();
        assert_eq!(
            (s.blocks, s.baseline_first, s.iterations_per_sample),
            (4, 3, 8)
        );
        assert!((s.median_log_ratio - 1.1f64.ln()).abs() < 1e-12);
        assert!((s.baseline_median_ns - 100.5).abs() < 1e-12);
        assert!((s.candidate_median_ns - 110.55).abs() < 1e-9);
        assert!(s.median_log_ratio_baseline_first.is_some());
        assert!(s.median_log_ratio_candidate_first.is_some());
    }

    #[test]
    fn warm_up_doubles_batches_and_takes_the_cheapest_timed_cost() {
        let mut sizes = Vec::new();
        // A fake side costing 2000 ns per op in batches up to 4, then 1500.
        let est = warm_up::<()>(Instant::now(), Duration::ZERO, |n, record| {
            sizes.push(n);
            record(if n <= 4 { 2000.0 } else { 1500.0 } * n as f64);
            Ok(())
        })
        .unwrap();
        // Zero warm-up: one batch.
        assert_eq!(sizes, [1]);
        assert_eq!(est, 2000.0);
        let start = Instant::now();
        let est = warm_up::<()>(start, Duration::from_millis(5), |n, record| {
            std::thread::sleep(Duration::from_micros(200));
            record(if n <= 4 { 2000.0 } else { 1500.0 } * n as f64);
            Ok(())
        })
        .unwrap();
        assert!(start.elapsed() >= Duration::from_millis(5));
        assert_eq!(est, 1500.0);
        // An error ends the warm-up.
        assert_eq!(
            warm_up(Instant::now(), Duration::from_secs(9), |_, _| Err(7)),
            Err(7)
        );
    }

    #[test]
    fn one_order_only_leaves_the_other_split_empty() {
        let mut b = Blocks::new();
        b.push(1.0, 2.0, true);
        let s = b.summary("x", 1).unwrap();
        assert_eq!(s.median_log_ratio_candidate_first, None);
        assert!((s.median_log_ratio - 2f64.ln()).abs() < 1e-12);
    }
}
