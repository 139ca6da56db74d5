//! The worker side of process-level repetition on the host.
//!
//! `pqbench run` re-executes its own binary as `pqbench __worker --request
//! JSON` once per replication and benchmark (the request is a
//! [`crate::target::job::Job`]; this module serves its host kind). The
//! worker measures the timer, measures the one benchmark with
//! [`super::engine::measure`], prints one JSON line ([`WorkerReport`]) on
//! stdout and exits 0. Anything else (non-zero exit, no report) is a failure
//! of that replication.

use super::engine::{self, Calibration, EngineConfig, Measurement};
use crate::results::{Metric, ThroughputSpec, TimerInfo};
use pqbench_workloads::Throughput;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// The name of the hidden subcommand a worker runs.
pub use super::repeat::SUBCOMMAND;

/// What the parent asks one worker process to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerRequest {
    /// Benchmark id, `suite/name/implementation/params`.
    pub id: String,
    /// Input seed.
    pub seed: u64,
    /// Budget of the whole process in nanoseconds.
    pub budget_ns: u64,
    /// Sample cap.
    pub max_samples: usize,
    /// Calibration to reuse (from the benchmark's first process).
    pub forced: Option<Calibration>,
}

/// What a worker sends back (one JSON line on stdout).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerReport {
    /// Benchmark id.
    pub id: String,
    /// OS process id of the worker.
    pub pid: u32,
    /// Timer overhead and resolution measured at the start of the worker.
    pub timer: TimerInfo,
    /// The measurement.
    pub measurement: Measurement,
    /// Work per operation, from the workload after setup.
    pub throughput: Option<ThroughputSpec>,
    /// Static metrics of the workload.
    pub static_metrics: BTreeMap<String, Metric>,
}

/// Runs `request` in this process and returns the report. Fails when the id
/// is not a registered workload.
pub fn serve(request: &WorkerRequest) -> anyhow::Result<WorkerReport> {
    let mut workload = pqbench_workloads::registry()
        .into_iter()
        .find(|w| w.id().to_string() == request.id)
        .ok_or_else(|| anyhow::anyhow!("no workload with id {:?}", request.id))?;
    let timer = super::measure_timer()?;
    // This replication's placement (randomised runs): heap, then stack, are
    // offset before the workload builds its inputs and is measured.
    let placement = super::placement::from_env()?;
    let config = EngineConfig {
        budget: Duration::from_nanos(request.budget_ns),
        max_samples: request.max_samples,
        forced: request.forced,
    };
    let pct = super::slowdown::percent();
    let mut measurement = super::placement::with_placement(placement, || {
        if pct > 0.0 && super::slowdown::applies_to(&request.id) {
            let mut slowed = super::slowdown::Slowed {
                inner: workload.as_mut(),
                pct,
            };
            engine::measure(&mut slowed, request.seed, &timer, &config)
        } else {
            engine::measure(workload.as_mut(), request.seed, &timer, &config)
        }
    });
    measurement.placement = placement;
    let throughput = workload.throughput().map(|t| match t {
        Throughput::Bytes(b) => ThroughputSpec::Bytes(b),
        Throughput::Elements(e) => ThroughputSpec::Elements(e),
    });
    let static_metrics = workload
        .static_metrics()
        .into_iter()
        .map(|m| {
            (
                m.name.to_string(),
                Metric {
                    value: m.value as f64,
                    unit: m.unit.to_string(),
                },
            )
        })
        .collect();
    Ok(WorkerReport {
        id: request.id.clone(),
        pid: std::process::id(),
        timer,
        measurement,
        throughput,
        static_metrics,
    })
}
