//! `pqbench history gate`: a new file against the stored runs since the
//! last change point, exit codes as `gate` (0 pass, 1 regression, 2 input).

use crate::history_common;

use history_common::{file, write};
use std::path::Path;
use std::process::Command;

fn history(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pqbench"));
    c.arg("history").arg("--db").arg(db).args(args);
    c
}

#[test]
fn gate_compares_with_the_level_since_the_last_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite");
    // 24 runs: 1000 ns, then 1060 ns from run 12 on (a change point).
    let paths: Vec<_> = (0..24)
        .map(|k| {
            let c = if k < 12 { 1000.0 } else { 1060.0 };
            write(
                dir.path(),
                &format!("r{k}.json"),
                &file("cpu A", k, c, 1, 40),
            )
        })
        .collect();
    assert!(
        history(&db, &["add"])
            .args(&paths)
            .status()
            .unwrap()
            .success()
    );

    // At the current level: pass, although it is 6 % above the old level.
    let same = write(dir.path(), "same.json", &file("cpu A", 30, 1060.0, 1, 40));
    let json = dir.path().join("verdict.json");
    let out = history(&db, &["gate"])
        .arg(&same)
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["windows"][0]["window_runs"], 12, "{}", v["windows"]);
    assert_eq!(v["windows"][0]["since_commit"], "c0012");
    assert_eq!(v["windows"][0]["replications"], 36);

    // 5 % above the current level: a regression.
    let slow = write(dir.path(), "slow.json", &file("cpu A", 31, 1113.0, 1, 40));
    let out = history(&db, &["gate"]).arg(&slow).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Another machine has no history: input error.
    let other = write(dir.path(), "other.json", &file("cpu B", 31, 1060.0, 1, 40));
    let out = history(&db, &["gate"]).arg(&other).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plot_writes_one_svg_per_series_with_the_change_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite");
    let paths: Vec<_> = (0..20)
        .map(|k| {
            let c = if k < 10 { 1000.0 } else { 1060.0 };
            write(
                dir.path(),
                &format!("r{k}.json"),
                &file("cpu A", k, c, 2, 40),
            )
        })
        .collect();
    assert!(
        history(&db, &["add"])
            .args(&paths)
            .status()
            .unwrap()
            .success()
    );
    let out_dir = dir.path().join("plots");
    let out = history(&db, &["plot", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut svgs: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    svgs.sort();
    assert_eq!(svgs.len(), 2);
    let shifted = std::fs::read_to_string(&svgs[0]).unwrap();
    let flat = std::fs::read_to_string(&svgs[1]).unwrap();
    assert!(shifted.starts_with("<svg") && shifted.contains("c0010"));
    // The change point is a red line; the flat series has none.
    assert!(shifted.contains("#FF0000"), "no change line");
    assert!(!flat.contains("#FF0000"));
}
