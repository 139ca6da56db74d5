//! Deterministic counter results (QEMU instruction counts) are decided by
//! their exact ratio: constant counts by the ratio of the values,
//! input-dependent counts (ML-DSA signing: rejection sampling) input by
//! input under the same seed. Real binary, constructed files.

use crate::common::results_file as file;
use pqbench::results::{BenchResult, ProcessSamples, Recording, Unit};
use std::ffi::OsStr;
use std::path::Path;

const TARGET: &str = "qemu:mps2-an386";
const KEYGEN: &str = "pqc/ml-kem.keygen/rustcrypto/768";
const SIGN: &str = "pqc/ml-dsa.sign/rustcrypto/65";

/// A QEMU-like counter result: `sessions` replications, each the same
/// series `per_input` (sample k = input k), with `details.seed`.
fn counts(id: &str, sessions: usize, per_input: &[f64], seed: Option<u64>) -> BenchResult {
    let processes = (0..sessions)
        .map(|_| ProcessSamples {
            samples: per_input.to_vec(),
        })
        .collect();
    let mut r = BenchResult::measured(
        id.into(),
        TARGET.into(),
        Unit::Instructions,
        Recording::SingleOp,
        1,
        processes,
    )
    .unwrap();
    if let Some(s) = seed {
        r.details.insert("seed".into(), s.into());
    }
    r
}

