//! Full-size validation of the decision procedure by simulation:
//! `cargo run --release -p pqbench-stats --example validate [TRIALS]`.
//!
//! Prints, for every noise model, the A/A family-wise false-alarm rate of
//! the two-sample procedure (Holm, alpha 0.05) and of the paired A/B
//! analysis, and the detection rate of injected 1 %, 2 % and 5 % slowdowns.

use pqbench_stats::Correction;
use pqbench_stats::simulate::{Noise, Scenario, paired_rates, two_sample_rates};

fn main() {
    let trials: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
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
        let aa = two_sample_rates(&s(0.0), trials, 100, alpha, Correction::Holm, tol, 1);
        let d: Vec<f64> = [0.01, 0.02, 0.05]
            .iter()
            .map(|&x| {
                two_sample_rates(&s(x), trials, 100, alpha, Correction::Holm, tol, 2).detected
            })
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
