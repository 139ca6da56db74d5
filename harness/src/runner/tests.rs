//! The runner against a mock back end: no hardware, no processes.

use super::*;
use crate::env::Environment;
use crate::results::{Recording, Unit};
use std::sync::{Arc, Mutex};

/// A results file seen mid-run: complete flag, replications per result.
type Peeked = (bool, Vec<usize>);

/// What the mock was asked, in order.
#[derive(Clone, Debug, PartialEq)]
struct Call {
    id: String,
    index: u32,
    count: u32,
    budget: Duration,
    had_first: bool,
}

/// A mock back end: `benchmarks` ids; each replication returns `samples`
/// copies of 100 + index, after sleeping `sleep`; `fail_at` fails that
/// (id, replication); `cancel_at` raises the token during that one.
#[derive(Default)]
struct Mock {
    ids: Vec<String>,
    sleep: Duration,
    fail_at: Option<(String, u32)>,
    cancel_at: Option<(String, u32)>,
    /// Overrides the default replication count (like a deterministic back end).
    default_replications: Option<u32>,
    /// Benchmarks depend on earlier results (never interleaved).
    dependent: bool,
    /// At this (id, replication), load the results file at this path and
    /// keep (complete, replications per result) in `peeked`.
    peek: Option<(String, u32, std::path::PathBuf)>,
    peeked: Arc<Mutex<Option<Peeked>>>,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl Backend for Mock {
    type Replica = Vec<f64>;

    fn name(&self) -> String {
        "mock".into()
    }

    fn default_replications(&self) -> u32 {
        self.default_replications
            .unwrap_or(super::DEFAULT_REPLICATIONS)
    }

    fn independent_benchmarks(&self) -> bool {
        !self.dependent
    }

    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>> {
        Ok(self
            .ids
            .iter()
            .filter(|id| plan.selects(id, &["m"]))
            .cloned()
            .map(Listing::available)
            .collect())
    }

    fn prepare(&mut self, plan: &RunPlan) -> anyhow::Result<Vec<String>> {
        Ok(Backend::list(self, plan)?
            .into_iter()
            .map(|l| l.id)
            .collect())
    }

    fn replicate(&mut self, job: &Replication<'_, Vec<f64>>) -> Outcome<Vec<f64>> {
        self.calls.lock().unwrap().push(Call {
            id: job.id.into(),
            index: job.index,
            count: job.count,
            budget: job.budget,
            had_first: job.first.is_some(),
        });
        std::thread::sleep(self.sleep);
        if let Some((id, index, path)) = &self.peek
            && (id.as_str(), *index) == (job.id, job.index)
        {
            let f = crate::results::load(path).unwrap();
            let reps = f.results.iter().map(|r| r.processes.len()).collect();
            *self.peeked.lock().unwrap() = Some((f.complete, reps));
        }
        let here = Some((job.id.to_string(), job.index));
        if here == self.cancel_at {
            job.cancel.cancel(Interrupt::Sigterm);
            return Outcome::Cancelled;
        }
        if here == self.fail_at {
            return Outcome::Stopped {
                status: Status::Failed {
                    message: "mock failure".into(),
                },
                partial: None,
            };
        }
        Outcome::Done(vec![100.0 + f64::from(job.index); 3])
    }

    fn assemble(
        &mut self,
        bench: &Bench<'_>,
        replicas: Vec<Vec<f64>>,
        stopped: Option<Status>,
    ) -> BenchResult {
        if let Some(status) = stopped {
            return BenchResult::not_ok(bench.id.into(), bench.target.into(), Unit::Ns, status);
        }
        let reps = replicas
            .into_iter()
            .map(|s| (s, serde_json::json!({"mock": true})))
            .collect();
        backend::measured(bench, Unit::Ns, Recording::SingleOp, 1, reps)
    }
}

fn mock(n: usize) -> Mock {
    Mock {
        ids: (0..n).map(|i| format!("m/bench/{i}/x")).collect(),
        ..Mock::default()
    }
}

fn file() -> ResultsFile {
    ResultsFile::new(Environment::capture())
}

/// Runs `m` under `plan`; returns the outcome, the file read back from
/// disk (if written) and the calls.
fn go(m: Mock, plan: RunPlan, cancel: CancelToken) -> (Finished, Option<ResultsFile>, Vec<Call>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let calls = Arc::clone(&m.calls);
    let runner = Runner::new(plan, cancel, out.clone());
    let targets: Vec<Box<dyn Target>> = vec![Box::new(m)];
    let census = runner.census(&targets).unwrap();
    let f = runner
        .run(targets, file(), census.runnable, &mut Silent)
        .unwrap();
    let on_disk = out.exists().then(|| crate::results::load(&out).unwrap());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "r.json")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let calls = calls.lock().unwrap().clone();
    (f, on_disk, calls)
}

