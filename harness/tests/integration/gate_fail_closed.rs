//! `pqbench gate` fails closed: a benchmark present in both files that
//! cannot be decided makes it exit 1 (unless `--allow-inconclusive`), while
//! `compare` shows it as inconclusive and exits 0. Real binary, real files.

use crate::common::Noise;
use crate::common::results_file as file;
use pqbench::results::{BenchResult, ProcessSamples, Recording, Status, Unit};
use std::ffi::OsStr;
use std::path::Path;

/// `procs` processes x 40 samples around `center` ns (±3 % per sample,
/// ±0.5 % per process).
fn result(id: &str, target: &str, center: f64, procs: usize, seed: u64) -> BenchResult {
    let mut n = Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let processes = (0..procs)
        .map(|_| {
            let off = 1.0 + 0.005 * n.next();
            ProcessSamples {
                samples: (0..40)
                    .map(|_| center * off * (1.0 + 0.03 * n.next()))
                    .collect(),
            }
        })
        .collect();
    BenchResult::measured(
        id.into(),
        target.into(),
        Unit::Ns,
        Recording::SingleOp,
        1,
        processes,
    )
    .unwrap()
}

/// Every sample multiplied by `f`, built anew (histogram, summary).
fn scaled(r: &BenchResult, f: f64) -> BenchResult {
    let processes = r
        .processes
        .iter()
        .map(|p| ProcessSamples {
            samples: p.samples.iter().map(|v| v * f).collect(),
        })
        .collect();
    BenchResult::measured(
        r.id.clone(),
        r.target.clone(),
        r.unit,
        r.recording,
        1,
        processes,
    )
    .unwrap()
}

fn run(cmd: &str, a: &Path, b: &Path, flags: &[&str]) -> (i32, String) {
    let mut all: Vec<&OsStr> = vec![OsStr::new(cmd), a.as_os_str(), b.as_os_str()];
    all.extend(flags.iter().map(OsStr::new));
    all.extend([OsStr::new("--resamples"), OsStr::new("200")]);
    crate::common::pqbench(all)
}

const ID: &str = "detect/mobilenet.infer/tflite/224";

#[test]
fn one_process_files_fail_closed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = result(ID, "tflite-cpu", 5.0e6, 1, 1);
    let b = file(d, "base.json", vec![base.clone()]);
    let slow = file(d, "slow.json", vec![scaled(&base, 1.5)]);
    let json = d.join("verdict.json");

    let (code, out) = run("gate", &b, &slow, &["--json", json.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("inconclusive (undecidable: fewer than 2 replications"),
        "{out}"
    );
    assert!(
        out.contains("gate: FAIL: 1 benchmark(s) could not be decided"),
        "{out}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["result"], "fail");
    assert_eq!(v["undecidable"][0]["benchmark"], format!("{ID}@tflite-cpu"));
    assert!(
        v["undecidable"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("base 1, new 1"),
        "{v}"
    );
    assert_eq!(v["comparison"]["rows"][0]["verdict"], "inconclusive");

    // Accepted explicitly.
    let (code, out) = run("gate", &b, &slow, &["--allow-inconclusive"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("gate: pass"), "{out}");

    // `compare` reports, it does not judge: inconclusive, exit 0.
    let (code, out) = run("compare", &b, &slow, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("inconclusive"), "{out}");
    assert!(out.contains("undecidable: "), "{out}");
}

#[test]
fn two_process_files_decide() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = result(ID, "tflite-cpu", 5.0e6, 2, 1);
    let b = file(d, "base.json", vec![base.clone()]);
    let same = file(d, "same.json", vec![base.clone()]);
    let slow = file(d, "slow.json", vec![scaled(&base, 1.2)]);
    let (code, out) = run("gate", &b, &slow, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("regressed"), "{out}");
    assert!(!out.contains("undecidable"), "{out}");
    let (code, out) = run("gate", &b, &same, &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn structural_mismatches_are_undecidable() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ok = |id: &str| result(id, "host", 1000.0, 4, 3);
    let not =
        |id: &str, status: Status| BenchResult::not_ok(id.into(), "host".into(), Unit::Ns, status);
    let failed = || Status::Failed {
        message: "crashed".into(),
    };
    let skipped = || Status::Skipped {
        message: "no device".into(),
    };
    let mut cycles = ok("a/unit/x/1");
    cycles.unit = Unit::Cycles;
    let base = file(
        d,
        "base.json",
        vec![
            ok("a/unit/x/1"),
            ok("a/failed/x/1"),
            not("a/skipped/x/1", skipped()),
        ],
    );
    let new = file(
        d,
        "new.json",
        vec![
            cycles,
            not("a/failed/x/1", failed()),
            not("a/skipped/x/1", skipped()),
        ],
    );
    let json = d.join("v.json");
    let (code, out) = run("gate", &base, &new, &["--json", json.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let reasons: Vec<(String, String)> = v["undecidable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["benchmark"].as_str().unwrap().to_string(),
                u["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].1.contains("unit differs: ns vs cycles"),
        "{reasons:?}"
    );
    assert!(
        reasons[1]
            .1
            .contains("not measured on both sides (base: ok, new: failed)"),
        "{reasons:?}"
    );
    // Skipped on both sides: nothing to decide, not a failure.
    assert_eq!(v["comparison"]["not_compared"][0]["id"], "a/skipped/x/1");
    let (code, out) = run("gate", &base, &new, &["--allow-inconclusive"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn duplicate_keys_and_empty_replications_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = result(ID, "host", 1000.0, 3, 5);
    let base = file(d, "base.json", vec![r.clone()]);
    let dup = file(d, "dup.json", vec![r.clone(), r.clone()]);
    for cmd in ["gate", "compare"] {
        let (code, out) = run(cmd, &base, &dup, &[]);
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains(
                "dup.json: benchmark \"detect/mobilenet.infer/tflite/224@host\" appears 2 times"
            ),
            "{out}"
        );
    }
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    v["results"][0]["processes"][2]["samples"] = serde_json::json!([]);
    let empty = d.join("empty.json");
    std::fs::write(&empty, v.to_string()).unwrap();
    let (code, out) = run("gate", &base, &empty, &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("empty.json: result \"detect/mobilenet.infer/tflite/224\" (target host): replication 3 of 3 has no samples"), "{out}");
}
