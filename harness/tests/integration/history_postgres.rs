//! The history store on a real PostgreSQL server, through the real binary:
//! the same answers as the SQLite store for the same files (series, runs,
//! change points), idempotent adds, a corrupt file refused with the store
//! unchanged, two concurrent writer processes, a newer schema refused.
//!
//! The server: `PQBENCH_PG_URL` (a URL whose user may create databases;
//! each test creates its own). The test command starts a private server
//! (scripts/history/pg-server.sh) and sets it; without it these tests say
//! so and return, except the one that needs no server.

use crate::history_common;

use history_common::{file, write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn history(db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pqbench"));
    c.arg("history").arg("--db").arg(db).args(args);
    c
}

/// A fresh database on the server of `PQBENCH_PG_URL`, as a URL; `None`
/// (with a note) when the variable is unset.
fn fresh_database(test: &str) -> Option<String> {
    let Ok(base) = std::env::var("PQBENCH_PG_URL") else {
        eprintln!("{test}: skipped, PQBENCH_PG_URL is not set (the test command sets it)");
        return None;
    };
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "pqbench_t{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    Some(format!("{prefix}/{name}"))
}

fn counts(url: &str) -> (i64, i64) {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let row = c
        .query_one(
            "SELECT (SELECT COUNT(*) FROM files), (SELECT COUNT(*) FROM results)",
            &[],
        )
        .unwrap();
    (row.get(0), row.get(1))
}

/// Files of one machine with a 4 % shift at run 18, and of another
/// machine without one.
fn shifted_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for k in 0..30 {
        let center = if k < 18 { 1000.0 } else { 1040.0 };
        paths.push(write(
            dir,
            &format!("r{k}.json"),
            &file("cpu A", k, center, 2, 40),
        ));
    }
    for k in 0..30 {
        paths.push(write(
            dir,
            &format!("o{k}.json"),
            &file("cpu B", k, 2000.0, 1, 40),
        ));
    }
    paths
}

fn json_of(db: &str, args: &[&str]) -> serde_json::Value {
    let out = history(db, args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn postgres_answers_as_sqlite_does_for_the_same_files() {
    let Some(url) = fresh_database("postgres_answers_as_sqlite_does") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("h.sqlite");
    let sqlite = sqlite.to_str().unwrap();
    let paths = shifted_files(dir.path());
    for db in [sqlite, url.as_str()] {
        let ok = history(db, &["add", "--machine", "ci-1"])
            .args(&paths[..30])
            .status()
            .unwrap()
            .success();
        assert!(
            ok && history(db, &["add"])
                .args(&paths[30..])
                .status()
                .unwrap()
                .success()
        );
    }
    let id = "hash/sha256.digest/rustcrypto/0KiB";
    for args in [
        vec!["list", "--json"],
        vec!["show", id, "--machine", "ci-1", "--json"],
        vec!["show", id, "--since", "2026-01-01T10:00:00Z", "--json"],
        vec!["changes", "--json"],
    ] {
        let (a, b) = (json_of(sqlite, &args), json_of(&url, &args));
        assert_eq!(a, b, "{args:?} differs between SQLite and PostgreSQL");
    }
    // And the answer is the known one (not two equal empty answers).
    let ch = json_of(&url, &["changes", id, "--json"]);
    let found: Vec<_> = ch
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["series"]["machine"] == "ci-1")
        .flat_map(|s| s["changes"].as_array().unwrap().clone())
        .collect();
    assert_eq!(found.len(), 1, "{ch}");
    assert_eq!(found[0]["commit"], "c0018");
    assert_eq!(counts(&url), (60, 90));
}

#[test]
fn postgres_adds_once_and_refuses_a_corrupt_file_whole() {
    let Some(url) = fresh_database("postgres_adds_once") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.json", &file("cpu A", 0, 1000.0, 3, 20));
    let b = write(dir.path(), "b.json", &file("cpu A", 1, 1000.0, 3, 20));
    assert!(history(&url, &["add"]).arg(&a).status().unwrap().success());
    let out = history(&url, &["add"]).arg(&a).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already present"));
    assert_eq!(counts(&url), (1, 3));
    let text = std::fs::read_to_string(&b).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, &text[..text.len() / 2]).unwrap();
    let out = history(&url, &["add"]).arg(&b).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
    assert_eq!(counts(&url), (1, 3));
    assert!(history(&url, &["add"]).arg(&b).status().unwrap().success());
    assert_eq!(counts(&url), (2, 6));
}

#[test]
fn postgres_takes_two_concurrent_writers_and_the_same_file_once() {
    let Some(url) = fresh_database("postgres_concurrent_writers") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut sets = [Vec::new(), Vec::new()];
    for k in 0..80 {
        let p = write(
            dir.path(),
            &format!("r{k}.json"),
            &file("cpu A", k, 1000.0, 2, 30),
        );
        sets[k % 2].push(p);
    }
    // Both writers also add the same shared file: stored once.
    let shared = write(dir.path(), "shared.json", &file("cpu A", 99, 1000.0, 2, 30));
    let children: Vec<_> = sets
        .iter()
        .map(|set| {
            history(&url, &["add"])
                .args(set)
                .arg(&shared)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(counts(&url), (81, 162));
}

#[test]
fn postgres_store_of_a_newer_schema_is_refused() {
    let Some(url) = fresh_database("postgres_newer_schema") else {
        return;
    };
    let out = history(&url, &["list"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.batch_execute("UPDATE schema_version SET version = 99")
        .unwrap();
    let out = history(&url, &["list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("schema version 99"), "{err}");
}

#[test]
fn an_unreachable_server_is_a_clear_error_without_the_password() {
    // Port 1 on loopback: nothing listens there.
    let out = history("postgres://ci:s3cret@127.0.0.1:1/bench", &["list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("connecting to the history store"), "{err}");
    assert!(err.contains("ci:***@127.0.0.1:1"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}
