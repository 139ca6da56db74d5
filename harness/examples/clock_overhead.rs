//! Per-read overhead of pqbench's host clocks: for the TSC (when the CPU
//! has an invariant one) and the monotonic clock, what `measure_clock`
//! stores in results files (overhead, resolution, frequency) and the cost
//! of one engine-style interval (`now` then `elapsed_ns`, best of 50 chunks
//! of 20,000: on a shared machine the best chunk is an uninterrupted one).
//!
//! ```sh
//! cargo run --release -p pqbench --example clock_overhead
//! ```

use pqbench::measure::clock::Clock;
use pqbench::measure::measure_clock;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let mut clocks = vec![Clock::monotonic()];
    match Clock::tsc() {
        Ok(c) => clocks.insert(0, c),
        Err(e) => println!("no TSC clock: {e}"),
    }
    for c in clocks {
        let t = measure_clock(&c);
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
