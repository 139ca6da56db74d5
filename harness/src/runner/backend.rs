//! What a back end implements ([`Backend`]: list, prepare, one replication
//! of one benchmark, assemble) and the object-safe [`Target`] the CLI holds.

use super::cancel::CancelToken;
use super::plan::{Listing, RunPlan};
use crate::results::{BenchResult, ProcessSamples, Recording, Status, Unit};
use serde_json::Value;
use std::time::Duration;

/// Replications per benchmark of a timed target when the user gives none:
/// with Yuen's 20 % trimmed t on per-replication medians, Holm over the
/// suite and the gate's defaults, 16 replications sharing the benchmark's
/// budget flag a 3 % shift in every row and 1 % in about two thirds, and
/// stay robust to a replication disturbed as a whole, which 10 with Welch's
/// t were not (the power simulation of `pqbench-stats`, `power` module, and
/// real runs: docs/evidence.md).
pub const DEFAULT_REPLICATIONS: u32 = 16;

/// One replication of one benchmark, as the runner asks for it.
#[derive(Debug)]
pub struct Replication<'a, R> {
    /// Benchmark id.
    pub id: &'a str,
    /// 0-based replication index.
    pub index: u32,
    /// Replications of this benchmark.
    pub count: u32,
    /// This replication's budget (the benchmark's, shared evenly).
    pub budget: Duration,
    /// Input seed.
    pub seed: u64,
    /// Sample cap of this replication.
    pub max_samples: usize,
    /// The first replication's report (calibration and other state later
    /// replications reuse); `None` for the first.
    pub first: Option<&'a R>,
    /// Raised on SIGINT/SIGTERM: stop within a second, return
    /// [`Outcome::Cancelled`].
    pub cancel: &'a CancelToken,
}

/// How one replication ended.
#[derive(Debug)]
pub enum Outcome<R> {
    /// Measured.
    Done(R),
    /// The benchmark cannot go on (failed, does not fit); what was measured
    /// before the stop, if anything, is in `partial`.
    Stopped {
        /// Why (not [`Status::Ok`]).
        status: Status,
        /// Samples received before the stop, when the back end keeps them.
        partial: Option<R>,
    },
    /// The cancel token was raised; the replication was abandoned.
    Cancelled,
}

/// The benchmark a result is assembled for.
#[derive(Clone, Copy, Debug)]
pub struct Bench<'a> {
    /// Benchmark id.
    pub id: &'a str,
    /// Target spec.
    pub target: &'a str,
    /// The benchmark's budget (all replications).
    pub budget: Duration,
    /// Input seed.
    pub seed: u64,
    /// Replications asked for.
    pub replications: u32,
}

/// A place benchmarks run. Back ends know nothing of budget sharing, files
/// or signals: the [`super::Runner`] asks them for one replication at a
/// time.
pub trait Backend {
    /// What one replication reports: its samples, per-replication details
    /// and whatever later replications and [`Backend::assemble`] need.
    /// (`Clone`: the interleaved order writes provisional results of
    /// benchmarks still under way after every round.)
    type Replica: Clone;

    /// The target spec, e.g. `host` or `qemu:mps2-an386`.
    fn name(&self) -> String;

    /// Replications per benchmark when the user gives none:
    /// [`DEFAULT_REPLICATIONS`] for timed targets, whose replications vary;
    /// a back end whose counters are deterministic may need fewer.
    fn default_replications(&self) -> u32 {
        DEFAULT_REPLICATIONS
    }

    /// True when a benchmark's replications do not depend on other
    /// benchmarks' results, so the runner may interleave them
    /// ([`super::Order::Interleaved`]). A back end whose later benchmarks
    /// read earlier ones' results (in [`Backend::assemble`]) says `false`
    /// and runs in sequence.
    fn independent_benchmarks(&self) -> bool {
        true
    }

    /// Benchmarks this target offers under `plan`'s suites and filters.
    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>>;

    /// Readies the target (loads libraries, builds and boots firmware) and
    /// returns the ids to run, in order. `Err`: the target as a whole is
    /// unusable (e.g. QEMU not installed).
    fn prepare(&mut self, plan: &RunPlan) -> anyhow::Result<Vec<String>>;

    /// Runs one replication of one benchmark. A failure is
    /// [`Outcome::Stopped`], never a panic.
    fn replicate(&mut self, job: &Replication<'_, Self::Replica>) -> Outcome<Self::Replica>;

    /// Builds the benchmark's result from its replications (unit,
    /// recording, details, static metrics). `stopped` is the status of a
    /// replication that ended the benchmark early.
    fn assemble(
        &mut self,
        bench: &Bench<'_>,
        replicas: Vec<Self::Replica>,
        stopped: Option<Status>,
    ) -> BenchResult;
}

/// A [`Backend`] with its replica type hidden, as `from_spec` returns it.
pub trait Target {
    /// The target spec.
    fn name(&self) -> String;
    /// Benchmarks this target offers.
    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>>;
    /// Runs the plan's benchmarks on this target through `run`.
    fn run_with(&mut self, run: &mut super::RunState<'_>) -> anyhow::Result<()>;
}

impl<B: Backend> Target for B {
    fn name(&self) -> String {
        Backend::name(self)
    }
    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>> {
        Backend::list(self, plan)
    }
    fn run_with(&mut self, run: &mut super::RunState<'_>) -> anyhow::Result<()> {
        run.run_backend(self)
    }
}

/// A failed result (no samples).
pub fn failed(id: &str, target: &str, unit: Unit, message: String) -> BenchResult {
    BenchResult::not_ok(id.into(), target.into(), unit, Status::Failed { message })
}

/// A measured result from per-replication samples, with
/// `details.per_process` (one object per replication) and the benchmark's
/// seed and budget; a failed result when the samples are unusable.
pub fn measured(
    bench: &Bench<'_>,
    unit: Unit,
    recording: Recording,
    iterations_per_sample: u64,
    replicas: Vec<(Vec<f64>, Value)>,
) -> BenchResult {
    let (samples, per): (Vec<_>, Vec<_>) = replicas.into_iter().unzip();
    let processes = samples
        .into_iter()
        .map(|samples| ProcessSamples { samples })
        .collect();
    match BenchResult::measured(
        bench.id.into(),
        bench.target.into(),
        unit,
        recording,
        iterations_per_sample,
        processes,
    ) {
        Ok(mut r) => {
            let d = &mut r.details;
            d.insert("seed".into(), bench.seed.into());
            d.insert(
                "budget_ns".into(),
                (bench.budget.as_nanos().min(u128::from(u64::MAX)) as u64).into(),
            );
            d.insert("per_process".into(), Value::Array(per));
            r
        }
        Err(e) => failed(bench.id, bench.target, unit, e.to_string()),
    }
}
