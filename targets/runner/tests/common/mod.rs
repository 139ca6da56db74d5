//! Shared by the firmware tests that run PQClean on the emulated M4.

use pqbench_targets::board;
use pqbench_targets::runner::{Prepared, RunConfig};
use std::collections::BTreeSet;

/// The families of `scripts/test.d/60-cortexm.sh`, so the image is shared.
const FAMILIES: [&str; 5] = [
    "hash",
    "mlkem",
    "mlkem-pqclean",
    "mldsa-pqclean",
    "test-faults",
];

/// The firmware of those families on `mps2-an386` (the emulated M4),
/// built or taken from the cache, booted once.
pub fn prepare_m4(cfg: &RunConfig) -> Prepared {
    let b = board::find("mps2-an386").unwrap();
    let fams: BTreeSet<String> = FAMILIES.iter().map(|s| s.to_string()).collect();
    Prepared::new(b, &fams, cfg).unwrap_or_else(|e| panic!("{e}"))
}
