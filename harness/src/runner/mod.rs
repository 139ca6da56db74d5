//! The runner: one scheduler for every back end.
//!
//! The [`Runner`] owns the plan, the budgets ([`budget`]), the replication
//! count, cancellation ([`cancel`], raised by [`signals`]), progress (an
//! [`Observer`]) and the results file ([`writer`], rewritten atomically
//! after every benchmark). A back end ([`Backend`]) only lists its
//! benchmarks, readies itself, runs **one replication of one benchmark** at
//! a time and assembles a result from the replications; it knows nothing of
//! budget sharing, files or signals.
//!
//! For each benchmark the runner takes `min(--bench-time, time left /
//! benchmarks left)`, splits it evenly between the replications, and asks
//! the back end for each replication in turn (later ones see the first's
//! report, e.g. its calibration). A replication that stops the benchmark
//! (failure, does not fit) ends it with that status; a raised cancel token
//! drops the benchmark in flight and ends the run, keeping every finished
//! result.

mod adaptive;
pub mod backend;
pub mod budget;
pub mod cancel;
pub mod observer;
pub mod plan;
mod rounds;
pub mod signals;
pub mod writer;

#[cfg(test)]
mod tests;

pub use backend::{Backend, Bench, DEFAULT_REPLICATIONS, Outcome, Replication, Target};
pub use budget::{Budget, parse_duration};
pub use cancel::{CancelToken, Interrupt};
pub use observer::{Observer, Silent};
pub use plan::{Listing, Order, RunPlan};
pub use writer::ResultsWriter;

use crate::results::{BenchResult, ResultsFile, Status, TimerInfo};
use std::path::PathBuf;
use std::time::Duration;

/// Runs a plan on targets and writes the results file.
pub struct Runner {
    plan: RunPlan,
    cancel: CancelToken,
    output: PathBuf,
}

/// How a run ended.
#[derive(Debug)]
pub struct Finished {
    /// The file as written (when it has results).
    pub file: ResultsFile,
    /// Benchmarks planned (runnable ones of every target).
    pub planned: usize,
    /// Set when SIGINT/SIGTERM (or a raised token) stopped the run.
    pub interrupted: Option<Interrupt>,
    /// A target failed as a whole.
    pub target_failed: bool,
    /// Measurement time (listing excluded).
    pub elapsed: Duration,
}

impl Finished {
    /// True when some benchmark's status is failed.
    pub fn any_failed(&self) -> bool {
        self.file
            .results
            .iter()
            .any(|r| matches!(r.status, Status::Failed { .. }))
    }

    /// True when the run budget ran out before every benchmark ran.
    pub fn budget_spent(&self) -> bool {
        !self.file.complete && self.interrupted.is_none() && !self.target_failed
    }
}

/// Runnable benchmarks of a set of targets, and why others cannot run.
#[derive(Debug, Default)]
pub struct Census {
    /// Runnable benchmarks.
    pub runnable: usize,
    /// Distinct reasons benchmarks are unavailable.
    pub reasons: Vec<String>,
}

impl Runner {
    /// A runner of `plan`, stopped by `cancel`, writing to `output`.
    pub fn new(plan: RunPlan, cancel: CancelToken, output: PathBuf) -> Runner {
        Runner {
            plan,
            cancel,
            output,
        }
    }

    /// The plan.
    pub fn plan(&self) -> &RunPlan {
        &self.plan
    }

    /// Lists every target: what can run. `Err` when nothing can, with the
    /// reasons, or when the results file cannot be written.
    pub fn census(&self, targets: &[Box<dyn Target>]) -> anyhow::Result<Census> {
        let mut c = Census::default();
        for t in targets {
            let listing = t.list(&self.plan)?;
            c.runnable += listing.iter().filter(|l| l.unavailable.is_none()).count();
            for l in &listing {
                if let Some(why) = &l.unavailable
                    && !c.reasons.contains(why)
                {
                    c.reasons.push(why.clone());
                }
            }
        }
        if c.runnable == 0 {
            let why = if c.reasons.is_empty() {
                String::new()
            } else {
                let more = c.reasons.len().saturating_sub(5);
                let tail = if more > 0 {
                    format!(" (+{more} more)")
                } else {
                    String::new()
                };
                format!(
                    "; unavailable: {}{tail}",
                    c.reasons[..c.reasons.len().min(5)].join("; ")
                )
            };
            let names: Vec<String> = targets.iter().map(|t| t.name()).collect();
            anyhow::bail!(
                "no benchmark matches suites {:?} and filters {:?} on {:?}{why} (see `pqbench list`)",
                self.plan.suites,
                self.plan.filters,
                names
            );
        }
        ResultsWriter::check_writable(&self.output)?;
        Ok(c)
    }

