//! The store's schema and its migrations.
//!
//! `schema_version` holds one row, the version of the schema. Opening a
//! store applies every missing migration in one immediate transaction (so
//! two processes opening an old store at once migrate it once). Version 1:
//! machines, files, results (the whole result as JSON). Version 2: the
//! per-replication medians and the median of each result as columns
//! (back-filled from the stored JSON), and an index by machine and time.

use crate::results::BenchResult;
use rusqlite::{Connection, TransactionBehavior, params};

/// The schema version this build writes.
pub const CURRENT: i64 = 2;

/// The DDL of version 1 (public so tests can build an old store).
pub const V1: &str = "
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE machines (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    cpu_model TEXT,
    logical_cores INTEGER,
    arch TEXT,
    os TEXT
);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    source_path TEXT NOT NULL,
    machine_id INTEGER NOT NULL REFERENCES machines(id),
    git_commit TEXT,
    git_dirty INTEGER,
    branch TEXT,
    time TEXT,
    unix_time INTEGER,
    complete INTEGER NOT NULL,
    pqbench_version TEXT NOT NULL,
    environment TEXT NOT NULL
);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    bench_id TEXT NOT NULL,
    target TEXT NOT NULL,
    unit TEXT NOT NULL,
    status TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX results_series ON results(bench_id, target);
";

/// Version 1 -> 2: replication medians and median as columns.
fn v1_to_v2(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE results ADD COLUMN rep_medians TEXT NOT NULL DEFAULT '[]';
         ALTER TABLE results ADD COLUMN median REAL;
         CREATE INDEX files_machine_time ON files(machine_id, time);",
    )?;
    let rows: Vec<(i64, String)> = {
        let mut st = tx.prepare("SELECT id, result FROM results")?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut up = tx.prepare("UPDATE results SET rep_medians = ?1, median = ?2 WHERE id = ?3")?;
    for (id, json) in rows {
        let (meds, median) = match serde_json::from_str::<BenchResult>(&json) {
            Ok(r) => (r.replication_medians(), r.summary.map(|s| s.median)),
            Err(_) => (Vec::new(), None),
        };
        let meds = serde_json::to_string(&meds).unwrap_or_else(|_| "[]".into());
        up.execute(params![meds, median, id])?;
    }
    Ok(())
}

/// Creates or migrates the schema to [`CURRENT`]. Fails on a store written
/// by a newer pqbench.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let has_table: bool = tx.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        tx.execute_batch(V1)?;
    }
    let mut version: i64 = tx.query_row("SELECT version FROM schema_version", [], |r| r.get(0))?;
    if version > CURRENT {
        anyhow::bail!(
            "history store has schema version {version}; this pqbench knows up to {CURRENT} (written by a newer pqbench?)"
        );
    }
    while version < CURRENT {
        match version {
            1 => v1_to_v2(&tx)?,
            v => anyhow::bail!("no migration from history schema version {v}"),
        }
        version += 1;
        tx.execute("UPDATE schema_version SET version = ?1", [version])?;
    }
    tx.commit()?;
    Ok(())
}

/// The schema version of an open store.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT version FROM schema_version", [], |r| r.get(0))
}
