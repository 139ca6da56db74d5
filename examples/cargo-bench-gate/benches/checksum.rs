//! `cargo bench` of this crate, on pqbench:
//!
//! ```sh
//! cargo bench -- --save-baseline main        # measure, store as baseline "main"
//! cargo bench -- --baseline main             # paired with main's executable, gate: exit 1 on a regression
//! cargo bench -- --list                      # checksum/64: benchmark, ...
//! cargo test --benches                       # each benchmark once, as a test
//! ```

use cargo_bench_gate::checksum;
use pqbench::bench::{Registry, Throughput, black_box};

fn sizes(r: &mut Registry) {
    for n in [64usize, 4096] {
        r.bench_with_param("checksum", n, |b, &n| {
            // Setup, not timed.
            let data: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
            b.throughput(Throughput::Bytes(n as u64));
            b.iter(|| checksum(black_box(&data)));
        });
    }
}

pqbench::main!(groups = [sizes]);
