//! What the parent asks an inference worker process (TFLite, LiteRT, Edge
//! TPU) for, and what it reports.

use crate::measure::repeat::Reply;
use crate::results::Recording;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One replication of one TFLite / Edge TPU scenario, in a fresh worker
/// process with a fresh interpreter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TfliteJob {
    /// Benchmark id, `accel/<model>/<target>/<scenario>`.
    pub id: String,
    /// Target spec: `tflite-cpu`, `tflite-xnnpack`, `litert-cpu[:…]` or
    /// `edgetpu:<n>`.
    pub spec: String,
    /// `load`, `single-stream`, `offline` or `server`.
    pub scenario: String,
    /// A `.tflite` file; `None`: the model embedded in the binary.
    pub model: Option<PathBuf>,
    /// The TFLite C library the parent found (TFLite and Edge TPU targets).
    pub tflite_lib: Option<PathBuf>,
    /// The LiteRT C library the parent found (`litert-cpu`).
    #[serde(default)]
    pub litert_lib: Option<PathBuf>,
    /// The runtime version the parent identified (LiteRT: the wheel's,
    /// from the library's SHA-256; the library has no version call).
    #[serde(default)]
    pub runtime_version: Option<String>,
    /// SHA-256 of the runtime library, when the parent hashed it.
    #[serde(default)]
    pub runtime_sha256: Option<String>,
    /// Interpreter threads.
    pub threads: u32,
    /// Input seed.
    pub seed: u64,
    /// This replication's budget, in nanoseconds.
    pub budget_ns: u64,
    /// Query cap (single-stream).
    pub max_samples: usize,
    /// Server scenario: the rate range and bound to search. The first
    /// replication gets the single-stream median / offline rate measured
    /// earlier in the run when there are any (else it calibrates itself
    /// with 64 single-stream queries); later replications get the first
    /// one's calibration, so every replication searches the same range.
    pub server: Option<ServerCalibration>,
    /// Server scenario: single-stream median measured earlier in the run.
    pub known_median_ns: Option<f64>,
    /// Server scenario: offline inferences/s measured earlier in the run.
    pub known_qps: Option<f64>,
    /// Server scenario: p99 bound from `PQBENCH_SERVER_P99_MS`.
    pub p99_bound_ns: Option<f64>,
}

/// The server search's range and bound.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerCalibration {
    /// Single-stream median (ns) the range is based on.
    pub median_ns: f64,
    /// Highest rate tried (queries/s).
    pub max_qps: f64,
    /// p99 bound (ns).
    pub bound_ns: f64,
}

/// What a TFLite worker reports (one JSON line).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TfliteReport {
    /// Benchmark id.
    pub id: String,
    /// How the samples were taken.
    pub recording: Recording,
    /// Inferences per sample.
    pub per_sample: u64,
    /// Nanoseconds per inference, one value per sample.
    pub samples: Vec<f64>,
    /// Facts of this replication (pid, first inference, interpreter
    /// creation, percentiles, rates…): `details.per_process`.
    pub replica: BTreeMap<String, Value>,
    /// Facts of the scenario (library, model, delegate…), the same for
    /// every replication.
    pub scenario: BTreeMap<String, Value>,
    /// Server scenario: the calibration used.
    pub server: Option<ServerCalibration>,
}

impl Reply for TfliteReport {
    fn id(&self) -> &str {
        &self.id
    }
}
