//! Timing rows whose per-replication medians are identical within each
//! side: a stable function measured with batch means often repeats the same
//! median to the last stored digit in every process (e.g. 51.79 ns in ten
//! replications of a 64-byte checksum). No test can run on zero spread
//! (Welch's t is 0/0 or ±inf), yet the data are as decisive as they get:
//! the ratio of the two medians is known to within the measurement's
//! resolution. Such a row is an exact ratio with that resolution, decided
//! like a deterministic count by [`super::exact::verdict`]: the ratio against
//! the tolerance, widened by the resolution; a ratio whose resolution band
//! straddles the tolerance bound is undecidable. These rows are not part of
//! the correction family.

use super::exact::{ExactRatio, Plan};
use crate::results::BenchResult;

/// Class name of these rows in [`ExactRatio::class`].
pub(super) const CLASS: &str = "constant_medians";

/// Decimal places of stored nanosecond samples (results files keep 0.01 ns).
const STORED_STEP_NS: f64 = 0.01;

/// The one per-replication median shared by every replication of `r`, or
/// `None` when they differ, a replication is empty, or there are fewer than
/// two replications (one replication is constant trivially).
fn shared_median(r: &BenchResult) -> Option<f64> {
    if r.processes.len() < 2 {
        return None;
    }
    let mut first = None;
    for p in &r.processes {
        let m = pqbench_stats::median(&p.samples).ok()?;
        match first {
            None => first = Some(m),
            Some(f) if f == m => {}
            Some(_) => return None,
        }
    }
    first.filter(|m| m.is_finite() && *m > 0.0)
}

/// Relative resolution of one side's median: the timer's resolution spread
/// over the iterations of a sample, never below the stored step.
fn relative_step(r: &BenchResult, median: f64) -> f64 {
    let timer = r.timer.as_ref().map_or(0.0, |t| t.resolution);
    let per_op = timer / r.iterations_per_sample.max(1) as f64;
    per_op.max(STORED_STEP_NS) / median
}

/// The plan for a timing row whose per-replication medians are constant
/// on both sides (`None` otherwise: the statistical test decides).
pub(super) fn plan(b: &BenchResult, n: &BenchResult) -> Option<Plan> {
    let (mb, mn) = (shared_median(b)?, shared_median(n)?);
    let ratio = mn / mb;
    Some(Plan::Exact(ExactRatio {
        class: CLASS,
        ratio,
        inputs: 0,
        min_ratio: ratio,
        min_ratio_input: 0,
        max_ratio: ratio,
        max_ratio_input: 0,
        base_total: mb,
        new_total: mn,
        seed: None,
        resolution: relative_step(b, mb) + relative_step(n, mn),
    }))
}

/// The row's note: why no test ran.
pub(super) fn note(e: &ExactRatio, b: &BenchResult, n: &BenchResult) -> String {
    format!(
        "per-replication medians identical within each side ({} and {} replications: {} vs {} {}): no spread to test against, decided by their ratio within the resolution (±{:.3}%)",
        b.processes.len(),
        n.processes.len(),
        e.base_total,
        e.new_total,
        b.unit,
        e.resolution * 100.0
    )
}
