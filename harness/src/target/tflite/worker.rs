//! The worker side of a TFLite replication: a fresh interpreter runs one
//! scenario and the process reports [`TfliteReport`].

use super::job::{ServerCalibration, TfliteJob, TfliteReport};
use super::{Kind, pct};
use crate::results::Recording;
use pqbench_accel::edgetpu::{DelegateOptions, EdgeTpuLibrary};
use pqbench_accel::scenario::{self, MIN_QUERIES_P90, MIN_QUERIES_P99};
use pqbench_accel::{Delegate, ElementType, Interpreter, Model, Options, TfliteLibrary};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Loads the model: the file asked for, or the embedded default. Returns the
/// model, its name and its SHA-256.
pub fn load_model(
    lib: &Arc<TfliteLibrary>,
    path: Option<&std::path::Path>,
) -> anyhow::Result<(Model, String, String)> {
    let (bytes, name) = match path {
        Some(p) => (
            std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
            p.display().to_string(),
        ),
        None => (
            pqbench_accel::DEFAULT_MODEL.to_vec(),
            format!("{} (embedded)", pqbench_accel::DEFAULT_MODEL_NAME),
        ),
    };
    let sha = pqbench_accel::sha256_hex(&bytes);
    Ok((Model::from_bytes(lib, bytes)?, name, sha))
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

/// Runs `job` in this process.
pub fn serve(job: &TfliteJob) -> anyhow::Result<TfliteReport> {
    let kind = Kind::parse(&job.spec)?;
    let lib = TfliteLibrary::discover(job.tflite_lib.as_deref())?;
    let delegate = match kind {
        Kind::Cpu => Delegate::None,
        Kind::Xnnpack => Delegate::Xnnpack,
        Kind::EdgeTpu(n) => {
            Delegate::EdgeTpu(EdgeTpuLibrary::load(None)?.open(n, DelegateOptions::default())?)
        }
    };
    let (model, model_name, sha) = load_model(&lib, job.model.as_deref())?;
    let t = Instant::now();
    let mut interp = Interpreter::new(
        &model,
        Options {
            threads: job.threads,
            delegate,
        },
    )?;
    let create_ns = t.elapsed().as_nanos() as u64;
    fill_inputs(&mut interp, job.seed)?;
    let info = model.info();
    let mut d = BTreeMap::new();
    d.insert("scenario".into(), json!(job.scenario));
    d.insert("tflite_version".into(), json!(lib.version()));
    d.insert("tflite_lib".into(), json!(lib.path().display().to_string()));
    d.insert("threads".into(), json!(job.threads));
    d.insert("delegate".into(), json!(kind.delegate_name()));
    d.insert("model".into(), json!(model_name));
    d.insert("model_sha256".into(), json!(sha));
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
    let mut replica = BTreeMap::new();
    replica.insert("pid".into(), json!(std::process::id()));
    replica.insert("interpreter_create_ns".into(), json!(create_ns));
    let budget = Duration::from_nanos(job.budget_ns);
    let slowdown = injected_slowdown();
    let mut report = TfliteReport {
        id: job.id.clone(),
        recording: Recording::SingleOp,
        per_sample: 1,
        samples: Vec::new(),
        replica,
        scenario: d,
        server: None,
    };
    let r = &mut report.replica;
    match job.scenario.as_str() {
        "single-stream" => {
            let s = scenario::single_stream(
                || invoke(&mut interp, slowdown),
                budget,
                MIN_QUERIES_P90,
                job.max_samples.max(1),
            )?;
            let n = s.latencies.samples_ns.len();
            r.insert("first_inference_ns".into(), json!(s.first_ns));
            r.insert(
                "first_inference_with_load_ns".into(),
                json!(s.first_ns + create_ns as f64),
            );
            r.insert("p50_ns".into(), json!(s.latencies.p50_ns));
            r.insert("p90_ns".into(), pct(s.latencies.p90_ns, MIN_QUERIES_P90, n));
            r.insert("p99_ns".into(), pct(s.latencies.p99_ns, MIN_QUERIES_P99, n));
            report.samples = s.latencies.samples_ns;
        }
        "offline" => {
            let o = scenario::offline(|| invoke(&mut interp, slowdown), budget, 16)?;
            r.insert("inferences".into(), json!(o.inferences));
            r.insert("inferences_per_s".into(), json!(o.throughput()));
            report.recording = Recording::BatchMean;
            report.per_sample = o.batch;
            report.samples = o.batch_means_ns;
        }
        "server" => server(job, &mut interp, budget, &mut report)?,
        other => anyhow::bail!("unknown TFLite scenario {other:?}"),
    }
    Ok(report)
}

/// Harness-validation knob, NOT for measurements: with
/// `PQBENCH_INJECT_SLOWDOWN_PCT=p` (see [`crate::env::INJECT_SLOWDOWN_VAR`];
/// recorded in the results file, and `compare`/`gate` warn about it) every
/// inference is followed, inside the timed region, by CPU work lasting p % of
/// that inference's own time: a real, proportional slowdown of every
/// scenario, with which the test command shows that `gate` catches a TFLite
/// regression. Unset (the normal case): 0.
fn injected_slowdown() -> f64 {
    crate::env::injected_slowdown()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100.0)
        .unwrap_or(0.0)
}

