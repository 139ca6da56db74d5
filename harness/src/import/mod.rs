//! Import the output of other benchmark harnesses into results format v1,
//! so that `compare`, `gate`, `report` and `history` read it like a
//! `pqbench run` file.
//!
//! * [`criterion`]: criterion.rs's per-sample data (`new/sample.json`,
//!   `new/benchmark.json` under `target/criterion` or `$CRITERION_HOME`):
//!   each sample becomes its mean time per iteration in ns; each criterion
//!   run (each directory given) is one replication.
//! * [`gungraun`]: gungraun's (formerly iai-callgrind) Callgrind output
//!   under `target/gungraun`: the instruction count (`Ir`) of each
//!   benchmark as a deterministic counter (unit `instructions`), the other
//!   Callgrind events as static metrics; each directory given is one
//!   replication.
//!
//! Every imported result says where it came from in `details.source`
//! (`criterion` or `gungraun`), `details.source_dirs` and
//! `details.replications_note`; the file's environment carries
//! `imported_from` and has no pqbench build facts (the measured code was not
//! built by pqbench).

pub mod callgrind;
pub mod criterion;
pub mod gungraun;

use crate::results::{BenchResult, Environment, ResultsFile};
use std::path::{Path, PathBuf};

/// What went wrong reading another harness's output. Every variant names
/// the file or directory.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or directory could not be read.
    #[error("{path}: {action}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A file of the expected name whose content is not what that harness
    /// writes.
    #[error("{path}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A directory with no data of the requested harness below it.
    #[error("{path}: {reason}")]
    NoData {
        /// The directory.
        path: PathBuf,
        /// What was looked for.
        reason: String,
    },
    /// The imported values do not make a valid result.
    #[error("{0}")]
    Results(#[from] crate::results::ResultsError),
}

/// Settings shared by the importers.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// A saved baseline of that harness to read instead of its latest run
    /// (criterion: the `NAME` directory next to `new/`; gungraun: the
    /// `*.out.base@NAME` files).
    pub baseline: Option<String>,
}

/// Files below `root` (recursively, symbolic links not followed) for which
/// `want` holds, sorted by path. `root` itself must be a readable directory.
pub(crate) fn walk(root: &Path, want: &dyn Fn(&Path) -> bool) -> Result<Vec<PathBuf>, ImportError> {
    let meta = std::fs::metadata(root).map_err(|source| ImportError::Io {
        path: root.to_path_buf(),
        action: "reading",
        source,
    })?;
    if !meta.is_dir() {
        return Err(ImportError::NoData {
            path: root.to_path_buf(),
            reason: "not a directory".into(),
        });
    }
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| ImportError::Io {
            path: dir.clone(),
            action: "listing",
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| ImportError::Io {
                path: dir.clone(),
                action: "listing",
                source,
            })?;
            let kind = entry.file_type().map_err(|source| ImportError::Io {
                path: entry.path(),
                action: "reading the type of",
                source,
            })?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && want(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Refuses a run directory given twice: it would count one run as two
/// independent replications.
pub(crate) fn distinct_runs(dirs: &[PathBuf]) -> Result<(), ImportError> {
    let mut seen = std::collections::BTreeMap::new();
    for d in dirs {
        let key = std::fs::canonicalize(d).unwrap_or_else(|_| d.clone());
        if let Some(first) = seen.insert(key, d) {
            return Err(ImportError::NoData {
                path: d.clone(),
                reason: format!(
                    "given twice (also as {}): one run cannot be two replications",
                    first.display()
                ),
            });
        }
    }
    Ok(())
}

/// Reads every run (one per directory, each given once) with `read`, and
/// the sorted union of their benchmark ids.
pub(crate) type Runs<T> = (Vec<std::collections::BTreeMap<String, T>>, Vec<String>);

/// See [`Runs`].
pub(crate) fn read_runs<T>(
    dirs: &[PathBuf],
    read: impl Fn(&Path) -> Result<std::collections::BTreeMap<String, T>, ImportError>,
) -> Result<Runs<T>, ImportError> {
    distinct_runs(dirs)?;
    let runs: Vec<_> = dirs.iter().map(|d| read(d)).collect::<Result<_, _>>()?;
    let mut ids: Vec<String> = runs.iter().flat_map(|r| r.keys().cloned()).collect();
    ids.sort();
    ids.dedup();
    Ok((runs, ids))
}

/// Reads a file as text, naming it on failure.
pub(crate) fn read_text(path: &Path) -> Result<String, ImportError> {
    std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        action: "reading",
        source,
    })
}

/// A results-format id (`suite/name/implementation/params`, four non-empty
/// parts without `/`) for a name of another harness, split at `/`:
/// four parts are kept as they are; fewer are prefixed with `fallback_suite`
/// and padded with `-`; more keep the first three and join the rest with
/// `.` as the params. Empty parts become `-`.
pub fn benchmark_id(name: &str, fallback_suite: &str) -> String {
    let parts: Vec<&str> = name
        .split('/')
        .map(|p| if p.trim().is_empty() { "-" } else { p })
        .collect();
    let mut out: Vec<String> = match parts.len() {
        4 => parts.iter().map(|s| s.to_string()).collect(),
        n if n > 4 => {
            let mut v: Vec<String> = parts[..3].iter().map(|s| s.to_string()).collect();
            v.push(parts[3..].join("."));
            v
        }
        _ => {
            let mut v = vec![fallback_suite.to_string()];
            v.extend(parts.iter().map(|s| s.to_string()));
            v
        }
    };
    while out.len() < 4 {
        out.push("-".into());
    }
    out.join("/")
}

/// The results file of an import: the machine facts of this machine (the
/// other harness records none; an import normally runs where the benches
/// ran), no pqbench build facts, and `imported_from` in the environment.
pub(crate) fn imported_file(
    format: &str,
    dirs: &[PathBuf],
    results: Vec<BenchResult>,
) -> ResultsFile {
    let mut env = Environment::capture();
    // These describe the pqbench binary, not the code the other harness
    // measured.
    env.rustc = None;
    env.profile = None;
    env.opt_level = None;
    env.target_triple = None;
    env.features = Vec::new();
    env.git_commit = None;
    env.git_dirty = None;
    env.extra.insert(
        "imported_from".into(),
        serde_json::json!({
            "format": format,
            "directories": dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
            "note": "machine facts were captured at import time, build facts are unknown",
        }),
    );
    let mut file = ResultsFile::new(env);
    file.results = results;
    file.complete = true;
    file
}

#[cfg(test)]
mod tests {
    use super::benchmark_id;

    #[test]
    fn ids_have_four_parts() {
        assert_eq!(
            benchmark_id("hash/sha256/rustcrypto/64", "c"),
            "hash/sha256/rustcrypto/64"
        );
        assert_eq!(benchmark_id("fib", "criterion"), "criterion/fib/-/-");
        assert_eq!(benchmark_id("g/f", "criterion"), "criterion/g/f/-");
        assert_eq!(benchmark_id("g/f/10", "criterion"), "criterion/g/f/10");
        assert_eq!(benchmark_id("a/b/c/d/e", "x"), "a/b/c/d.e");
        assert_eq!(benchmark_id("a//c", "x"), "x/a/-/c");
    }
}
