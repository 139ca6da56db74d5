//! Errors of reading and writing results files.

use std::path::PathBuf;

/// What went wrong with a results file or its contents. Every variant that
/// concerns a file names it.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The file could not be read or written.
    #[error("{path}: {action}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done (`reading`, `writing temporary file`, …).
        action: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    #[error("{path}: not a JSON file: {source}")]
    NotJson {
        /// The file.
        path: PathBuf,
        /// The parser's message (with line and column).
        #[source]
        source: serde_json::Error,
    },
    /// Valid JSON, but not a pqbench results file (no `schema_version`, or
    /// fields of the wrong shape).
    #[error("{path}: not a pqbench results file: {reason}")]
    NotResultsFile {
        /// The file.
        path: PathBuf,
        /// What is missing or malformed.
        reason: String,
    },
    /// A results file of a major schema version this pqbench cannot read.
    #[error(
        "{path}: unsupported results schema version {found:?}: this pqbench reads major version {supported} (written by a newer or older pqbench?)"
    )]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The version found in the file.
        found: String,
        /// The major version this build reads.
        supported: u32,
    },
    /// An embedded histogram does not decode, or disagrees with the file.
    #[error("{path}: corrupt histogram in result {id:?} (target {target}): {reason}")]
    CorruptHistogram {
        /// The file.
        path: PathBuf,
        /// The benchmark id of the result.
        id: String,
        /// The result's target.
        target: String,
        /// What is wrong.
        reason: String,
    },
    /// Two results with the same benchmark key `id@target` in one file:
    /// which one counts would be arbitrary, so the file is refused.
    #[error(
        "{path}: benchmark {key:?} appears {count} times; a results file holds each id@target once (merge or split the file)"
    )]
    DuplicateResult {
        /// The file.
        path: PathBuf,
        /// `id@target`.
        key: String,
        /// How many times it appears.
        count: usize,
    },
    /// A measured result with no replications, or a replication (process)
    /// without samples.
    #[error("{path}: result {id:?} (target {target}): {reason}")]
    EmptyReplication {
        /// The file.
        path: PathBuf,
        /// The benchmark id of the result.
        id: String,
        /// The result's target.
        target: String,
        /// What is empty.
        reason: String,
    },
    /// A histogram could not be encoded or decoded (no file involved).
    #[error("histogram: {0}")]
    Histogram(String),
    /// A result cannot be built from the given samples.
    #[error("invalid samples: {0}")]
    InvalidSamples(String),
    /// Serialising the file failed.
    #[error("serialising results: {0}")]
    Serialize(#[from] serde_json::Error),
}
