//! The scenarios of one inference replication, over any runtime
//! ([`Engine`]): model loading, single-stream, offline and server.

use super::job::{ServerCalibration, TfliteJob, TfliteReport};
use super::pct;
use crate::results::Recording;
use pqbench_accel::Engine;
use pqbench_accel::scenario::{self, MIN_QUERIES_P90, MIN_QUERIES_P99};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Runs `job.scenario` on `engine` (loaded in `load_ns`) and fills
/// `report`'s samples and per-replication facts.
pub fn run(
    job: &TfliteJob,
    engine: &mut dyn Engine,
    load_ns: u64,
    report: &mut TfliteReport,
) -> anyhow::Result<()> {
    let budget = Duration::from_nanos(job.budget_ns);
    let slowdown = injected_slowdown();
    let r = &mut report.replica;
    match job.scenario.as_str() {
        "load" => {
            // One cold load per fresh process: the sample is the load
            // itself; the first inference after it is recorded beside it.
            let t = Instant::now();
            invoke(engine, slowdown)?;
            let first = t.elapsed().as_nanos() as f64;
            r.insert("first_inference_ns".into(), json!(first));
            r.insert(
                "first_inference_with_load_ns".into(),
                json!(first + load_ns as f64),
            );
            report.samples = vec![load_ns as f64];
        }
        "single-stream" => {
            let s = scenario::single_stream(
                || invoke(engine, slowdown),
                budget,
                MIN_QUERIES_P90,
                job.max_samples.max(1),
            )?;
            let n = s.latencies.samples_ns.len();
            r.insert("first_inference_ns".into(), json!(s.first_ns));
            r.insert(
                "first_inference_with_load_ns".into(),
                json!(s.first_ns + load_ns as f64),
            );
            r.insert("p50_ns".into(), json!(s.latencies.p50_ns));
            r.insert("p90_ns".into(), pct(s.latencies.p90_ns, MIN_QUERIES_P90, n));
            r.insert("p99_ns".into(), pct(s.latencies.p99_ns, MIN_QUERIES_P99, n));
            report.samples = s.latencies.samples_ns;
        }
        "offline" => {
            let o = scenario::offline(|| invoke(engine, slowdown), budget, 16)?;
            r.insert("inferences".into(), json!(o.inferences));
            r.insert("inferences_per_s".into(), json!(o.throughput()));
            report.recording = Recording::BatchMean;
            report.per_sample = o.batch;
            report.samples = o.batch_means_ns;
        }
        "server" => server(job, engine, budget, report)?,
        other => anyhow::bail!("unknown inference scenario {other:?}"),
    }
    Ok(())
}

/// The injected slowdown of every inference, in percent
/// ([`crate::measure::slowdown`], the harness-validation knob; 0 normally).
fn injected_slowdown() -> f64 {
    crate::measure::slowdown::percent()
}

/// One inference, slowed down by `pct` % of its own duration when the
/// harness-validation knob is set ([`injected_slowdown`]).
fn invoke(engine: &mut dyn Engine, pct: f64) -> pqbench_accel::Result<()> {
    if pct <= 0.0 {
        return engine.invoke();
    }
    let start = Instant::now();
    engine.invoke()?;
    crate::measure::slowdown::after(start, pct);
    Ok(())
}

/// The server scenario: a search for the highest Poisson arrival rate whose
/// p99 stays under the bound.
fn server(
    job: &TfliteJob,
    engine: &mut dyn Engine,
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
                    scenario::single_stream(|| invoke(engine, slowdown), Duration::ZERO, 64, 64)?
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
        || invoke(engine, slowdown),
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
