//! TFLite (CPU, XNNPACK) and Edge TPU back ends, via `pqbench-accel`.
//!
//! Targets: `tflite-cpu` (TFLite's CPU kernels), `tflite-xnnpack` (the
//! XNNPACK delegate), `edgetpu:<n>` (device n of `edgetpu_list_devices`).
//! Model: `pqbench run --model FILE` (any `.tflite`, like TFLite's
//! `benchmark_model`), default the project's detection model
//! (`accel/models/pk_detect_int8.tflite`). Each model gets three benchmarks,
//! MLPerf LoadGen style: `accel/<model>/<target>/single-stream`,
//! `…/offline` and `…/server`.
//!
//! Environment knobs: `PQBENCH_TFLITE_THREADS` (default 1),
//! `PQBENCH_SERVER_P99_MS` (server p99 bound; default 10 ms, or 20 × the
//! single-stream median when that is larger).

use super::{Backend, Listing, RunPlan};
use crate::results::{BenchResult, ProcessSamples, Recording, Status, Unit};
use pqbench_accel::edgetpu::{DelegateOptions, EdgeTpuLibrary};
use pqbench_accel::scenario::{self, MIN_QUERIES_P90, MIN_QUERIES_P99};
use pqbench_accel::{Delegate, ElementType, Interpreter, Model, Options, TfliteLibrary};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SCENARIOS: [&str; 3] = ["single-stream", "offline", "server"];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Cpu,
    Xnnpack,
    EdgeTpu(usize),
}

/// A TFLite or Edge TPU target.
pub fn backend(spec: &str) -> anyhow::Result<Box<dyn super::Backend>> {
    let kind = match spec {
        "tflite-cpu" => Kind::Cpu,
        "tflite-xnnpack" => Kind::Xnnpack,
        s => match s.strip_prefix("edgetpu:").map(str::parse::<usize>) {
            Some(Ok(n)) => Kind::EdgeTpu(n),
            _ => anyhow::bail!(
                "bad target {spec:?}: expected tflite-cpu, tflite-xnnpack or edgetpu:<n> (n = device index, e.g. edgetpu:0)"
            ),
        },
    };
    Ok(Box::new(TfliteBackend {
        spec: spec.to_string(),
        kind,
    }))
}

struct TfliteBackend {
    spec: String,
    kind: Kind,
}

fn model_path(plan: &RunPlan) -> PathBuf {
    plan.model
        .clone()
        .unwrap_or_else(pqbench_accel::default_model_path)
}

fn model_stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("model")
        .replace('/', "_")
}

fn threads() -> anyhow::Result<u32> {
    match std::env::var("PQBENCH_TFLITE_THREADS") {
        Err(_) => Ok(1),
        Ok(v) => match v.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => anyhow::bail!("PQBENCH_TFLITE_THREADS={v:?}: expected a whole number >= 1"),
        },
    }
}

impl TfliteBackend {
    fn ids(&self, plan: &RunPlan) -> Vec<String> {
        let stem = model_stem(&model_path(plan));
        let target = self.spec.replace(':', "");
        SCENARIOS
            .iter()
            .map(|s| format!("accel/{stem}/{target}/{s}"))
            .filter(|id| plan.selects(id, &["accel"]))
            .collect()
    }
}

/// Everything one scenario needs: a ready interpreter plus the facts to record.
struct Session {
    interp: Interpreter,
    create_ns: u64,
    details: BTreeMap<String, Value>,
}

