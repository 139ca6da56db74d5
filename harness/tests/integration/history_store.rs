//! The history store through the real binary: idempotent adds, corrupt
//! files refused with the store unchanged, two concurrent writer
//! processes, an old schema migrated, and a known shift found.

use crate::history_common;

use history_common::{file, write};
use pqbench::history::{Filter, HistoryStore, SqliteStore, schema};
use std::path::Path;
use std::process::Command;

fn history(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pqbench"));
    c.arg("history").arg("--db").arg(db).args(args);
    c
}

fn count(db: &Path, table: &str) -> i64 {
    let store = SqliteStore::open(db).unwrap();
    store
        .connection()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn adding_twice_changes_nothing_and_a_corrupt_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite");
    let a = write(dir.path(), "a.json", &file("cpu A", 0, 1000.0, 3, 20));
    let b = write(dir.path(), "b.json", &file("cpu A", 1, 1000.0, 3, 20));
    let out = history(&db, &["add"]).arg(&a).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!((count(&db, "files"), count(&db, "results")), (1, 3));
    let out = history(&db, &["add"]).arg(&a).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already present"));
    assert_eq!((count(&db, "files"), count(&db, "results")), (1, 3));

    // A truncated file next to a good one: refused by name, nothing added.
    let text = std::fs::read_to_string(&b).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, &text[..text.len() / 2]).unwrap();
    let out = history(&db, &["add"]).arg(&b).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json"), "{err}");
    assert_eq!((count(&db, "files"), count(&db, "results")), (1, 3));
    // The good file alone is accepted afterwards (the control).
    assert!(history(&db, &["add"]).arg(&b).status().unwrap().success());
    assert_eq!(count(&db, "files"), 2);
}

#[test]
fn two_processes_adding_at_once_both_land() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite");
    let mut sets = [Vec::new(), Vec::new()];
    for k in 0..120 {
        let p = write(
            dir.path(),
            &format!("r{k}.json"),
            &file("cpu A", k, 1000.0, 4, 50),
        );
        sets[k % 2].push(p);
    }
    let children: Vec<_> = sets
        .iter()
        .map(|set| history(&db, &["add"]).args(set).spawn().unwrap())
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!((count(&db, "files"), count(&db, "results")), (120, 480));
}

#[test]
fn an_old_schema_is_migrated_and_backfilled() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    let f = file("cpu A", 3, 1000.0, 1, 20);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(schema::V1).unwrap();
        conn.execute(
            "INSERT INTO machines (key, fingerprint) VALUES ('old-box', 'ff')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO files (sha256, source_path, machine_id, git_commit, time, complete,
                 pqbench_version, environment)
             VALUES ('00', 'old.json', 1, 'c0003', '2026-01-01T03:00:00Z', 1, '0.1.0', '{}')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO results (file_id, bench_id, target, unit, status, result)
             VALUES (1, ?1, 'host', 'ns', 'ok', ?2)",
            (
                &f.results[0].id,
                serde_json::to_string(&f.results[0]).unwrap(),
            ),
        )
        .unwrap();
    }
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        schema::version(store.connection()).unwrap(),
        schema::CURRENT
    );
    let runs = store.runs(&f.results[0].id, &Filter::default()).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].machine, "old-box");
    assert_eq!(runs[0].replication_medians.len(), 3);
    assert!((runs[0].replication_medians[0] / 1000.0 - 1.0).abs() < 0.05);
    // The stored result is whole: samples can be recomputed from it.
    let r = store.result(runs[0].result_id).unwrap();
    assert_eq!(r.processes.len(), 3);
}

#[test]
fn a_known_shift_is_listed_shown_and_detected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite");
    let mut paths = Vec::new();
    for k in 0..30 {
        let center = if k < 18 { 1000.0 } else { 1040.0 };
        paths.push(write(
            dir.path(),
            &format!("r{k}.json"),
            &file("cpu A", k, center, 2, 40),
        ));
    }
    // Another machine with no shift: its own series, no change.
    for k in 0..30 {
        paths.push(write(
            dir.path(),
            &format!("o{k}.json"),
            &file("cpu B", k, 2000.0, 1, 40),
        ));
    }
    let out = history(&db, &["add", "--machine", "ci-1"])
        .args(&paths[..30])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        history(&db, &["add"])
            .args(&paths[30..])
            .status()
            .unwrap()
            .success()
    );

    let out = history(&db, &["list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");

    let id = "hash/sha256.digest/rustcrypto/0KiB";
    let out = history(&db, &["show", id, "--machine", "ci-1", "--json"])
        .output()
        .unwrap();
    let pts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pts = pts.as_array().unwrap();
    assert_eq!(pts.len(), 30);
    assert_eq!(pts[5]["commit"], "c0005");
    let (m, lo, hi) = (
        pts[5]["median"].as_f64().unwrap(),
        pts[5]["ci"][0].as_f64().unwrap(),
        pts[5]["ci"][1].as_f64().unwrap(),
    );
    assert!(lo <= m && m <= hi && (m / 1000.0 - 1.0).abs() < 0.03);
    let out = history(
        &db,
        &["show", id, "--since", "2026-01-01T10:00:00Z", "--json"],
    )
    .output()
    .unwrap();
    let late: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(late.as_array().unwrap().len(), 40);

    let out = history(&db, &["changes", id, "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let ch: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ch = ch.as_array().unwrap();
    assert_eq!(ch.len(), 2);
    for s in ch {
        let changes = s["changes"].as_array().unwrap();
        if s["series"]["machine"] == "ci-1" {
            assert_eq!(changes.len(), 1, "{s}");
            assert_eq!(changes[0]["commit"], "c0018");
            let r = &changes[0]["ratio"];
            assert!(r["lo"].as_f64().unwrap() > 1.02 && r["hi"].as_f64().unwrap() < 1.06);
            assert!(changes[0]["p_value"].as_f64().unwrap() <= 0.05);
        } else {
            assert!(changes.is_empty(), "{s}");
        }
    }
}
