//! The host CPU back end: each replication is a fresh `pqbench __worker`
//! process (see [`crate::measure`]) measuring one benchmark; the
//! replications' samples are merged into one [`BenchResult`].

use super::job::Job;
use crate::measure::assemble::{assemble, request_for};
use crate::measure::repeat::run_worker;
use crate::measure::worker::WorkerReport;
use crate::results::{BenchResult, Status};
use crate::runner::{Backend, Bench, Listing, Outcome, Replication, RunPlan, Target};
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
            .map(|w| (w.id().to_string(), w.unavailable()))
            .filter(|(id, _)| plan.selects(id, &defaults))
            .map(|(id, unavailable)| Listing { id, unavailable })
            .collect())
    }

    fn prepare(&mut self, plan: &RunPlan) -> anyhow::Result<Vec<String>> {
        Ok(Backend::list(self, plan)?
            .into_iter()
            .filter(|l| l.unavailable.is_none())
            .map(|l| l.id)
            .collect())
    }

    fn replicate(&mut self, job: &Replication<'_, WorkerReport>) -> Outcome<WorkerReport> {
        let request = Job::Host(request_for(job));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
                message.contains("cannot start worker for")
                    && message.contains("/nonexistent/pqbench"),
                "{message}"
            ),
            o => panic!("{o:?}"),
        }
    }
}
