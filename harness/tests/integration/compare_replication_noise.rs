//! The process-level variance of `compare --json` / `gate --json` and its
//! text, on real results files written with the results API: a negative
//! control whose replications are exchangeable by construction (ratio
//! about 1) and a positive one with a 2 % per-replication offset.

use crate::common::results_file;
use pqbench::results::{BenchResult, ProcessSamples, Recording, Unit};
use serde_json::Value;

/// Standard normal noise (xorshift64* and Box–Muller).
struct Normal(u64);
impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn next(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// `benches` results of 10 replications x 200 samples, 2 % log-normal
/// sample noise, per-replication offset of SD `process`.
fn results(benches: usize, process: f64, seed: u64) -> Vec<BenchResult> {
    let mut n = Normal(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    (0..benches)
        .map(|b| {
            let processes = (0..10)
                .map(|_| {
                    let off = process * n.next();
                    ProcessSamples {
                        samples: (0..200)
                            .map(|_| 1000.0 * (b + 1) as f64 * (off + 0.02 * n.next()).exp())
                            .collect(),
                    }
                })
                .collect();
            BenchResult::measured(
                format!("hash/x/y/{b}"),
                "host".into(),
                Unit::Ns,
                Recording::SingleOp,
                1,
                processes,
            )
            .unwrap()
        })
        .collect()
}

/// `compare --json` of two files with per-replication offset `process`:
/// the rows' `replication_noise` objects and the text output.
fn compare(process: f64, dir: &std::path::Path) -> (Vec<Value>, String) {
    let base = results_file(dir, "base.json", results(12, process, 1));
    let new = results_file(dir, "new.json", results(12, process, 2));
    let json = dir.join("cmp.json");
    let (code, text) = crate::common::pqbench([
        "compare".as_ref(),
        base.as_os_str(),
        new.as_os_str(),
        "--json".as_ref(),
        json.as_os_str(),
    ]);
    assert_eq!(code, 0, "{text}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let noise = rows
        .iter()
        .map(|r| r["replication_noise"].clone())
        .collect();
    (noise, text)
}

fn mean(noise: &[Value], key: &str) -> f64 {
    noise.iter().map(|n| n[key].as_f64().unwrap()).sum::<f64>() / noise.len() as f64
}

#[test]
fn exchangeable_replications_have_ratio_about_one() {
    let dir = tempfile::tempdir().unwrap();
    let (noise, text) = compare(0.0, dir.path());
    assert_eq!(noise.len(), 12);
    for key in [
        "between_base",
        "between_new",
        "between",
        "within_base",
        "within_new",
        "within",
        "ratio",
        "df",
        "alpha_effective",
        "power",
        "mdc",
        "tolerance",
    ] {
        assert!(noise[0][key].is_number(), "{key}: {}", noise[0]);
    }
    assert!(noise[0]["replications_for_tolerance"].is_u64());
    // Holm over 12 at alpha 0.05.
    assert!((noise[0]["alpha_effective"].as_f64().unwrap() - 0.05 / 12.0).abs() < 1e-12);
    // The median of 200 samples with 2 % noise: 0.18 % expected spread.
    let within = mean(&noise, "within");
    assert!((0.0015..0.0021).contains(&within), "{within}");
    let ratio = mean(&noise, "ratio");
    assert!((0.8..1.2).contains(&ratio), "mean ratio {ratio}");
    assert!(text.contains("rep. noise"), "{text}");
}

#[test]
fn a_per_replication_offset_shows_in_ratio_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (noise, text) = compare(0.02, dir.path());
    let ratio = mean(&noise, "ratio");
    assert!(ratio > 6.0, "mean ratio {ratio}");
    let between = mean(&noise, "between");
    assert!((0.014..0.026).contains(&between), "{between}");
    // 2 % noise at 10 vs 10 cannot decide 0.5 %: the note says how many
    // replications would.
    assert!(
        text.contains("replications per side would detect 0.50%"),
        "{text}"
    );
    assert!(mean(&noise, "mdc") > 0.02);
}
