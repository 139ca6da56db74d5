//! Instruction counts (Callgrind via gungraun) of one operation per scheme
//! and of the classical operations they replace. Setup runs outside the
//! counted region.
//!
//! Needs `gungraun-runner` at the library's exact version (installed by
//! `scripts/setup-bench`, with valgrind). Run alone:
//! `cargo bench -p pqbench-benches --bench gungraun_instructions`.

use gungraun::{library_benchmark, library_benchmark_group, main};
use pqbench_workloads::Workload;
use std::hint::black_box;

fn setup(id: &str) -> Box<dyn Workload> {
    pqbench_benches::prepared(id)
}

#[library_benchmark]
#[benches::ops(args = [
    "pqc/ml-kem.keygen/rustcrypto/768",
    "pqc/ml-kem.encaps/rustcrypto/768",
    "pqc/ml-kem.decaps/rustcrypto/768",
    "pqc/ml-kem.encaps/libcrux/768",
    "pqc/ml-kem.decaps/libcrux/768",
    "pqc/ml-kem.encaps/pqclean/768",
    "pqc/ml-kem.decaps/pqclean/768",
    "pqc/ml-dsa.sign/rustcrypto/65",
    "pqc/ml-dsa.verify/rustcrypto/65",
    "pqc/ml-dsa.verify/libcrux/65",
    "pqc/ml-dsa.verify/pqclean/65",
    "pqc/slh-dsa.verify/rustcrypto/sha2-128f",
    "classical/x25519.dh/rustcrypto/-",
    "classical/ed25519.sign/rustcrypto/-",
    "classical/ed25519.verify/rustcrypto/-",
    "classical/ecdsa.sign/rustcrypto/p256",
    "classical/ecdsa.verify/rustcrypto/p256",
], setup = setup)]
fn one_operation(mut w: Box<dyn Workload>) {
    w.run();
    black_box(&w);
}

library_benchmark_group!(name = operations, benchmarks = [one_operation]);
main!(library_benchmark_groups = operations);
