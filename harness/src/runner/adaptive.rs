//! Adaptive replications ([`super::RunPlan::precision`]): after its planned
//! replications, a benchmark gets more, one at a time, while the 95 % t
//! interval of the 20 % trimmed mean of its log per-replication medians
//! (the quantity the gate's default test compares) is wider than the
//! target, up to the cap and within the run budget. A machine that slowed
//! a few replications (more than the trimming removes) then gets
//! replications after the slow period instead of a result too wide to
//! decide; a quiet machine meets the target at the planned count and pays
//! nothing.

use super::{Backend, Pending, RunState, Step};
use crate::results::BenchResult;
use std::time::Duration;

/// Share trimmed from each end, as the gate's default test.
const TRIM: f64 = pqbench_stats::YUEN_TRIM;

/// Relative half-width of the 95 % interval of the trimmed geometric mean
/// of `result`'s per-replication medians; `None` when it cannot be computed
/// (fewer than 2 replications, a non-positive median).
pub fn precision(result: &BenchResult) -> Option<f64> {
    let logs: Vec<f64> = result
        .replication_medians()
        .into_iter()
        .map(|m| (m > 0.0).then(|| m.ln()))
        .collect::<Option<_>>()?;
    if logs.len() < 2 {
        return None;
    }
    let hw = pqbench_stats::trimmed_mean_half_width(&logs, TRIM, 0.95).ok()?;
    Some(hw.exp() - 1.0)
}

impl RunState<'_> {
    /// Adds replications to `bench` while its precision misses the plan's
    /// target; each gets `per`. `Step::Cancelled` when the token was raised.
    pub(super) fn adapt<B: Backend + ?Sized>(
        &mut self,
        backend: &mut B,
        bench: &mut Pending<B::Replica>,
        target: &str,
        per: Duration,
    ) -> Step {
        let Some(goal) = self.plan.precision else {
            return Step::Measured;
        };
        let cap = self
            .plan
            .max_replications
            .unwrap_or(bench.count.saturating_mul(2))
            .max(bench.count);
        while bench.stopped.is_none() && bench.done < cap {
            if self.budget.remaining().is_some_and(|r| r < per) {
                break;
            }
            let now = bench.provisional(backend, target, self.plan.seed);
            match precision(&now) {
                Some(p) if p > goal => {}
                _ => break,
            }
            bench.count = bench.done + 1;
            match self.replicate(backend, bench, per) {
                Step::Measured => {}
                Step::Stopped => break,
                Step::Cancelled => return Step::Cancelled,
            }
        }
        Step::Measured
    }
}
