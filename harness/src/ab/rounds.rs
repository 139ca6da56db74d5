//! The round loop.

use super::exec::{Clock, RoundExecutor, Side};
use super::merge::Merged;
use super::stop::{Plan, Stop};
use crate::compare::paired::{PairedOptions, PairedRow, Rounds, analyse, worst_half_width};
use std::time::Duration;

/// Reported after every round.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// The round just completed (1-based).
    pub round: usize,
    /// How long it took.
    pub duration: Duration,
    /// The worst CI half-width so far (`inf` while undefined).
    pub width: f64,
}

/// What the loop produced.
#[derive(Debug)]
pub struct Outcome {
    /// Why it stopped.
    pub stop: Stop,
    /// Paired mode: the per-round ratios.
    pub rounds: Rounds,
    /// Paired mode: the analysis after the last round.
    pub rows: Vec<PairedRow>,
    /// Repeated-run mode: the merged rounds.
    pub merged: Merged,
}

/// Which sides run in `round`, in order: the baseline alone in
/// repeated-run mode; else A B in odd rounds, B A in even ones.
pub fn order(paired: bool, round: usize) -> &'static [Side] {
    match (paired, round % 2 == 1) {
        (false, _) => &[Side::Baseline],
        (true, true) => &[Side::Baseline, Side::Candidate],
        (true, false) => &[Side::Candidate, Side::Baseline],
    }
}

/// Runs rounds with `exec` until `plan` says stop, analysing after every
/// round (calling `progress`). An executor error ends the loop with that
/// error.
pub fn run_rounds(
    plan: &Plan,
    options: &PairedOptions,
    exec: &mut dyn RoundExecutor,
    clock: &dyn Clock,
    mut progress: impl FnMut(&Progress),
) -> anyhow::Result<Outcome> {
    let start = clock.now();
    let mut rounds = Rounds::default();
    let mut rows = Vec::new();
    let mut merged = Merged::default();
    let mut last_round = Duration::ZERO;
    let mut done = 0usize;
    let stop = loop {
        if let Some(s) = plan.stop_before(done, clock.now() - start, last_round) {
            break s;
        }
        let t0 = clock.now();
        let round = done + 1;
        let (mut a, mut b) = (None, None);
        for &side in order(plan.paired, round) {
            let r = exec.run(side, round)?;
            match side {
                Side::Baseline => a = Some(r),
                Side::Candidate => b = Some(r),
            }
        }
        let Some(a) = a else {
            anyhow::bail!("round {round}: the baseline did not run");
        };
        match &b {
            Some(b) => rounds.add(round, &a, b),
            None => merged.add(a),
        }
        done += 1;
        last_round = clock.now() - t0;
        let width = if plan.paired {
            rows = analyse(&rounds, options);
            worst_half_width(&rows)
        } else {
            merged.ci_of_medians(options).1
        };
        progress(&Progress {
            round,
            duration: last_round,
            width,
        });
        if let Some(s) = plan.stop_after(done, clock.now() - start, width) {
            break s;
        }
    };
    Ok(Outcome {
        stop,
        rounds,
        rows,
        merged,
    })
}
