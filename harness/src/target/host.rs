//! The host CPU back end: runs `pqbench-workloads` in re-executed worker
//! processes (see [`crate::measure`]), one process after the other, and
//! merges their samples into one [`BenchResult`] per benchmark.

use super::{Backend, Listing, RunPlan};
use crate::measure::repeat::{WorkerOutcome, run_worker};
use crate::measure::worker::{WorkerReport, WorkerRequest};
use crate::results::{BenchResult, ProcessSamples, Status, TimerInfo, Unit};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The target name of the host.
pub const NAME: &str = "host";

/// The host back end.
pub struct Host {
    exe: PathBuf,
}

/// The host back end, re-executing the running `pqbench` binary.
pub fn backend() -> anyhow::Result<Box<dyn Backend>> {
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

    /// Measures one benchmark in `plan.processes` worker processes sharing
    /// `budget`. `None` when cancelled (the partial benchmark is dropped).
    fn measure_one(
        &self,
        id: &str,
        budget: std::time::Duration,
        plan: &RunPlan,
    ) -> Option<BenchResult> {
        let processes = plan.processes.max(1);
        let per_process = budget / processes;
        let mut reports: Vec<WorkerReport> = Vec::new();
        for k in 0..processes {
            let request = WorkerRequest {
                id: id.to_string(),
                seed: plan.seed,
                budget_ns: per_process.as_nanos().min(u128::from(u64::MAX)) as u64,
                max_samples: plan.max_samples,
                forced: reports.first().map(|r| r.measurement.calibration),
            };
            match run_worker(&self.exe, &request, &plan.cancel) {
                WorkerOutcome::Done(r) => reports.push(*r),
                WorkerOutcome::Cancelled => return None,
                WorkerOutcome::Failed(message) => {
                    return Some(BenchResult::not_ok(
                        id.to_string(),
                        NAME.to_string(),
                        Unit::Ns,
                        Status::Failed {
                            message: format!("process {}/{processes}: {message}", k + 1),
                        },
                    ));
                }
            }
        }
        Some(merge(id, budget, plan.seed, reports))
    }
}

/// Merges the workers' reports of one benchmark into a result.
fn merge(
    id: &str,
    budget: std::time::Duration,
    seed: u64,
    reports: Vec<WorkerReport>,
) -> BenchResult {
    let Some(first) = reports.first() else {
        return BenchResult::not_ok(
            id.to_string(),
            NAME.to_string(),
            Unit::Ns,
            Status::Failed {
                message: "no process reported".into(),
            },
        );
    };
    let calibration = first.measurement.calibration;
    let throughput = first.throughput;
    let static_metrics = first.static_metrics.clone();
    let mut overheads: Vec<f64> = reports.iter().map(|r| r.timer.overhead).collect();
    overheads.sort_by(f64::total_cmp);
    let timer = TimerInfo {
        overhead: crate::results::quantile_sorted(&overheads, 0.5),
        resolution: reports
            .iter()
            .map(|r| r.timer.resolution)
            .fold(0.0, f64::max),
    };
    let per_process: Vec<serde_json::Value> = reports
        .iter()
        .map(|r| {
            serde_json::json!({
                "pid": r.pid,
                "timer": r.timer,
                "setup_ns": r.measurement.setup_ns,
                "warmup_ops": r.measurement.warmup_ops,
                "estimated_op_ns": r.measurement.estimated_op_ns,
            })
        })
        .collect();
    let target_sample_ns = first.measurement.target_sample_ns;
    let processes: Vec<ProcessSamples> = reports
        .into_iter()
        .map(|r| ProcessSamples {
            samples: r.measurement.samples,
        })
        .collect();
    let mut result = match BenchResult::measured(
        id.to_string(),
        NAME.to_string(),
        Unit::Ns,
        calibration.recording,
        calibration.iterations_per_sample,
        processes,
    ) {
        Ok(r) => r,
        Err(e) => {
            return BenchResult::not_ok(
                id.to_string(),
                NAME.to_string(),
                Unit::Ns,
                Status::Failed {
                    message: e.to_string(),
                },
            );
        }
    };
    result.throughput = throughput;
    result.static_metrics = static_metrics;
    result.timer = Some(timer);
    let details = &mut result.details;
    details.insert("seed".into(), seed.into());
    details.insert("budget_ns".into(), (budget.as_nanos() as u64).into());
    details.insert("target_sample_ns".into(), target_sample_ns.into());
    details.insert("per_process".into(), per_process.into());
    result
}

impl Backend for Host {
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

    fn run(
        &mut self,
        plan: &RunPlan,
        sink: &mut dyn FnMut(BenchResult) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let ids: Vec<String> = self.list(plan)?.into_iter().map(|l| l.id).collect();
        for (i, id) in ids.iter().enumerate() {
            let Some(budget) = plan.next_budget(ids.len() - i) else {
                break;
            };
            plan.notify_start(id);
            match self.measure_one(id, budget, plan) {
                Some(result) => sink(result)?,
                None => break,
            }
        }
        Ok(())
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

    #[test]
    fn merge_keeps_processes_and_combines_timers() {
        let r = merge(
            "hash/x/y/1KiB",
            Duration::from_millis(10),
            7,
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
        let r = merge("a/b/c/d", Duration::from_millis(1), 0, Vec::new());
        assert!(matches!(r.status, Status::Failed { .. }));
    }

    #[test]
    fn run_budget_is_shared_and_stops_when_spent() {
        let mut plan = RunPlan {
            bench_budget: Duration::from_secs(2),
            run_budget: Some(Duration::from_secs(10)),
            ..RunPlan::new()
        };
        assert_eq!(plan.next_budget(2), Some(Duration::from_secs(2)));
        let left = plan.next_budget(100).unwrap();
        assert!(left <= Duration::from_millis(100), "{left:?}");
        plan.run_budget = Some(Duration::ZERO);
        assert_eq!(plan.next_budget(1), None);
        plan.run_budget = None;
        assert_eq!(plan.next_budget(1), Some(Duration::from_secs(2)));
        plan.cancel.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(plan.next_budget(1), None);
    }

    #[test]
    fn lists_the_registry_filtered() {
        let host = Host::with_exe(PathBuf::from("/nonexistent"));
        let plan = RunPlan {
            suites: vec!["hash".into()],
            filters: vec!["sha3".into()],
            ..RunPlan::new()
        };
        let ids: Vec<String> = host
            .list(&plan)
            .unwrap()
            .into_iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(ids.len(), 3, "{ids:?}");
        assert!(ids.iter().all(|i| i.starts_with("hash/sha3-256.digest/")));
        assert!(default_suites().contains(&"hash".to_string()));
    }

    #[test]
    fn a_worker_that_cannot_start_is_a_failed_result() {
        let mut host = Host::with_exe(PathBuf::from("/nonexistent/pqbench"));
        let plan = RunPlan {
            filters: vec!["hash/sha256.digest/rustcrypto/1KiB".into()],
            ..RunPlan::new()
        };
        let mut got = Vec::new();
        host.run(&plan, &mut |r| {
            got.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(got.len(), 1);
        let msg = got[0].status.message().unwrap_or_default().to_string();
        assert!(
            msg.contains("cannot start worker /nonexistent/pqbench"),
            "{msg}"
        );
    }
}
