//! The serde data model of a results file.

pub use crate::env::Environment;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Major.minor version written into every file. Readers refuse another major
/// and accept every minor (1.0 files simply lack the fields added since:
/// 1.1 added [`BenchResult::determinism`], 1.2 the per-result environments
/// of merged files: [`ResultsFile::environments`] and
/// [`BenchResult::environment`]).
pub const SCHEMA_VERSION: &str = "1.2";

/// A whole results file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ResultsFile {
    /// `MAJOR.MINOR`; see [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Version of the pqbench that wrote the file.
    pub pqbench_version: String,
    /// `false` when the run was interrupted: the results present are
    /// complete benchmarks, but some planned ones are missing.
    pub complete: bool,
    /// Where and how the run happened.
    pub environment: Environment,
    /// One entry per (benchmark, target), or per (benchmark, target,
    /// machine) in a merged file.
    pub results: Vec<BenchResult>,
    /// Since 1.2, merged files only (`pqbench merge`): the environment of
    /// every machine whose results the file holds; a result names its own
    /// with [`BenchResult::environment`]. Empty in a file from one run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<Environment>,
}

/// The unit of every value in a [`BenchResult`].
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Wall-clock nanoseconds (host, TFLite, Edge TPU).
    Ns,
    /// CPU cycles from a cycle counter (real boards: DWT CYCCNT).
    Cycles,
    /// Retired instructions (QEMU with `-icount`, valgrind).
    Instructions,
}

/// What one sample value stands for.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Recording {
    /// Each sample is the latency of one operation.
    SingleOp,
    /// Each sample is the mean over `iterations_per_sample` operations
    /// (operations too short to time one by one).
    BatchMean,
}

/// Outcome of a benchmark on a target.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    /// Measured.
    Ok,
    /// The workload does not fit the target (RAM, flash): a real result.
    DoesNotFit {
        /// What did not fit, with numbers.
        message: String,
    },
    /// The target or workload failed (timeout, crash, device gone).
    Failed {
        /// What went wrong.
        message: String,
    },
    /// Not run (unsupported on this target, hardware absent).
    Skipped {
        /// Why.
        message: String,
    },
}

/// Raw samples of one process (or one A/B round, or one board reset): the
/// unit of replication for statistics.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProcessSamples {
    /// Per-operation values in the result's unit (see [`Recording`]).
    pub samples: Vec<f64>,
}

/// Timer characteristics measured at the start of the process(es).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct TimerInfo {
    /// Cost of one timer read, in the result's unit.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub overhead: f64,
    /// Smallest non-zero difference between two reads, in the result's unit.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub resolution: f64,
    /// The clock the host engine timed with (optional). Absent in older
    /// files, for counter results, and when the processes of one result
    /// disagreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<ClockKind>,
    /// The measured frequency of the time-stamp counter in Hz, when
    /// `clock` is [`ClockKind::Tsc`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_hz: Option<f64>,
}

impl TimerInfo {
    /// The clock in words, e.g. `TSC at 2.596 GHz` or `Instant (monotonic)`;
    /// files without `clock` were all timed with `Instant::now`.
    pub fn clock_label(&self) -> String {
        match (self.clock, self.clock_hz) {
            (Some(ClockKind::Tsc), Some(hz)) => format!("TSC at {:.3} GHz", hz / 1e9),
            (Some(ClockKind::Tsc), None) => "TSC".into(),
            (Some(ClockKind::Monotonic), _) => "Instant (monotonic)".into(),
            (None, _) => "Instant::now".into(),
        }
    }
}

/// Which clock timed the samples (see `harness/src/measure/clock.rs`).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// The x86-64 time-stamp counter (invariant TSC), converted to ns with
    /// a frequency calibrated against the monotonic clock.
    Tsc,
    /// [`std::time::Instant`]: `clock_gettime(CLOCK_MONOTONIC)` on Linux.
    Monotonic,
}

