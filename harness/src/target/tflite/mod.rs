//! Inference back ends over two runtimes, via `pqbench-accel`: TensorFlow
//! Lite 2.6 (CPU, XNNPACK, Edge TPU delegate) and LiteRT 2.3 (CompiledModel
//! C API). One back end, one worker and one set of scenarios for both
//! ([`pqbench_accel::Engine`]); [`kind`] says which runtime a spec names.
//!
//! Targets: `tflite-cpu` (TFLite's CPU kernels), `tflite-xnnpack` (the
//! XNNPACK delegate), `edgetpu:<n>` (device n of `edgetpu_list_devices`),
//! `litert-cpu[:threads=N][:kernels=builtin]` (LiteRT's CPU accelerator,
//! XNNPACK by default). Model: `pqbench run --model FILE` (any `.tflite`,
//! like TFLite's `benchmark_model`), default the project's detection model
//! embedded in the binary ([`pqbench_accel::DEFAULT_MODEL`]). Each model
//! gets four benchmarks: `accel/<model>/<target>/load` (one cold model load
//! per fresh process: read, build/compile, delegate, first tensor
//! allocation) and, MLPerf LoadGen style, `…/single-stream`, `…/offline`
//! and `…/server`.
//!
//! Every replication is a fresh `pqbench __worker` process with a fresh
//! runtime running one scenario ([`worker`], [`scenarios`]); its samples are
//! one entry of `processes`, its facts (pid, first inference, model load,
//! percentiles, rates) one entry of `details.per_process`. The server
//! scenario's rate range comes from the single-stream median and offline
//! rate measured earlier in the run, else the first replication calibrates
//! it (64 single-stream queries); later replications reuse the first's.
//!
//! Environment knobs: `PQBENCH_TFLITE_THREADS` (default 1; `litert-cpu:threads=N`
//! overrides it for LiteRT), `PQBENCH_SERVER_P99_MS` (server p99 bound;
//! default 10 ms, or 20 × the single-stream median when that is larger).

pub mod job;
pub mod kind;
pub mod scenarios;
pub mod text;
pub mod worker;

use super::job::Job;
use crate::measure::repeat::run_worker;
use crate::results::{BenchResult, Status, Unit};
use crate::runner::{Backend, Bench, Listing, Outcome, Replication, RunPlan, Target, backend};
use job::{TfliteJob, TfliteReport};
pub use kind::Kind;
use kind::Runtime;
use pqbench_accel::TfliteLibrary;
use pqbench_accel::edgetpu::EdgeTpuLibrary;
use pqbench_accel::litert::{CompiledModel, LiteRtLibrary};
use serde_json::{Value, json};
use std::path::PathBuf;

const SCENARIOS: [&str; 4] = ["load", "single-stream", "offline", "server"];

/// A TFLite, LiteRT or Edge TPU target.
pub fn backend(spec: &str) -> anyhow::Result<Box<dyn Target>> {
    let kind = Kind::parse(spec)?;
    let exe = std::env::current_exe()
        .map_err(|e| anyhow::anyhow!("cannot find the pqbench executable to re-run: {e}"))?;
    Ok(Box::new(TfliteBackend {
        spec: spec.to_string(),
        kind,
        exe,
        ready: None,
        single_median: None,
        offline_qps: None,
    }))
}

/// What `prepare` found, handed to every worker.
struct Ready {
    lib: PathBuf,
    runtime_version: Option<String>,
    runtime_sha256: Option<String>,
    model: Option<PathBuf>,
    threads: u32,
    p99_bound_ns: Option<f64>,
}

struct TfliteBackend {
    spec: String,
    kind: Kind,
    exe: PathBuf,
    ready: Option<Ready>,
    /// Pooled single-stream median of this run (for the server scenario).
    single_median: Option<f64>,
    /// Mean offline inferences/s of this run (for the server scenario).
    offline_qps: Option<f64>,
}

fn model_stem(plan: &RunPlan) -> String {
    match &plan.model {
        Some(path) => path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("model")
            .replace('/', "_"),
        None => pqbench_accel::DEFAULT_MODEL_NAME.to_string(),
    }
}

fn threads(kind: Kind) -> anyhow::Result<u32> {
    if let Kind::LiteRt {
        threads: Some(n), ..
    } = kind
    {
        return Ok(n);
    }
    match std::env::var("PQBENCH_TFLITE_THREADS") {
        Err(_) => Ok(1),
        Ok(v) => match v.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => anyhow::bail!("PQBENCH_TFLITE_THREADS={v:?}: expected a whole number >= 1"),
        },
    }
}

