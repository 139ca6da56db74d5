//! `pqbench import` on real output of this repository's benches, produced
//! on the development machine and committed under tests/fixtures/import/:
//!
//! * criterion/: one criterion 0.8.2 run of three hash benches
//!   (`criterion_workloads`, dev profile); the reference is criterion's own
//!   `estimates.json` (mean and median of the per-sample time/iterations);
//! * gungraun/: one gungraun 0.20.0 run (valgrind 3.19.0) of two benches
//!   (`gungraun_instructions`, filter `*ops_1[23]`, dev profile); the
//!   reference is gungraun's own terminal output (gungraun-stdout.txt).
//!
//! Produced with (scripts/setup-bench for gungraun-runner and valgrind):
//! `CRITERION_HOME=DIR cargo bench --profile dev -p pqbench-benches --bench
//! criterion_workloads -- --warm-up-time 0.2 --measurement-time 0.5
//! --noplot 'hash/sha256.digest/rustcrypto/(1KiB|64KiB)|hash/sha3-256.digest/rustcrypto/1KiB'`
//! (the `base/` copies removed) and `cargo bench --profile dev -p
//! pqbench-benches --bench gungraun_instructions -- '*ops_1[23]'` (the
//! target/gungraun directory as it was left).

use pqbench::compare::{Method, Options, compare};
use pqbench::import::{ImportOptions, criterion, gungraun};
use pqbench::results::{Determinism, Unit};
use pqbench_stats::Verdict;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn criterion_samples_match_criterions_own_estimates() {
    let dir = fixture("criterion");
    let f = criterion::import(std::slice::from_ref(&dir), &ImportOptions::default()).unwrap();
    assert_eq!(f.results.len(), 3);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let new = entry.unwrap().path().join("new");
        let bench: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(new.join("benchmark.json")).unwrap())
                .unwrap();
        let est: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(new.join("estimates.json")).unwrap())
                .unwrap();
        let id = bench["full_id"].as_str().unwrap();
        let r = f.results.iter().find(|r| r.id == id).unwrap();
        let s = r.summary.unwrap();
        let mean = est["mean"]["point_estimate"].as_f64().unwrap();
        let median = est["median"]["point_estimate"].as_f64().unwrap();
        assert!(
            close(s.mean, mean),
            "{id}: mean {} vs criterion {mean}",
            s.mean
        );
        assert!(
            close(s.median, median),
            "{id}: median {} vs criterion {median}",
            s.median
        );
        assert_eq!(r.unit, Unit::Ns);
        assert_eq!(r.processes.len(), 1);
        assert_eq!(r.processes[0].samples.len(), 10);
        assert_eq!(r.details["source"], "criterion");
        assert!(
            r.details["replications_note"]
                .as_str()
                .unwrap()
                .contains("one replication per criterion run")
        );
    }
}

/// `name: value|...` lines of gungraun's terminal output, per benchmark
/// (`ops_12`, `ops_13`).
fn gungraun_reference() -> Vec<(String, Vec<(String, u64)>)> {
    let text = std::fs::read_to_string(fixture("gungraun/gungraun-stdout.txt")).unwrap();
    let mut out: Vec<(String, Vec<(String, u64)>)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.split_once(" ops_") {
            let id = rest.1.split(':').next().unwrap();
            out.push((format!("ops_{id}"), Vec::new()));
        } else if let Some((name, value)) = line.trim().split_once(':') {
            let v = value
                .trim()
                .split('|')
                .next()
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            out.last_mut().unwrap().1.push((name.to_string(), v));
        }
    }
    out
}

