//! Where benchmarks run. Every hardware back end sits behind one trait,
//! [`Backend`], and produces results in the one results format.
//!
//! Target specs on the command line: `host`, `qemu:<board>`, `board:<id>`,
//! `tflite-cpu`, `tflite-xnnpack`, `edgetpu:<n>`.

pub mod cortexm;
pub mod host;
pub mod tflite;

use crate::results::BenchResult;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// What the user asked `run` to do; shared by all back ends.
#[derive(Clone, Debug)]
pub struct RunPlan {
    /// Suites to run (`hash`, `detect`, `pqc`, `classical`, …); empty = the
    /// target's default suites.
    pub suites: Vec<String>,
    /// Substring filters on the benchmark id; empty = all.
    pub filters: Vec<String>,
    /// Seed for input generation.
    pub seed: u64,
    /// Time budget per benchmark (all its processes together).
    pub bench_budget: Duration,
    /// Time budget for the whole run; benchmarks not started by then are
    /// left out and the file is marked incomplete.
    pub run_budget: Option<Duration>,
    /// Processes (host) or repetitions (other targets) per benchmark.
    pub processes: u32,
    /// Cap on samples per process (or repetition).
    pub max_samples: usize,
    /// When the run started; with `run_budget`, gives the deadline.
    pub started: Instant,
    /// A user-supplied `.tflite` model (TFLite / Edge TPU targets).
    pub model: Option<PathBuf>,
    /// Path of the TFLite C library, when given.
    pub tflite_lib: Option<PathBuf>,
    /// Set by the SIGINT handler: stop after the current benchmark.
    pub cancel: Arc<AtomicBool>,
    /// Told the id of each benchmark as it starts (progress display); back
    /// ends call [`RunPlan::notify_start`].
    pub on_start: Option<StartHook>,
}

/// A callback told the id of each benchmark as it starts.
#[derive(Clone)]
pub struct StartHook(pub Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for StartHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StartHook")
    }
}

impl RunPlan {
    /// A plan with the CLI's defaults: all default suites, no filter, seed
    /// 0, 1 s per benchmark, no run budget, 2 processes, 5,000 samples.
    pub fn new() -> RunPlan {
        RunPlan {
            suites: Vec::new(),
            filters: Vec::new(),
            seed: 0,
            bench_budget: Duration::from_secs(1),
            run_budget: None,
            processes: 2,
            max_samples: 5_000,
            started: Instant::now(),
            model: None,
            tflite_lib: None,
            cancel: Arc::new(AtomicBool::new(false)),
            on_start: None,
        }
    }

    /// Tells the start hook (if any) that benchmark `id` starts now.
    pub fn notify_start(&self, id: &str) {
        if let Some(h) = &self.on_start {
            (h.0)(id);
        }
    }

    /// Time left of the run budget (`None`: no run budget).
    pub fn remaining(&self) -> Option<Duration> {
        self.run_budget
            .map(|b| b.saturating_sub(self.started.elapsed()))
    }

    /// The budget for the next benchmark when `left` benchmarks (including
    /// it) remain on this target: the per-benchmark budget, shrunk so that
    /// the remaining run budget is shared evenly. `None` when the run budget
    /// is spent or the run was cancelled: start nothing more.
    pub fn next_budget(&self, left: usize) -> Option<Duration> {
        if self.cancelled() {
            return None;
        }
        match self.remaining() {
            None => Some(self.bench_budget),
            Some(r) if r.is_zero() => None,
            Some(r) => Some(self.bench_budget.min(r / left.max(1) as u32)),
        }
    }

    /// True once SIGINT was received.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// True when `id` is selected by the plan's suites and filters, given the
    /// back end's default suites.
    pub fn selects(&self, id: &str, default_suites: &[&str]) -> bool {
        let suite = id.split('/').next().unwrap_or_default();
        let suite_ok = if self.suites.is_empty() {
            default_suites.contains(&suite)
        } else {
            self.suites.iter().any(|s| s == suite)
        };
        suite_ok
            && (self.filters.is_empty() || self.filters.iter().any(|f| id.contains(f.as_str())))
    }
}

/// A benchmark a target offers, as shown by `pqbench list`.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing {
    /// `suite/name/implementation/params`.
    pub id: String,
    /// `None` when it can run; otherwise why not (e.g. "needs 213 KiB stack,
    /// board has 192 KiB RAM").
    pub unavailable: Option<String>,
}

impl Listing {
    /// A benchmark the target can run.
    pub fn available(id: String) -> Self {
        Self {
            id,
            unavailable: None,
        }
    }
}

/// A place benchmarks run.
pub trait Backend {
    /// The target spec, e.g. `host` or `qemu:mps2-an386`.
    fn name(&self) -> String;

    /// Benchmarks this target offers under `plan`'s suites and filters.
    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>>;

    /// Runs the selected benchmarks. Each finished result goes to `sink` at
    /// once, so an interruption or a later failure loses nothing already
    /// measured. A failure of one benchmark is a result with
    /// [`Status::Failed`](crate::results::Status::Failed), not an `Err`; `Err`
    /// means the target as a whole is unusable (e.g. QEMU not installed).
    fn run(
        &mut self,
        plan: &RunPlan,
        sink: &mut dyn FnMut(BenchResult) -> anyhow::Result<()>,
    ) -> anyhow::Result<()>;
}

impl Default for RunPlan {
    fn default() -> Self {
        RunPlan::new()
    }
}

/// Builds the back end for a target spec.
pub fn from_spec(spec: &str) -> anyhow::Result<Box<dyn Backend>> {
    match spec.split_once(':') {
        None if spec == "host" => host::backend(),
        Some(("qemu", board)) => cortexm::qemu_backend(board),
        Some(("board", board)) => cortexm::board_backend(board),
        None if spec == "tflite-cpu" || spec == "tflite-xnnpack" => tflite::backend(spec),
        Some(("edgetpu", _)) => tflite::backend(spec),
        _ => anyhow::bail!(
            "unknown target {spec:?}; expected host, qemu:<board>, board:<id>, tflite-cpu, tflite-xnnpack or edgetpu:<n> (see `pqbench list --targets`)"
        ),
    }
}
