//! The interleaved schedule ([`super::Order::Interleaved`]): a target's
//! replications in rounds, replication `k` of every benchmark before
//! replication `k + 1` of any.
//!
//! Each replication gets its benchmark's per-replication share of
//! `--bench-time`, shrunk so that the run budget left is shared evenly
//! between the replications left (each expected to overrun its budget by
//! the average overrun so far). A benchmark whose replication stops it
//! (failure, does not fit) is assembled and written at once and leaves the
//! rounds; the others are assembled after the last round. After every
//! round but the last (every few rounds beyond [`MAX_SNAPSHOTS`] rounds,
//! [`snapshot_after`]), the file is rewritten with provisional results of
//! the benchmarks under way (marked incomplete), so a run killed outright
//! keeps what it measured. When the token
//! is raised or the run budget runs out, every benchmark with at least one
//! completed replication is assembled from those (the file is then marked
//! incomplete) and nothing more starts.

use super::{Backend, Pending, RunState, Step};
use std::time::{Duration, Instant};

/// Most provisional snapshots of a run: each rewrites the whole file, so
/// at many replications a snapshot after every round would cost the
/// square of the run's size.
pub(super) const MAX_SNAPSHOTS: u32 = 16;

/// Whether the file is rewritten after round `round` (0-based) of `count`:
/// after every round up to [`MAX_SNAPSHOTS`] rounds, else after every
/// `ceil(count / MAX_SNAPSHOTS)`-th; never after the last (the results
/// are then assembled and written). A run killed outright loses at most
/// that many rounds.
pub(super) fn snapshot_after(round: u32, count: u32) -> bool {
    let every = count.div_ceil(MAX_SNAPSHOTS).max(1);
    round + 1 < count && (round + 1).is_multiple_of(every)
}

impl RunState<'_> {
    /// Runs `ids` on `backend` in rounds of one replication each.
    pub(super) fn run_rounds<B: Backend + ?Sized>(
        &mut self,
        backend: &mut B,
        ids: &[String],
    ) -> anyhow::Result<()> {
        let target = backend.name();
        let count = self.replications(backend);
        let mut pending: Vec<Option<Pending<B::Replica>>> =
            ids.iter().map(|id| Some(Pending::new(id, count))).collect();
        let (mut overshoot, mut slots) = (Duration::ZERO, 0u32);
        'rounds: for round in 0..count {
            self.observer.round(round, count, &target);
            for k in 0..pending.len() {
                let left: usize = pending.iter().flatten().map(|p| p.left() as usize).sum();
                let Some(bench) = pending[k].as_mut() else {
                    continue;
                };
                if bench.left() == 0 {
                    continue;
                }
                let overhead = overshoot.checked_div(slots).unwrap_or(Duration::ZERO);
                let Some(per) = self.budget.next_replication(left, count, overhead) else {
                    self.short = true;
                    break 'rounds;
                };
                self.observer.started(&bench.id, &target);
                let started = Instant::now();
                match self.replicate(backend, bench, per) {
                    Step::Measured => {}
                    Step::Stopped => {
                        if let Some(bench) = pending[k].take() {
                            self.push(bench.assemble(backend, &target, self.plan.seed))?;
                        }
                    }
                    Step::Cancelled => break 'rounds,
                }
                overshoot += started.elapsed().saturating_sub(per);
                slots += 1;
            }
            if snapshot_after(round, count) {
                // So that a run killed outright still leaves what it measured.
                let provisional = pending
                    .iter()
                    .flatten()
                    .filter(|b| !b.replicas.is_empty())
                    .map(|b| b.provisional(backend, &target, self.plan.seed))
                    .collect();
                self.writer.snapshot(provisional)?;
            }
        }
        // In id order: every benchmark with a completed replication.
        for bench in pending.into_iter().flatten() {
            if bench.replicas.is_empty() {
                continue;
            }
            if bench.left() > 0 {
                self.short = true;
            }
            self.push(bench.assemble(backend, &target, self.plan.seed))?;
        }
        Ok(())
    }
}
