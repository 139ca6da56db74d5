//! The same store on a PostgreSQL server (`--db postgres://…`), for teams:
//! many CI machines and boards write into one place.
//!
//! Same tables, columns and queries as the SQLite store (schema version
//! [`schema::CURRENT`]); JSON kept as text, so a row reads back exactly as
//! SQLite gives it. Adding a file is one transaction that first takes a
//! transaction-scoped advisory lock, so concurrent writers queue (as SQLite's
//! immediate transactions make them) and a file added twice at once is
//! stored once. Creating the schema takes the same lock.

use super::{AddOutcome, Filter, HistoryStore, PreparedFile, Run, SeriesInfo, schema};
use crate::results::{BenchResult, Status};
use anyhow::Context;
use postgres::{Client, NoTls, Transaction};
use std::cell::RefCell;

/// Key of the advisory lock that serialises writers and migrations.
const LOCK_KEY: i64 = 0x0070_7162_656e_6368; // "pqbench" in ASCII

/// The tables of schema version [`schema::CURRENT`] in PostgreSQL's types.
const DDL: &str = "
CREATE TABLE schema_version (version BIGINT NOT NULL);
CREATE TABLE machines (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    cpu_model TEXT,
    logical_cores BIGINT,
    arch TEXT,
    os TEXT
);
CREATE TABLE files (
    id BIGSERIAL PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    source_path TEXT NOT NULL,
    machine_id BIGINT NOT NULL REFERENCES machines(id),
    git_commit TEXT,
    git_dirty BOOLEAN,
    branch TEXT,
    time TEXT,
    unix_time BIGINT,
    complete BOOLEAN NOT NULL,
    pqbench_version TEXT NOT NULL,
    environment TEXT NOT NULL
);
CREATE TABLE results (
    id BIGSERIAL PRIMARY KEY,
    file_id BIGINT NOT NULL REFERENCES files(id),
    bench_id TEXT NOT NULL,
    target TEXT NOT NULL,
    unit TEXT NOT NULL,
    status TEXT NOT NULL,
    result TEXT NOT NULL,
    rep_medians TEXT NOT NULL DEFAULT '[]',
    median DOUBLE PRECISION
);
CREATE INDEX results_series ON results(bench_id, target);
CREATE INDEX files_machine_time ON files(machine_id, time);
";

/// The WHERE clause shared by the queries; parameters $2..$6 are the filter.
const FILTER_SQL: &str = "r.status = 'ok'
    AND ($2::TEXT IS NULL OR r.target = $2)
    AND ($3::TEXT IS NULL OR m.key = $3)
    AND ($4::TEXT IS NULL OR f.branch = $4)
    AND ($5::TEXT IS NULL OR f.time >= $5)
    AND ($6::TEXT IS NULL OR f.time < $6)";