#[test]
fn budget_is_split_between_replications_and_first_is_passed_on() {
    let plan = RunPlan {
        bench_budget: Duration::from_millis(900),
        replications: Some(3),
        ..RunPlan::new()
    };
    let (f, disk, calls) = go(mock(2), plan, CancelToken::new());
    assert_eq!(calls.len(), 6);
    for (k, c) in calls.iter().enumerate() {
        assert_eq!(c.index, k as u32 % 3);
        assert_eq!(c.count, 3);
        assert_eq!(c.budget, Duration::from_millis(300));
        assert_eq!(c.had_first, c.index > 0);
    }
    let disk = disk.unwrap();
    assert!(disk.complete && f.file.complete && f.interrupted.is_none());
    assert_eq!(disk.results.len(), 2);
    for r in &disk.results {
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.processes.len(), 3, "one entry per replication");
        assert_eq!(r.details["per_process"].as_array().unwrap().len(), 3);
        assert_eq!(r.processes[2].samples, vec![102.0; 3]);
    }
}

#[test]
fn run_budget_is_shared_and_its_end_marks_the_file_incomplete() {
    let mut m = mock(6);
    m.sleep = Duration::from_millis(60);
    let plan = RunPlan {
        bench_budget: Duration::from_secs(10),
        run_budget: Some(Duration::from_millis(200)),
        replications: Some(2),
        ..RunPlan::new()
    };
    let (f, disk, calls) = go(m, plan, CancelToken::new());
    // The first benchmark gets 200 ms / 6 left, split in two.
    let first = calls[0].budget;
    assert!(first <= Duration::from_millis(17), "{first:?}");
    let disk = disk.unwrap();
    assert!(!disk.complete, "budget spent before every benchmark ran");
    assert!(disk.results.len() < 6 && !disk.results.is_empty());
    assert!(f.budget_spent());
}

#[test]
fn a_failing_replication_makes_a_failed_result_and_the_run_goes_on() {
    let mut m = mock(2);
    m.fail_at = Some(("m/bench/0/x".into(), 1));
    let plan = RunPlan {
        bench_budget: Duration::from_millis(10),
        replications: Some(3),
        ..RunPlan::new()
    };
    let (f, disk, calls) = go(m, plan, CancelToken::new());
    // Replication 2 of 3 failed: the third is not run.
    assert_eq!(calls.len(), 2 + 3);
    let disk = disk.unwrap();
    match &disk.results[0].status {
        Status::Failed { message } => {
            assert_eq!(message, "replication 2/3: mock failure")
        }
        s => panic!("{s:?}"),
    }
    assert_eq!(disk.results[1].status, Status::Ok);
    assert!(f.any_failed() && disk.complete);
}

#[test]
fn cancel_mid_benchmark_drops_it_and_keeps_the_finished_ones() {
    let mut m = mock(3);
    m.cancel_at = Some(("m/bench/1/x".into(), 1));
    // Two replications, pinned: the call count below is 2 + 2 (the default
    // replication count changed from 2 to 10 and is not what this tests).
    let plan = RunPlan {
        bench_budget: Duration::from_millis(10),
        replications: Some(2),
        ..RunPlan::new()
    };
    let (f, disk, calls) = go(m, plan, CancelToken::new());
    assert_eq!(calls.len(), 4, "nothing starts after the cancel");
    assert_eq!(f.interrupted, Some(Interrupt::Sigterm));
    let disk = disk.unwrap();
    assert!(!disk.complete);
    let ids: Vec<&str> = disk.results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["m/bench/0/x"]);
}

