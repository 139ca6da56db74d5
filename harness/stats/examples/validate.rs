//! Full-size validation of the decision procedure by simulation:
//! `cargo run --release -p pqbench-stats --example validate [TRIALS]`.
//!
//! Prints, for every noise model, the A/A family-wise false-alarm rate of
//! the two-sample procedure (Holm, alpha 0.05) and of the paired A/B
//! analysis, and the detection rate of injected 1 %, 2 % and 5 % slowdowns.
//!
//! `validate power [TRIALS] [TOLERANCE]` prints the power curve of the gate's
//! procedure (Holm over 10 benchmarks, alpha 0.01, 2 of 10 rows shifted) by
//! replications per side, for Welch's and Yuen's test on per-replication log
//! medians, on the issue's noise model and with one replication in ten
//! disturbed as a whole, with a fixed budget of 2000 samples per side split
//! between the replications. `validate coverage [TRIALS]` prints the
//! coverage of the 95 % intervals by replication count.

use pqbench_stats::power::{Suite, coverage, issue_model, suite_rates};
use pqbench_stats::simulate::{Noise, Scenario, paired_rates, two_sample_rates};
use pqbench_stats::{Correction, PrimaryTest};

fn power(trials: usize, tolerance: f64) {
    println!(
        "gate procedure: Holm over 10, alpha 0.01, tolerance {:.1}%, 2 of 10 rows shifted; a fixed budget of 2000 samples per side split between the replications; {trials} suites per cell",
        tolerance * 100.0
    );
    println!(
        "| replications/side | samples/replication | test | noise | A/A suite false alarm | +1% rows regressed | +3% rows regressed |"
    );
    println!("|---|---|---|---|---|---|---|");
    for noise in [Noise::LogNormal, Noise::DisturbedReplications] {
        for primary in [PrimaryTest::Welch, PrimaryTest::Yuen] {
            for r in [4usize, 6, 8, 10, 12, 16, 20, 24] {
                let samples = 2000 / r;
                let suite = |shift: f64| Suite {
                    scenario: Scenario {
                        noise,
                        ..issue_model(r, samples, shift)
                    },
                    shifted: 2,
                    alpha: 0.01,
                    tolerance,
                    primary,
                };
                let aa = suite_rates(&suite(0.0), trials, 11);
                let one = suite_rates(&suite(0.01), trials, 12);
                let three = suite_rates(&suite(0.03), trials, 13);
                println!(
                    "| {r} | {samples} | {primary:?} | {noise:?} | {:.3} | {:.3} | {:.3} |",
                    aa.false_alarm, one.detected, three.detected
                );
            }
        }
    }
}

fn coverage_table(trials: usize) {
    println!(
        "coverage of the true ratio by 95% intervals, issue noise model (+2% shift), 200 samples/replication; {trials} benchmarks per cell"
    );
    println!(
        "| replications/side | Yuen trimmed t (verdict) | Welch t | Hodges-Lehmann | percentile bootstrap (200 resamples) |"
    );
    println!("|---|---|---|---|---|");
    for r in [2usize, 3, 4, 5, 6, 8, 10, 16, 20] {
        let c = coverage(&issue_model(r, 200, 0.02), trials, 200, 21);
        println!(
            "| {r} | {:.3} | {:.3} | {:.3} | {:.3} |",
            c.yuen_t, c.welch_t, c.hodges_lehmann, c.bootstrap
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, d: f64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    match args.first().map(String::as_str) {
        Some("power") => return power(num(1, 1000.0) as usize, num(2, 0.005)),
        Some("coverage") => return coverage_table(num(1, 2000.0) as usize),
        _ => {}
    }
    let trials = num(0, 1000.0) as usize;
    let alpha = 0.05;
    let tol = 0.005;
    println!(
        "two-sample: 5 benchmarks/suite, 10 processes x 50 samples per side, sigma 2%, process sigma 0.5%, Holm, alpha {alpha}, tolerance {:.1}%; paired: 20 rounds x 50 samples, Wilcoxon; {trials} trials",
        tol * 100.0
    );
    println!(
        "| noise | A/A false alarm (suite) | 1% detected | 2% detected | 5% detected | paired A/A | paired 1% | paired 2% |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for noise in [
        Noise::LogNormal,
        Noise::Bimodal,
        Noise::HeavyTail,
        Noise::Drift,
    ] {
        let s = |shift: f64| Scenario {
            noise,
            sigma: 0.02,
            process_sigma: 0.005,
            drift: 0.01,
            processes: 10,
            samples: 50,
            benchmarks: 5,
            shift,
        };
        let aa = two_sample_rates(&s(0.0), trials, alpha, Correction::Holm, tol, 1);
        let d: Vec<f64> = [0.01, 0.02, 0.05]
            .iter()
            .map(|&x| two_sample_rates(&s(x), trials, alpha, Correction::Holm, tol, 2).detected)
            .collect();
        let paa = paired_rates(&s(0.0), 20, trials, alpha, tol, 3);
        let p1 = paired_rates(&s(0.01), 20, trials, alpha, tol, 4);
        let p2 = paired_rates(&s(0.02), 20, trials, alpha, tol, 5);
        println!(
            "| {noise:?} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            aa.false_alarm, d[0], d[1], d[2], paa.false_alarm, p1.detected, p2.detected
        );
    }
}
