//! Benchmark workloads for pqbench.
//!
//! This crate is `no_std` + `alloc` so that the same workloads run on the host
//! (through the `pqbench` engine) and inside the Cortex-M firmware. It knows
//! nothing about measurement: a [`Workload`] only prepares inputs from a seed
//! and performs one operation when asked.
//!
//! Families live in their own modules and are switched on by features:
//! `hash`, `detect`, `pqc`, `classical`. [`registry`] returns every workload
//! the enabled features provide.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod id;
mod rng;
mod workload;

#[cfg(feature = "detect")]
pub mod detect;
#[cfg(feature = "hash")]
pub mod hash;
#[cfg(any(feature = "pqc", feature = "classical"))]
#[macro_use]
#[path = "pqc/op.rs"]
pub mod pqc_op;
#[cfg(feature = "classical")]
pub mod classical;
#[cfg(feature = "pqc")]
pub mod pqc;

pub use id::{BenchId, ParseBenchIdError};
/// The trait of the generator [`seeded_rng`] returns (`next_u32`, …).
pub use rand_core::RngCore;
pub use rng::seeded_rng;
pub use workload::{StaticMetric, Throughput, Workload};

/// Every feature of this crate with whether it is enabled in this build.
const FEATURES: [(&str, bool); 12] = [
    ("std", cfg!(feature = "std")),
    ("hash", cfg!(feature = "hash")),
    ("detect", cfg!(feature = "detect")),
    ("pqc", cfg!(feature = "pqc")),
    ("classical", cfg!(feature = "classical")),
    ("libcrux", cfg!(feature = "libcrux")),
    ("pqclean", cfg!(feature = "pqclean")),
    ("liboqs", cfg!(feature = "liboqs")),
    ("fips205", cfg!(feature = "fips205")),
    ("openssl", cfg!(feature = "openssl")),
    ("ring", cfg!(feature = "ring")),
    ("aws-lc", cfg!(feature = "aws-lc")),
];

const fn enabled_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < FEATURES.len() {
        if FEATURES[i].1 {
            n += 1;
        }
        i += 1;
    }
    n
}

const ENABLED: [&str; enabled_count()] = {
    let mut out = [""; enabled_count()];
    let (mut i, mut j) = (0, 0);
    while i < FEATURES.len() {
        if FEATURES[i].1 {
            out[j] = FEATURES[i].0;
            j += 1;
        }
        i += 1;
    }
    out
};

/// The Cargo features this crate was compiled with, in declaration order
/// (`pqbench` records them in every results file).
pub const ENABLED_FEATURES: &[&str] = &ENABLED;

use alloc::boxed::Box;
use alloc::vec::Vec;

/// Every workload provided by the enabled features, in a stable order.
///
/// Construction is cheap: no inputs are built until [`Workload::setup`].
pub fn registry() -> Vec<Box<dyn Workload>> {
    #[allow(unused_mut)]
    let mut all: Vec<Box<dyn Workload>> = Vec::new();
    #[cfg(feature = "hash")]
    all.extend(hash::workloads());
    #[cfg(feature = "detect")]
    all.extend(detect::workloads());
    #[cfg(feature = "pqc")]
    all.extend(pqc::workloads());
    #[cfg(feature = "classical")]
    all.extend(classical::workloads());
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;
    use alloc::string::ToString;

    #[test]
    fn registry_ids_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for w in registry() {
            let id = w.id();
            let s = id.to_string();
            assert_eq!(s.parse::<BenchId>().as_ref(), Ok(&id), "{s}");
            assert!(seen.insert(s.clone()), "duplicate id {s}");
        }
        #[cfg(feature = "hash")]
        assert!(seen.contains("hash/sha256.digest/rustcrypto/1KiB"));
    }
}
