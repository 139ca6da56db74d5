//! Timer overhead and resolution of the engine's clock ([`super::clock`]):
//! the time-stamp counter or [`std::time::Instant`] (on Linux:
//! `clock_gettime(CLOCK_MONOTONIC)` through the vDSO).

use super::clock::{self, Clock, ClockError};
use crate::results::TimerInfo;
use std::hint::black_box;

/// Reads of the clock used to estimate the overhead.
const OVERHEAD_READS: u32 = 20_000;
/// Attempts used to find the smallest non-zero step.
const RESOLUTION_TRIES: u32 = 2_000;

/// Measures this process's clock ([`clock::selected`]) now. Fails when the
/// clock cannot be chosen (an invalid or unsatisfiable `PQBENCH_CLOCK`).
pub fn measure_timer() -> Result<TimerInfo, ClockError> {
    Ok(measure_clock(clock::selected()?))
}

/// Measures `clock` now, in nanoseconds.
///
/// * `overhead`: mean cost of one [`Clock::now`], from 20,000 back-to-back
///   reads (the best of three rounds, to skip interruptions).
/// * `resolution`: the smallest non-zero difference between two consecutive
///   reads over 2,000 attempts: the finest step a measurement can see (it
///   includes the read cost, so it is an effective resolution).
/// * `clock`, `clock_hz`: which clock, and the TSC's frequency.
pub fn measure_clock(clock: &Clock) -> TimerInfo {
    let mut overhead = f64::INFINITY;
    for _ in 0..3 {
        let start = clock.now();
        for _ in 0..OVERHEAD_READS {
            black_box(clock.now());
        }
        let per_read = clock.elapsed_ns(start) / f64::from(OVERHEAD_READS);
        overhead = overhead.min(per_read);
    }
    let mut resolution = f64::INFINITY;
    for _ in 0..RESOLUTION_TRIES {
        let a = clock.now();
        let mut b = clock.now();
        while b == a {
            b = clock.now();
        }
        resolution = resolution.min(clock.ns(b.wrapping_sub(a)));
    }
    TimerInfo {
        overhead: (overhead * 100.0).round() / 100.0,
        resolution: (resolution.max(0.01) * 100.0).round() / 100.0,
        clock: Some(clock.kind()),
        clock_hz: clock.hz().map(f64::round),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::ClockKind;

    #[test]
    fn timer_is_plausible() {
        let t = measure_timer().unwrap();
        assert!(t.overhead > 0.0 && t.overhead < 100_000.0, "{t:?}");
        assert!(t.resolution > 0.0 && t.resolution < 1_000_000.0, "{t:?}");
        assert!(t.clock.is_some());
        assert_eq!(t.clock == Some(ClockKind::Tsc), t.clock_hz.is_some());
    }

    #[test]
    fn forcing_monotonic_records_monotonic() {
        let c = Clock::from_setting(Some("monotonic"), None).unwrap();
        let t = measure_clock(&c);
        assert_eq!((t.clock, t.clock_hz), (Some(ClockKind::Monotonic), None));
        // The monotonic clock's step is at least 1 ns.
        assert!(t.resolution >= 1.0, "{t:?}");
        let v = serde_json::to_value(t).unwrap();
        assert_eq!(v["clock"], "monotonic");
        assert!(v.get("clock_hz").is_none(), "{v}");
    }
}
