//! Reading a results file for the store: parse and validate it completely
//! before the store is touched, so a corrupt file changes nothing.

use super::AddOptions;
use super::fingerprint::{fingerprint, hex, machine_key};
use crate::results::{self, ResultsFile};
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A validated results file with its store keys.
#[derive(Clone, Debug)]
pub struct PreparedFile {
    /// Where it was read from (kept for the record).
    pub path: PathBuf,
    /// SHA-256 (hex) of its bytes: the idempotency key.
    pub sha256: String,
    /// The parsed file.
    pub file: ResultsFile,
    /// Machine fingerprint (see [`super::fingerprint`]).
    pub fingerprint: String,
    /// Machine key: the `--machine` name or `fp-…`.
    pub machine: String,
    /// Branch: the option, else `environment.git_branch` if present.
    pub branch: Option<String>,
}

/// Reads, hashes and validates `path` (the same checks as every other
/// command: schema version, histograms, replications). Errors name the file.
pub fn prepare(path: &Path, opts: &AddOptions) -> anyhow::Result<PreparedFile> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: reading", path.display()))?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{}: not UTF-8 text", path.display()))?;
    let file = results::parse(path, text)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let fingerprint = fingerprint(&file.environment);
    let machine = machine_key(opts.machine.as_deref(), &fingerprint);
    let branch = opts.branch.clone().or_else(|| {
        file.environment
            .extra
            .get("git_branch")
            .and_then(|v| v.as_str())
            .map(str::to_string)
    });
    Ok(PreparedFile {
        path: path.to_path_buf(),
        sha256,
        file,
        fingerprint,
        machine,
        branch,
    })
}