    /// A new results file: the environment, with the host timer measured now.
    /// Fails when the clock cannot be chosen (`PQBENCH_CLOCK`).
    pub fn new_file() -> anyhow::Result<(ResultsFile, TimerInfo)> {
        let timer = crate::measure::measure_timer()?;
        let mut environment = crate::env::Environment::capture();
        environment.host_timer = Some(timer);
        Ok((ResultsFile::new(environment), timer))
    }

    /// Runs every target in turn, `planned` benchmarks in all, adding the
    /// results to `file` and rewriting it after every benchmark. Stops
    /// starting benchmarks once the run budget is spent or the token is
    /// raised; the file says `complete: false` then.
    pub fn run(
        &self,
        targets: Vec<Box<dyn Target>>,
        file: ResultsFile,
        planned: usize,
        observer: &mut dyn Observer,
    ) -> anyhow::Result<Finished> {
        let mut state = RunState {
            plan: &self.plan,
            budget: Budget::new(self.plan.bench_budget, self.plan.run_budget),
            cancel: &self.cancel,
            observer,
            writer: ResultsWriter::new(self.output.clone(), file),
            overshoot: Duration::ZERO,
            measured: 0,
            short: false,
        };
        state.budget.start();
        let mut target_failed = false;
        for mut t in targets {
            if self.cancel.is_cancelled() || state.budget.spent() {
                break;
            }
            if let Err(e) = t.run_with(&mut state) {
                target_failed = true;
                state
                    .observer
                    .note(&format!("error: target {}: {e:#}", t.name()));
            }
        }
        let elapsed = state.budget.elapsed();
        let interrupted = self
            .cancel
            .is_cancelled()
            .then(|| self.cancel.reason().unwrap_or(Interrupt::Sigint));
        let complete = interrupted.is_none()
            && !target_failed
            && !state.short
            && state.writer.file().results.len() >= planned;
        let file = state.writer.finish(complete)?;
        Ok(Finished {
            file,
            planned,
            interrupted,
            target_failed,
            elapsed,
        })
    }
}

/// A run in progress, handed to each [`Target`].
pub struct RunState<'a> {
    plan: &'a RunPlan,
    budget: Budget,
    cancel: &'a CancelToken,
    observer: &'a mut dyn Observer,
    writer: ResultsWriter,
    /// Time the benchmarks so far took beyond their budgets, summed.
    overshoot: Duration,
    /// Benchmarks measured so far (the divisor of `overshoot`).
    measured: u32,
    /// Set when the run budget ended rounds of replications early: some
    /// results have fewer replications than asked.
    short: bool,
}

