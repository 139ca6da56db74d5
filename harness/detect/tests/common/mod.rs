//! Helpers shared by the limb-kernel tests.

use pqbench_detect::analyze::{Analysis, Detector};
use pqbench_detect::sigdb::Family;

/// (constant, layout) of every hit.
pub fn hits(det: &Detector, a: &Analysis) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = a
        .hits
        .iter()
        .map(|h| {
            let s = &det.db()[h.sig as usize];
            (s.constant, s.layout)
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The ECC algorithms of the findings.
pub fn ecc_algorithms(a: &Analysis) -> Vec<&'static str> {
    a.findings
        .iter()
        .filter(|f| f.family == Family::Ecc)
        .flat_map(|f| f.algorithms.iter().map(|x| x.algorithm))
        .collect()
}