fn run(cmd: &str, a: &Path, b: &Path, flags: &[&str]) -> (i32, String, serde_json::Value) {
    let json = a.with_file_name(format!("{cmd}-out.json"));
    let mut all: Vec<&OsStr> = vec![OsStr::new(cmd), a.as_os_str(), b.as_os_str()];
    all.extend(flags.iter().map(OsStr::new));
    all.extend(["--resamples", "200", "--json"].map(OsStr::new));
    all.push(json.as_os_str());
    let (code, text) = crate::common::pqbench(all);
    let v = std::fs::read_to_string(&json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    (code, text, v)
}

/// ML-DSA-like signing costs: deterministic per message, very different
/// across messages.
const SIGN_COSTS: [f64; 5] = [2.1e6, 4.3e6, 3.0e6, 2.2e6, 9.5e6];

#[test]
fn constant_counts_decide_by_exact_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let v = 1_876_543.0;
    let base = file(d, "base.json", vec![counts(KEYGEN, 2, &[v; 10], Some(1))]);
    let same = file(d, "same.json", vec![counts(KEYGEN, 2, &[v; 10], Some(1))]);
    let up = file(
        d,
        "up.json",
        vec![counts(KEYGEN, 2, &[v * 1.005; 10], Some(1))],
    );
    // One replication per side is enough for a constant count.
    let up1 = file(
        d,
        "up1.json",
        vec![counts(KEYGEN, 1, &[v * 1.005; 10], Some(1))],
    );

    let (code, out, j) = run("gate", &base, &same, &["--tolerance", "0.1%"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(j["comparison"]["rows"][0]["method"], "exact");
    assert_eq!(j["comparison"]["rows"][0]["verdict"], "unchanged");
    assert_eq!(j["comparison"]["family_size"], 0);

    for new in [&up, &up1] {
        let (code, out, j) = run("gate", &base, new, &["--tolerance", "0.1%"]);
        assert_eq!(code, 1, "{out}");
        let row = &j["comparison"]["rows"][0];
        assert_eq!(row["verdict"], "regressed", "{row}");
        assert_eq!(row["exact"]["class"], "constant");
        let ratio = row["exact"]["ratio"].as_f64().unwrap();
        assert!((ratio - 1.005).abs() < 1e-12, "{ratio}");
        assert!(out.contains("+0.500% exact"), "{out}");
    }
    // Within a 1 % tolerance: unchanged.
    let (code, out, _) = run("gate", &base, &up, &["--tolerance", "1%"]);
    assert_eq!(code, 0, "{out}");

    // Another seed: other inputs (a "constant" count can depend on the
    // seed, e.g. ML-KEM keygen's rejection sampling) -> undecidable.
    let seed2 = file(d, "seed2.json", vec![counts(KEYGEN, 2, &[v; 10], Some(2))]);
    let (code, out, j) = run("gate", &base, &seed2, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        j["undecidable"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("different input seeds (details.seed: base 1, new 2)"),
        "{j}"
    );
    // No seed recorded (e.g. an older back end): decided, with a note.
    let noseed = file(d, "noseed.json", vec![counts(KEYGEN, 2, &[v; 10], None)]);
    let (code, out, j) = run("gate", &base, &noseed, &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(j["comparison"]["rows"][0]["method"], "exact");
    assert!(out.contains("no input seed recorded"), "{out}");
}

#[test]
fn input_dependent_counts_are_compared_input_by_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = counts(SIGN, 3, &SIGN_COSTS, Some(7));
    assert_eq!(base.determinism.map(|x| x.label()), Some("input_dependent"));
    // The most expensive message got 3 % more expensive: every per-process
    // median (3.0e6) is unchanged, the total rose by 1.34 %.
    let mut costs = SIGN_COSTS;
    costs[4] *= 1.03;
    let b = file(d, "base.json", vec![base]);
    let worse = file(d, "worse.json", vec![counts(SIGN, 3, &costs, Some(7))]);
    let (code, out, j) = run("gate", &b, &worse, &["--tolerance", "1%"]);
    assert_eq!(code, 1, "{out}");
    let row = &j["comparison"]["rows"][0];
    assert_eq!(row["method"], "exact");
    assert_eq!(row["verdict"], "regressed");
    let e = &row["exact"];
    assert_eq!(e["class"], "input_dependent");
    assert_eq!(e["inputs"], 5);
    assert_eq!(e["seed"], 7);
    let want = costs.iter().sum::<f64>() / SIGN_COSTS.iter().sum::<f64>();
    assert!((e["ratio"].as_f64().unwrap() - want).abs() < 1e-12, "{e}");
    assert!(
        (e["max_ratio"].as_f64().unwrap() - 1.03).abs() < 1e-12,
        "{e}"
    );
    assert_eq!(e["max_ratio_input"], 4);
    assert_eq!(e["min_ratio"].as_f64().unwrap(), 1.0);

    // A cheap message 3 % dearer: the total moves 0.23 %, unchanged at 1 %,
    // and the note points at the input.
    let mut costs = SIGN_COSTS;
    costs[0] *= 1.03;
    let small = file(d, "small.json", vec![counts(SIGN, 3, &costs, Some(7))]);
    let (code, out, j) = run("gate", &b, &small, &["--tolerance", "1%"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(j["comparison"]["rows"][0]["verdict"], "unchanged");
    assert!(
        out.contains("per-input ratios +0.00% (input 1) .. +3.00% (input 0)"),
        "{out}"
    );

    // Different seeds: different messages, nothing to pair -> undecidable.
    let other = file(d, "other.json", vec![counts(SIGN, 3, &SIGN_COSTS, Some(8))]);
    let (code, out, j) = run("gate", &b, &other, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        j["undecidable"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("different input seeds (details.seed: base 7, new 8)"),
        "{j}"
    );
    let (code, _, _) = run("gate", &b, &other, &["--allow-inconclusive"]);
    assert_eq!(code, 0);
    // No seed recorded: undecidable as well.
    let none = file(d, "none.json", vec![counts(SIGN, 3, &SIGN_COSTS, None)]);
    let (code, out, _) = run("gate", &b, &none, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("new none recorded"), "{out}");
}

#[test]
fn varying_counts_fall_back_to_the_test() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Replications disagree by ~1 % for the same input (e.g. a real board's
    // cycle counter with caches): class `varies`.
    let varying = |scale: f64, sessions: usize| {
        let processes: Vec<ProcessSamples> = (0..sessions)
            .map(|s| ProcessSamples {
                samples: (0..20)
                    .map(|k| {
                        scale
                            * 1.0e6
                            * (1.0 + 0.002 * s as f64)
                            * (1.0 + 0.01 * ((s * 7 + k * 3) % 5) as f64 / 4.0)
                    })
                    .collect(),
            })
            .collect();
        let mut r = BenchResult::measured(
            KEYGEN.into(),
            TARGET.into(),
            Unit::Cycles,
            Recording::SingleOp,
            1,
            processes,
        )
        .unwrap();
        r.details.insert("seed".into(), 1.into());
        r
    };
    let b = varying(1.0, 4);
    assert_eq!(b.determinism.map(|x| x.label()), Some("varies"));
    let base = file(d, "base.json", vec![b]);
    let slow = file(d, "slow.json", vec![varying(1.2, 4)]);
    let (code, out, j) = run("gate", &base, &slow, &[]);
    assert_eq!(code, 1, "{out}");
    let row = &j["comparison"]["rows"][0];
    assert_eq!(row["method"], "statistical");
    assert_eq!(row["verdict"], "regressed");
    assert!(
        row["note"].as_str().unwrap().starts_with("varies: "),
        "{row}"
    );
    // One replication per side: cannot even be classified -> undecidable.
    let one = file(d, "one.json", vec![varying(1.0, 1)]);
    let one_slow = file(d, "one-slow.json", vec![varying(1.2, 1)]);
    let (code, out, _) = run("gate", &one, &one_slow, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("undecidable"), "{out}");
}

#[test]
fn version_1_0_files_are_classified_when_compared() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = file(d, "base.json", vec![counts(SIGN, 2, &SIGN_COSTS, Some(3))]);
    let mut costs = SIGN_COSTS;
    costs[1] *= 1.10;
    let n = file(d, "new.json", vec![counts(SIGN, 2, &costs, Some(3))]);
    // Rewrite both as schema 1.0 files without the determinism field.
    for p in [&b, &n] {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        v["schema_version"] = "1.0".into();
        v["results"][0]
            .as_object_mut()
            .unwrap()
            .remove("determinism");
        std::fs::write(p, v.to_string()).unwrap();
    }
    let (code, out, j) = run("compare", &b, &n, &[]);
    assert_eq!(code, 0, "{out}");
    let row = &j["rows"][0];
    assert_eq!(row["method"], "exact", "{row}");
    assert_eq!(row["verdict"], "regressed", "{row}");
}
