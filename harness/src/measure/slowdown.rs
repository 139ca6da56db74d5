//! The harness-validation knob `PQBENCH_INJECT_SLOWDOWN_PCT=p`, NOT for
//! measurements: a real, proportional slowdown with which tests and the
//! sensitivity scripts check that `gate`/`ab` catch a regression of known
//! size. The value is recorded in the results file and `compare`/`gate`
//! warn about it, so such a file is never mistaken for a measurement.
//!
//! The hash workloads slow themselves down the natural way (they hash p %
//! more bytes, `pqbench-workloads`); every other host workload, and every
//! inference on TFLite/LiteRT, is followed inside the timed region by CPU
//! work lasting p % of that operation's own time ([`Slowed`], [`after`]).

use pqbench_workloads::{BenchId, StaticMetric, Throughput, Workload};
use std::time::Instant;

/// The injected slowdown in percent (0 < p <= 100), or 0 when the knob is
/// unset, empty or out of range.
pub fn percent() -> f64 {
    crate::env::injected_slowdown()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100.0)
        .unwrap_or(0.0)
}

/// Busy CPU work until `pct` % of the time since `start` has passed again.
pub fn after(start: Instant, pct: f64) {
    let until = Instant::now() + start.elapsed().mul_f64(pct / 100.0);
    spin_until(until);
}

fn spin_until(until: Instant) {
    let mut x = 1u64;
    while Instant::now() < until {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
    }
}

/// Whether the knob slows workload `id` down here (hash workloads do it
/// themselves, by hashing more bytes).
pub fn applies_to(id: &str) -> bool {
    !id.starts_with("hash/")
}

/// A workload whose every operation is followed by `pct` % of its own time
/// of CPU work, inside the timed region.
pub struct Slowed<'a> {
    /// The workload slowed down.
    pub inner: &'a mut dyn Workload,
    /// Percent of each operation's time added.
    pub pct: f64,
}

impl Workload for Slowed<'_> {
    fn id(&self) -> BenchId {
        self.inner.id()
    }
    fn setup(&mut self, seed: u64) {
        self.inner.setup(seed);
    }
    fn run(&mut self) {
        let start = Instant::now();
        self.inner.run();
        after(start, self.pct);
    }
    fn throughput(&self) -> Option<Throughput> {
        self.inner.throughput()
    }
    fn static_metrics(&self) -> Vec<StaticMetric> {
        self.inner.static_metrics()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    struct Sleepy(u32);
    impl Workload for Sleepy {
        fn id(&self) -> BenchId {
            BenchId::new("pqc", "sleep.op", "test", "1ms")
        }
        fn setup(&mut self, _: u64) {}
        fn run(&mut self) {
            self.0 += 1;
            spin_until(Instant::now() + Duration::from_millis(2));
        }
    }

    #[test]
    fn a_slowed_operation_takes_its_share_longer_and_still_runs_once() {
        let mut w = Sleepy(0);
        let mut s = Slowed {
            inner: &mut w,
            pct: 50.0,
        };
        let t = Instant::now();
        s.run();
        let took = t.elapsed();
        assert_eq!(w.0, 1);
        // 2 ms of work plus 50 % of it: at least 3 ms (never less: the
        // spin waits for the clock).
        assert!(took >= Duration::from_millis(3), "{took:?}");
        assert!(applies_to("pqc/ml-kem.keygen/rustcrypto/768"));
        assert!(!applies_to("hash/sha256.digest/rustcrypto/1KiB"));
    }
}
