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
#[cfg(feature = "mlkem-libcrux")]
mod libcrux;
#[cfg(any(feature = "mlkem", feature = "mldsa", feature = "slhdsa"))]
mod pqc;
#[cfg(any(feature = "mlkem-pqclean", feature = "mldsa-pqclean"))]
mod pqclean;
#[cfg(feature = "test-faults")]
mod test_faults;

/// Cargo features of this build, reported in the hello message.
pub const FEATURES: &str = env!("PQBENCH_FW_FEATURES");

/// Constructs one workload.
pub type Ctor = fn() -> Box<dyn Workload>;

#[cfg(any(feature = "mlkem", feature = "mldsa", feature = "slhdsa"))]
use pqc::CTORS as PQC;
#[cfg(not(any(feature = "mlkem", feature = "mldsa", feature = "slhdsa")))]
const PQC: &[Ctor] = &[];
#[cfg(feature = "classical")]
use classical::CTORS as CLASSICAL;
#[cfg(not(feature = "classical"))]
const CLASSICAL: &[Ctor] = &[];
#[cfg(any(feature = "mlkem-pqclean", feature = "mldsa-pqclean"))]
use pqclean::CTORS as PQCLEAN;
#[cfg(not(any(feature = "mlkem-pqclean", feature = "mldsa-pqclean")))]
const PQCLEAN: &[Ctor] = &[];
#[cfg(feature = "mlkem-libcrux")]
use libcrux::CTORS as LIBCRUX;
#[cfg(not(feature = "mlkem-libcrux"))]
const LIBCRUX: &[Ctor] = &[];
#[cfg(feature = "test-faults")]
use test_faults::CTORS as FAULTS;
#[cfg(not(feature = "test-faults"))]
const FAULTS: &[Ctor] = &[];

const N_CTORS: usize = PQC.len() + PQCLEAN.len() + LIBCRUX.len() + CLASSICAL.len() + FAULTS.len();

const fn table() -> [Ctor; N_CTORS] {
    fn unset() -> Box<dyn Workload> {
        unreachable!()
    }
    let mut out: [Ctor; N_CTORS] = [unset as Ctor; N_CTORS];
    let mut i = 0;
    let parts = [PQC, PQCLEAN, LIBCRUX, CLASSICAL, FAULTS];
    let mut p = 0;
    while p < parts.len() {
        let mut j = 0;
        while j < parts[p].len() {
            out[i] = parts[p][j];
            i += 1;
            j += 1;
        }
        p += 1;
    }
    out
}

/// The constructors of the workloads implemented in this firmware (after
/// those of `pqbench-workloads` in [`all`]), one per workload type. Kept in
/// the image (`#[used]`) and called only through an opaque pointer, so each
/// stays a function of its own: the host reads this table from the ELF
/// (symbol `…PQBENCH_WORKLOAD_CTORS…`) and attributes code size to each
/// workload from the call graph below its constructor.
#[used]
pub static PQBENCH_WORKLOAD_CTORS: [Ctor; N_CTORS] = table();

/// Every workload of this build, in a stable order. Construction is cheap.
pub fn all() -> Vec<Box<dyn Workload>> {
    #[allow(unused_mut)]
    let mut v = pqbench_workloads::registry();
    let table: &[Ctor] = core::hint::black_box(&PQBENCH_WORKLOAD_CTORS);
    v.extend(table.iter().map(|c| c()));
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