/// Work per operation.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", content = "per_op", rename_all = "snake_case")]
pub enum ThroughputSpec {
    /// Bytes per operation.
    Bytes(u64),
    /// Elements per operation.
    Elements(u64),
}

/// A number known without timing (sizes, stack, code size).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Metric {
    /// The value.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub value: f64,
    /// Its unit, e.g. `bytes`.
    pub unit: String,
}

/// Summary statistics, in the result's unit, computed from the samples.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// Smallest sample.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub min: f64,
    /// Arithmetic mean.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub mean: f64,
    /// Sample standard deviation.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub stddev: f64,
    /// 50th percentile.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub median: f64,
    /// 90th percentile.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub p90: f64,
    /// 99th percentile.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub p99: f64,
    /// 99.9th percentile.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub p999: f64,
    /// Largest sample.
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub max: f64,
    /// Median absolute deviation from the median (unscaled).
    #[serde(deserialize_with = "super::nonfinite::real")]
    pub mad: f64,
    /// Number of samples over all processes.
    pub samples: u64,
    /// Number of processes.
    pub processes: u64,
}

/// One benchmark measured on one target.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BenchResult {
    /// `suite/name/implementation/params`.
    pub id: String,
    /// `host`, `qemu:<board>`, `board:<id>`, `tflite-cpu`, `tflite-xnnpack`,
    /// `edgetpu:<n>`.
    pub target: String,
    /// Unit of all values below.
    pub unit: Unit,
    /// Outcome; when not [`Status::Ok`] the measurement fields may be empty.
    pub status: Status,
    /// What a sample stands for.
    pub recording: Recording,
    /// Operations per timed sample (1 for single-op).
    pub iterations_per_sample: u64,
    /// Raw samples per process.
    pub processes: Vec<ProcessSamples>,
    /// All samples merged, as base64 of an HdrHistogram V2 deflate-compressed
    /// encoding (values in the result's unit, 3 significant digits).
    pub histogram: Option<String>,
    /// Summary statistics.
    pub summary: Option<Summary>,
    /// Work per operation.
    pub throughput: Option<ThroughputSpec>,
    /// Static metrics (sizes, stack, code size).
    #[serde(default)]
    pub static_metrics: BTreeMap<String, Metric>,
    /// Timer overhead and resolution.
    pub timer: Option<TimerInfo>,
    /// Target-specific facts (TFLite version, first-inference latency,
    /// scenario parameters, board clock, …).
    #[serde(default)]
    pub details: BTreeMap<String, serde_json::Value>,
    /// For counter units (`instructions`, `cycles`): whether the counts are
    /// deterministic (constant, input-dependent, or varying across
    /// replications, with the spread). Absent for `ns`, for unmeasured
    /// results, for files older than schema 1.1, and when one replication
    /// of unequal samples cannot tell input dependence from variation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub determinism: Option<super::Determinism>,
    /// Since 1.2, merged files only: index into
    /// [`ResultsFile::environments`] of the machine this result was
    /// measured on. Absent: the file's top-level `environment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<usize>,
}

impl ResultsFile {
    /// An empty, not yet complete results file of the current schema
    /// version, written by this pqbench.
    pub fn new(environment: Environment) -> ResultsFile {
        ResultsFile {
            schema_version: SCHEMA_VERSION.to_string(),
            pqbench_version: env!("CARGO_PKG_VERSION").to_string(),
            complete: false,
            environment,
            results: Vec::new(),
            environments: Vec::new(),
        }
    }

    /// The environment `r` was measured on: its own in a merged file
    /// ([`BenchResult::environment`]), else the file's.
    pub fn environment_of(&self, r: &BenchResult) -> &Environment {
        r.environment
            .and_then(|i| self.environments.get(i))
            .unwrap_or(&self.environment)
    }
}