fn fill_inputs(it: &mut Interpreter, seed: u64) -> anyhow::Result<()> {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    for i in 0..it.inputs().len() {
        let info = it.inputs()[i].clone();
        let mut bytes = vec![0u8; info.bytes];
        for b in &mut bytes {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        if info.dtype == ElementType::F32 {
            // Random bits are not sensible floats: use values in [0, 1).
            let vals: Vec<f32> = bytes.chunks_exact(4).map(|c| c[0] as f32 / 256.0).collect();
            it.set_input_f32(i, &vals)?;
        } else {
            it.set_input_bytes(i, &bytes)?;
        }
    }
    Ok(())
}

impl TfliteBackend {
    fn session(
        &self,
        lib: &Arc<TfliteLibrary>,
        model: &Model,
        etpu: Option<&Arc<EdgeTpuLibrary>>,
        threads: u32,
        seed: u64,
    ) -> anyhow::Result<Session> {
        let delegate = match (self.kind, etpu) {
            (Kind::Cpu, _) => Delegate::None,
            (Kind::Xnnpack, _) => Delegate::Xnnpack,
            (Kind::EdgeTpu(n), Some(e)) => {
                Delegate::EdgeTpu(e.open(n, DelegateOptions::default())?)
            }
            (Kind::EdgeTpu(_), None) => anyhow::bail!("internal: Edge TPU library not loaded"),
        };
        let t = Instant::now();
        let mut interp = Interpreter::new(model, Options { threads, delegate })?;
        let create_ns = t.elapsed().as_nanos() as u64;
        fill_inputs(&mut interp, seed)?;
        let info = model.info();
        let mut d = BTreeMap::new();
        d.insert("tflite_version".into(), json!(lib.version()));
        d.insert("tflite_lib".into(), json!(lib.path().display().to_string()));
        d.insert("threads".into(), json!(threads));
        d.insert(
            "delegate".into(),
            json!(match self.kind {
                Kind::Cpu => "none (TFLite CPU kernels)",
                Kind::Xnnpack => "xnnpack",
                Kind::EdgeTpu(_) => "edgetpu",
            }),
        );
        d.insert("model_bytes".into(), json!(info.size_bytes));
        d.insert("model_placement".into(), json!(info.placement()));
        d.insert("model_operators".into(), json!(info.operators));
        d.insert(
            "model_inputs".into(),
            json!(
                interp
                    .inputs()
                    .iter()
                    .map(
                        |t| json!({"name": t.name, "dtype": t.dtype.name(), "shape": t.shape,
                        "scale": t.scale, "zero_point": t.zero_point})
                    )
                    .collect::<Vec<_>>()
            ),
        );
        d.insert("interpreter_create_ns".into(), json!(create_ns));
        if let Some(e) = interp.edgetpu() {
            d.insert("edgetpu_version".into(), json!(e.library().version()));
            d.insert("edgetpu_lib".into(), json!(e.library().path()));
            d.insert(
                "edgetpu_runtime".into(),
                json!(e.library().flavor().unwrap_or("unknown")),
            );
            d.insert(
                "edgetpu_device_type".into(),
                json!(e.device().kind.as_str()),
            );
            d.insert("edgetpu_device_path".into(), json!(e.device().path));
            d.insert(
                "edgetpu_options".into(),
                json!(format!("{:?}", e.options())),
            );
        }
        Ok(Session {
            interp,
            create_ns,
            details: d,
        })
    }
}

fn failed(id: &str, target: &str, msg: String) -> BenchResult {
    BenchResult::not_ok(
        id.into(),
        target.into(),
        Unit::Ns,
        Status::Failed { message: msg },
    )
}

fn finish(
    id: &str,
    target: &str,
    recording: Recording,
    per_sample: u64,
    samples: Vec<f64>,
    details: BTreeMap<String, Value>,
) -> BenchResult {
    match BenchResult::measured(
        id.into(),
        target.into(),
        Unit::Ns,
        recording,
        per_sample,
        vec![ProcessSamples { samples }],
    ) {
        Ok(mut r) => {
            r.details = details;
            r
        }
        Err(e) => failed(id, target, e.to_string()),
    }
}

fn pct(p: Option<f64>, min: usize, n: usize) -> Value {
    match p {
        Some(v) => json!(v),
        None => json!(format!("insufficient ({n} queries < {min})")),
    }
}

impl Backend for TfliteBackend {
    fn name(&self) -> String {
        self.spec.clone()
    }

    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>> {
        Ok(self.ids(plan).into_iter().map(Listing::available).collect())
    }

    fn run(
        &mut self,
        plan: &RunPlan,
        sink: &mut dyn FnMut(BenchResult) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let ids = self.ids(plan);
        if ids.is_empty() {
            return Ok(());
        }
        let threads = threads()?;
        let lib = TfliteLibrary::discover(plan.tflite_lib.as_deref())?;
        let etpu = match self.kind {
            Kind::EdgeTpu(n) => {
                let e = EdgeTpuLibrary::load(None)?;
                let found = e.devices().len();
                if n >= found {
                    return Err(
                        pqbench_accel::edgetpu::EdgeTpuError::NoDevice { index: n, found }.into(),
                    );
                }
                Some(e)
            }
            _ => None,
        };
        let path = model_path(plan);
        let model = Model::from_file(&lib, &path)?;
        eprintln!(
            "{}: TensorFlow Lite {} ({}); model {}: {} ops ({}); {} thread(s)",
            self.spec,
            lib.version(),
            lib.path().display(),
            path.display(),
            model.info().total_ops(),
            model.info().placement(),
            threads
        );
        let mut single_median: Option<f64> = None;
        let mut offline_qps: Option<f64> = None;
        let target = self.spec.clone();
        for (i, id) in ids.iter().enumerate() {
            let Some(budget) = plan.next_budget(ids.len() - i) else {
                break;
            };
            plan.notify_start(id);
            let mut s = match self.session(&lib, &model, etpu.as_ref(), threads, plan.seed) {
                Ok(s) => s,
                Err(e) => {
                    sink(failed(id, &target, format!("{e:#}")))?;
                    continue;
                }
            };
            s.details
                .insert("model".into(), json!(path.display().to_string()));
            s.details.insert("seed".into(), json!(plan.seed));
            s.details
                .insert("budget_ns".into(), json!(budget.as_nanos() as u64));
            let result = if id.ends_with("/single-stream") {
                match scenario::single_stream(
                    || s.interp.invoke(),
                    budget,
                    MIN_QUERIES_P90,
                    plan.max_samples.max(1),
                ) {
                    Err(e) => failed(id, &target, e.to_string()),
                    Ok(r) => {
                        let n = r.latencies.samples_ns.len();
                        eprint!("{}", latency_histogram(id, r.first_ns, &r.latencies));
                        single_median = Some(r.latencies.p50_ns);
                        let d = &mut s.details;
                        d.insert("scenario".into(), json!("single-stream"));
                        d.insert("first_inference_ns".into(), json!(r.first_ns));
                        d.insert(
                            "first_inference_with_load_ns".into(),
                            json!(r.first_ns + s.create_ns as f64),
                        );
                        d.insert("p50_ns".into(), json!(r.latencies.p50_ns));
                        d.insert("p90_ns".into(), pct(r.latencies.p90_ns, MIN_QUERIES_P90, n));
                        d.insert("p99_ns".into(), pct(r.latencies.p99_ns, MIN_QUERIES_P99, n));
                        let details = std::mem::take(d);
                        finish(
                            id,
                            &target,
                            Recording::SingleOp,
                            1,
                            r.latencies.samples_ns,
                            details,
                        )
                    }
                }
            } else if id.ends_with("/offline") {
                match scenario::offline(|| s.interp.invoke(), budget, 16) {
                    Err(e) => failed(id, &target, e.to_string()),
                    Ok(r) => {
                        offline_qps = Some(r.throughput());
                        let d = &mut s.details;
                        d.insert("scenario".into(), json!("offline"));
                        d.insert("inferences".into(), json!(r.inferences));
                        d.insert("inferences_per_s".into(), json!(r.throughput()));
                        let details = std::mem::take(d);
                        finish(
                            id,
                            &target,
                            Recording::BatchMean,
                            r.batch,
                            r.batch_means_ns,
                            details,
                        )
                    }
                }
            } else {
                self.server(id, &mut s, budget, single_median, offline_qps, plan.seed)
            };
            sink(result)?;
        }
        Ok(())
    }
}

impl TfliteBackend {
    fn server(
        &self,
        id: &str,
        s: &mut Session,
        budget: Duration,
        single_median: Option<f64>,
        offline_qps: Option<f64>,
        seed: u64,
    ) -> BenchResult {
        let target = self.spec.as_str();
        // Calibrate when the other scenarios were filtered out.
        let median = match single_median {
            Some(m) => m,
            None => match scenario::single_stream(|| s.interp.invoke(), Duration::ZERO, 64, 64) {
                Ok(r) => r.latencies.p50_ns,
                Err(e) => return failed(id, target, e.to_string()),
            },
        };
        let max_qps = offline_qps.unwrap_or(1e9 / median.max(1.0));
        let bound_ns = match std::env::var("PQBENCH_SERVER_P99_MS")
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v > 0.0)
        {
            Some(ms) => ms * 1e6,
            None => (20.0 * median).max(10e6),
        };
        // Steps sized so the whole search fits the budget at the top rate.
        let steps = 6usize;
        let per_step_s = budget.as_secs_f64() / steps as f64;
        let queries = ((per_step_s * max_qps * 0.5) as usize).clamp(MIN_QUERIES_P99, 20_000);
        let search = match scenario::server_search(
            || s.interp.invoke(),
            0.1 * max_qps,
            max_qps,
            bound_ns,
            queries,
            steps,
            seed,
        ) {
            Ok(r) => r,
            Err(e) => return failed(id, target, e.to_string()),
        };
        let tried: Vec<Value> = search
            .tried
            .iter()
            .map(|r| {
                json!({"target_qps": r.target_qps, "achieved_qps": r.achieved_qps,
                    "queries": r.queries, "p50_ns": r.latencies.p50_ns, "p99_ns": r.latencies.p99_ns})
            })
            .collect();
        let d = &mut s.details;
        d.insert("scenario".into(), json!("server"));
        d.insert("p99_bound_ns".into(), json!(bound_ns));
        d.insert("rates_tried".into(), json!(tried));
        d.insert(
            "latency_from".into(),
            json!("scheduled Poisson arrival (coordinated omission corrected)"),
        );
        // Samples: the best rate's latencies; when even the lowest rate
        // missed the bound, that lowest rate's (and `bound_met` says so).
        let Some(run) = search.best.or(Some(0)).and_then(|i| search.tried.get(i)) else {
            return failed(id, target, "server search ran no rate".into());
        };
        d.insert("bound_met".into(), json!(search.best.is_some()));
        d.insert(
            "server_qps".into(),
            if search.best.is_some() {
                json!(run.target_qps)
            } else {
                Value::Null
            },
        );
        d.insert("measured_at_qps".into(), json!(run.target_qps));
        d.insert("achieved_qps".into(), json!(run.achieved_qps));
        d.insert("p99_ns".into(), json!(run.latencies.p99_ns));
        let details = std::mem::take(d);
        finish(
            id,
            target,
            Recording::SingleOp,
            1,
            run.latencies.samples_ns.clone(),
            details,
        )
    }
}

