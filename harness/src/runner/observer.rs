//! Progress: the runner tells an [`Observer`] what happens; the CLI's
//! implements the terminal bar or plain lines.

use crate::results::BenchResult;

/// Told of a run's progress.
pub trait Observer {
    /// Benchmark `id` starts on `target`.
    fn started(&mut self, id: &str, target: &str);
    /// A benchmark finished (its result is already on disk).
    fn finished(&mut self, result: &BenchResult);
    /// A message for the user (target errors, warnings).
    fn note(&mut self, message: &str);
    /// Round `index` (0-based) of `count` starts on `target` (interleaved
    /// order only: replication `index` of every benchmark).
    fn round(&mut self, _index: u32, _count: u32, _target: &str) {}
}

/// An observer that ignores everything (tests, library use).
#[derive(Debug, Default)]
pub struct Silent;

impl Observer for Silent {
    fn started(&mut self, _: &str, _: &str) {}
    fn finished(&mut self, _: &BenchResult) {}
    fn note(&mut self, _: &str) {}
}
