//! The serde data model of a results file.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Major.minor version written into every file. Readers refuse another major.
pub const SCHEMA_VERSION: &str = "1.0";

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
    pub environment: serde_json::Value,
    /// One entry per (benchmark, target).
    pub results: Vec<BenchResult>,
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
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
pub struct TimerInfo {
    /// Cost of one timer read, in the result's unit.
    pub overhead: f64,
    /// Smallest non-zero difference between two reads, in the result's unit.
    pub resolution: f64,
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
    pub value: f64,
    /// Its unit, e.g. `bytes`.
    pub unit: String,
}

/// Summary statistics, in the result's unit, computed from the samples.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// Smallest sample.
    pub min: f64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub stddev: f64,
    /// 50th percentile.
    pub median: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Largest sample.
    pub max: f64,
    /// Median absolute deviation from the median (unscaled).
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
}
