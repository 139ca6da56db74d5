//! Criterion with default settings on the workload the sensitivity
//! benchmark uses. `PQBENCH_INJECT_SLOWDOWN_PCT` applies as in pqbench.

use criterion::{Criterion, criterion_group, criterion_main};

const ID: &str = "hash/sha256.digest/rustcrypto/64KiB";

fn bench(c: &mut Criterion) {
    let mut w = pqbench_workloads::hash::workloads()
        .into_iter()
        .find(|w| w.id().to_string() == ID)
        .expect("the hash workload of the sensitivity benchmark exists");
    w.setup(0);
    c.bench_function(ID, |b| b.iter(|| w.run()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
