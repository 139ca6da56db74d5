//! tango-bench (paired benchmarking) on the workloads the sensitivity
//! benchmark uses, through the pqbench-workloads `Workload` trait.
//!
//! Slowdown injection: tango runs both builds in one process, so the
//! process-wide `PQBENCH_INJECT_SLOWDOWN_PCT` would slow both alike. The
//! candidate build is compiled instead with `SENS_TANGO_SLOWDOWN_PCT=p` (read
//! at build time by `option_env!`): each operation of that build is followed
//! by busy CPU work lasting p % of the operation's own time, the same
//! mechanism as `pqbench ab --in-process --candidate-slowdown` (the
//! `pqbench_set_slowdown` knob of `pqbench-abi`). Unset (the baseline): the
//! operation runs alone, with no clock reads added.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pqbench_workloads::Workload;
use tango_bench::{IntoBenchmarks, benchmark_fn, tango_benchmarks, tango_main};

/// The workloads compared, by pqbench id.
const IDS: [&str; 2] = [
    "hash/sha256.digest/rustcrypto/64KiB",
    "pqc/ml-kem.encaps/rustcrypto/768",
];

/// The slowdown compiled into this build, in percent (0: none).
fn slowdown_pct() -> f64 {
    option_env!("SENS_TANGO_SLOWDOWN_PCT")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100.0)
        .unwrap_or(0.0)
}

/// Runs `w` once; with a slowdown compiled in, spins for that share of the
/// operation's time afterwards.
fn run_once(w: &mut dyn Workload, pct: f64) {
    if pct > 0.0 {
        let start = Instant::now();
        w.run();
        let extra = start.elapsed().as_nanos() as f64 * pct / 100.0;
        let until = Instant::now() + Duration::from_nanos(extra as u64);
        let mut x = 1u64;
        while Instant::now() < until {
            x = black_box(x.wrapping_mul(6_364_136_223_846_793_005) | 1);
        }
    } else {
        w.run();
    }
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
            b.iter(move || run_once(w.as_mut(), pct))
        })
    })
}

tango_benchmarks!(benchmarks());
tango_main!();
