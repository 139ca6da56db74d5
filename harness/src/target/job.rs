//! The request a parent hands a `pqbench __worker` process: one replication
//! of one benchmark, on the host or on TFLite / Edge TPU. The worker prints
//! its report as one JSON line on stdout.

use crate::measure::worker::{self as host_worker, WorkerRequest};
use serde::{Deserialize, Serialize};

/// One worker process's job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Job {
    /// A `pqbench-workloads` benchmark on the host CPU.
    Host(WorkerRequest),
    /// A TFLite / LiteRT / Edge TPU scenario with a fresh runtime (boxed:
    /// far larger than the host request).
    Tflite(Box<super::tflite::job::TfliteJob>),
}

/// Runs `json` (a [`Job`]) in this process and returns the report line.
pub fn serve(json: &str) -> anyhow::Result<String> {
    let job: Job =
        serde_json::from_str(json).map_err(|e| anyhow::anyhow!("bad worker request: {e}"))?;
    Ok(match job {
        Job::Host(r) => serde_json::to_string(&host_worker::serve(&r)?)?,
        Job::Tflite(j) => serde_json::to_string(&super::tflite::worker::serve(&j)?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_jobs_round_trip_with_their_kind() {
        let job = Job::Host(WorkerRequest {
            id: "hash/x/y/1KiB".into(),
            seed: 3,
            budget_ns: 10,
            max_samples: 4,
            forced: None,
        });
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.contains(r#""kind":"host""#), "{json}");
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        assert!(serve(r#"{"kind":"gpu"}"#).is_err());
    }
}
