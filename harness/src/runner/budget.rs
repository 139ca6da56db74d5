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
        self.next_with_overhead(left, Duration::ZERO)
    }

    /// Like [`Budget::next`], when each benchmark is expected to take
    /// `overhead` beyond its budget (starting processes or emulators, input
    /// setup): the run budget's even share is reduced by it, so that a run
    /// of many short replications still ends within `--time-budget`. The
    /// per-benchmark budget itself is not reduced.
    pub fn next_with_overhead(&self, left: usize, overhead: Duration) -> Option<Duration> {
        match self.remaining() {
            None => Some(self.per_bench),
            Some(r) if r.is_zero() => None,
            Some(r) => {
                let share = (r / left.max(1) as u32).saturating_sub(overhead);
                Some(self.per_bench.min(share.max(Duration::from_millis(1))))
            }
        }
    }

    /// The budget of the next replication when replications run in rounds
    /// over the benchmarks and `left` replications (including it) remain:
    /// the per-benchmark budget's share of one of its `replications`,
    /// shrunk so that the remaining run budget is shared evenly between the
    /// replications left, each expected to take `overhead` beyond its
    /// budget. `None` when the run budget is spent.
    pub fn next_replication(
        &self,
        left: usize,
        replications: u32,
        overhead: Duration,
    ) -> Option<Duration> {
        let one = Budget {
            per_bench: Self::per_replication(self.per_bench, replications),
            ..*self
        };
        one.next_with_overhead(left, overhead)
    }

    /// One replication's share of a benchmark's budget.
    pub fn per_replication(bench: Duration, replications: u32) -> Duration {
        bench / replications.max(1)
    }
}

/// Parses `1.5s`, `500ms`, `250us`, `2m`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 2s, 500ms, 1.5m"))?;
    let secs = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1e3,
        "us" | "µs" => value / 1e6,
        "ns" => value / 1e9,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        u => {
            return Err(format!(
                "unknown unit {u:?} in {s:?} (use ns, us, ms, s, m, h)"
            ));
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{s:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_overhead_is_taken_from_the_share_not_from_the_bench_budget() {
        let b = Budget::new(Duration::from_secs(2), Some(Duration::from_secs(10)));
        // 10 s for 10 benchmarks: 1 s each, minus 300 ms of expected overhead.
        let got = b
            .next_with_overhead(10, Duration::from_millis(300))
            .unwrap();
        assert!(
            got <= Duration::from_millis(700) && got > Duration::from_millis(690),
            "{got:?}"
        );
        // Plenty of run budget: the per-benchmark budget stands.
        assert_eq!(
            b.next_with_overhead(1, Duration::from_millis(300)),
            Some(Duration::from_secs(2))
        );
        // Overhead larger than the share: a minimal budget, never zero.
        assert_eq!(
            b.next_with_overhead(100, Duration::from_secs(5)),
            Some(Duration::from_millis(1))
        );
        let none = Budget::new(Duration::from_secs(2), None);
        assert_eq!(
            none.next_with_overhead(100, Duration::from_secs(5)),
            Some(Duration::from_secs(2))
        );
    }

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