/// Whether `db` names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A history store in a PostgreSQL database.
pub struct PostgresStore {
    // The trait's queries take `&self`; the client needs `&mut`.
    client: RefCell<Client>,
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            match cred.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &cred[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user[:password]@host[:port]/db`, or
    /// `host=/run/postgresql` style in the query) and creates or checks
    /// the schema.
    pub fn connect(url: &str) -> anyhow::Result<PostgresStore> {
        let shown = redact(url);
        let mut client = Client::connect(url, NoTls)
            .with_context(|| format!("{shown}: connecting to the history store"))?;
        migrate(&mut client).with_context(|| format!("{shown}: schema"))?;
        Ok(PostgresStore {
            client: RefCell::new(client),
        })
    }
}

/// Creates the schema of an empty database, or checks the version of an
/// existing one, under the advisory lock.
fn migrate(client: &mut Client) -> anyhow::Result<()> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        tx.batch_execute(DDL)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&schema::CURRENT],
        )?;
    }
    let version: i64 = tx
        .query_one("SELECT version FROM schema_version", &[])?
        .get(0);
    if version > schema::CURRENT {
        anyhow::bail!(
            "history store has schema version {version}; this pqbench knows up to {} (written by a newer pqbench?)",
            schema::CURRENT
        );
    }
    if version < schema::CURRENT {
        // PostgreSQL stores start at version 2; nothing older exists.
        anyhow::bail!("no migration from history schema version {version} on PostgreSQL");
    }
    tx.commit()?;
    Ok(())
}

fn add_in(tx: &mut Transaction<'_>, p: &PreparedFile) -> anyhow::Result<AddOutcome> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
    if tx
        .query_opt("SELECT id FROM files WHERE sha256 = $1", &[&p.sha256])?
        .is_some()
    {
        return Ok(AddOutcome::AlreadyPresent);
    }
    let env = &p.file.environment;
    tx.execute(
        "INSERT INTO machines (key, fingerprint, cpu_model, logical_cores, arch, os)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING",
        &[
            &p.machine,
            &p.fingerprint,
            &env.cpu_model,
            &env.logical_cores.map(i64::from),
            &env.arch,
            &env.os,
        ],
    )?;
    let machine_id: i64 = tx
        .query_one("SELECT id FROM machines WHERE key = $1", &[&p.machine])?
        .get(0);
    let file_id: i64 = tx
        .query_one(
            "INSERT INTO files (sha256, source_path, machine_id, git_commit, git_dirty, branch,
                 time, unix_time, complete, pqbench_version, environment)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            &[
                &p.sha256,
                &p.path.display().to_string(),
                &machine_id,
                &env.git_commit,
                &env.git_dirty,
                &p.branch,
                &env.time,
                &env.unix_time.map(|t| t as i64),
                &p.file.complete,
                &p.file.pqbench_version,
                &serde_json::to_string(env)?,
            ],
        )?
        .get(0);
    let st = tx.prepare(
        "INSERT INTO results (file_id, bench_id, target, unit, status, result, rep_medians, median)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )?;
    for r in &p.file.results {
        tx.execute(
            &st,
            &[
                &file_id,
                &r.id,
                &r.target,
                &r.unit.as_str(),
                &r.status.label(),
                &serde_json::to_string(r)?,
                &serde_json::to_string(&r.replication_medians())?,
                &r.summary.map(|s| s.median),
            ],
        )?;
    }
    Ok(AddOutcome::Added {
        results: p.file.results.len(),
    })
}

impl HistoryStore for PostgresStore {
    fn add(&mut self, p: &PreparedFile) -> anyhow::Result<AddOutcome> {
        let client = self.client.get_mut();
        let mut tx = client.transaction()?;
        let outcome = add_in(&mut tx, p)?;
        // Already present: nothing written, the transaction ends either way.
        tx.commit()?;
        Ok(outcome)
    }

    fn series(&self, f: &Filter) -> anyhow::Result<Vec<SeriesInfo>> {
        let sql = format!(
            "SELECT r.bench_id, r.target, m.key, r.unit, COUNT(*), MIN(f.time), MAX(f.time)
             FROM results r JOIN files f ON f.id = r.file_id JOIN machines m ON m.id = f.machine_id
             WHERE ($1::TEXT IS NULL OR r.bench_id = $1) AND {FILTER_SQL}
             GROUP BY r.bench_id, r.target, m.key, r.unit
             ORDER BY r.bench_id, r.target, m.key, r.unit"
        );
        let rows = self.client.borrow_mut().query(
            &sql,
            &[
                &None::<String>,
                &f.target,
                &f.machine,
                &f.branch,
                &f.since,
                &f.until,
            ],
        )?;
        Ok(rows
            .iter()
            .map(|r| SeriesInfo {
                bench_id: r.get(0),
                target: r.get(1),
                machine: r.get(2),
                unit: r.get(3),
                runs: r.get::<_, i64>(4) as u64,
                first: r.get(5),
                last: r.get(6),
            })
            .collect())
    }

    fn runs(&self, bench_id: &str, f: &Filter) -> anyhow::Result<Vec<Run>> {
        let sql = format!(
            "SELECT r.id, r.bench_id, r.target, m.key, f.git_commit, f.git_dirty, f.branch,
                    f.time, r.unit, r.rep_medians, f.sha256
             FROM results r JOIN files f ON f.id = r.file_id JOIN machines m ON m.id = f.machine_id
             WHERE r.bench_id = $1 AND {FILTER_SQL}
             ORDER BY f.time, f.id"
        );
        let rows = self.client.borrow_mut().query(
            &sql,
            &[
                &bench_id, &f.target, &f.machine, &f.branch, &f.since, &f.until,
            ],
        )?;
        Ok(rows
            .iter()
            .map(|r| Run {
                result_id: r.get(0),
                bench_id: r.get(1),
                target: r.get(2),
                machine: r.get(3),
                commit: r.get(4),
                dirty: r.get(5),
                branch: r.get(6),
                time: r.get(7),
                unit: r.get(8),
                replication_medians: serde_json::from_str(r.get::<_, &str>(9)).unwrap_or_default(),
                file_sha256: r.get(10),
            })
            .collect())
    }

    fn result(&self, result_id: i64) -> anyhow::Result<BenchResult> {
        let row = self
            .client
            .borrow_mut()
            .query_opt("SELECT result FROM results WHERE id = $1", &[&result_id])?
            .with_context(|| format!("history: no stored result {result_id}"))?;
        let r: BenchResult = serde_json::from_str(row.get::<_, &str>(0))
            .with_context(|| format!("history: stored result {result_id} does not parse"))?;
        if r.status != Status::Ok {
            anyhow::bail!("history: stored result {result_id} was not measured");
        }
        Ok(r)
    }

    fn counts(&self) -> anyhow::Result<(u64, u64)> {
        let row = self.client.borrow_mut().query_one(
            "SELECT (SELECT COUNT(*) FROM files), (SELECT COUNT(*) FROM results)",
            &[],
        )?;
        Ok((row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths_and_passwords_hidden() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("postgresql://h/db"));
        assert!(!is_postgres_url(".pqbench/history.sqlite"));
        assert!(!is_postgres_url("postgres.sqlite"));
        assert_eq!(
            redact("postgres://ci:s3cret@db.example:5432/bench"),
            "postgres://ci:***@db.example:5432/bench"
        );
        assert_eq!(redact("postgres://ci@h/db"), "postgres://ci@h/db");
    }
}
