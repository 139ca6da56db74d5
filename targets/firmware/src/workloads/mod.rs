//! The firmware's workload table: everything `pqbench-workloads` provides
//! with the enabled features, then the families implemented here directly on
//! the RustCrypto crates (until `pqbench-workloads` provides them no_std),
//! then the test-only fault workloads.
//!
//! The index of a workload in this table is what the host sends in `Run`.

use alloc::boxed::Box;
use alloc::vec::Vec;
use pqbench_workloads::Workload;

#[cfg(feature = "classical")]
mod classical;
#[cfg(any(feature = "mlkem", feature = "mldsa", feature = "slhdsa"))]
mod pqc;
#[cfg(feature = "test-faults")]
mod test_faults;

/// Cargo features of this build, reported in the hello message.
pub const FEATURES: &str = env!("PQBENCH_FW_FEATURES");

/// Every workload of this build, in a stable order. Construction is cheap.
pub fn all() -> Vec<Box<dyn Workload>> {
    #[allow(unused_mut)]
    let mut v = pqbench_workloads::registry();
    #[cfg(any(feature = "mlkem", feature = "mldsa", feature = "slhdsa"))]
    v.extend(pqc::workloads());
    #[cfg(feature = "classical")]
    v.extend(classical::workloads());
    #[cfg(feature = "test-faults")]
    v.extend(test_faults::workloads());
    v
}

/// Number of workloads.
pub fn count() -> usize {
    all().len()
}

/// Workload `index`, alone (the others are dropped).
pub fn take(index: usize) -> Option<Box<dyn Workload>> {
    let mut v = all();
    if index < v.len() {
        Some(v.swap_remove(index))
    } else {
        None
    }
}

/// A seed-derived byte array (ChaCha20 stream `stream` of `seed`).
#[allow(dead_code)]
pub fn seeded<const N: usize>(seed: u64, stream: u64) -> [u8; N] {
    use rand_core::RngCore;
    let mut out = [0u8; N];
    pqbench_workloads::seeded_rng(seed, stream).fill_bytes(&mut out);
    out
}
