//! The worker side of an inference replication: a fresh runtime (TFLite
//! interpreter or LiteRT compiled model) in a fresh process loads the model,
//! runs one scenario ([`super::scenarios`]) and reports [`TfliteReport`].

use super::job::{TfliteJob, TfliteReport};
use super::kind::{Kind, Runtime};
use super::scenarios;
use crate::results::Recording;
use pqbench_accel::edgetpu::{DelegateOptions, EdgeTpuLibrary};
use pqbench_accel::litert::{CompiledModel, LiteRtLibrary};
use pqbench_accel::{Delegate, ElementType, Engine, Interpreter, Model, Options, TfliteLibrary};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Reads the model: the file asked for, or a copy of the embedded default.
/// Returns its bytes and its name.
pub fn read_model(path: Option<&Path>) -> anyhow::Result<(Vec<u8>, String)> {
    Ok(match path {
        Some(p) => (
            std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
            p.display().to_string(),
        ),
        None => (
            pqbench_accel::DEFAULT_MODEL.to_vec(),
            format!("{} (embedded)", pqbench_accel::DEFAULT_MODEL_NAME),
        ),
    })
}

/// Loads the model into TFLite: returns the model, its name and SHA-256.
pub fn load_model(
    lib: &Arc<TfliteLibrary>,
    path: Option<&Path>,
) -> anyhow::Result<(Model, String, String)> {
    let (bytes, name) = read_model(path)?;
    let sha = pqbench_accel::sha256_hex(&bytes);
    Ok((Model::from_bytes(lib, bytes)?, name, sha))
}

