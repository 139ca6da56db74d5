//! Per-read overhead of pqbench's host clocks in an optimised build without
//! building pqbench in release: this program includes only
//! `harness/src/measure/clock.rs` and `timer.rs` (with stand-ins for the two
//! results types they use) and prints, for the TSC and the monotonic clock,
//! what `measure_clock` stores in results files (overhead, resolution,
//! frequency) and the cost of one engine-style interval (`now` then
//! `elapsed_ns`, best of 50 chunks of 20,000: on a shared machine the best
//! chunk is an uninterrupted one).
//!
//! ```sh
//! rustc --edition 2024 -C opt-level=3 scripts/clock_overhead.rs -o /tmp/clock_overhead
//! /tmp/clock_overhead
//! ```

mod results {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum ClockKind {
        Tsc,
        Monotonic,
    }
    #[derive(Clone, Copy, Debug, Default)]
    pub struct TimerInfo {
        pub overhead: f64,
        pub resolution: f64,
        pub clock: Option<ClockKind>,
        pub clock_hz: Option<f64>,
    }
}

// `timer.rs` names `super::clock` and `crate::results`: both at the root.
#[allow(dead_code)]
#[path = "../harness/src/measure/clock.rs"]
mod clock;
#[allow(dead_code)]
#[path = "../harness/src/measure/timer.rs"]
mod timer;

use clock::Clock;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let mut clocks = vec![Clock::monotonic()];
    match Clock::tsc() {
        Ok(c) => clocks.insert(0, c),
        Err(e) => println!("no TSC clock: {e}"),
    }
    for c in clocks {
        let t = timer::measure_clock(&c);
        let n = 20_000u32;
        let mut interval = f64::INFINITY;
        for _ in 0..50 {
            let s = Instant::now();
            for _ in 0..n {
                let t0 = c.now();
                black_box(c.elapsed_ns(t0));
            }
            interval = interval.min(s.elapsed().as_nanos() as f64 / f64::from(n));
        }
        println!(
            "{:?}: overhead {:.2} ns/read, resolution {:.2} ns, frequency {:?} Hz; one interval (now + elapsed_ns) {:.2} ns",
            t.clock, t.overhead, t.resolution, t.clock_hz, interval
        );
    }
}
