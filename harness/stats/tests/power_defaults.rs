//! The default design (16 replications per side sharing a fixed budget,
//! Yuen's 20 % trimmed t on per-replication log medians, Holm over 10
//! benchmarks, alpha 0.01, tolerance 0.5 %) on the issue's noise model: a
//! 3 % shift is caught in nearly every row, the former default (2
//! replications) catches almost nothing (the negative control: the check
//! can fail), and A/A suites stay quiet. With one replication in ten
//! disturbed as a whole, Welch's t loses a 3 % shift and Yuen's does not.
//! Few trials here; `cargo run --release -p pqbench-stats --example
//! validate power` prints the full power curve.

use pqbench_stats::PrimaryTest;
use pqbench_stats::power::{Suite, coverage, issue_model, suite_rates};
use pqbench_stats::simulate::{Noise, Scenario};

fn suite(replications: usize, shift: f64, primary: PrimaryTest, noise: Noise) -> Suite {
    Suite {
        scenario: Scenario {
            noise,
            ..issue_model(replications, 2000 / replications, shift)
        },
        shifted: 2,
        alpha: 0.01,
        tolerance: 0.005,
        primary,
    }
}

#[test]
fn sixteen_replications_catch_three_percent_and_two_do_not() {
    let d = PrimaryTest::default();
    assert_eq!(d, PrimaryTest::Yuen);
    let sixteen = suite_rates(&suite(16, 0.03, d, Noise::LogNormal), 40, 1);
    assert!(sixteen.detected >= 0.95, "{sixteen:?}");
    let two = suite_rates(&suite(2, 0.03, d, Noise::LogNormal), 40, 1);
    assert!(two.detected <= 0.10, "{two:?}");
}

#[test]
fn a_disturbed_replication_hides_a_shift_from_welch_not_from_yuen() {
    let yuen = suite_rates(
        &suite(16, 0.03, PrimaryTest::Yuen, Noise::DisturbedReplications),
        40,
        4,
    );
    let welch = suite_rates(
        &suite(16, 0.03, PrimaryTest::Welch, Noise::DisturbedReplications),
        40,
        4,
    );
    assert!(yuen.detected >= 0.75, "{yuen:?}");
    assert!(welch.detected <= 0.5, "{welch:?}");
}

#[test]
fn a_a_suites_rarely_alarm_at_the_defaults() {
    // alpha 0.01 per suite: 60 suites, at most 3 alarms (P < 0.003 under
    // a rate of 0.01).
    for noise in [Noise::LogNormal, Noise::DisturbedReplications] {
        let aa = suite_rates(&suite(16, 0.0, PrimaryTest::Yuen, noise), 60, 2);
        assert!(aa.false_alarm <= 3.0 / 60.0, "{noise:?}: {aa:?}");
    }
}

#[test]
fn the_verdict_interval_covers_at_the_default_replications() {
    // 95 % intervals: 150 benchmarks, at least 135 covered (the binomial
    // 0.1 % quantile at 0.95 is about 134).
    let c = coverage(&issue_model(16, 125, 0.02), 150, 0, 3);
    assert!(c.yuen_t >= 0.9 && c.welch_t >= 0.9, "{c:?}");
    // The HL interval at 2 vs 2 is the full range, capped at 4/6 coverage.
    let two = coverage(&issue_model(2, 200, 0.02), 150, 0, 3);
    assert!(two.hodges_lehmann < 0.8, "{two:?}");
}
