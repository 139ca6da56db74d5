//! Timer overhead and resolution of [`std::time::Instant`] (on Linux:
//! `clock_gettime(CLOCK_MONOTONIC)` through the vDSO).

use crate::results::TimerInfo;
use std::hint::black_box;
use std::time::Instant;

/// Reads of the clock used to estimate the overhead.
const OVERHEAD_READS: u32 = 20_000;
/// Attempts used to find the smallest non-zero step.
const RESOLUTION_TRIES: u32 = 2_000;

/// Measures the clock now, in nanoseconds.
///
/// * `overhead`: mean cost of one `Instant::now()`, from 20,000 back-to-back
///   reads (the best of three rounds, to skip interruptions).
/// * `resolution`: the smallest non-zero difference between two consecutive
///   reads over 2,000 attempts: the finest step a measurement can see (it
///   includes the read cost, so it is an effective resolution).
pub fn measure_timer() -> TimerInfo {
    let mut overhead = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        for _ in 0..OVERHEAD_READS {
            black_box(Instant::now());
        }
        let per_read = start.elapsed().as_nanos() as f64 / f64::from(OVERHEAD_READS);
        overhead = overhead.min(per_read);
    }
    let mut resolution = u128::MAX;
    for _ in 0..RESOLUTION_TRIES {
        let a = Instant::now();
        let mut b = Instant::now();
        while b == a {
            b = Instant::now();
        }
        resolution = resolution.min((b - a).as_nanos().max(1));
    }
    TimerInfo {
        overhead: (overhead * 100.0).round() / 100.0,
        resolution: resolution as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_is_plausible() {
        let t = measure_timer();
        assert!(t.overhead > 0.0 && t.overhead < 100_000.0, "{t:?}");
        assert!(t.resolution >= 1.0 && t.resolution < 1_000_000.0, "{t:?}");
    }
}
