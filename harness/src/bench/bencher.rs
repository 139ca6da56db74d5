//! [`Bencher`]: what a benchmark function receives. Code before
//! [`Bencher::iter`] is setup (not timed); the closure given to `iter` is
//! the operation the engine warms up, calibrates and samples.

use crate::measure::engine::{EngineConfig, Measurement, measure_routine};
use crate::results::{ThroughputSpec, TimerInfo};
use std::hint::black_box;
use std::time::Instant;

/// Work per operation, for rates in tables and reports.
pub type Throughput = ThroughputSpec;

/// How `iter` runs the routine.
#[derive(Debug)]
pub(crate) enum Mode {
    /// Once (`cargo test --benches`).
    Once,
    /// The engine: warm-up, calibration, samples within the budget.
    Measure {
        /// When the process's budget began (setup counts against it).
        start: Instant,
        /// The clock of this process.
        timer: TimerInfo,
        /// Budget, sample cap, forced calibration.
        config: EngineConfig,
    },
    /// A lockstep worker (`--paired`): warm up, then time batches when the
    /// parent asks ([`super::lockstep::worker`]).
    Lockstep(super::lockstep::worker::LockstepRequest),
}

/// Handed to every benchmark function: call [`Bencher::iter`] exactly once
/// with the operation to measure.
///
/// ```
/// use pqbench::bench::{Bencher, Throughput, black_box};
/// fn sum(b: &mut Bencher) {
///     let data: Vec<u64> = (0..1024).collect(); // setup: not timed
///     b.throughput(Throughput::Elements(1024));
///     b.iter(|| black_box(&data).iter().sum::<u64>());
/// }
/// ```
#[derive(Debug)]
pub struct Bencher {
    mode: Mode,
    throughput: Option<Throughput>,
    measurement: Option<Measurement>,
    iterated: u32,
    /// Why a lockstep worker stopped serving (an I/O or protocol error).
    failure: Option<String>,
}

impl Bencher {
    pub(crate) fn new(mode: Mode) -> Bencher {
        Bencher {
            mode,
            throughput: None,
            measurement: None,
            iterated: 0,
            failure: None,
        }
    }

    /// Declares the work one operation does (bytes or elements): results
    /// then show rates beside latencies.
    pub fn throughput(&mut self, t: Throughput) -> &mut Self {
        self.throughput = Some(t);
        self
    }

    /// Measures `routine`: one call is one operation. Its return value goes
    /// through [`black_box`], so the compiler cannot drop the work; pass
    /// inputs through `black_box` too when they are constants.
    pub fn iter<O>(&mut self, mut routine: impl FnMut() -> O) {
        self.iterated += 1;
        if self.iterated > 1 {
            return;
        }
        match &self.mode {
            Mode::Once => {
                black_box(routine());
            }
            Mode::Measure {
                start,
                timer,
                config,
            } => {
                let setup_ns = start.elapsed().as_nanos().min(u128::from(u64::MAX)) as u64;
                let m = measure_routine(
                    setup_ns,
                    || {
                        black_box(routine());
                    },
                    timer,
                    config,
                );
                self.measurement = Some(m);
            }
            Mode::Lockstep(request) => {
                let served = super::lockstep::worker::serve_routine(
                    &mut || {
                        black_box(routine());
                    },
                    request,
                    &mut std::io::stdin().lock(),
                    &mut std::io::stdout().lock(),
                );
                self.failure = served.err();
            }
        }
    }

    /// The declared throughput.
    pub(crate) fn declared_throughput(&self) -> Option<Throughput> {
        self.throughput
    }

    /// What `iter` measured; `Err` when the function did not call `iter`
    /// exactly once.
    pub(crate) fn finish(self) -> Result<Option<Measurement>, String> {
        if let Some(why) = self.failure {
            return Err(why);
        }
        match self.iterated {
            1 => Ok(self.measurement),
            0 => Err("the benchmark function never called Bencher::iter".into()),
            n => Err(format!(
                "the benchmark function called Bencher::iter {n} times (once per function; register one benchmark per operation)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn once_runs_the_routine_once() {
        let mut n = 0;
        let mut b = Bencher::new(Mode::Once);
        b.iter(|| n += 1);
        assert_eq!(n, 1);
        assert_eq!(b.finish(), Ok(None));
    }

    #[test]
    fn iter_must_be_called_exactly_once() {
        let b = Bencher::new(Mode::Once);
        assert!(b.finish().unwrap_err().contains("never called"));
        let mut b = Bencher::new(Mode::Once);
        b.iter(|| ());
        b.iter(|| ());
        assert!(b.finish().unwrap_err().contains("2 times"));
    }

    #[test]
    fn measure_mode_runs_the_engine() {
        let mut b = Bencher::new(Mode::Measure {
            start: Instant::now(),
            timer: TimerInfo {
                overhead: 20.0,
                resolution: 20.0,
                ..Default::default()
            },
            config: EngineConfig {
                budget: Duration::from_millis(20),
                max_samples: 30,
                forced: None,
            },
        });
        b.throughput(Throughput::Bytes(8));
        b.iter(|| std::thread::sleep(Duration::from_micros(50)));
        assert_eq!(b.declared_throughput(), Some(Throughput::Bytes(8)));
        let m = b.finish().unwrap().unwrap();
        assert!(!m.samples.is_empty() && m.samples.len() <= 30);
        // Every operation sleeps >= 50 µs: no sample can be shorter.
        assert!(m.samples.iter().all(|&s| s >= 50_000.0), "{:?}", m.samples);
    }
}