fn fill_inputs(e: &mut dyn Engine, seed: u64) -> anyhow::Result<()> {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    for i in 0..e.inputs().len() {
        let info = e.inputs()[i].clone();
        let mut bytes = vec![0u8; info.bytes];
        for b in &mut bytes {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        if info.dtype == ElementType::F32 {
            // Random bits are not sensible floats: use values in [0, 1).
            let vals: Vec<u8> = bytes
                .chunks_exact(4)
                .flat_map(|c| (f32::from(c[0]) / 256.0).to_ne_bytes())
                .collect();
            e.write_input(i, &vals)?;
        } else {
            e.write_input(i, &bytes)?;
        }
    }
    Ok(())
}

/// A loaded runtime and the facts of its loading.
struct Loaded {
    engine: Box<dyn Engine>,
    /// Scenario facts of the runtime (version, library, delegate…).
    facts: BTreeMap<String, Value>,
    model_name: String,
    model_sha: String,
    info: pqbench_accel::inspect::ModelInfo,
    /// Finding and loading the runtime library (not part of the model load).
    library_ns: u64,
    /// Model load: read, build/compile, delegate, first tensor allocation.
    load_ns: u64,
}

fn nanos(d: Duration) -> u64 {
    d.as_nanos().min(u128::from(u64::MAX)) as u64
}

/// Reads the model (timed: part of the load) and hashes it (untimed).
fn read_timed(job: &TfliteJob) -> anyhow::Result<(Vec<u8>, String, String, Duration)> {
    let t = Instant::now();
    let (bytes, name) = read_model(job.model.as_deref())?;
    let read = t.elapsed();
    let sha = pqbench_accel::sha256_hex(&bytes);
    Ok((bytes, name, sha, read))
}

fn load_tflite(job: &TfliteJob, kind: Kind) -> anyhow::Result<Loaded> {
    let t = Instant::now();
    let lib = TfliteLibrary::discover(job.tflite_lib.as_deref())?;
    let etpu = match kind {
        Kind::EdgeTpu(_) => Some(EdgeTpuLibrary::load(None)?),
        _ => None,
    };
    let library_ns = nanos(t.elapsed());
    let (bytes, model_name, model_sha, read) = read_timed(job)?;
    let t = Instant::now();
    let model = Model::from_bytes(&lib, bytes)?;
    let delegate = match (kind, etpu) {
        (Kind::Xnnpack, _) => Delegate::Xnnpack,
        (Kind::EdgeTpu(n), Some(e)) => Delegate::EdgeTpu(e.open(n, DelegateOptions::default())?),
        _ => Delegate::None,
    };
    let interp = Interpreter::new(
        &model,
        Options {
            threads: job.threads,
            delegate,
        },
    )?;
    let load_ns = nanos(read + t.elapsed());
    let mut d = BTreeMap::new();
    d.insert("runtime_version".into(), json!(lib.version()));
    d.insert("tflite_version".into(), json!(lib.version()));
    d.insert("tflite_lib".into(), json!(lib.path().display().to_string()));
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
    let info = model.info().clone();
    Ok(Loaded {
        engine: Box::new(interp),
        facts: d,
        model_name,
        model_sha,
        info,
        library_ns,
        load_ns,
    })
}

fn load_litert(job: &TfliteJob, kind: Kind) -> anyhow::Result<Loaded> {
    let Kind::LiteRt { kernels, .. } = kind else {
        anyhow::bail!("internal: {} is not a LiteRT target", job.spec);
    };
    let t = Instant::now();
    let lib = LiteRtLibrary::discover(job.litert_lib.as_deref())?;
    let library_ns = nanos(t.elapsed());
    let (bytes, model_name, model_sha, read) = read_timed(job)?;
    let t = Instant::now();
    let compiled = CompiledModel::with_kernels(&lib, bytes, job.threads, kernels)?;
    let load_ns = nanos(read + t.elapsed());
    let version = job
        .runtime_version
        .clone()
        .unwrap_or_else(|| "unknown".into());
    let mut d = BTreeMap::new();
    d.insert("runtime_version".into(), json!(version));
    d.insert("litert_version".into(), json!(version));
    d.insert("litert_lib".into(), json!(lib.path().display().to_string()));
    if let Some(sha) = &job.runtime_sha256 {
        d.insert("litert_lib_sha256".into(), json!(sha));
    }
    d.insert("litert_kernels".into(), json!(kernels.name()));
    let info = compiled.info().clone();
    Ok(Loaded {
        engine: Box::new(compiled),
        facts: d,
        model_name,
        model_sha,
        info,
        library_ns,
        load_ns,
    })
}

/// Runs `job` in this process.
pub fn serve(job: &TfliteJob) -> anyhow::Result<TfliteReport> {
    let kind = Kind::parse(&job.spec)?;
    let runtime = kind.runtime();
    let mut l = match runtime {
        Runtime::Tflite => load_tflite(job, kind)?,
        Runtime::LiteRt => load_litert(job, kind)?,
    };
    fill_inputs(l.engine.as_mut(), job.seed)?;
    let mut d = l.facts;
    d.insert("scenario".into(), json!(job.scenario));
    d.insert("runtime".into(), json!(runtime.name()));
    d.insert("threads".into(), json!(l.engine.threads()));
    d.insert("delegate".into(), json!(kind.delegate_name()));
    d.insert("model".into(), json!(l.model_name));
    d.insert("model_sha256".into(), json!(l.model_sha));
    d.insert("model_bytes".into(), json!(l.info.size_bytes));
    d.insert("model_placement".into(), json!(l.info.placement()));
    d.insert("model_operators".into(), json!(l.info.operators));
    d.insert(
        "model_inputs".into(),
        json!(
            l.engine
                .inputs()
                .iter()
                .map(
                    |t| json!({"name": t.name, "dtype": t.dtype.name(), "shape": t.shape,
                    "scale": t.scale, "zero_point": t.zero_point})
                )
                .collect::<Vec<_>>()
        ),
    );
    if job.scenario == "load" {
        d.insert(
            "load_covers".into(),
            json!("model read + build/compile + delegate attach + first tensor allocation, one cold load per fresh worker process (library loading excluded: library_load_ns)"),
        );
    }
    let mut replica = BTreeMap::new();
    replica.insert("pid".into(), json!(std::process::id()));
    replica.insert("load_ns".into(), json!(l.load_ns));
    replica.insert("library_load_ns".into(), json!(l.library_ns));
    let mut report = TfliteReport {
        id: job.id.clone(),
        recording: Recording::SingleOp,
        per_sample: 1,
        samples: Vec::new(),
        replica,
        scenario: d,
        server: None,
    };
    scenarios::run(job, l.engine.as_mut(), l.load_ns, &mut report)?;
    Ok(report)
}
