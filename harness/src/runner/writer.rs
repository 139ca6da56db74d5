//! The results writer: keeps the file being built and rewrites it
//! atomically after every benchmark. Every write holds [`WRITE_LOCK`], which
//! the second-signal exit takes before exiting, so no temporary file is ever
//! left half-written.

use crate::results::{self, BenchResult, ResultsFile};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Held during every write of a results file (and its writability probe).
pub static WRITE_LOCK: Mutex<()> = Mutex::new(());

/// Takes [`WRITE_LOCK`], even when a panicking writer poisoned it.
pub fn lock_writes() -> MutexGuard<'static, ()> {
    WRITE_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The results file of a run and where it goes.
pub struct ResultsWriter {
    path: PathBuf,
    file: ResultsFile,
}

impl ResultsWriter {
    /// A writer of `file` to `path`; nothing is written yet.
    pub fn new(path: PathBuf, file: ResultsFile) -> ResultsWriter {
        ResultsWriter { path, file }
    }

    /// Fails early when `path`'s directory is not writable, without
    /// touching an existing file at `path`.
    pub fn check_writable(path: &Path) -> anyhow::Result<()> {
        if path.is_dir() {
            anyhow::bail!("{}: is a directory, not a results file", path.display());
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let _guard = lock_writes();
        tempfile::Builder::new()
            .prefix(".pqbench-check.")
            .tempfile_in(&dir)
            .map(drop)
            .map_err(|e| anyhow::anyhow!("{}: cannot write results here: {e}", path.display()))
    }

    /// Where the file goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file so far.
    pub fn file(&self) -> &ResultsFile {
        &self.file
    }

    /// Adds a finished result (marking the file incomplete until
    /// [`ResultsWriter::finish`]) and rewrites the file atomically.
    pub fn push(&mut self, result: BenchResult) -> anyhow::Result<()> {
        self.file.results.push(result);
        self.file.complete = false;
        self.write()
    }

    /// Rewrites the file atomically with the finished results and, after
    /// them, `provisional` ones of benchmarks still under way (kept
    /// nowhere else: the next push or snapshot replaces them). The file is
    /// marked incomplete.
    pub fn snapshot(&mut self, provisional: Vec<BenchResult>) -> anyhow::Result<()> {
        let finished = self.file.results.len();
        self.file.results.extend(provisional);
        self.file.complete = false;
        let written = self.write();
        self.file.results.truncate(finished);
        written
    }

    /// Writes the final file with its `complete` flag, unless nothing was
    /// measured (then any previous file at the path is left alone). Returns
    /// the file.
    pub fn finish(mut self, complete: bool) -> anyhow::Result<ResultsFile> {
        self.file.complete = complete;
        if !self.file.results.is_empty() {
            self.write()?;
        }
        Ok(self.file)
    }

    fn write(&self) -> anyhow::Result<()> {
        let _guard = lock_writes();
        results::write_atomic(&self.path, &self.file)?;
        Ok(())
    }
}
