//! Criterion with its default settings on the example crate's function
//! (`examples/cargo-bench-gate`: `checksum` of 64 and 4096 bytes), for the
//! harness-cost comparison in docs/cargo-bench.md: the same function, the
//! same inputs, measured there by pqbench's defaults.
//!
//! `cargo bench -p pqbench-benches --bench criterion_checksum`

use cargo_bench_gate::checksum;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn sizes(c: &mut Criterion) {
    let mut g = c.benchmark_group("checksum");
    for n in [64usize, 4096] {
        let data: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, data| {
            b.iter(|| checksum(black_box(data)))
        });
    }
    g.finish();
}

criterion_group!(benches, sizes);
criterion_main!(benches);
