//! Whole-file scanning and the reports built on it (feature `std`): the
//! files to scan, parallel analysis ([`files`]) of mapped inputs
//! ([`input`]), throughput and memory figures ([`stats`]), the JSON report
//! ([`json`]), the CycloneDX 1.6 CBOM ([`cbom`]) and the evaluation against
//! a labelled corpus ([`labels`], [`eval`]).

pub mod cbom;
pub mod eval;
pub mod files;
pub mod input;
pub mod json;
pub mod labels;
pub mod stats;

pub use files::{FileResult, MAX_FILE, STDIN, analyze_file, collect_files, scan_files};

use crate::analyze::Analysis;
use crate::sigdb::Family;
use std::collections::BTreeSet;

/// Families predicted for an image: those of its findings except
/// [`Family::Lib`] (a library fingerprint is not an algorithm).
pub fn predicted(a: &Analysis) -> BTreeSet<Family> {
    a.findings
        .iter()
        .map(|f| f.family)
        .filter(|f| *f != Family::Lib)
        .collect()
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use crate::analyze::Detector;
    use std::vec;
    use std::vec::Vec;

    /// A temporary directory with `fw.bin` (a P-256 image: two of its
    /// constants planted at offset 4096) and `ctl.bin` (zeros), scanned
    /// together with the absent `gone.bin`.
    pub fn planted(det: &Detector) -> (tempfile::TempDir, Vec<FileResult>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut img = vec![0x5au8; 4096];
        for s in det
            .db()
            .iter()
            .filter(|s| s.constant == "p-256.p" || s.constant == "p-256.b")
            .take(2)
        {
            img.extend_from_slice(s.bytes);
            img.extend_from_slice(&[0x11; 64]);
        }
        std::fs::write(dir.path().join("fw.bin"), &img).expect("write image");
        std::fs::write(dir.path().join("ctl.bin"), [0u8; 5000]).expect("write control");
        let files: Vec<_> = ["fw.bin", "ctl.bin", "gone.bin"]
            .iter()
            .map(|n| dir.path().join(n))
            .collect();
        let results = scan_files(det, &files);
        (dir, results)
    }
}
