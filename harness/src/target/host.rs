//! The host CPU back end: each replication is a fresh `pqbench __worker`
//! process (see [`crate::measure`]) measuring one benchmark; the
//! replications' samples are merged into one [`BenchResult`].

use super::job::Job;
use crate::measure::repeat::run_worker;
use crate::measure::worker::{WorkerReport, WorkerRequest};
use crate::results::{BenchResult, Status, TimerInfo, Unit};
use crate::runner::{Backend, Bench, Listing, Outcome, Replication, RunPlan, Target, backend};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The target name of the host.
pub const NAME: &str = "host";

/// The host back end.
pub struct Host {
    exe: PathBuf,
}

/// The host back end, re-executing the running `pqbench` binary.
pub fn backend() -> anyhow::Result<Box<dyn Target>> {
    Ok(Box::new(Host::new()?))
}

/// Suites of every registered workload: the host runs them all by default.
pub fn default_suites() -> Vec<String> {
    let set: BTreeSet<String> = pqbench_workloads::registry()
        .iter()
        .map(|w| w.id().suite)
        .collect();
    set.into_iter().collect()
}

impl Host {
    /// Uses [`std::env::current_exe`] as the worker binary.
    pub fn new() -> anyhow::Result<Host> {
        let exe = std::env::current_exe()
            .map_err(|e| anyhow::anyhow!("cannot find the pqbench executable to re-run: {e}"))?;
        Ok(Host { exe })
    }

    /// Uses `exe` (a `pqbench` binary) as the worker binary.
    pub fn with_exe(exe: PathBuf) -> Host {
        Host { exe }
    }
}

/// Merges the workers' reports of one benchmark into a result.
fn merge(bench: &Bench<'_>, reports: Vec<WorkerReport>) -> BenchResult {
    let Some(first) = reports.first() else {
        return backend::failed(
            bench.id,
            bench.target,
            Unit::Ns,
            "no process reported".into(),
        );
    };
    let calibration = first.measurement.calibration;
    let throughput = first.throughput;
    let static_metrics = first.static_metrics.clone();
    let target_sample_ns = first.measurement.target_sample_ns;
    let mut overheads: Vec<f64> = reports.iter().map(|r| r.timer.overhead).collect();
    overheads.sort_by(f64::total_cmp);
    let timer = TimerInfo {
        overhead: crate::results::quantile_sorted(&overheads, 0.5),
        resolution: reports
            .iter()
            .map(|r| r.timer.resolution)
            .fold(0.0, f64::max),
    };
    let replicas = reports
        .into_iter()
        .map(|r| {
            let details = serde_json::json!({
                "pid": r.pid,
                "timer": r.timer,
                "setup_ns": r.measurement.setup_ns,
                "warmup_ops": r.measurement.warmup_ops,
                "estimated_op_ns": r.measurement.estimated_op_ns,
            });
            (r.measurement.samples, details)
        })
        .collect();
    let mut result = backend::measured(
        bench,
        Unit::Ns,
        calibration.recording,
        calibration.iterations_per_sample,
        replicas,
    );
    if result.status != Status::Ok {
        return result;
    }
    result.throughput = throughput;
    result.static_metrics = static_metrics;
    result.timer = Some(timer);
    result
        .details
        .insert("target_sample_ns".into(), target_sample_ns.into());
    result
}

impl Backend for Host {
    type Replica = WorkerReport;

    fn name(&self) -> String {
        NAME.to_string()
    }

    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>> {
        let defaults = default_suites();
        let defaults: Vec<&str> = defaults.iter().map(String::as_str).collect();
        Ok(pqbench_workloads::registry()
            .iter()
            .map(|w| w.id().to_string())
            .filter(|id| plan.selects(id, &defaults))
            .map(Listing::available)
            .collect())
    }

    fn prepare(&mut self, plan: &RunPlan) -> anyhow::Result<Vec<String>> {
        Ok(Backend::list(self, plan)?
            .into_iter()
            .map(|l| l.id)
            .collect())
    }