#[test]
fn gungraun_counts_match_gungrauns_own_output() {
    let f = gungraun::import(&[fixture("gungraun")], &ImportOptions::default()).unwrap();
    let reference = gungraun_reference();
    assert_eq!(reference.len(), 2);
    assert_eq!(f.results.len(), 2);
    for (bench, values) in reference {
        let id = format!("gungraun_instructions/operations/one_operation/{bench}");
        let r = f.results.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.unit, Unit::Instructions);
        let metric = |k: &str| r.static_metrics[k].value as u64;
        for (name, v) in values {
            let got = match name.as_str() {
                "Instructions" => r.processes[0].samples[0] as u64,
                "L1 Hits" => metric("l1_hits"),
                "LL Hits" => metric("ll_hits"),
                "RAM Hits" => metric("ram_hits"),
                "Total read+write" => metric("total_rw"),
                "Estimated Cycles" => metric("estimated_cycles"),
                other => panic!("unexpected gungraun metric {other}"),
            };
            assert_eq!(got, v, "{id}: {name}");
        }
        assert!(matches!(r.determinism, Some(Determinism::Constant { .. })));
        assert_eq!(r.details["source"], "gungraun");
    }
}

/// Copies the gungraun fixture with every `Ir` total scaled by `factor`.
fn scaled_gungraun(factor: f64) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("gungraun/pqbench-benches/gungraun_instructions/operations");
    for bench in std::fs::read_dir(&src).unwrap() {
        let bench = bench.unwrap().path();
        let to = tmp
            .path()
            .join("p/gungraun_instructions/operations")
            .join(bench.file_name().unwrap());
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(&bench).unwrap() {
            let file = file.unwrap().path();
            let text = std::fs::read_to_string(&file).unwrap();
            let text: String = text
                .lines()
                .map(|l| match l.split_once(": ") {
                    Some((k @ ("summary" | "totals"), v)) => {
                        let mut vals: Vec<String> = v.split(' ').map(str::to_string).collect();
                        let ir: f64 = vals[0].parse().unwrap();
                        vals[0] = ((ir * factor).round() as u64).to_string();
                        format!("{k}: {}\n", vals.join(" "))
                    }
                    _ => format!("{l}\n"),
                })
                .collect();
            std::fs::write(to.join(file.file_name().unwrap()), text).unwrap();
        }
    }
    tmp
}

#[test]
fn gate_decides_imported_instruction_counts_exactly() {
    let base = gungraun::import(&[fixture("gungraun")], &ImportOptions::default()).unwrap();
    let same = scaled_gungraun(1.0);
    let slower = scaled_gungraun(1.05);
    let opts = ImportOptions::default();
    let same = gungraun::import(&[same.path().to_path_buf()], &opts).unwrap();
    let slower = gungraun::import(&[slower.path().to_path_buf()], &opts).unwrap();
    let c = compare(&base, &same, &Options::default());
    assert_eq!(c.rows.len(), 2);
    for r in &c.rows {
        assert_eq!(r.method, Method::Exact);
        assert_eq!(r.verdict, Verdict::Unchanged, "{}", r.id);
    }
    let c = compare(&base, &slower, &Options::default());
    for r in &c.rows {
        assert_eq!(r.verdict, Verdict::Regressed, "{}", r.id);
        let e = r.exact.as_ref().unwrap();
        assert!((e.ratio - 1.05).abs() < 1e-6, "{}", e.ratio);
    }
}

fn pqbench(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_imports_and_refuses_foreign_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c.json");
    let crit = fixture("criterion");
    let gung = fixture("gungraun");
    let (code, err) = pqbench(&[
        "import",
        "criterion",
        crit.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 3 benchmark(s) from 1 run(s)"),
        "{err}"
    );
    pqbench::results::load(&out).unwrap();
    // Each harness's directory is foreign to the other importer.
    let (code, err) = pqbench(&[
        "import",
        "gungraun",
        crit.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no gungraun data") && err.contains(crit.to_str().unwrap()),
        "{err}"
    );
    let (code, err) = pqbench(&[
        "import",
        "criterion",
        gung.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no criterion data"), "{err}");
    let again = format!("{}/", crit.display());
    let (code, err) = pqbench(&[
        "import",
        "criterion",
        crit.to_str().unwrap(),
        &again,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("given twice"), "{err}");
    let missing = tmp.path().join("missing");
    let (code, err) = pqbench(&[
        "import",
        "criterion",
        missing.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains(missing.to_str().unwrap()), "{err}");
}
