//! Plain data of the history store.

use serde::Serialize;

/// User-given keys of an ingested file.
#[derive(Clone, Debug, Default)]
pub struct AddOptions {
    /// A machine name; replaces the fingerprint as the machine key.
    pub machine: Option<String>,
    /// The branch; otherwise `environment.git_branch` when the file has it.
    pub branch: Option<String>,
}

/// What adding one file did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum AddOutcome {
    /// Stored, with this many results.
    Added {
        /// Results (benchmark, target) of the file.
        results: usize,
    },
    /// A file with the same content was stored before; nothing changed.
    AlreadyPresent,
}

/// Selects runs. `None` fields match everything; times are RFC 3339 UTC
/// strings or dates (`2026-11-30`), compared with the run's start time.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Exact target, e.g. `host`.
    pub target: Option<String>,
    /// Machine key (the `--machine` name, or `fp-…` fingerprint).
    pub machine: Option<String>,
    /// Branch.
    pub branch: Option<String>,
    /// Runs at or after this time.
    pub since: Option<String>,
    /// Runs before this time.
    pub until: Option<String>,
}

/// One series of the store.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesInfo {
    /// Benchmark id.
    pub bench_id: String,
    /// Target.
    pub target: String,
    /// Machine key.
    pub machine: String,
    /// Unit of the values.
    pub unit: String,
    /// Number of measured runs.
    pub runs: u64,
    /// Time of the first run.
    pub first: Option<String>,
    /// Time of the last run.
    pub last: Option<String>,
}

/// One measured run of a benchmark.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    /// Row id of the stored result (for [`super::HistoryStore::result`]).
    pub result_id: i64,
    /// Benchmark id.
    pub bench_id: String,
    /// Target.
    pub target: String,
    /// Machine key.
    pub machine: String,
    /// Git commit pqbench was built from, if known.
    pub commit: Option<String>,
    /// Uncommitted changes at build time.
    pub dirty: Option<bool>,
    /// Branch, if known.
    pub branch: Option<String>,
    /// Start of the run (RFC 3339 UTC).
    pub time: Option<String>,
    /// Unit of the values.
    pub unit: String,
    /// Median of each replication, in order.
    pub replication_medians: Vec<f64>,
    /// SHA-256 of the results file.
    pub file_sha256: String,
}
