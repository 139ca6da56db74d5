//! Google Benchmark's JSON output (`--benchmark_format=json`), readable by
//! its `compare.py`, Bencher's `cpp_google` adapter and
//! github-action-benchmark's `googlecpp` tool.
//!
//! `context` describes the machine (date, host name, CPUs, the pqbench
//! build type). `benchmarks` holds, per measured `ns` result, one
//! `run_type: "iteration"` entry per replication (process) — `iterations`
//! the operations it timed, `real_time` its mean per operation — and the
//! aggregates `_mean`, `_median` and `_stddev` over the replications
//! (`run_type: "aggregate"`), as Google Benchmark writes them with
//! `--benchmark_repetitions`. pqbench measures wall-clock time only:
//! `cpu_time` repeats `real_time`. Counter results (`instructions`,
//! `cycles`) have no time and are left out.

use super::Exporter;
use super::ci_common::{bench_name, measured};
use crate::results::{ResultsFile, Unit};
use serde_json::json;

/// Google Benchmark JSON.
pub struct GbenchExporter;

impl Exporter for GbenchExporter {
    fn serialize(&self, file: &ResultsFile) -> anyhow::Result<Vec<u8>> {
        let env = &file.environment;
        let context = json!({
            "date": env.time.clone().unwrap_or_default(),
            "host_name": env.hostname.clone().unwrap_or_default(),
            "executable": env.command.as_ref().and_then(|c| c.first().cloned()).unwrap_or_else(|| "pqbench".into()),
            "num_cpus": env.logical_cores.unwrap_or(0),
            "mhz_per_cpu": 0,
            "cpu_scaling_enabled": env.governor.as_deref().is_some_and(|g| g != "performance"),
            "caches": [],
            "library_version": format!("pqbench {}", file.pqbench_version),
            "library_build_type": if env.profile.as_deref() == Some("debug") { "debug" } else { "release" },
        });
        let mut benchmarks = Vec::new();
        for (family, (r, _)) in measured(file)
            .filter(|(r, _)| r.unit == Unit::Ns)
            .enumerate()
        {
            let name = bench_name(file, r);
            let means: Vec<f64> = r
                .processes
                .iter()
                .filter(|p| !p.samples.is_empty())
                .map(|p| p.samples.iter().sum::<f64>() / p.samples.len() as f64)
                .collect();
            let reps = means.len();
            for (k, (p, mean)) in r
                .processes
                .iter()
                .filter(|p| !p.samples.is_empty())
                .zip(&means)
                .enumerate()
            {
                benchmarks.push(json!({
                    "name": name,
                    "family_index": family,
                    "per_family_instance_index": 0,
                    "run_name": name,
                    "run_type": "iteration",
                    "repetitions": reps,
                    "repetition_index": k,
                    "threads": 1,
                    "iterations": p.samples.len() as u64 * r.iterations_per_sample.max(1),
                    "real_time": mean,
                    "cpu_time": mean,
                    "time_unit": "ns",
                }));
            }
            let mut sorted = means.clone();
            sorted.sort_by(f64::total_cmp);
            let mean = means.iter().sum::<f64>() / reps.max(1) as f64;
            let median = if sorted.is_empty() {
                0.0
            } else {
                crate::results::quantile_sorted(&sorted, 0.5)
            };
            let stddev = if reps > 1 {
                (means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt()
            } else {
                0.0
            };
            for (agg, v) in [("mean", mean), ("median", median), ("stddev", stddev)] {
                benchmarks.push(json!({
                    "name": format!("{name}_{agg}"),
                    "family_index": family,
                    "per_family_instance_index": 0,
                    "run_name": name,
                    "run_type": "aggregate",
                    "repetitions": reps,
                    "threads": 1,
                    "aggregate_name": agg,
                    "aggregate_unit": "time",
                    "iterations": reps,
                    "real_time": v,
                    "cpu_time": v,
                    "time_unit": "ns",
                }));
            }
        }
        let mut bytes =
            serde_json::to_vec_pretty(&json!({ "context": context, "benchmarks": benchmarks }))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