fn p99_bound_ns() -> Option<f64> {
    std::env::var("PQBENCH_SERVER_P99_MS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(|ms| ms * 1e6)
}

/// A percentile, or why it is missing.
pub(crate) fn pct(p: Option<f64>, min: usize, n: usize) -> Value {
    match p {
        Some(v) => json!(v),
        None => json!(format!("insufficient ({n} queries < {min})")),
    }
}

impl TfliteBackend {
    fn ids(&self, plan: &RunPlan) -> Vec<String> {
        let stem = model_stem(plan);
        let target = kind::id_target(&self.spec);
        SCENARIOS
            .iter()
            .map(|s| format!("accel/{stem}/{target}/{s}"))
            .filter(|id| plan.selects(id, &["accel"]))
            .collect()
    }
}

impl TfliteBackend {
    fn prepare_tflite(&self, plan: &RunPlan, threads: u32) -> anyhow::Result<Ready> {
        let lib = TfliteLibrary::discover(plan.tflite_lib.as_deref())?;
        if let Kind::EdgeTpu(n) = self.kind {
            let e = EdgeTpuLibrary::load(None)?;
            let found = e.devices().len();
            if n >= found {
                return Err(
                    pqbench_accel::edgetpu::EdgeTpuError::NoDevice { index: n, found }.into(),
                );
            }
        }
        // Fail here, once, on a bad model rather than in every worker.
        let (model, name, sha) = worker::load_model(&lib, plan.model.as_deref())?;
        eprintln!(
            "{}: TensorFlow Lite {} ({}); model {name} (sha256 {}): {} ops ({}); {threads} thread(s); every replication a fresh worker process",
            self.spec,
            lib.version(),
            lib.path().display(),
            &sha[..12],
            model.info().total_ops(),
            model.info().placement(),
        );
        Ok(Ready {
            lib: lib.path().to_path_buf(),
            runtime_version: Some(lib.version().to_string()),
            runtime_sha256: None,
            model: plan.model.clone(),
            threads,
            p99_bound_ns: p99_bound_ns(),
        })
    }

    fn prepare_litert(&self, plan: &RunPlan, threads: u32) -> anyhow::Result<Ready> {
        let Kind::LiteRt { kernels, .. } = self.kind else {
            anyhow::bail!("internal: {} is not a LiteRT target", self.spec);
        };
        let lib = LiteRtLibrary::discover(plan.litert_lib.as_deref())?;
        let (version, lib_sha) = lib.identify();
        // Fail here, once, on a bad model rather than in every worker.
        let (bytes, name) = worker::read_model(plan.model.as_deref())?;
        let sha = pqbench_accel::sha256_hex(&bytes);
        let compiled = CompiledModel::with_kernels(&lib, bytes, threads, kernels)?;
        eprintln!(
            "{}: LiteRT {version} ({}, sha256 {}); {} kernels; model {name} (sha256 {}): {} ops; {threads} thread(s); every replication a fresh worker process",
            self.spec,
            lib.path().display(),
            &lib_sha[..12.min(lib_sha.len())],
            kernels.name(),
            &sha[..12],
            compiled.info().total_ops(),
        );
        Ok(Ready {
            lib: lib.path().to_path_buf(),
            runtime_version: Some(version),
            runtime_sha256: Some(lib_sha),
            model: plan.model.clone(),
            threads,
            p99_bound_ns: p99_bound_ns(),
        })
    }
}

fn scenario_of(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or_default()
}

impl Backend for TfliteBackend {
    type Replica = TfliteReport;

    fn name(&self) -> String {
        self.spec.clone()
    }

    /// The server and offline scenarios are sized from the single-stream
    /// and offline results assembled before them.
    fn independent_benchmarks(&self) -> bool {
        false
    }

    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>> {
        Ok(self.ids(plan).into_iter().map(Listing::available).collect())
    }

    fn prepare(&mut self, plan: &RunPlan) -> anyhow::Result<Vec<String>> {
        let ids = self.ids(plan);
        if ids.is_empty() {
            return Ok(ids);
        }
        let threads = threads(self.kind)?;
        self.ready = Some(match self.kind.runtime() {
            Runtime::Tflite => self.prepare_tflite(plan, threads)?,
            Runtime::LiteRt => self.prepare_litert(plan, threads)?,
        });
        Ok(ids)
    }

    fn replicate(&mut self, job: &Replication<'_, TfliteReport>) -> Outcome<TfliteReport> {
        let Some(ready) = &self.ready else {
            return Outcome::Stopped {
                status: Status::Failed {
                    message: "internal: inference target not prepared".into(),
                },
                partial: None,
            };
        };
        let request = Job::Tflite(Box::new(TfliteJob {
            id: job.id.to_string(),
            spec: self.spec.clone(),
            scenario: scenario_of(job.id).to_string(),
            model: ready.model.clone(),
            tflite_lib: (self.kind.runtime() == Runtime::Tflite).then(|| ready.lib.clone()),
            litert_lib: (self.kind.runtime() == Runtime::LiteRt).then(|| ready.lib.clone()),
            runtime_version: ready.runtime_version.clone(),
            runtime_sha256: ready.runtime_sha256.clone(),
            threads: ready.threads,
            seed: job.seed,
            budget_ns: job.budget.as_nanos().min(u128::from(u64::MAX)) as u64,
            max_samples: job.max_samples,
            server: job.first.and_then(|f| f.server),
            known_median_ns: self.single_median,
            known_qps: self.offline_qps,
            p99_bound_ns: ready.p99_bound_ns,
        }));
        run_worker(&self.exe, &request, job.id, job.budget, job.cancel.flag()).into()
    }

    fn assemble(
        &mut self,
        bench: &Bench<'_>,
        replicas: Vec<TfliteReport>,
        stopped: Option<Status>,
    ) -> BenchResult {
        if let Some(status) = stopped {
            return BenchResult::not_ok(bench.id.into(), bench.target.into(), Unit::Ns, status);
        }
        assemble(self, bench, replicas)
    }
}

fn assemble(b: &mut TfliteBackend, bench: &Bench<'_>, replicas: Vec<TfliteReport>) -> BenchResult {
    let Some(first) = replicas.first() else {
        return backend::failed(bench.id, bench.target, Unit::Ns, "no replication".into());
    };
    let (recording, per_sample) = (first.recording, first.per_sample);
    let mut scenario = first.scenario.clone();
    let first_ns = first
        .replica
        .get("first_inference_ns")
        .and_then(Value::as_f64);
    let qps: Vec<f64> = replicas
        .iter()
        .filter_map(|r| r.replica.get("inferences_per_s").and_then(Value::as_f64))
        .collect();
    let reps = replicas
        .into_iter()
        .map(|r| (r.samples, Value::Object(r.replica.into_iter().collect())))
        .collect();
    let mut result = backend::measured(bench, Unit::Ns, recording, per_sample, reps);
    if result.status != Status::Ok {
        return result;
    }
    match scenario_of(bench.id) {
        "single-stream" => {
            let pooled: Vec<f64> = result
                .processes
                .iter()
                .flat_map(|p| p.samples.iter().copied())
                .collect();
            let n = pooled.len();
            if let Some(l) = pqbench_accel::scenario::Latencies::from_samples(pooled) {
                eprint!(
                    "{}",
                    text::latency_histogram(bench.id, first_ns.unwrap_or(0.0), &l)
                );
                b.single_median = Some(l.p50_ns);
                use pqbench_accel::scenario::{MIN_QUERIES_P90, MIN_QUERIES_P99};
                scenario.insert("p50_ns".into(), json!(l.p50_ns));
                scenario.insert("p90_ns".into(), pct(l.p90_ns, MIN_QUERIES_P90, n));
                scenario.insert("p99_ns".into(), pct(l.p99_ns, MIN_QUERIES_P99, n));
            }
        }
        "offline" if !qps.is_empty() => {
            let mean = qps.iter().sum::<f64>() / qps.len() as f64;
            b.offline_qps = Some(mean);
            scenario.insert("inferences_per_s".into(), json!(mean));
        }
        _ => {}
    }
    for (k, v) in scenario {
        result.details.entry(k).or_insert(v);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Recording;
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn report(pid: u32, samples: Vec<f64>) -> TfliteReport {
        let mut replica = BTreeMap::new();
        replica.insert("pid".into(), json!(pid));
        replica.insert("first_inference_ns".into(), json!(500.0));
        let mut scenario = BTreeMap::new();
        scenario.insert("scenario".into(), json!("single-stream"));
        scenario.insert("tflite_version".into(), json!("2.6.0"));
        TfliteReport {
            id: "accel/m/tflite-cpu/single-stream".into(),
            recording: Recording::SingleOp,
            per_sample: 1,
            samples,
            replica,
            scenario,
            server: None,
        }
    }

    #[test]
    fn replications_become_processes_and_per_process_details() {
        let mut b = TfliteBackend {
            spec: "tflite-cpu".into(),
            kind: Kind::Cpu,
            exe: PathBuf::from("/nonexistent"),
            ready: None,
            single_median: None,
            offline_qps: None,
        };
        let bench = Bench {
            id: "accel/m/tflite-cpu/single-stream",
            target: "tflite-cpu",
            budget: Duration::from_secs(1),
            seed: 0,
            replications: 2,
        };
        let r = Backend::assemble(
            &mut b,
            &bench,
            vec![
                report(10, vec![100.0, 110.0]),
                report(11, vec![120.0, 130.0]),
            ],
            None,
        );
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.processes.len(), 2);
        let per = r.details["per_process"].as_array().unwrap();
        assert_eq!(
            (per[0]["pid"].clone(), per[1]["pid"].clone()),
            (json!(10), json!(11))
        );
        assert_eq!(r.details["tflite_version"], "2.6.0");
        // The pooled median serves the server scenario later in the run.
        assert_eq!(r.details["p50_ns"], 115.0);
        assert_eq!(b.single_median, Some(115.0));
    }
}
