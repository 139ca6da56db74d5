//! When the round loop stops: round limit, time cap, or target CI.

use serde::Serialize;
use std::time::Duration;

/// The loop's limits.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Paired mode (a candidate is run) or repeated-run mode.
    pub paired: bool,
    /// Most rounds.
    pub rounds: usize,
    /// Rounds always run before adaptive stopping may stop.
    pub min_rounds: usize,
    /// Adaptive stopping: the largest CI half-width (relative) accepted.
    pub target_ci: Option<f64>,
    /// No round starts when it would end after this.
    pub max_time: Duration,
}

/// Why the loop stopped.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stop {
    /// `target_ci`, `time_cap` or `round_limit`.
    pub reason: &'static str,
    /// Human sentence.
    pub detail: String,
    /// Rounds completed.
    pub rounds: usize,
    /// Wall-clock seconds.
    pub elapsed_s: f64,
}

impl Plan {
    /// Before a round: stop at the round limit, or when another round
    /// (assumed as long as the last one) would end after the time cap.
    /// The first round always runs.
    pub fn stop_before(
        &self,
        done: usize,
        elapsed: Duration,
        last_round: Duration,
    ) -> Option<Stop> {
        if done >= self.rounds {
            return Some(Stop {
                reason: "round_limit",
                detail: format!("round limit ({}) reached", self.rounds),
                rounds: done,
                elapsed_s: elapsed.as_secs_f64(),
            });
        }
        if done > 0 && elapsed + last_round > self.max_time {
            return Some(Stop {
                reason: "time_cap",
                detail: format!(
                    "time cap ({:.0}s) reached: another round (~{:.0}s) would exceed it",
                    self.max_time.as_secs_f64(),
                    last_round.as_secs_f64()
                ),
                rounds: done,
                elapsed_s: elapsed.as_secs_f64(),
            });
        }
        None
    }

    /// After a round: stop once at least `min_rounds` are done and the
    /// worst CI half-width `width` is at most the target.
    pub fn stop_after(&self, done: usize, elapsed: Duration, width: f64) -> Option<Stop> {
        let target = self.target_ci?;
        (done >= self.min_rounds && width <= target).then(|| Stop {
            reason: "target_ci",
            detail: format!(
                "target CI reached: worst half-width {:.2}% <= {:.2}%",
                width * 100.0,
                target * 100.0
            ),
            rounds: done,
            elapsed_s: elapsed.as_secs_f64(),
        })
    }
}
