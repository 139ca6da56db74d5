//! The round loop with a mock executor and clock.

use super::*;
use crate::compare::Tolerances;
use crate::compare::paired::PairedTest;
use crate::env::Environment;
use crate::report::MarkupStyle;
use crate::results::{BenchResult, ProcessSamples, Recording, ResultsFile, Unit};
use pqbench_stats::Correction;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// A clock that only moves when the mock executor runs something.
struct MockClock(Rc<Cell<Duration>>);

impl Clock for MockClock {
    fn now(&self) -> Duration {
        self.0.get()
    }
}

/// Each invocation takes `step` of mock time and returns one benchmark
/// whose candidate/baseline ratio in round `r` is `ratio(r)`; the machine
/// drifts 1 % per round (on both sides, so it cancels).
struct Mock {
    time: Rc<Cell<Duration>>,
    step: Duration,
    ratio: fn(usize) -> f64,
    fail_at: Option<usize>,
    calls: Vec<(usize, Side)>,
}

impl Mock {
    fn new(ratio: fn(usize) -> f64) -> (Mock, MockClock) {
        let time = Rc::new(Cell::new(Duration::ZERO));
        let mock = Mock {
            time: time.clone(),
            step: Duration::from_secs(1),
            ratio,
            fail_at: None,
            calls: Vec::new(),
        };
        (mock, MockClock(time))
    }
}

impl RoundExecutor for Mock {
    fn run(&mut self, side: Side, round: usize) -> anyhow::Result<ResultsFile> {
        if self.fail_at == Some(round) {
            anyhow::bail!("mock failure in round {round}");
        }
        self.time.set(self.time.get() + self.step);
        self.calls.push((round, side));
        let base = 1000.0 * (1.0 + 0.01 * round as f64);
        let m = match side {
            Side::Baseline => base,
            Side::Candidate => base * (self.ratio)(round),
        };
        let samples = (0..9).map(|i| m * (1.0 + 0.001 * f64::from(i))).collect();
        let r = BenchResult::measured(
            "bench/x".into(),
            "host".into(),
            Unit::Ns,
            Recording::SingleOp,
            1,
            vec![ProcessSamples { samples }],
        )?;
        let mut f = ResultsFile::new(Environment::default());
        f.results.push(r);
        Ok(f)
    }
}

fn options() -> PairedOptions {
    PairedOptions {
        alpha: 0.01,
        correction: Correction::Holm,
        tolerances: Tolerances {
            default: 0.01,
            overrides: Vec::new(),
        },
        confidence: 0.95,
        resamples: 200,
        seed: 7,
        test: PairedTest::T,
    }
}

fn plan(paired: bool, rounds: usize, target_ci: Option<f64>) -> Plan {
    Plan {
        paired,
        rounds,
        min_rounds: 6,
        target_ci,
        max_time: Duration::from_secs(3600),
    }
}

fn run(plan: &Plan, mock: &mut Mock, clock: &MockClock) -> (Outcome, Vec<Progress>) {
    let mut seen = Vec::new();
    let out = run_rounds(plan, &options(), mock, clock, |p| seen.push(*p)).expect("loop");
    (out, seen)
}

fn stop(out: &Outcome) -> &Stop {
    &out.stop
}

