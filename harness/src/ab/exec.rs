//! Who runs a round, and what time it is: the [`RoundExecutor`] trait (the
//! loop's only way to run anything, so that it can be tested with a mock)
//! and [`CommandExecutor`], which runs pqbench-compatible commands.

use crate::results::{ResultsFile, load};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Which side of the comparison an invocation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A: the baseline.
    Baseline,
    /// B: the candidate.
    Candidate,
}

impl Side {
    /// `baseline` or `candidate`.
    pub fn name(self) -> &'static str {
        match self {
            Side::Baseline => "baseline",
            Side::Candidate => "candidate",
        }
    }
}

/// Runs one side of one round and returns its results.
pub trait RoundExecutor {
    /// Runs `side` for round `round` (1-based).
    fn run(&mut self, side: Side, round: usize) -> anyhow::Result<ResultsFile>;
}

/// A monotonic clock: time since some fixed origin.
pub trait Clock {
    /// Time since the origin.
    fn now(&self) -> Duration;
}

/// The real clock, from its creation.
pub struct MonotonicClock(Instant);

impl MonotonicClock {
    /// A clock starting now.
    pub fn start() -> Self {
        MonotonicClock(Instant::now())
    }
}

impl Clock for MonotonicClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// What every `run` invocation gets, the same on both sides.
#[derive(Clone, Debug, Default)]
pub struct Invocation {
    /// `--seed`.
    pub seed: u64,
    /// `--bench-time`.
    pub bench_time: Duration,
    /// `--filter`, each.
    pub filters: Vec<String>,
    /// `--suite`, each.
    pub suites: Vec<String>,
    /// Extra arguments, appended.
    pub extra: Vec<String>,
}

/// Runs `CMD run --processes 1 --seed S --bench-time T -o FILE [--filter
/// F]… [--suite S]… [EXTRA]…` for each side, writing each round's results
/// file into a directory (`round-NNNN-baseline.json`,
/// `round-NNNN-candidate.json`).
pub struct CommandExecutor {
    /// Baseline command (program and arguments before `run`, split on
    /// whitespace).
    pub baseline: String,
    /// Candidate command, in paired mode.
    pub candidate: Option<String>,
    /// Where the round files go.
    pub dir: PathBuf,
    /// The `run` arguments.
    pub invocation: Invocation,
}

/// Splits a command on whitespace into the program and its arguments.
pub fn split_cmd(cmd: &str) -> anyhow::Result<(String, Vec<String>)> {
    let mut parts = cmd.split_whitespace().map(str::to_string);
    let Some(prog) = parts.next() else {
        bail!("empty command");
    };
    Ok((prog, parts.collect()))
}

impl CommandExecutor {
    /// The results file of `side` in round `round`.
    pub fn path(&self, side: Side, round: usize) -> PathBuf {
        self.dir
            .join(format!("round-{round:04}-{}.json", side.name()))
    }

    fn invoke(&self, cmd: &str, out: &Path) -> anyhow::Result<ResultsFile> {
        let (prog, pre) = split_cmd(cmd)?;
        let inv = &self.invocation;
        let mut c = Command::new(&prog);
        c.args(pre)
            .arg("run")
            .args(["--processes", "1"])
            .args(["--seed", &inv.seed.to_string()])
            .args([
                "--bench-time",
                &format!("{}ms", inv.bench_time.as_millis().max(1)),
            ])
            .arg("-o")
            .arg(out);
        for f in &inv.filters {
            c.args(["--filter", f]);
        }
        for s in &inv.suites {
            c.args(["--suite", s]);
        }
        c.args(&inv.extra);
        let output = c
            .output()
            .with_context(|| format!("starting {prog:?} (from {cmd:?})"))?;
        // `run` exits 0, or 3 when some benchmarks failed (results written).
        match output.status.code() {
            Some(0) | Some(3) => {}
            _ => bail!(
                "{cmd:?} run failed ({}):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ),
        }
        load(out).with_context(|| format!("results of {cmd:?}"))
    }
}

impl RoundExecutor for CommandExecutor {
    fn run(&mut self, side: Side, round: usize) -> anyhow::Result<ResultsFile> {
        let cmd = match side {
            Side::Baseline => self.baseline.clone(),
            Side::Candidate => match &self.candidate {
                Some(c) => c.clone(),
                None => bail!("no candidate command (repeated-run mode)"),
            },
        };
        self.invoke(&cmd, &self.path(side, round))
    }
}