#[test]
fn a_token_raised_before_the_run_runs_nothing_and_writes_nothing() {
    let cancel = CancelToken::new();
    cancel.cancel(Interrupt::Sigint);
    let (f, disk, calls) = go(mock(2), RunPlan::new(), cancel);
    assert!(calls.is_empty() && disk.is_none());
    assert_eq!(f.interrupted, Some(Interrupt::Sigint));
}

#[test]
fn nothing_selected_is_an_error_naming_the_filters() {
    let runner = Runner::new(
        RunPlan {
            filters: vec!["nope".into()],
            ..RunPlan::new()
        },
        CancelToken::new(),
        PathBuf::from("/tmp/unused.json"),
    );
    let targets: Vec<Box<dyn Target>> = vec![Box::new(mock(2))];
    let e = runner.census(&targets).unwrap_err().to_string();
    assert!(
        e.contains("no benchmark matches") && e.contains("nope"),
        "{e}"
    );
}

#[test]
fn without_a_count_each_back_end_uses_its_own_default() {
    let plan = RunPlan {
        bench_budget: Duration::from_millis(100),
        ..RunPlan::new()
    };
    assert_eq!(plan.replications, None);
    let (_, disk, calls) = go(mock(1), plan.clone(), CancelToken::new());
    assert_eq!(calls.len(), super::DEFAULT_REPLICATIONS as usize);
    assert_eq!(
        disk.unwrap().results[0].processes.len(),
        super::DEFAULT_REPLICATIONS as usize
    );
    let mut deterministic = mock(1);
    deterministic.default_replications = Some(2);
    let (_, _, calls) = go(deterministic, plan.clone(), CancelToken::new());
    assert_eq!(calls.len(), 2, "a back end's own default");
    let mut deterministic = mock(1);
    deterministic.default_replications = Some(2);
    let explicit = RunPlan {
        replications: Some(4),
        ..plan
    };
    let (_, _, calls) = go(deterministic, explicit, CancelToken::new());
    assert_eq!(calls.len(), 4, "the user's count wins");
}

fn interleaved(replications: u32) -> RunPlan {
    RunPlan {
        bench_budget: Duration::from_millis(30),
        replications: Some(replications),
        order: Order::Interleaved,
        ..RunPlan::new()
    }
}

#[test]
fn interleaved_runs_in_rounds_and_writes_results_in_id_order() {
    let (f, disk, calls) = go(mock(3), interleaved(4), CancelToken::new());
    let order: Vec<(String, u32)> = calls.iter().map(|c| (c.id.clone(), c.index)).collect();
    let want: Vec<(String, u32)> = (0..4)
        .flat_map(|k| (0..3).map(move |b| (format!("m/bench/{b}/x"), k)))
        .collect();
    assert_eq!(order, want, "replication k of every benchmark before k + 1");
    for c in &calls {
        assert_eq!(c.budget, Duration::from_micros(7_500));
        assert_eq!((c.count, c.had_first), (4, c.index > 0));
    }
    let disk = disk.unwrap();
    assert!(disk.complete && f.file.complete);
    let ids: Vec<&str> = disk.results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["m/bench/0/x", "m/bench/1/x", "m/bench/2/x"]);
    for r in &disk.results {
        assert_eq!(r.processes.len(), 4);
        assert_eq!(
            r.processes[3].samples,
            vec![103.0; 3],
            "replications in order"
        );
        assert_eq!(r.details["budget_ns"], 30_000_000u64);
    }
}

