//! pqbench as the harness of this repository's own `cargo bench`: a few
//! registered workloads (one per suite) through the library API
//! (`pqbench::bench`), next to the criterion and gungraun benches over the
//! same workloads. Each benchmark is measured in fresh processes of this
//! binary, its results file goes to `target/pqbench/runs/`, and named
//! baselines gate it:
//!
//! ```sh
//! cargo bench -p pqbench-benches --bench pqbench_workloads -- --save-baseline main
//! cargo bench -p pqbench-benches --bench pqbench_workloads -- --baseline main
//! cargo bench -p pqbench-benches --bench pqbench_workloads -- --list
//! ```

use pqbench::bench::{Registry, Throughput};
use pqbench_workloads::BenchId;

/// One workload per suite: a hash, a detection kernel, a PQC operation and
/// the classical operation it replaces.
const IDS: &[&str] = &[
    "hash/sha256.digest/rustcrypto/1KiB",
    "detect/scan.multi-pattern/pqbench/64KiB",
    "pqc/ml-kem.encaps/rustcrypto/768",
    "classical/x25519.dh/rustcrypto/-",
];

fn workloads(r: &mut Registry) {
    for &id in IDS {
        // Fixed ids of this file: a typo is a bug here, found by `cargo test --benches`.
        let bid: BenchId = id.parse().unwrap_or_else(|e| panic!("{e}"));
        // libtest names may not contain '/' but once: `suite.name.impl/params`.
        let name = format!("{}.{}.{}", bid.suite, bid.name, bid.implementation);
        r.bench_with_param(&name, bid.params, move |b, _| {
            // Setup (inputs from the seed) is not timed.
            let mut w = pqbench_benches::prepared(id);
            if let Some(t) = w.throughput() {
                b.throughput(match t {
                    pqbench_workloads::Throughput::Bytes(n) => Throughput::Bytes(n),
                    pqbench_workloads::Throughput::Elements(n) => Throughput::Elements(n),
                });
            }
            b.iter(|| w.run());
        });
    }
}

pqbench::main!(groups = [workloads]);