/// A text latency histogram (log-spaced buckets from the HDR histogram) and
/// the percentiles, for the terminal.
fn latency_histogram(id: &str, first_ns: f64, l: &scenario::Latencies) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let n = l.samples_ns.len();
    let _ = writeln!(
        out,
        "{id}: {n} queries; first inference {:.1} us (separate); p50 {:.1} us, p90 {}, p99 {}",
        first_ns / 1e3,
        l.p50_ns / 1e3,
        l.p90_ns.map_or_else(
            || format!("insufficient (<{MIN_QUERIES_P90})"),
            |v| format!("{:.1} us", v / 1e3)
        ),
        l.p99_ns.map_or_else(
            || format!("insufficient (<{MIN_QUERIES_P99})"),
            |v| format!("{:.1} us", v / 1e3)
        ),
    );
    if n == 0 {
        return out;
    }
    let lo = l
        .samples_ns
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .max(1.0);
    let hi = l.samples_ns.iter().copied().fold(0.0, f64::max).max(lo);
    let buckets = 12usize;
    let ratio = (hi / lo).max(1.0001).powf(1.0 / buckets as f64);
    let edges: Vec<f64> = (0..=buckets).map(|i| lo * ratio.powi(i as i32)).collect();
    let mut counts = vec![0u64; buckets];
    for x in &l.samples_ns {
        let b = ((x.max(lo) / lo).ln() / ratio.ln()).floor() as usize;
        counts[b.min(buckets - 1)] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(1).max(1);
    for (i, c) in counts.iter().enumerate() {
        let bar = "#".repeat(((*c as f64 / most as f64) * 40.0).round() as usize);
        let _ = writeln!(
            out,
            "  {:>9.1} - {:>9.1} us | {:>7} {bar}",
            edges[i] / 1e3,
            edges[i + 1] / 1e3,
            c
        );
    }
    out
}