impl Unit {
    /// The short name used in tables (`ns`, `cycles`, `instructions`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Ns => "ns",
            Unit::Cycles => "cycles",
            Unit::Instructions => "instructions",
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Status {
    /// `ok`, `does_not_fit`, `failed` or `skipped`.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::DoesNotFit { .. } => "does_not_fit",
            Status::Failed { .. } => "failed",
            Status::Skipped { .. } => "skipped",
        }
    }

    /// The message of a non-`Ok` status.
    pub fn message(&self) -> Option<&str> {
        match self {
            Status::Ok => None,
            Status::DoesNotFit { message }
            | Status::Failed { message }
            | Status::Skipped { message } => Some(message),
        }
    }
}

impl BenchResult {
    /// Median of each replication's samples (type-7, as the summary), in
    /// replication order; replications without samples are skipped.
    pub fn replication_medians(&self) -> Vec<f64> {
        self.processes
            .iter()
            .filter(|p| !p.samples.is_empty())
            .map(|p| {
                let mut s = p.samples.clone();
                s.sort_by(f64::total_cmp);
                super::quantile_sorted(&s, 0.5)
            })
            .collect()
    }

    /// A measured result: fills the merged histogram and the summary from
    /// `processes`, status [`Status::Ok`]. Throughput, static metrics, timer
    /// and details are left empty for the caller to set.
    ///
    /// For the counter units (`instructions`, `cycles`) the result is
    /// classified as constant, input-dependent or varying
    /// ([`super::classify_determinism`]).
    ///
    /// Fails when there are no samples, a replication has no samples, or a
    /// sample is not a finite number (JSON cannot hold it).
    pub fn measured(
        id: String,
        target: String,
        unit: Unit,
        recording: Recording,
        iterations_per_sample: u64,
        processes: Vec<ProcessSamples>,
    ) -> Result<BenchResult, super::ResultsError> {
        if let Some(bad) = processes
            .iter()
            .flat_map(|p| p.samples.iter())
            .find(|v| !v.is_finite())
        {
            return Err(super::ResultsError::InvalidSamples(format!(
                "{id} on {target}: sample {bad} is not a finite number"
            )));
        }
        if let Some(k) = processes.iter().position(|p| p.samples.is_empty()) {
            return Err(super::ResultsError::InvalidSamples(format!(
                "{id} on {target}: replication {} of {} has no samples",
                k + 1,
                processes.len()
            )));
        }
        let determinism = match unit {
            Unit::Instructions | Unit::Cycles => super::classify_determinism(&processes),
            Unit::Ns => None,
        };
        let summary = super::summarize(&processes).ok_or_else(|| {
            super::ResultsError::InvalidSamples(format!("{id} on {target}: no samples"))
        })?;
        let histogram = super::encode_histogram(&processes)?;
        Ok(BenchResult {
            id,
            target,
            unit,
            status: Status::Ok,
            recording,
            iterations_per_sample: iterations_per_sample.max(1),
            processes,
            histogram: Some(histogram),
            summary: Some(summary),
            throughput: None,
            static_metrics: BTreeMap::new(),
            timer: None,
            details: BTreeMap::new(),
            determinism,
            environment: None,
        })
    }

    /// A result that was not measured (failed, skipped, does not fit): no
    /// samples, histogram or summary.
    pub fn not_measured(id: String, target: String, unit: Unit, status: Status) -> BenchResult {
        BenchResult {
            id,
            target,
            unit,
            status,
            recording: Recording::SingleOp,
            iterations_per_sample: 1,
            processes: Vec::new(),
            histogram: None,
            summary: None,
            throughput: None,
            static_metrics: BTreeMap::new(),
            timer: None,
            details: BTreeMap::new(),
            determinism: None,
            environment: None,
        }
    }

    /// Same as [`BenchResult::not_measured`]: a failed, skipped or
    /// does-not-fit result without samples.
    pub fn not_ok(id: String, target: String, unit: Unit, status: Status) -> BenchResult {
        BenchResult::not_measured(id, target, unit, status)
    }

    /// The decoded histogram, if the result has one.
    pub fn decoded_histogram(
        &self,
    ) -> Option<Result<hdrhistogram::Histogram<u64>, super::ResultsError>> {
        self.histogram.as_deref().map(super::decode_histogram)
    }
}