    fn replicate(&mut self, job: &Replication<'_, WorkerReport>) -> Outcome<WorkerReport> {
        let request = Job::Host(WorkerRequest {
            id: job.id.to_string(),
            seed: job.seed,
            budget_ns: job.budget.as_nanos().min(u128::from(u64::MAX)) as u64,
            max_samples: job.max_samples,
            forced: job.first.map(|r| r.measurement.calibration),
        });
        run_worker(&self.exe, &request, job.id, job.budget, job.cancel.flag()).into()
    }

    fn assemble(
        &mut self,
        bench: &Bench<'_>,
        replicas: Vec<WorkerReport>,
        stopped: Option<Status>,
    ) -> BenchResult {
        match stopped {
            Some(status) => {
                BenchResult::not_ok(bench.id.into(), bench.target.into(), Unit::Ns, status)
            }
            None => merge(bench, replicas),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{Calibration, Measurement};
    use crate::results::{Recording, ThroughputSpec};
    use std::time::Duration;

    fn report(pid: u32, overhead: f64, resolution: f64, samples: Vec<f64>) -> WorkerReport {
        WorkerReport {
            id: "hash/x/y/1KiB".into(),
            pid,
            timer: TimerInfo {
                overhead,
                resolution,
            },
            measurement: Measurement {
                calibration: Calibration {
                    recording: Recording::BatchMean,
                    iterations_per_sample: 40,
                },
                samples,
                setup_ns: 10,
                warmup_ops: 100,
                estimated_op_ns: 900.0,
                target_sample_ns: 36_000.0,
            },
            throughput: Some(ThroughputSpec::Bytes(1024)),
            static_metrics: Default::default(),
        }
    }

    fn bench() -> Bench<'static> {
        Bench {
            id: "hash/x/y/1KiB",
            target: NAME,
            budget: Duration::from_millis(10),
            seed: 7,
            replications: 3,
        }
    }

    #[test]
    fn merge_keeps_processes_and_combines_timers() {
        let r = merge(
            &bench(),
            vec![
                report(1, 30.0, 20.0, vec![900.0, 910.0]),
                report(2, 40.0, 30.0, vec![920.0, 930.0, 940.0]),
                report(3, 50.0, 25.0, vec![950.0]),
            ],
        );
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.unit, Unit::Ns);
        assert_eq!(r.recording, Recording::BatchMean);
        assert_eq!(r.iterations_per_sample, 40);
        assert_eq!(r.processes.len(), 3);
        let s = r.summary.unwrap();
        assert_eq!((s.samples, s.processes), (6, 3));
        assert_eq!(r.decoded_histogram().unwrap().unwrap().len(), 6);
        let t = r.timer.unwrap();
        assert_eq!((t.overhead, t.resolution), (40.0, 30.0));
        assert_eq!(r.throughput, Some(ThroughputSpec::Bytes(1024)));
        assert_eq!(r.details["seed"], 7);
        assert_eq!(r.details["per_process"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn merge_of_nothing_is_a_failure() {
        let r = merge(&bench(), Vec::new());
        assert!(matches!(r.status, Status::Failed { .. }));
    }

    #[test]
    fn lists_the_registry_filtered() {
        let host = Host::with_exe(PathBuf::from("/nonexistent"));
        let plan = RunPlan {
            suites: vec!["hash".into()],
            filters: vec!["sha3".into()],
            ..RunPlan::new()
        };
        let ids: Vec<String> = Backend::list(&host, &plan)
            .unwrap()
            .into_iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(ids.len(), 3, "{ids:?}");
        assert!(ids.iter().all(|i| i.starts_with("hash/sha3-256.digest/")));
        assert!(default_suites().contains(&"hash".to_string()));
    }

    #[test]
    fn a_worker_that_cannot_start_is_a_failed_replication() {
        let mut host = Host::with_exe(PathBuf::from("/nonexistent/pqbench"));
        let cancel = crate::runner::CancelToken::new();
        let job = Replication {
            id: "hash/sha256.digest/rustcrypto/1KiB",
            index: 0,
            count: 2,
            budget: Duration::from_millis(10),
            seed: 0,
            max_samples: 10,
            first: None,
            cancel: &cancel,
        };
        match host.replicate(&job) {
            Outcome::Stopped {
                status: Status::Failed { message },
                partial: None,
            } => assert!(
                message.contains("cannot start worker /nonexistent/pqbench"),
                "{message}"
            ),
            o => panic!("{o:?}"),
        }
    }
}
