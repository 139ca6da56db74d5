//! Cost of the per-benchmark analysis of `pqbench compare`/`gate`
//! (`two_sample`: bootstrap of median/mean/p99 ratios, tests, effect
//! sizes) on the main job's shapes, one thread:
//! `cargo run --release -p pqbench-stats --example speed [RESAMPLES]`.
//!
//! Shapes: 120 benchmarks x 2 replications x 5,000 samples per side (the
//! former default), 120 x 10 x 1,000 (the current default), and one
//! benchmark with 10^6 samples per side (10 x 100,000).

use pqbench_stats::simulate::{SimRng, side};
use pqbench_stats::{BootstrapConfig, Groups, PrimaryTest, two_sample};
use std::time::Instant;

fn shape(benchmarks: usize, replications: usize, samples: usize, resamples: usize) -> f64 {
    let s = pqbench_stats::power::issue_model(replications, samples, 0.0);
    let mut rng = SimRng::new(7, 0);
    let data: Vec<(Groups, Groups)> = (0..benchmarks)
        .map(|_| {
            let a = Groups::new(side(&s, 1000.0, &mut rng)).unwrap();
            let b = Groups::new(side(&s, 1010.0, &mut rng)).unwrap();
            (a, b)
        })
        .collect();
    let cfg = BootstrapConfig {
        resamples,
        ..BootstrapConfig::default()
    };
    let t = Instant::now();
    for (a, b) in &data {
        std::hint::black_box(two_sample(a, b, &cfg, PrimaryTest::Welch).unwrap());
    }
    t.elapsed().as_secs_f64()
}

fn main() {
    let resamples: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    println!("two_sample, {resamples} resamples, one thread");
    for (b, r, n) in [(120, 2, 5_000), (120, 10, 1_000), (1, 10, 100_000)] {
        println!(
            "{b} benchmarks x {r} replications x {n} samples per side: {:.2} s",
            shape(b, r, n, resamples)
        );
    }
}
