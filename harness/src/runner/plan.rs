//! What the user asked `run` to do, shared by the runner and every back end.

use std::path::PathBuf;
use std::time::Duration;

/// What the user asked `run` to do.
#[derive(Clone, Debug)]
pub struct RunPlan {
    /// Suites to run (`hash`, `detect`, `pqc`, `classical`, …); empty = the
    /// target's default suites.
    pub suites: Vec<String>,
    /// Substring filters on the benchmark id; empty = all.
    pub filters: Vec<String>,
    /// Seed for input generation.
    pub seed: u64,
    /// Time budget per benchmark (all its replications together).
    pub bench_budget: Duration,
    /// Time budget for the whole run; benchmarks not started by then are
    /// left out and the file is marked incomplete.
    pub run_budget: Option<Duration>,
    /// Independent replications per benchmark: fresh worker processes (host,
    /// TFLite, Edge TPU), fresh QEMU launches or board resets (Cortex-M).
    /// `None`: each target's own default ([`super::Backend::default_replications`]).
    pub replications: Option<u32>,
    /// Cap on samples per replication.
    pub max_samples: usize,
    /// A user-supplied `.tflite` model (TFLite / Edge TPU targets); `None`:
    /// the default model embedded in the binary.
    pub model: Option<PathBuf>,
    /// Path of the TFLite C library, when given.
    pub tflite_lib: Option<PathBuf>,
    /// Path of the LiteRT C library (`libLiteRt.so`), when given.
    pub litert_lib: Option<PathBuf>,
    /// In what order the replications of a target's benchmarks run.
    pub order: Order,
    /// Adaptive replications (sequential order): after its planned
    /// replications, a benchmark gets more, one at a time, while the 95 %
    /// interval of its 20 % trimmed geometric mean of per-replication
    /// medians is wider than this relative half-width (0.0025 = ±0.25 %),
    /// up to [`RunPlan::max_replications`] and within the run budget.
    /// `None`: exactly the planned count.
    pub precision: Option<f64>,
    /// Most replications of a benchmark with [`RunPlan::precision`];
    /// `None`: twice the planned count.
    pub max_replications: Option<u32>,
}

/// In what order a target's replications run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Every replication of one benchmark, then the next benchmark: each
    /// result is final (and on disk) as soon as its benchmark ends.
    #[default]
    Sequential,
    /// In rounds: replication 1 of every benchmark, then replication 2 of
    /// every benchmark, and so on, so that each benchmark's replications
    /// are spread over the whole run. A slow period of the machine then
    /// touches a few replications of many benchmarks (which a trimmed test
    /// discounts) instead of every replication of one benchmark (a bias no
    /// test can see). Results are assembled after the last round (or, when
    /// the run is stopped or its budget runs out, from the replications
    /// completed). Back ends whose benchmarks depend on earlier results
    /// ([`super::Backend::independent_benchmarks`]) run in sequence anyway.
    Interleaved,
}

impl RunPlan {
    /// A plan with the library's defaults: all default suites, no filter,
    /// seed 0, 1 s per benchmark, no run budget, each target's default
    /// replication count (16 for timed targets: the power simulation in
    /// `pqbench-stats`'s `power` module), 1,000 samples per replication,
    /// sequential order. `pqbench run` sets its own budgets and order.
    pub fn new() -> RunPlan {
        RunPlan {
            suites: Vec::new(),
            filters: Vec::new(),
            seed: 0,
            bench_budget: Duration::from_secs(1),
            run_budget: None,
            replications: None,
            max_samples: 1_000,
            model: None,
            tflite_lib: None,
            litert_lib: None,
            order: Order::Sequential,
            precision: None,
            max_replications: None,
        }
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

impl Default for RunPlan {
    fn default() -> Self {
        RunPlan::new()
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
