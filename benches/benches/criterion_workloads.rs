//! Criterion benches over every registered workload (hash, detect, pqc,
//! classical, RSA keygen), named by benchmark id.
//!
//! Run alone: `cargo bench -p pqbench-benches --bench criterion_workloads`
//! (every workload, ~10 min); quick mode and a subset (criterion's `--quick`
//! stops sampling once the estimate is stable; the filter is a regex over ids):
//! `... --bench criterion_workloads -- --quick 'pqc/ml-kem'`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;

fn workloads(c: &mut Criterion) {
    for mut w in pqbench_benches::all_workloads() {
        let id = w.id().to_string();
        // Set up on first use: criterion calls the closure only for
        // benchmarks its filter selects, so a filtered run skips the setup
        // (key generation) of every other workload.
        let mut ready = false;
        c.bench_function(&id, |b| {
            if !ready {
                w.setup(pqbench_benches::SEED);
                ready = true;
            }
            b.iter(|| w.run())
        });
    }
}

criterion_group! {
    name = benches;
    // Ten samples over two seconds per workload keeps the full run near ten
    // minutes; slow operations (RSA keygen, SLH-DSA-128s sign) get fewer iterations.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = workloads
}
criterion_main!(benches);