#[test]
fn order_alternates_a_b_then_b_a_and_the_round_limit_stops() {
    let (mut mock, clock) = Mock::new(|_| 1.0);
    let (out, seen) = run(&plan(true, 4, None), &mut mock, &clock);
    use Side::{Baseline as A, Candidate as B};
    assert_eq!(
        mock.calls,
        [
            (1, A),
            (1, B),
            (2, B),
            (2, A),
            (3, A),
            (3, B),
            (4, B),
            (4, A)
        ]
    );
    let s = stop(&out);
    assert_eq!((s.reason, s.rounds), ("round_limit", 4));
    assert_eq!(s.detail, "round limit (4) reached");
    assert_eq!(
        seen.iter().map(|p| p.round).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(seen[0].duration, Duration::from_secs(2));
    assert_eq!(out.rows.len(), 1);
    assert_eq!(out.rows[0].ratios.len(), 4);
    assert_eq!(out.rows[0].blocks.len(), 2);
}

#[test]
fn adaptive_stopping_stops_once_the_target_ci_is_reached() {
    // A steady 10 % slowdown (the drift cancels): the CI is narrow as soon
    // as min_rounds allow stopping.
    let (mut mock, clock) = Mock::new(|r| 1.10 * (1.0 + 0.0005 * (r % 3) as f64));
    let (out, seen) = run(&plan(true, 50, Some(0.01)), &mut mock, &clock);
    let s = stop(&out);
    assert_eq!((s.reason, s.rounds), ("target_ci", 6), "{s:?}");
    assert!(s.detail.starts_with("target CI reached"), "{}", s.detail);
    assert!(seen[5].width <= 0.01, "{:?}", seen[5]);
    assert!(!seen[..5].iter().any(|p| p.width.is_nan()));
    assert_eq!(regressed(&out.rows), ["bench/x@host"]);
}

#[test]
fn a_target_ci_out_of_reach_runs_to_the_round_limit() {
    // Blocks alternate 1.0 and 1.5: the interval stays wide.
    let (mut mock, clock) = Mock::new(|r| if (r - 1) / 2 % 2 == 0 { 1.0 } else { 1.5 });
    let (out, seen) = run(&plan(true, 12, Some(0.01)), &mut mock, &clock);
    let s = stop(&out);
    assert_eq!((s.reason, s.rounds), ("round_limit", 12));
    assert!(seen.iter().all(|p| p.width > 0.01), "{seen:?}");
}

#[test]
fn the_time_cap_stops_before_a_round_that_would_end_after_it() {
    let (mut mock, clock) = Mock::new(|_| 1.0);
    mock.step = Duration::from_secs(10); // 20 s per paired round
    let mut p = plan(true, 100, None);
    p.max_time = Duration::from_secs(65);
    let (out, _) = run(&p, &mut mock, &clock);
    let s = stop(&out);
    // 3 rounds end at 60 s; a 4th would end at 80 s > 65 s.
    assert_eq!((s.reason, s.rounds, s.elapsed_s), ("time_cap", 3, 60.0));
    assert!(s.detail.contains("time cap (65s)"), "{}", s.detail);
    // The first round runs even when it alone exceeds the cap.
    let (mut mock, clock) = Mock::new(|_| 1.0);
    mock.step = Duration::from_secs(100);
    let (out, _) = run(&p, &mut mock, &clock);
    assert_eq!((stop(&out).reason, stop(&out).rounds), ("time_cap", 1));
}

#[test]
fn repeated_runs_merge_one_process_per_round() {
    let (mut mock, clock) = Mock::new(|_| 1.0);
    let (out, seen) = run(&plan(false, 3, None), &mut mock, &clock);
    assert!(mock.calls.iter().all(|&(_, s)| s == Side::Baseline));
    assert_eq!(mock.calls.len(), 3);
    assert!(seen[0].width.is_infinite(), "one process: no CI yet");
    assert!(seen[2].width.is_finite());
    let m = &out.merged;
    assert_eq!(m.order, ["bench/x@host"]);
    assert_eq!(m.results["bench/x@host"].processes.len(), 3);
    let file = m.file().expect("merged file");
    assert!(file.complete);
    assert_eq!(file.results[0].processes.len(), 3);
    let summary = file.results[0].summary.as_ref().expect("summary");
    assert_eq!(summary.processes, 3);
    let table = m.render(&options(), MarkupStyle::Plain);
    assert!(table.contains("bench/x@host"), "{table}");
    assert!(Merged::default().file().is_none());
}

#[test]
fn repeated_runs_stop_on_the_target_ci_of_the_medians() {
    let (mut mock, clock) = Mock::new(|_| 1.0);
    // The 1 % drift per round makes the medians' CI a few percent wide.
    let (out, _) = run(&plan(false, 40, Some(0.5)), &mut mock, &clock);
    assert_eq!((stop(&out).reason, stop(&out).rounds), ("target_ci", 6));
    let (mut mock, clock) = Mock::new(|_| 1.0);
    let (out, _) = run(&plan(false, 8, Some(1e-6)), &mut mock, &clock);
    assert_eq!(stop(&out).reason, "round_limit");
}

#[test]
fn an_executor_error_ends_the_loop_with_it() {
    let (mut mock, clock) = Mock::new(|_| 1.0);
    mock.fail_at = Some(2);
    let e = run_rounds(&plan(true, 4, None), &options(), &mut mock, &clock, |_| {})
        .expect_err("failure");
    assert!(e.to_string().contains("mock failure in round 2"), "{e}");
}

#[test]
fn command_executor_names_round_files_and_rejects_empty_commands() {
    let mut x = CommandExecutor {
        baseline: "  ".into(),
        candidate: None,
        dir: "/tmp/ab".into(),
        invocation: Invocation::default(),
    };
    assert_eq!(
        x.path(Side::Candidate, 7),
        std::path::Path::new("/tmp/ab/round-0007-candidate.json")
    );
    assert!(
        x.run(Side::Baseline, 1)
            .is_err_and(|e| e.to_string() == "empty command")
    );
    assert!(x.run(Side::Candidate, 1).is_err());
    assert_eq!(
        exec::split_cmd("./pqbench --flag").expect("split"),
        ("./pqbench".to_string(), vec!["--flag".to_string()])
    );
}
