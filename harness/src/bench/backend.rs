//! Process-level replication for bench binaries: the same design as the
//! host back end of `pqbench run` (`target/host.rs`). The parent is a
//! [`crate::runner::Backend`] whose every replication re-executes the bench
//! binary itself as `BINARY __worker --request JSON`
//! ([`crate::measure::repeat::run_worker`]); the worker ([`serve`]) finds
//! the benchmark in its own registry, measures it with the engine and
//! prints one [`WorkerReport`] line; the parent merges the reports
//! ([`crate::measure::assemble::merge`]) into one result.

use super::bencher::{Bencher, Mode};
use super::registry::Registry;
use crate::measure::assemble::{assemble, request_for};
use crate::measure::engine::EngineConfig;
use crate::measure::repeat::run_worker;
use crate::measure::worker::{WorkerReport, WorkerRequest};
use crate::results::{BenchResult, Status};
use crate::runner::{Backend, Bench, Listing, Outcome, Replication, RunPlan};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The target name recorded in results (the bench binary runs on the host).
pub const TARGET: &str = "host";

/// The bench binary as a back end: re-executes `exe` for each replication
/// of the selected benchmarks.
pub struct SelfExec {
    exe: PathBuf,
    ids: Vec<String>,
}

impl SelfExec {
    /// Runs `ids` by re-executing `exe`.
    pub fn new(exe: PathBuf, ids: Vec<String>) -> SelfExec {
        SelfExec { exe, ids }
    }
}

impl Backend for SelfExec {
    type Replica = WorkerReport;

    fn name(&self) -> String {
        TARGET.into()
    }

    fn list(&self, _: &RunPlan) -> anyhow::Result<Vec<Listing>> {
        Ok(self.ids.iter().cloned().map(Listing::available).collect())
    }

    fn prepare(&mut self, _: &RunPlan) -> anyhow::Result<Vec<String>> {
        Ok(self.ids.clone())
    }

    fn replicate(&mut self, job: &Replication<'_, WorkerReport>) -> Outcome<WorkerReport> {
        let request = request_for(job);
        run_worker(&self.exe, &request, job.id, job.budget, job.cancel.flag()).into()
    }

    fn assemble(
        &mut self,
        bench: &Bench<'_>,
        replicas: Vec<WorkerReport>,
        stopped: Option<Status>,
    ) -> BenchResult {
        assemble(bench, replicas, stopped)
    }
}

/// The worker side: measures the benchmark `request.id` of `registry` in
/// this process and returns the report. `Err` (exit 2, message on stderr)
/// when the id is unknown or the function did not call `iter` once; a
/// panic in the benchmark ends the worker with a non-zero status, which the
/// parent records as a failed replication.
pub fn serve(registry: &Registry, request: &WorkerRequest) -> Result<WorkerReport, String> {
    let entry = registry
        .by_id(&request.id)
        .ok_or_else(|| format!("no benchmark with id {:?} in this binary", request.id))?;
    let timer = crate::measure::measure_timer().map_err(|e| e.to_string())?;
    let config = EngineConfig {
        budget: Duration::from_nanos(request.budget_ns),
        max_samples: request.max_samples,
        forced: request.forced,
    };
    let mut b = Bencher::new(Mode::Measure {
        start: Instant::now(),
        timer,
        config,
    });
    (entry.run)(&mut b);
    let throughput = b.declared_throughput();
    let measurement = b
        .finish()?
        .ok_or_else(|| format!("{}: nothing was measured", entry.name))?;
    Ok(WorkerReport {
        id: request.id.clone(),
        pid: std::process::id(),
        timer,
        measurement,
        throughput,
        static_metrics: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::registry::Origin;
    use crate::results::ThroughputSpec;

    fn registry() -> Registry {
        let mut r = Registry::new(Origin {
            target: "t".into(),
            package: "p".into(),
        });
        r.bench("spin", |b| {
            b.throughput(ThroughputSpec::Bytes(64));
            b.iter(|| {
                let t = Instant::now();
                while t.elapsed() < Duration::from_micros(20) {
                    std::hint::spin_loop();
                }
            })
        });
        r.bench("lazy", |_| {});
        r
    }

    fn request(id: &str) -> WorkerRequest {
        WorkerRequest {
            id: id.into(),
            seed: 0,
            budget_ns: 20_000_000,
            max_samples: 50,
            forced: None,
        }
    }

    #[test]
    fn serve_measures_the_registered_function() {
        let rep = serve(&registry(), &request("t/spin/p/-")).unwrap();
        assert_eq!(rep.id, "t/spin/p/-");
        assert_eq!(rep.throughput, Some(ThroughputSpec::Bytes(64)));
        let m = rep.measurement;
        assert!(!m.samples.is_empty() && m.samples.len() <= 50);
        // Every operation spins >= 20 µs: no sample (single op or batch
        // mean) can be shorter.
        assert!(m.samples.iter().all(|&s| s >= 20_000.0));
    }

    #[test]
    fn serve_refuses_unknown_ids_and_lazy_functions() {
        let e = serve(&registry(), &request("t/nope/p/-")).unwrap_err();
        assert!(e.contains("no benchmark with id"), "{e}");
        let e = serve(&registry(), &request("t/lazy/p/-")).unwrap_err();
        assert!(e.contains("never called Bencher::iter"), "{e}");
    }
}
