//! The embedded SQLite store (WAL, busy timeout, one immediate
//! transaction per file, so concurrent writers queue instead of failing).

use super::{AddOutcome, Filter, HistoryStore, PreparedFile, Run, SeriesInfo, schema};
use crate::results::{BenchResult, Status};
use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::time::Duration;

/// How long a writer waits for another one before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Switches `conn` to WAL and returns the journal mode in force. Two
/// processes creating the same store at once race for the exclusive lock this
/// switch needs, and SQLite reports the loser's `SQLITE_BUSY` without calling
/// the busy handler: retry until [`BUSY_TIMEOUT`].
fn wal_mode(conn: &Connection) -> rusqlite::Result<String> {
    let start = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && start.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// A history store in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating the file and its directory if needed) and migrates
    /// the store at `path`.
    pub fn open(path: &Path) -> anyhow::Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: creating directory", dir.display()))?;
        }
        let mut conn = Connection::open(path)
            .with_context(|| format!("{}: opening history store", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode = wal_mode(&conn).with_context(|| format!("{}: journal mode", path.display()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            anyhow::bail!("{}: cannot switch to WAL mode ({mode})", path.display());
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        schema::migrate(&mut conn).with_context(|| format!("{}: schema", path.display()))?;
        Ok(SqliteStore { conn })
    }

    /// The underlying connection (tests, diagnostics).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// The WHERE clause shared by the queries; parameters ?2..?6 are the filter.
const FILTER_SQL: &str = "r.status = 'ok'
    AND (?2 IS NULL OR r.target = ?2)
    AND (?3 IS NULL OR m.key = ?3)
    AND (?4 IS NULL OR f.branch = ?4)
    AND (?5 IS NULL OR f.time >= ?5)
    AND (?6 IS NULL OR f.time < ?6)";

impl HistoryStore for SqliteStore {
    fn add(&mut self, p: &PreparedFile) -> anyhow::Result<AddOutcome> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM files WHERE sha256 = ?1", [&p.sha256], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Ok(AddOutcome::AlreadyPresent);
        }
        let env = &p.file.environment;
        tx.execute(
            "INSERT OR IGNORE INTO machines (key, fingerprint, cpu_model, logical_cores, arch, os)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                p.machine,
                p.fingerprint,
                env.cpu_model,
                env.logical_cores,
                env.arch,
                env.os
            ],
        )?;
        let machine_id: i64 = tx.query_row(
            "SELECT id FROM machines WHERE key = ?1",
            [&p.machine],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO files (sha256, source_path, machine_id, git_commit, git_dirty, branch,
                 time, unix_time, complete, pqbench_version, environment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                p.sha256,
                p.path.display().to_string(),
                machine_id,
                env.git_commit,
                env.git_dirty,
                p.branch,
                env.time,
                env.unix_time.map(|t| t as i64),
                p.file.complete,
                p.file.pqbench_version,
                serde_json::to_string(env)?,
            ],
        )?;
        let file_id = tx.last_insert_rowid();
        {
            let mut st = tx.prepare(
                "INSERT INTO results (file_id, bench_id, target, unit, status, result,
                     rep_medians, median) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in &p.file.results {
                st.execute(params![
                    file_id,
                    r.id,
                    r.target,
                    r.unit.as_str(),
                    r.status.label(),
                    serde_json::to_string(r)?,
                    serde_json::to_string(&r.replication_medians())?,
                    r.summary.map(|s| s.median),
                ])?;
            }
        }
        tx.commit()?;
        Ok(AddOutcome::Added {
            results: p.file.results.len(),
        })
    }

    fn series(&self, f: &Filter) -> anyhow::Result<Vec<SeriesInfo>> {
        let sql = format!(
            "SELECT r.bench_id, r.target, m.key, r.unit, COUNT(*), MIN(f.time), MAX(f.time)
             FROM results r JOIN files f ON f.id = r.file_id JOIN machines m ON m.id = f.machine_id
             WHERE (?1 IS NULL OR r.bench_id = ?1) AND {FILTER_SQL}
             GROUP BY r.bench_id, r.target, m.key, r.unit
             ORDER BY r.bench_id, r.target, m.key, r.unit"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(
            params![
                None::<String>,
                f.target,
                f.machine,
                f.branch,
                f.since,
                f.until
            ],
            |r| {
                Ok(SeriesInfo {
                    bench_id: r.get(0)?,
                    target: r.get(1)?,
                    machine: r.get(2)?,
                    unit: r.get(3)?,
                    runs: r.get::<_, i64>(4)? as u64,
                    first: r.get(5)?,
                    last: r.get(6)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn runs(&self, bench_id: &str, f: &Filter) -> anyhow::Result<Vec<Run>> {
        let sql = format!(
            "SELECT r.id, r.bench_id, r.target, m.key, f.git_commit, f.git_dirty, f.branch,
                    f.time, r.unit, r.rep_medians, f.sha256
             FROM results r JOIN files f ON f.id = r.file_id JOIN machines m ON m.id = f.machine_id
             WHERE r.bench_id = ?1 AND {FILTER_SQL}
             ORDER BY f.time, f.id"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(
            params![bench_id, f.target, f.machine, f.branch, f.since, f.until],
            |r| {
                let meds: String = r.get(9)?;
                Ok(Run {
                    result_id: r.get(0)?,
                    bench_id: r.get(1)?,
                    target: r.get(2)?,
                    machine: r.get(3)?,
                    commit: r.get(4)?,
                    dirty: r.get(5)?,
                    branch: r.get(6)?,
                    time: r.get(7)?,
                    unit: r.get(8)?,
                    replication_medians: serde_json::from_str(&meds).unwrap_or_default(),
                    file_sha256: r.get(10)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn result(&self, result_id: i64) -> anyhow::Result<BenchResult> {
        let json: String = self
            .conn
            .query_row(
                "SELECT result FROM results WHERE id = ?1",
                [result_id],
                |r| r.get(0),
            )
            .with_context(|| format!("history: no stored result {result_id}"))?;
        let r: BenchResult = serde_json::from_str(&json)
            .with_context(|| format!("history: stored result {result_id} does not parse"))?;
        if r.status != Status::Ok {
            anyhow::bail!("history: stored result {result_id} was not measured");
        }
        Ok(r)
    }

    fn counts(&self) -> anyhow::Result<(u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT COUNT(*) FROM files), (SELECT COUNT(*) FROM results)",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?)
    }
}
