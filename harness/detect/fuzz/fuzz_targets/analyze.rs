//! Whole pipeline (format detection, loader, scan, entropy, evidence) on
//! arbitrary input; hits must lie inside the scanned bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pqbench_detect::analyze::Detector;
use std::sync::OnceLock;

static DET: OnceLock<Detector> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let det = DET.get_or_init(Detector::builtin);
    if let Ok(a) = det.analyze(data) {
        for f in &a.findings {
            assert!(f.score >= pqbench_detect::evidence::THRESHOLD);
        }
    }
});