/// One inference, slowed down by `pct` % of its own duration when the
/// harness-validation knob is set ([`injected_slowdown`]).
fn invoke(interp: &mut Interpreter, pct: f64) -> pqbench_accel::Result<()> {
    if pct <= 0.0 {
        return interp.invoke();
    }
    let start = Instant::now();
    interp.invoke()?;
    let until = Instant::now() + start.elapsed().mul_f64(pct / 100.0);
    let mut x = 1u64;
    while Instant::now() < until {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
    }
    Ok(())
}

/// The server scenario: a search for the highest Poisson arrival rate whose
/// p99 stays under the bound.
fn server(
    job: &TfliteJob,
    interp: &mut Interpreter,
    budget: Duration,
    report: &mut TfliteReport,
) -> anyhow::Result<()> {
    let slowdown = injected_slowdown();
    let cal = match job.server {
        Some(c) => c,
        None => {
            let median = match job.known_median_ns {
                Some(m) => m,
                None => {
                    scenario::single_stream(|| invoke(interp, slowdown), Duration::ZERO, 64, 64)?
                        .latencies
                        .p50_ns
                }
            };
            ServerCalibration {
                median_ns: median,
                max_qps: job.known_qps.unwrap_or(1e9 / median.max(1.0)),
                bound_ns: job.p99_bound_ns.unwrap_or((20.0 * median).max(10e6)),
            }
        }
    };
    // Steps sized so the whole search fits the budget at the top rate.
    let steps = 6usize;
    let per_step_s = budget.as_secs_f64() / steps as f64;
    let queries = ((per_step_s * cal.max_qps * 0.5) as usize).clamp(MIN_QUERIES_P99, 20_000);
    let search = scenario::server_search(
        || invoke(interp, slowdown),
        0.1 * cal.max_qps,
        cal.max_qps,
        cal.bound_ns,
        queries,
        steps,
        job.seed,
    )?;
    let tried: Vec<Value> = search
        .tried
        .iter()
        .map(|r| {
            json!({"target_qps": r.target_qps, "achieved_qps": r.achieved_qps,
                "queries": r.queries, "p50_ns": r.latencies.p50_ns, "p99_ns": r.latencies.p99_ns})
        })
        .collect();
    // Samples: the best rate's latencies; when even the lowest rate missed
    // the bound, that lowest rate's (and `bound_met` says so).
    let Some(run) = search.best.or(Some(0)).and_then(|i| search.tried.get(i)) else {
        anyhow::bail!("server search ran no rate");
    };
    let r = &mut report.replica;
    r.insert("rates_tried".into(), json!(tried));
    r.insert("bound_met".into(), json!(search.best.is_some()));
    r.insert(
        "server_qps".into(),
        if search.best.is_some() {
            json!(run.target_qps)
        } else {
            Value::Null
        },
    );
    r.insert("measured_at_qps".into(), json!(run.target_qps));
    r.insert("achieved_qps".into(), json!(run.achieved_qps));
    r.insert("p99_ns".into(), json!(run.latencies.p99_ns));
    let s = &mut report.scenario;
    s.insert("p99_bound_ns".into(), json!(cal.bound_ns));
    s.insert("calibration_median_ns".into(), json!(cal.median_ns));
    s.insert("max_qps".into(), json!(cal.max_qps));
    s.insert(
        "latency_from".into(),
        json!("scheduled Poisson arrival (coordinated omission corrected)"),
    );
    report.samples = run.latencies.samples_ns.clone();
    report.server = Some(cal);
    Ok(())
}
