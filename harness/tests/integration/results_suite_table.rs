//! `pqbench show --suite-table` with the real binary: published anchors are
//! built in (shown from any working directory), `--anchors FILE` overrides
//! them and fails clearly on a bad file, and the median CI is over
//! replications (none for a single one).

use pqbench::env::Environment;
use pqbench::results::{BenchResult, ProcessSamples, Recording, ResultsFile, Unit, write_atomic};
use std::path::Path;
use std::process::Command;

fn result(id: &str, procs: usize) -> BenchResult {
    let processes = (0..procs)
        .map(|p| ProcessSamples {
            samples: (0..30)
                .map(|i| 1.0e5 * (1.0 + 0.01 * p as f64) + f64::from(i))
                .collect(),
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

fn show(cwd: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .current_dir(cwd)
        .arg("show")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn suite_table_anchors_and_ci() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut f = ResultsFile::new(Environment::default());
    f.complete = true;
    f.results = vec![
        result("pqc/ml-kem.keygen/rustcrypto/768", 1),
        result("pqc/ml-kem.encaps/rustcrypto/768", 4),
    ];
    let p = d.join("r.json");
    write_atomic(&p, &f).unwrap();
    let file = p.to_str().unwrap();

    // Working directory without results/anchors.json: still shown.
    let (code, out) = show(d, &[file, "--suite-table"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("pqm4 clean 988.7 k cycles"), "{out}");
    assert!(out.contains("mlkem-native 21.3 k cycles"), "{out}");
    assert!(out.contains("n/a (1 replication)"), "{out}");
    let encaps = out
        .lines()
        .find(|l| l.starts_with("ml-kem.encaps"))
        .unwrap();
    assert!(encaps.contains(" – "), "{encaps}");
    // No classical rows in this file: no retrofit cells of either kind.
    assert!(!encaps.contains("X25519"), "{encaps}");

    // With RustCrypto and production classical rows: both retrofit columns,
    // the production one naming the fastest implementation.
    let scaled = |id: &str, k: f64| {
        let mut r = result(id, 2);
        for p in &mut r.processes {
            for x in &mut p.samples {
                *x *= k;
            }
        }
        BenchResult::measured(
            r.id.clone(),
            "host".into(),
            Unit::Ns,
            Recording::SingleOp,
            1,
            r.processes,
        )
        .unwrap()
    };
    let mut g = ResultsFile::new(Environment::default());
    g.complete = true;
    g.results = vec![
        scaled("pqc/ml-kem.encaps/rustcrypto/768", 1.0),
        scaled("classical/x25519.dh/rustcrypto/-", 2.0),
        scaled("classical/x25519.dh/openssl/-", 0.5),
        scaled("classical/x25519.dh/aws-lc/-", 0.25),
    ];
    let q = d.join("prod.json");
    write_atomic(&q, &g).unwrap();
    let (code, out) = show(d, &[q.to_str().unwrap(), "--suite-table"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("retrofit time vs best production"), "{out}");
    let encaps = out
        .lines()
        .find(|l| l.starts_with("ml-kem.encaps"))
        .unwrap();
    assert!(encaps.contains("X25519 0.50×"), "{encaps}");
    assert!(encaps.contains("X25519 (aws-lc) 4.00×"), "{encaps}");
    assert!(!encaps.contains("(openssl)"), "{encaps}");

    // Override with another file.
    let mine = d.join("mine.json");
    std::fs::write(
        &mine,
        r#"{"anchors":[{"id":"pqc/ml-kem.keygen/-/768","value":12345,"unit":"cycles","source":"my lab","hardware":"my board"}]}"#,
    )
    .unwrap();
    let (code, out) = show(
        d,
        &[file, "--suite-table", "--anchors", mine.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("my board: my lab 12.3 k cycles"), "{out}");
    assert!(!out.contains("pqm4"), "{out}");

    // A bad override is an error (exit 2), not a silently missing column.
    let bad = d.join("bad.json");
    std::fs::write(&bad, "{\"anchors\": [").unwrap();
    let (code, out) = show(
        d,
        &[file, "--suite-table", "--anchors", bad.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("bad.json is malformed"), "{out}");
    let (code, out) = show(
        d,
        &[file, "--suite-table", "--anchors", "/nonexistent/x.json"],
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("cannot read anchors file /nonexistent/x.json"),
        "{out}"
    );
}