#[test]
fn interleaved_failure_ends_that_benchmark_only() {
    let mut m = mock(2);
    m.fail_at = Some(("m/bench/0/x".into(), 1));
    let (f, disk, calls) = go(m, interleaved(3), CancelToken::new());
    // bench 0 runs replications 0 and 1 (failed), bench 1 all three.
    assert_eq!(calls.len(), 2 + 3);
    assert!(calls.iter().all(|c| c.id != "m/bench/0/x" || c.index < 2));
    let disk = disk.unwrap();
    let failed = disk.results.iter().find(|r| r.id == "m/bench/0/x").unwrap();
    assert!(
        matches!(&failed.status, Status::Failed { message } if message == "replication 2/3: mock failure"),
        "{:?}",
        failed.status
    );
    let ok = disk.results.iter().find(|r| r.id == "m/bench/1/x").unwrap();
    assert_eq!((ok.status.clone(), ok.processes.len()), (Status::Ok, 3));
    assert!(f.any_failed() && disk.complete);
}

#[test]
fn interleaved_cancel_keeps_every_completed_replication() {
    let mut m = mock(3);
    m.cancel_at = Some(("m/bench/1/x".into(), 2));
    let (f, disk, calls) = go(m, interleaved(4), CancelToken::new());
    // Rounds 0 and 1 complete, round 2 stops at bench 1.
    assert_eq!(calls.len(), 3 + 3 + 2, "nothing starts after the cancel");
    assert_eq!(f.interrupted, Some(Interrupt::Sigterm));
    let disk = disk.unwrap();
    assert!(!disk.complete);
    let reps: Vec<(&str, usize)> = disk
        .results
        .iter()
        .map(|r| (r.id.as_str(), r.processes.len()))
        .collect();
    assert_eq!(
        reps,
        [("m/bench/0/x", 3), ("m/bench/1/x", 2), ("m/bench/2/x", 2)]
    );
}

#[test]
fn interleaved_run_budget_is_shared_by_replications_and_marks_the_file_short() {
    let mut m = mock(4);
    m.sleep = Duration::from_millis(40);
    let plan = RunPlan {
        bench_budget: Duration::from_secs(10),
        run_budget: Some(Duration::from_millis(250)),
        ..interleaved(4)
    };
    let (f, disk, calls) = go(m, plan, CancelToken::new());
    // 250 ms for 16 replications: about 15 ms each, not 10 s / 4.
    assert!(
        calls[0].budget <= Duration::from_millis(16),
        "{:?}",
        calls[0].budget
    );
    assert!(calls.len() < 16);
    let disk = disk.unwrap();
    assert!(!disk.complete && f.budget_spent());
    assert_eq!(disk.results.len(), 4, "every benchmark ran its first round");
    assert!(disk.results.iter().any(|r| r.processes.len() < 4));
}

#[test]
fn dependent_back_ends_run_in_sequence_even_when_interleaving_is_asked() {
    let mut m = mock(2);
    m.dependent = true;
    let (_, disk, calls) = go(m, interleaved(2), CancelToken::new());
    let order: Vec<(String, u32)> = calls.iter().map(|c| (c.id.clone(), c.index)).collect();
    assert_eq!(order[1], ("m/bench/0/x".to_string(), 1));
    assert!(disk.unwrap().complete);
}

/// Runs two mock benchmarks interleaved in `rounds` rounds, checks the
/// final file on disk (complete, each result with every round) and returns
/// what was on disk when the second started replication `peek_at`
/// (complete?, replications per result).
fn peek_rounds(rounds: u32, peek_at: u32) -> Option<Peeked> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let mut m = mock(2);
    m.peek = Some(("m/bench/1/x".into(), peek_at, out.clone()));
    let peeked = Arc::clone(&m.peeked);
    let runner = Runner::new(interleaved(rounds), CancelToken::new(), out.clone());
    let targets: Vec<Box<dyn Target>> = vec![Box::new(m)];
    let f = runner.run(targets, file(), 2, &mut Silent).unwrap();
    assert!(f.file.complete);
    let disk = crate::results::load(&out).unwrap();
    assert_eq!(disk.results.len(), 2, "provisional results replaced");
    let all = |r: &crate::results::BenchResult| r.processes.len() == rounds as usize;
    assert!(disk.complete && disk.results.iter().all(all));
    peeked.lock().unwrap().clone()
}

#[test]
fn interleaved_rounds_leave_provisional_results_on_disk() {
    // During round 3: rounds 1 and 2 of both benchmarks are on disk.
    assert_eq!(peek_rounds(3, 2), Some((false, vec![2, 2])));
}