impl RunState<'_> {
    /// Runs the plan's benchmarks on `backend`: one after the other, or in
    /// rounds of one replication each ([`Order::Interleaved`], [`rounds`]).
    pub fn run_backend<B: Backend + ?Sized>(&mut self, backend: &mut B) -> anyhow::Result<()> {
        if self.cancel.is_cancelled() {
            return Ok(());
        }
        let ids = backend.prepare(self.plan)?;
        if self.plan.order == Order::Interleaved
            && backend.independent_benchmarks()
            && ids.len() > 1
        {
            return self.run_rounds(backend, &ids);
        }
        let target = backend.name();
        for (i, id) in ids.iter().enumerate() {
            if self.cancel.is_cancelled() {
                break;
            }
            // What the benchmarks so far took beyond their budgets (worker or
            // emulator start, input setup), on average: taken from the run
            // budget's share so the run ends within --time-budget.
            let overhead = self
                .overshoot
                .checked_div(self.measured)
                .unwrap_or(Duration::ZERO);
            let Some(budget) = self.budget.next_with_overhead(ids.len() - i, overhead) else {
                break;
            };
            self.observer.started(id, &target);
            let started = std::time::Instant::now();
            let Some(result) = self.benchmark(backend, id, &target, budget) else {
                break;
            };
            self.overshoot += started.elapsed().saturating_sub(budget);
            self.measured += 1;
            self.push(result)?;
        }
        Ok(())
    }

    /// Writes a finished result and tells the observer.
    fn push(&mut self, result: BenchResult) -> anyhow::Result<()> {
        self.writer.push(result)?;
        if let Some(r) = self.writer.file().results.last() {
            self.observer.finished(r);
        }
        Ok(())
    }

    /// Replications per benchmark on `backend`: the plan's, or its own
    /// default.
    fn replications<B: Backend + ?Sized>(&self, backend: &B) -> u32 {
        self.plan
            .replications
            .unwrap_or_else(|| backend.default_replications())
            .max(1)
    }

    /// One benchmark: its replications, then the result. `None` when the
    /// token was raised (the benchmark in flight is dropped).
    fn benchmark<B: Backend + ?Sized>(
        &mut self,
        backend: &mut B,
        id: &str,
        target: &str,
        budget: Duration,
    ) -> Option<BenchResult> {
        let count = self.replications(backend);
        let per = Budget::per_replication(budget, count);
        let mut bench = Pending::new(id, count);
        while bench.left() > 0 {
            match self.replicate(backend, &mut bench, per) {
                Step::Measured => {}
                Step::Stopped => break,
                Step::Cancelled => return None,
            }
        }
        if self.adapt(backend, &mut bench, target, per) == Step::Cancelled {
            return None;
        }
        bench.budget = budget.max(bench.budget);
        Some(bench.assemble(backend, target, self.plan.seed))
    }

    /// The next replication of `bench`, with budget `per`.
    fn replicate<B: Backend + ?Sized>(
        &mut self,
        backend: &mut B,
        bench: &mut Pending<B::Replica>,
        per: Duration,
    ) -> Step {
        if self.cancel.is_cancelled() {
            return Step::Cancelled;
        }
        let (index, count) = (bench.done, bench.count);
        let job = Replication {
            id: &bench.id,
            index,
            count,
            budget: per,
            seed: self.plan.seed,
            max_samples: self.plan.max_samples,
            first: bench.replicas.first(),
            cancel: self.cancel,
        };
        let outcome = backend.replicate(&job);
        bench.done += 1;
        bench.budget += per;
        // A worker or emulator killed by the same signal looks like a
        // failure: the token decides.
        if self.cancel.is_cancelled() {
            return Step::Cancelled;
        }
        match outcome {
            Outcome::Done(r) => {
                bench.replicas.push(r);
                Step::Measured
            }
            Outcome::Cancelled => Step::Cancelled,
            Outcome::Stopped { status, partial } => {
                bench.replicas.extend(partial);
                bench.stopped = Some(match status {
                    Status::Failed { message } => Status::Failed {
                        message: format!("replication {}/{count}: {message}", index + 1),
                    },
                    Status::Ok => Status::Failed {
                        message: format!(
                            "replication {}/{count}: stopped without a reason",
                            index + 1
                        ),
                    },
                    other => other,
                });
                Step::Stopped
            }
        }
    }
}

/// How one replication went, for the schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Measured; the benchmark goes on.
    Measured,
    /// The benchmark cannot go on (its status is set).
    Stopped,
    /// The token was raised.
    Cancelled,
}

/// A benchmark whose replications are under way.
#[derive(Clone)]
struct Pending<R> {
    id: String,
    /// Replications asked for.
    count: u32,
    /// Replications run so far (measured or not).
    done: u32,
    /// The replications' budgets, summed.
    budget: Duration,
    replicas: Vec<R>,
    /// Set when a replication ended the benchmark early.
    stopped: Option<Status>,
}

impl<R> Pending<R> {
    fn new(id: &str, count: u32) -> Self {
        Pending {
            id: id.to_string(),
            count,
            done: 0,
            budget: Duration::ZERO,
            replicas: Vec::new(),
            stopped: None,
        }
    }

    /// Replications still to run (none once stopped).
    fn left(&self) -> u32 {
        if self.stopped.is_some() {
            0
        } else {
            self.count - self.done
        }
    }

    /// The result from the replications so far, leaving them in place.
    fn provisional<B: Backend<Replica = R> + ?Sized>(
        &self,
        backend: &mut B,
        target: &str,
        seed: u64,
    ) -> BenchResult
    where
        R: Clone,
    {
        self.clone().assemble(backend, target, seed)
    }

    /// The result from the replications so far.
    fn assemble<B: Backend<Replica = R> + ?Sized>(
        self,
        backend: &mut B,
        target: &str,
        seed: u64,
    ) -> BenchResult {
        let bench = Bench {
            id: &self.id,
            target,
            budget: self.budget,
            seed,
            replications: self.count,
        };
        let mut result = backend.assemble(&bench, self.replicas, self.stopped.clone());
        if let Some(s) = self.stopped
            && result.status == Status::Ok
        {
            result.status = s;
        }
        result
    }
}
