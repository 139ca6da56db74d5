//! tango-bench (paired benchmarking) on the workloads the sensitivity
//! benchmark uses, through the pqbench-workloads `Workload` trait.
//!
//! Slowdown injection: tango runs both builds in one process, so the
//! process-wide `PQBENCH_INJECT_SLOWDOWN_PCT` would slow both alike. The
//! candidate build is compiled instead with `SENS_TANGO_SLOWDOWN_PCT=p` (read
//! at build time by `option_env!`): each operation of that build is followed
//! by a fixed number of busy-loop steps lasting p % of the operation's time,
//! both measured once at set-up (medians of 15 batches of about a
//! millisecond). No clock is read per operation, so the knob stays exact for
//! operations of well under a microsecond (two clock reads per operation
//! would add several percent there). Unset (the baseline): the operation
//! runs alone.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pqbench_workloads::Workload;
use tango_bench::{IntoBenchmarks, benchmark_fn, tango_benchmarks, tango_main};

/// The workloads compared, by pqbench id.
const IDS: [&str; 3] = [
    "hash/sha256.digest/rustcrypto/64KiB",
    "hash/sha256.digest/rustcrypto/1KiB",
    "pqc/ml-kem.encaps/rustcrypto/768",
];

/// The slowdown compiled into this build, in percent (0: none).
fn slowdown_pct() -> f64 {
    option_env!("SENS_TANGO_SLOWDOWN_PCT")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100.0)
        .unwrap_or(0.0)
}

/// `steps` steps of busy work the optimiser cannot remove.
fn spin(steps: u64) {
    let mut x = 1u64;
    for _ in 0..steps {
        x = black_box(x.wrapping_mul(6_364_136_223_846_793_005) | 1);
    }
}

/// Median, over 15 batches, of the time per call of `f` (batches of about
/// a millisecond).
fn ns_per_call(mut f: impl FnMut()) -> f64 {
    let mut n = 1u64;
    loop {
        let t = Instant::now();
        (0..n).for_each(|_| f());
        if t.elapsed() >= Duration::from_millis(1) || n >= 1 << 30 {
            break;
        }
        n *= 2;
    }
    let mut v: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            (0..n).for_each(|_| f());
            t.elapsed().as_nanos() as f64 / n as f64
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[7]
}

/// Busy-loop steps lasting `pct` % of one operation of `w` (0 without a
/// slowdown).
fn spin_steps(w: &mut dyn Workload, pct: f64) -> u64 {
    if pct <= 0.0 {
        return 0;
    }
    let op = ns_per_call(|| w.run());
    let step = ns_per_call(|| spin(1000)) / 1000.0;
    (op * pct / 100.0 / step).round().max(1.0) as u64
}

/// The workload with pqbench id `id`, set up with seed 0.
fn workload(id: &str) -> Box<dyn Workload> {
    let mut all = pqbench_workloads::hash::workloads();
    all.extend(pqbench_workloads::pqc::workloads());
    let mut w = all
        .into_iter()
        .find(|w| w.id().to_string() == id)
        .unwrap_or_else(|| panic!("workload {id} exists in pqbench-workloads"));
    w.setup(0);
    w
}

fn benchmarks() -> impl IntoBenchmarks {
    let pct = slowdown_pct();
    IDS.map(|id| {
        benchmark_fn(id, move |b| {
            let mut w = workload(id);
            let steps = spin_steps(w.as_mut(), pct);
            b.iter(move || {
                w.run();
                spin(steps);
            })
        })
    })
}

tango_benchmarks!(benchmarks());
tango_main!();
