//! History across commits: an embedded results store, per-series queries
//! and change-point detection.
//!
//! `pqbench history add` ingests results files ([`ingest::prepare`] parses,
//! validates and fingerprints a file without touching the store), a
//! [`HistoryStore`] keeps them (the embedded SQLite [`SqliteStore`] by
//! default, `.pqbench/history.sqlite`, or the same schema on a PostgreSQL
//! server, [`PostgresStore`], for teams), and [`analysis`] turns one series —
//! the runs of one benchmark on one target and machine, ordered by time —
//! into medians with confidence intervals and change points (E-divisive
//! means, `pqbench_stats::e_divisive`).
//!
//! Every result is stored whole (raw per-replication samples, histogram,
//! summary, as in the results file), so any statistic can be recomputed;
//! the per-replication medians are kept beside it for fast series queries.

pub mod analysis;
pub mod fingerprint;
pub mod ingest;
mod pg_store;
pub mod plot;
pub mod schema;
mod sqlite;
mod types;
pub mod window;

pub use ingest::{PreparedFile, prepare};
pub use pg_store::{PostgresStore, is_postgres_url};
pub use sqlite::SqliteStore;
pub use types::{AddOptions, AddOutcome, Filter, Run, SeriesInfo};

/// Default location of the store, relative to the working directory.
pub const DEFAULT_DB: &str = ".pqbench/history.sqlite";

/// A results store. Adding a file is atomic (all its results or none) and
/// idempotent (keyed by the SHA-256 of the file's bytes).
pub trait HistoryStore {
    /// Stores one validated file; [`AddOutcome::AlreadyPresent`] when a
    /// file with the same content is in the store already.
    fn add(&mut self, file: &PreparedFile) -> anyhow::Result<AddOutcome>;
    /// Every series (benchmark, target, machine) with measured runs
    /// matching `filter`, sorted.
    fn series(&self, filter: &Filter) -> anyhow::Result<Vec<SeriesInfo>>;
    /// The measured runs of benchmark `bench_id` matching `filter`, ordered
    /// by run time (then insertion).
    fn runs(&self, bench_id: &str, filter: &Filter) -> anyhow::Result<Vec<Run>>;
    /// The stored result of a run (the results-file JSON object, samples
    /// included), by the run's `result_id`.
    fn result(&self, result_id: i64) -> anyhow::Result<crate::results::BenchResult>;
    /// How many files and results the store holds.
    fn counts(&self) -> anyhow::Result<(u64, u64)>;
}

/// Opens the store `db` names: a PostgreSQL server for a
/// `postgres://`/`postgresql://` URL ([`PostgresStore`]), else the SQLite
/// file at that path ([`SqliteStore`], created if missing).
pub fn open(db: &str) -> anyhow::Result<Box<dyn HistoryStore>> {
    if is_postgres_url(db) {
        Ok(Box::new(PostgresStore::connect(db)?))
    } else {
        Ok(Box::new(SqliteStore::open(std::path::Path::new(db))?))
    }
}
