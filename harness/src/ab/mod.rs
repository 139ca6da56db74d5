//! Paired A/B and repeated runs (`pqbench ab`): the round loop, its
//! stopping rule and the merging of rounds; the statistics are
//! [`crate::compare::paired`]'s.
//!
//! Each round runs the baseline and (paired mode) the candidate once,
//! alternating the order A B, B A, … so that two rounds form an
//! order-balanced block. Without a candidate (repeated-run mode) the
//! baseline's rounds are merged into one results file, one process per
//! round. The loop stops at the round limit, before a round that would end
//! after the time cap, or (adaptive stopping) once every benchmark's CI
//! half-width is at most the target.
//!
//! * [`exec`]: the round executor trait and the one that runs pqbench
//!   commands; the clock.
//! * [`stop`]: the stopping rule.
//! * [`rounds`]: the loop.
//! * [`merge`]: repeated-run mode: merging, CIs of the medians, the merged
//!   file and its table.
//! * In-process mode (`--in-process`): [`library`] loads and checks a
//!   `pqbench-abi` workload library, [`interleave`] is one replication
//!   (both libraries in one process, randomised A/B blocks), [`spawn`]
//!   runs one replication process, [`inprocess`] the replications and
//!   their analysis.

pub mod exec;
pub mod inprocess;
pub mod interleave;
pub mod library;
pub mod merge;
pub mod rounds;
pub mod spawn;
pub mod stop;

pub use exec::{Clock, CommandExecutor, Invocation, MonotonicClock, RoundExecutor, Side};
pub use merge::Merged;
pub use rounds::{Outcome, Progress, run_rounds};
pub use stop::{Plan, Stop};

pub use crate::compare::paired::regressed;
use crate::compare::paired::{PairedOptions, PairedRow};
use serde::Serialize;

/// The JSON report of a paired A/B (`pqbench ab --json`).
#[derive(Serialize)]
pub struct AbReport<'a> {
    /// Why the loop stopped.
    pub stop: &'a Stop,
    /// The analysis settings.
    pub options: &'a PairedOptions,
    /// One row per benchmark.
    pub rows: &'a [PairedRow],
    /// Benchmarks missing or failed on a side in some round.
    pub gaps: &'a [String],
    /// `id@target` of the benchmarks that regressed.
    pub regressed: Vec<String>,
}

#[cfg(test)]
mod tests;
