//! `pqbench gate` exit codes, checked by running the real binary on real
//! results files written with the results API (`write_atomic`).

use pqbench::env::Environment;
use pqbench::results::{BenchResult, ProcessSamples, Recording, ResultsFile, Unit, write_atomic};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Deterministic noise: xorshift64* mapped to a standard normal
/// (Box–Muller).
struct Noise(u64);
impl Noise {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// A result of `procs` processes x 50 samples around `center` ns:
/// per-process offset (sd 0.5 %) and per-sample log-normal noise (sd 2 %).
fn result(id: &str, center: f64, procs: usize, seed: u64) -> BenchResult {
    let mut n = Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let processes = (0..procs)
        .map(|_| {
            let offset = 0.005 * n.normal();
            ProcessSamples {
                samples: (0..50)
                    .map(|_| center * (offset + 0.02 * n.normal()).exp())
                    .collect(),
            }
        })
        .collect();
    BenchResult::measured(
        id.into(),
        "host".into(),
        Unit::Ns,
        Recording::SingleOp,
        1,
        processes,
    )
    .unwrap()
}

fn file(dir: &Path, name: &str, env: Environment, results: Vec<BenchResult>) -> PathBuf {
    let mut f = ResultsFile::new(env);
    f.complete = true;
    f.results = results;
    let p = dir.join(name);
    write_atomic(&p, &f).unwrap();
    p
}

fn env() -> Environment {
    Environment {
        cpu_model: Some("Test CPU".into()),
        profile: Some("release".into()),
        ..Environment::default()
    }
}

fn gate(args: &[&Path], flags: &[&str]) -> (i32, String) {
    let mut all: Vec<&OsStr> = vec![OsStr::new("gate")];
    all.extend(args.iter().map(|p| p.as_os_str()));
    all.extend(flags.iter().map(OsStr::new));
    // Few replicates: the test binary is unoptimised.
    all.extend([OsStr::new("--resamples"), OsStr::new("100")]);
    crate::common::pqbench(all)
}

const IDS: [&str; 3] = [
    "hash/sha256/rustcrypto/1KiB",
    "hash/sha3/rustcrypto/1KiB",
    "pqc/ml-kem-768/keygen/x",
];

fn suite(seed: u64, slow: f64) -> Vec<BenchResult> {
    IDS.iter()
        .enumerate()
        .map(|(i, id)| {
            let factor = if i == 0 { slow } else { 1.0 };
            result(
                id,
                1000.0 * (i + 1) as f64 * factor,
                8,
                seed * 10 + i as u64,
            )
        })
        .collect()
}

#[test]
fn gate_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = file(d, "base.json", env(), suite(1, 1.0));
    let same = file(d, "same.json", env(), suite(2, 1.0));
    let slow = file(d, "slow.json", env(), suite(3, 1.10));

    // A/A: no regression -> 0, JSON verdict written.
    let json = d.join("verdict.json");
    let (code, out) = gate(&[&base, &same], &["--json", json.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("gate: pass"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["result"], "pass");
    assert_eq!(v["comparison"]["rows"].as_array().unwrap().len(), 3);

    // 10 % slowdown of one benchmark -> 1, named in the JSON.
    let (code, out) = gate(&[&base, &slow], &["--json", json.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["result"], "fail");
    assert_eq!(v["regressed"][0], format!("{}@host", IDS[0]));
    // ... unless the tolerance for it is above 10 %.
    let (code, out) = gate(&[&base, &slow], &["--tolerance-for", "hash/sha256*=15%"]);
    assert_eq!(code, 0, "{out}");

    // Input errors -> 2: missing, corrupt, foreign, bad usage.
    let missing = d.join("nope.json");
    assert_eq!(gate(&[&base, &missing], &[]).0, 2);
    let corrupt = d.join("corrupt.json");
    std::fs::write(&corrupt, "{\"schema_version\": \"1.0\", \"results\": [").unwrap();
    assert_eq!(gate(&[&base, &corrupt], &[]).0, 2);
    let foreign = d.join("foreign.json");
    std::fs::write(&foreign, "{\"name\": \"criterion\", \"mean\": 3}").unwrap();
    let (code, out) = gate(&[&foreign, &base], &[]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(gate(&[&base], &[]).0, 2);
    assert_eq!(gate(&[&base, &same], &["--tolerance", "banana"]).0, 2);

    // Environment mismatch: warning by default, 2 under --strict-env.
    let other_env = Environment {
        cpu_model: Some("Other CPU".into()),
        ..env()
    };
    let other = file(d, "other.json", other_env, suite(4, 1.0));
    let (code, out) = gate(&[&base, &other], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("environment mismatch"), "{out}");
    let (code, out) = gate(&[&base, &other], &["--strict-env"]);
    assert_eq!(code, 2, "{out}");

    // One-sided benchmarks: listed; fail only with --fail-on-missing.
    let mut fewer = suite(5, 1.0);
    fewer.pop();
    let fewer = file(d, "fewer.json", env(), fewer);
    let (code, out) = gate(&[&base, &fewer], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("only in base: pqc/ml-kem-768/keygen/x@host"),
        "{out}"
    );
    assert_eq!(gate(&[&base, &fewer], &["--fail-on-missing"]).0, 1);
}

#[test]
fn compare_prints_counts_and_all_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = file(d, "base.json", env(), suite(1, 1.0));
    let slow = file(d, "slow.json", env(), suite(3, 1.10));
    let out = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args([
            "compare",
            base.to_str().unwrap(),
            slow.to_str().unwrap(),
            "--correction",
            "bh",
            "--resamples",
            "200",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for needle in [
        "8x400",
        "Hodges-Lehmann",
        "Benjamini-Hochberg",
        "regressed",
        "summary: ",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}
