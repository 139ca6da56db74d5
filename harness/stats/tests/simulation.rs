//! Validation of the decision procedure by simulation (reduced trial
//! counts to keep the test suite lean; the full version is
//! `cargo run --release -p pqbench-stats --example validate 1000`).
//!
//! * A/A: for every noise model the family-wise false-alarm rate after Holm
//!   correction stays at or below alpha, up to the binomial sampling error
//!   of the trial count (bound: alpha + 3 standard errors).
//! * Power: injected slowdowns of 1 %, 2 %, 5 % are detected at least at
//!   the documented rates (log-normal noise, 2 % per-sample sd, 0.5 %
//!   between processes, 10 processes x 50 samples per side).

use pqbench_stats::Correction;
use pqbench_stats::simulate::{Noise, Scenario, paired_rates, two_sample_rates};

const ALPHA: f64 = 0.05;
const TOL: f64 = 0.005;

fn scenario(noise: Noise, shift: f64) -> Scenario {
    Scenario {
        noise,
        sigma: 0.02,
        process_sigma: 0.005,
        drift: 0.01,
        processes: 10,
        samples: 50,
        benchmarks: 4,
        shift,
    }
}

fn bound(trials: usize) -> f64 {
    ALPHA + 3.0 * (ALPHA * (1.0 - ALPHA) / trials as f64).sqrt()
}

#[test]
fn a_a_false_alarms_stay_below_alpha_after_correction() {
    let trials = 150;
    for noise in [
        Noise::LogNormal,
        Noise::Bimodal,
        Noise::HeavyTail,
        Noise::Drift,
    ] {
        for correction in [Correction::Holm, Correction::BenjaminiHochberg] {
            // Tolerance 0: count every significant flag, the strictest case.
            let r = two_sample_rates(&scenario(noise, 0.0), trials, ALPHA, correction, 0.0, 7);
            assert!(
                r.false_alarm <= bound(trials),
                "{noise:?} {correction:?}: false alarm rate {} > {}",
                r.false_alarm,
                bound(trials)
            );
        }
    }
}

#[test]
fn injected_shifts_are_detected_at_documented_power() {
    let trials = 60;
    // (shift, minimum detection rate); measured with 1000 trials by the
    // `validate` example: 0.77, 1.00, 1.00 (log-normal noise).
    for (shift, min) in [(0.01, 0.55), (0.02, 0.95), (0.05, 0.98)] {
        let r = two_sample_rates(
            &scenario(Noise::LogNormal, shift),
            trials,
            ALPHA,
            Correction::Holm,
            TOL,
            11,
        );
        assert!(
            r.detected >= min,
            "shift {shift}: detected {} < {min}",
            r.detected
        );
    }
    // A 5 % shift is found under every noise model.
    for noise in [Noise::Bimodal, Noise::HeavyTail, Noise::Drift] {
        let r = two_sample_rates(&scenario(noise, 0.05), 40, ALPHA, Correction::Holm, TOL, 13);
        assert!(r.detected >= 0.9, "{noise:?}: 5% detected {}", r.detected);
    }
}

#[test]
fn paired_ab_cancels_drift() {
    let trials = 150;
    // Drift between rounds (random walk, 1 % per round) is shared by A and
    // B of a round and cancels in the per-round ratio.
    let aa = paired_rates(&scenario(Noise::Drift, 0.0), 20, trials, ALPHA, 0.0, 17);
    assert!(
        aa.false_alarm <= bound(trials),
        "paired A/A {}",
        aa.false_alarm
    );
    let d2 = paired_rates(&scenario(Noise::Drift, 0.02), 20, 60, ALPHA, TOL, 19);
    assert!(d2.detected >= 0.95, "paired 2%: {}", d2.detected);
}
