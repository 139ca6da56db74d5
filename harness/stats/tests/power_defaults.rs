//! The default design (10 replications per side, Welch on per-replication
//! log medians, Holm over 10 benchmarks, alpha 0.01, tolerance 0.5 %) on the
//! issue's noise model: a 3 % shift is caught in nearly every row, the
//! former default (2 replications) catches almost nothing (the negative
//! control: the check can fail), and A/A suites stay quiet. Few trials
//! here; `cargo run --release -p pqbench-stats --example validate power`
//! prints the full power curve.

use pqbench_stats::PrimaryTest;
use pqbench_stats::power::{Suite, coverage, issue_model, suite_rates};

fn suite(replications: usize, shift: f64) -> Suite {
    Suite {
        scenario: issue_model(replications, 200, shift),
        shifted: 2,
        alpha: 0.01,
        tolerance: 0.005,
        primary: PrimaryTest::Welch,
    }
}

#[test]
fn ten_replications_catch_three_percent_and_two_do_not() {
    let ten = suite_rates(&suite(10, 0.03), 40, 1);
    assert!(ten.detected >= 0.95, "{ten:?}");
    let two = suite_rates(&suite(2, 0.03), 40, 1);
    assert!(two.detected <= 0.10, "{two:?}");
}

#[test]
fn a_a_suites_rarely_alarm_at_the_defaults() {
    // alpha 0.01 per suite: 60 suites, at most 3 alarms (P < 0.003 under
    // a rate of 0.01).
    let aa = suite_rates(&suite(10, 0.0), 60, 2);
    assert!(aa.false_alarm <= 3.0 / 60.0, "{aa:?}");
}

#[test]
fn the_verdict_interval_covers_at_ten_replications() {
    // 95 % Welch t interval: 150 benchmarks, at least 135 covered (the
    // binomial 0.1 % quantile at 0.95 is about 134).
    let c = coverage(&issue_model(10, 200, 0.02), 150, 0, 3);
    assert!(c.welch_t >= 0.9, "{c:?}");
    // The HL interval at 2 vs 2 is the full range, capped at 4/6 coverage.
    let two = coverage(&issue_model(2, 200, 0.02), 150, 0, 3);
    assert!(two.hodges_lehmann < 0.8, "{two:?}");
}
