//! Time budgets: per benchmark (`--bench-time`) and for the whole run
//! (`--time-budget`), the latter shared evenly by the benchmarks left.

use std::time::{Duration, Instant};

/// The budgets of one run, counted from [`Budget::start`].
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Per benchmark, all its replications together.
    pub per_bench: Duration,
    /// The whole run; `None` = no limit.
    pub run: Option<Duration>,
    started: Instant,
}

impl Budget {
    /// Budgets counted from now.
    pub fn new(per_bench: Duration, run: Option<Duration>) -> Budget {
        Budget {
            per_bench,
            run,
            started: Instant::now(),
        }
    }

    /// Restarts the run clock (listing may build firmware; the run budget
    /// counts measurement time only).
    pub fn start(&mut self) {
        self.started = Instant::now();
    }

    /// Time since [`Budget::start`].
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Time left of the run budget (`None`: no run budget).
    pub fn remaining(&self) -> Option<Duration> {
        self.run.map(|b| b.saturating_sub(self.started.elapsed()))
    }

    /// True once the run budget is spent.
    pub fn spent(&self) -> bool {
        self.remaining().is_some_and(|r| r.is_zero())
    }

    /// The budget of the next benchmark when `left` benchmarks (including
    /// it) remain on this target: the per-benchmark budget, shrunk so that
    /// the remaining run budget is shared evenly. `None` when the run budget
    /// is spent: start nothing more.
    pub fn next(&self, left: usize) -> Option<Duration> {
        match self.remaining() {
            None => Some(self.per_bench),
            Some(r) if r.is_zero() => None,
            Some(r) => Some(self.per_bench.min(r / left.max(1) as u32)),
        }
    }

    /// One replication's share of a benchmark's budget.
    pub fn per_replication(bench: Duration, replications: u32) -> Duration {
        bench / replications.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_budget_is_shared_and_stops_when_spent() {
        let mut b = Budget::new(Duration::from_secs(2), Some(Duration::from_secs(10)));
        assert_eq!(b.next(2), Some(Duration::from_secs(2)));
        let left = b.next(100).unwrap();
        assert!(left <= Duration::from_millis(100), "{left:?}");
        b.run = Some(Duration::ZERO);
        assert_eq!(b.next(1), None);
        assert!(b.spent());
        b.run = None;
        assert_eq!(b.next(1), Some(Duration::from_secs(2)));
        assert_eq!(
            Budget::per_replication(Duration::from_secs(3), 3),
            Duration::from_secs(1)
        );
        assert_eq!(
            Budget::per_replication(Duration::from_secs(3), 0),
            Duration::from_secs(3)
        );
    }
}
