//! `pqbench merge`: results from many machines in one file (schema 1.2),
//! each keeping its environment; duplicates refused unless `--prefer`;
//! older files still load; `compare` and `report` accept merged files.

use pqbench::compare::{Options, compare};
use pqbench::env::Environment;
use pqbench::results::{
    BenchResult, Prefer, ProcessSamples, Recording, ResultsFile, Unit, load, merge, parse,
    write_atomic,
};
use std::path::Path;
use std::process::Command;

fn env(host: &str) -> Environment {
    let mut e = Environment::capture();
    e.hostname = Some(host.into());
    e.cpu_model = Some(format!("{host} cpu"));
    e
}

fn result(id: &str, target: &str, base: f64) -> BenchResult {
    let processes = (0..3)
        .map(|p| ProcessSamples {
            samples: (0..50).map(|i| base + f64::from(p * 7 + i % 11)).collect(),
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

fn file(host: &str, targets: &[&str], base: f64) -> ResultsFile {
    let mut f = ResultsFile::new(env(host));
    f.complete = true;
    for t in targets {
        f.results
            .push(result("hash/sha256.digest/rustcrypto/1KiB", t, base));
        f.results
            .push(result("pqc/ml-kem.keygen/rustcrypto/512", t, base * 10.0));
    }
    f
}

#[test]
fn each_result_keeps_its_machine() {
    let a = file("alpha", &["host"], 1000.0);
    let b = file("beta", &["host", "tflite-cpu"], 2000.0);
    let (m, s) = merge(&[("a".into(), a), ("b".into(), b)], Prefer::Neither).unwrap();
    assert_eq!((s.results, s.environments), (6, 2));
    assert_eq!(m.schema_version, "1.2");
    for r in &m.results {
        let host = m.environment_of(r).hostname.clone().unwrap();
        let min = r.summary.unwrap().min;
        let expect = if min == 1000.0 || min == 10_000.0 {
            "alpha"
        } else {
            "beta"
        };
        assert_eq!(host, expect, "{}@{}", r.id, r.target);
    }
    // round trip through the file format, then merge the merged file again
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("all.json");
    write_atomic(&p, &m).unwrap();
    let back = load(&p).unwrap();
    assert_eq!(back, m);
    let c = file("gamma", &["qemu:mps2-an386"], 5000.0);
    let (m2, s2) = merge(&[("m".into(), back), ("c".into(), c)], Prefer::Neither).unwrap();
    assert_eq!((s2.results, s2.environments), (8, 3));
    let gamma = m2
        .results
        .iter()
        .filter(|r| m2.environment_of(r).hostname.as_deref() == Some("gamma"))
        .count();
    assert_eq!(gamma, 2);
}

#[test]
fn duplicates_refused_unless_told_which_wins() {
    let a = file("alpha", &["host"], 1000.0);
    let b = file("alpha", &["host"], 3000.0);
    let inputs = [("a.json".to_string(), a), ("b.json".to_string(), b)];
    let e = merge(&inputs, Prefer::Neither).unwrap_err().to_string();
    assert!(
        e.contains("a.json") && e.contains("b.json") && e.contains("--prefer"),
        "{e}"
    );
    let (first, s) = merge(&inputs, Prefer::First).unwrap();
    assert_eq!(s.replaced.len(), 2);
    assert_eq!(first.results[0].summary.unwrap().min, 1000.0);
    let (last, _) = merge(&inputs, Prefer::Last).unwrap();
    assert_eq!(last.results[0].summary.unwrap().min, 3000.0);
    // the environment of the dropped input is gone
    assert_eq!(last.environments.len(), 1);
    assert!(last.results.iter().all(|r| r.environment == Some(0)));
}

#[test]
fn older_files_load_and_bad_indices_are_refused() {
    let f = file("alpha", &["host"], 1000.0);
    let mut v = serde_json::to_value(&f).unwrap();
    v["schema_version"] = "1.1".into();
    let old = parse(Path::new("old.json"), &v.to_string()).unwrap();
    assert!(old.environments.is_empty());
    assert_eq!(
        old.environment_of(&old.results[0]).hostname.as_deref(),
        Some("alpha")
    );
    v["results"][0]["environment"] = 3.into();
    let e = parse(Path::new("bad.json"), &v.to_string())
        .unwrap_err()
        .to_string();
    assert!(e.contains("environment 3"), "{e}");
}

#[test]
fn compare_and_report_accept_merged_files() {
    let dir = tempfile::tempdir().unwrap();
    let mk = |name: &str, base: f64| {
        let (m, _) = merge(
            &[
                ("a".into(), file("alpha", &["host"], base)),
                ("b".into(), file("beta", &["tflite-cpu"], base * 2.0)),
            ],
            Prefer::Neither,
        )
        .unwrap();
        let p = dir.path().join(name);
        write_atomic(&p, &m).unwrap();
        (p, m)
    };
    let (bp, b) = mk("base.json", 1000.0);
    let (np, n) = mk("new.json", 1000.0);
    let c = compare(&b, &n, &Options::default());
    assert_eq!(c.rows.len(), 4);
    let bin = env!("CARGO_BIN_EXE_pqbench");
    let st = Command::new(bin)
        .arg("compare")
        .arg(&bp)
        .arg(&np)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let out = dir.path().join("r");
    let st = Command::new(bin)
        .arg("report")
        .arg(&bp)
        .arg(&np)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("alpha (alpha cpu)") && html.contains("beta (beta cpu)"));
    // CLI merge refuses a duplicate, then accepts it with --prefer last
    let all = dir.path().join("all.json");
    let st = Command::new(bin)
        .arg("merge")
        .arg(&bp)
        .arg(&np)
        .arg("-o")
        .arg(&all)
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(!all.exists());
    let st = Command::new(bin)
        .arg("merge")
        .arg(&bp)
        .arg(&np)
        .args(["--prefer", "last", "-o"])
        .arg(&all)
        .output()
        .unwrap();
    assert!(st.status.success());
    assert_eq!(load(&all).unwrap().results.len(), 4);
}
