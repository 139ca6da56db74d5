//! The parent side's last step on the host: the workers' reports of one
//! benchmark ([`WorkerReport`], one per replication) merged into one
//! [`BenchResult`]: samples per process, the first process's calibration,
//! throughput and static metrics, the median timer overhead and the largest
//! resolution. Shared by `pqbench run`'s host back end and the `cargo bench`
//! API ([`crate::bench`]).

use super::worker::{WorkerReport, WorkerRequest};
use crate::results::{BenchResult, Status, TimerInfo, Unit};
use crate::runner::{Bench, Replication, backend};

/// The request for one replication of a worker-process back end: the
/// benchmark, its seed and budget, and — after the first replication — the
/// first one's calibration, so every replication records the same way.
pub fn request_for(job: &Replication<'_, WorkerReport>) -> WorkerRequest {
    WorkerRequest {
        id: job.id.to_string(),
        seed: job.seed,
        budget_ns: job.budget.as_nanos().min(u128::from(u64::MAX)) as u64,
        max_samples: job.max_samples,
        forced: job.first.map(|r| r.measurement.calibration),
    }
}

/// The result of one benchmark of a worker-process back end: the merged
/// reports, or the status it stopped with.
pub fn assemble(
    bench: &Bench<'_>,
    reports: Vec<WorkerReport>,
    stopped: Option<Status>,
) -> BenchResult {
    match stopped {
        Some(status) => BenchResult::not_ok(bench.id.into(), bench.target.into(), Unit::Ns, status),
        None => merge(bench, reports),
    }
}

/// Merges the workers' reports of one benchmark into a result.
pub fn merge(bench: &Bench<'_>, reports: Vec<WorkerReport>) -> BenchResult {
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
    // The clock of all processes when they agree (they inherit the parent's
    // choice and TSC frequency), with the median frequency.
    let clock = first
        .timer
        .clock
        .filter(|&c| reports.iter().all(|r| r.timer.clock == Some(c)));
    let mut hz: Vec<f64> = reports.iter().filter_map(|r| r.timer.clock_hz).collect();
    hz.sort_by(f64::total_cmp);
    let timer = TimerInfo {
        overhead: crate::results::quantile_sorted(&overheads, 0.5),
        resolution: reports
            .iter()
            .map(|r| r.timer.resolution)
            .fold(0.0, f64::max),
        clock,
        clock_hz: (clock == Some(crate::results::ClockKind::Tsc) && !hz.is_empty())
            .then(|| crate::results::quantile_sorted(&hz, 0.5)),
    };
    let replicas = reports
        .into_iter()
        .map(|r| {
            let mut details = serde_json::json!({
                "pid": r.pid,
                "timer": r.timer,
                "setup_ns": r.measurement.setup_ns,
                "warmup_ops": r.measurement.warmup_ops,
                "estimated_op_ns": r.measurement.estimated_op_ns,
            });
            if let (Some(p), Some(d)) = (r.measurement.placement, details.as_object_mut()) {
                d.insert("placement".into(), serde_json::json!(p));
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{Calibration, Measurement};
    use crate::results::{Recording, ThroughputSpec};
    use std::time::Duration;

    const NAME: &str = "host";

    fn report(pid: u32, overhead: f64, resolution: f64, samples: Vec<f64>) -> WorkerReport {
        WorkerReport {
            id: "hash/x/y/1KiB".into(),
            pid,
            timer: TimerInfo {
                overhead,
                resolution,
                ..Default::default()
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
                placement: None,
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
    fn merge_records_the_clock_the_processes_agree_on() {
        use crate::results::ClockKind;
        let timed = |pid, clock, hz| {
            let mut r = report(pid, 10.0, 10.0, vec![900.0]);
            r.timer.clock = Some(clock);
            r.timer.clock_hz = hz;
            r
        };
        let t = |reports| merge(&bench(), reports).timer.unwrap();
        let tsc = t(vec![
            timed(1, ClockKind::Tsc, Some(3.0e9)),
            timed(2, ClockKind::Tsc, Some(3.2e9)),
            timed(3, ClockKind::Tsc, Some(3.1e9)),
        ]);
        assert_eq!(
            (tsc.clock, tsc.clock_hz),
            (Some(ClockKind::Tsc), Some(3.1e9))
        );
        let mono = t(vec![timed(1, ClockKind::Monotonic, None)]);
        assert_eq!(
            (mono.clock, mono.clock_hz),
            (Some(ClockKind::Monotonic), None)
        );
        let mixed = t(vec![
            timed(1, ClockKind::Tsc, Some(3.0e9)),
            timed(2, ClockKind::Monotonic, None),
        ]);
        assert_eq!((mixed.clock, mixed.clock_hz), (None, None));
    }

    #[test]
    fn merge_of_nothing_is_a_failure() {
        let r = merge(&bench(), Vec::new());
        assert!(matches!(r.status, Status::Failed { .. }));
    }
}