#[test]
fn snapshots_are_bounded_whatever_the_replications() {
    use super::rounds::{MAX_SNAPSHOTS, snapshot_after};
    // The default count: after every round but the last.
    assert_eq!((0..16).filter(|&r| snapshot_after(r, 16)).count(), 15);
    assert!(!snapshot_after(0, 1));
    for count in [2, 17, 33, 100, 1000, 4096] {
        let taken: Vec<u32> = (0..count).filter(|&r| snapshot_after(r, count)).collect();
        assert!(
            taken.len() as u32 <= MAX_SNAPSHOTS,
            "{count}: {}",
            taken.len()
        );
        assert!(!taken.contains(&(count - 1)), "{count}: the last round");
        // Rounds a run killed outright can lose: at most ceil(count / MAX).
        let every = count.div_ceil(MAX_SNAPSHOTS);
        let mut kept = 0;
        for &r in &taken {
            assert!(r + 1 - kept <= every, "{count}: gap before round {r}");
            kept = r + 1;
        }
        assert!(count - kept <= every, "{count}: gap at the end");
    }
}

#[test]
fn many_rounds_snapshot_every_few_rounds() {
    // 40 rounds: a snapshot after every third; during round 5, the
    // snapshot of rounds 1 to 3 is on disk.
    assert_eq!(peek_rounds(40, 4), Some((false, vec![3, 3])));
}

fn adaptive(precision: f64, max: Option<u32>) -> RunPlan {
    RunPlan {
        bench_budget: Duration::from_millis(40),
        replications: Some(4),
        precision: Some(precision),
        max_replications: max,
        ..RunPlan::new()
    }
}

#[test]
fn adaptive_replications_are_added_while_the_interval_is_too_wide() {
    // Replication medians 100, 101, 102, ...: about ±1 % at 4 replications.
    let (_, disk, calls) = go(mock(2), adaptive(0.0001, None), CancelToken::new());
    assert_eq!(calls.len(), 2 * 8, "up to twice the planned count");
    assert!(calls.iter().all(|c| c.budget == Duration::from_millis(10)));
    let disk = disk.unwrap();
    assert!(disk.complete);
    for r in &disk.results {
        assert_eq!(r.processes.len(), 8);
        assert_eq!(r.details["budget_ns"], 80_000_000u64, "the budget used");
    }
    let (_, disk, calls) = go(mock(1), adaptive(0.0001, Some(5)), CancelToken::new());
    assert_eq!(
        (calls.len(), disk.unwrap().results[0].processes.len()),
        (5, 5)
    );
}

#[test]
fn adaptive_replications_stop_at_the_target_and_at_the_run_budget() {
    // ±50 %: met at the planned count, nothing added.
    let (_, _, calls) = go(mock(2), adaptive(0.5, None), CancelToken::new());
    assert_eq!(calls.len(), 8);
    // The run budget left is smaller than a replication: nothing added.
    let mut m = mock(1);
    m.sleep = Duration::from_millis(30);
    let plan = RunPlan {
        run_budget: Some(Duration::from_millis(100)),
        ..adaptive(0.0001, None)
    };
    let (_, disk, calls) = go(m, plan, CancelToken::new());
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert_eq!(disk.unwrap().results[0].processes.len(), 4);
}

#[test]
fn precision_is_the_trimmed_interval_of_the_replication_medians() {
    let (_, disk, _) = go(
        mock(1),
        RunPlan {
            replications: Some(6),
            bench_budget: Duration::from_millis(6),
            ..RunPlan::new()
        },
        CancelToken::new(),
    );
    let r = &disk.unwrap().results[0];
    let logs: Vec<f64> = (0..6).map(|i| (100.0 + f64::from(i)).ln()).collect();
    let hw = pqbench_stats::trimmed_mean_half_width(&logs, pqbench_stats::YUEN_TRIM, 0.95).unwrap();
    let p = adaptive::precision(r).unwrap();
    assert!((p - (hw.exp() - 1.0)).abs() < 1e-12 && p > 0.005, "{p}");
}
