//! Simulated benchmark suites, to validate the decision procedure: the A/A
//! false-alarm rate under realistic noise and the power to detect injected
//! shifts. Used by the crate's tests (few trials) and by
//! `cargo run --release -p pqbench-stats --example validate` (many trials).

use crate::bootstrap::Groups;
use crate::correction::{Correction, adjust_p_values};
use crate::describe::quantile_in_place;
use crate::paired::paired_ratios;
use crate::two_sample::{PrimaryTest, tests};
use crate::verdict::{Threshold, Verdict, VerdictInput, decide};
use serde::Serialize;

/// Shape of the per-sample noise.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Noise {
    /// Log-normal: `exp(N(0, sigma))`.
    LogNormal,
    /// Two modes: 25 % of samples 15 % slower (e.g. a cache or frequency
    /// state), each process with its own share of the slow mode.
    Bimodal,
    /// Heavy right tail: `|t(2)|`-distributed excursions (interrupts,
    /// preemption).
    HeavyTail,
    /// Log-normal plus slow drift: within each process a ramp of `+drift`
    /// over its samples (warm-up, heating), and across the processes of a
    /// run a slow periodic wander of amplitude `drift` (one period per run,
    /// random phase). A drift that keeps going between two runs (a random
    /// walk) is a real difference to an unpaired comparison: that case is
    /// what paired A/B is for, and [`paired_rates`] simulates it.
    Drift,
    /// Log-normal, and one replication in ten disturbed as a whole: slower
    /// by a factor drawn uniformly from +15 % to +55 % (what real runs of
    /// the hash workloads showed on a quiet 2-core VM: one or two such
    /// replications in some runs of ten).
    DisturbedReplications,
}

/// One simulated scenario.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Scenario {
    /// Noise model.
    pub noise: Noise,
    /// Relative per-sample noise (log-scale sd), e.g. 0.02.
    pub sigma: f64,
    /// Relative between-process noise (log-scale sd), e.g. 0.005.
    pub process_sigma: f64,
    /// Relative drift (see [`Noise::Drift`]).
    pub drift: f64,
    /// Processes per side.
    pub processes: usize,
    /// Samples per process.
    pub samples: usize,
    /// Benchmarks in the suite (the correction family).
    pub benchmarks: usize,
    /// Relative slowdown injected into the first benchmark of the new side
    /// (0 for A/A).
    pub shift: f64,
}

/// Outcome rates over the trials of a scenario.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rates {
    /// Trials run.
    pub trials: usize,
    /// Suites where a benchmark without injected shift was flagged
    /// (regressed or improved): the family-wise false-alarm rate.
    pub false_alarm: f64,
    /// Suites where the shifted benchmark was flagged `regressed` (0 when
    /// there is no shift).
    pub detected: f64,
}

/// SplitMix64: a small, fast generator for simulated data (fast even in
/// unoptimised test builds; the statistics' own resampling uses ChaCha8).
#[derive(Clone, Debug)]
pub struct SimRng(u64);

impl SimRng {
    /// Generator for trial `index` of a simulation seeded with `seed`.
    pub fn new(seed: u64, index: u64) -> SimRng {
        let mut r = SimRng(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn unit(rng: &mut SimRng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

pub(crate) fn normal(rng: &mut SimRng) -> f64 {
    // Box–Muller (one of the pair).
    let (u, v) = (unit(rng), unit(rng));
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn student2(rng: &mut SimRng) -> f64 {
    // t with 2 degrees of freedom: closed-form inverse CDF.
    let u = unit(rng);
    (2.0 * u - 1.0) / (2.0 * u * (1.0 - u)).sqrt()
}

/// Samples of one side of one benchmark.
pub fn side(s: &Scenario, scale: f64, rng: &mut SimRng) -> Vec<Vec<f64>> {
    let phase = std::f64::consts::TAU * unit(rng);
    (0..s.processes)
        .map(|p| {
            let mut offset = s.process_sigma * normal(rng);
            // Drawn only for this model, so the others keep their streams.
            if s.noise == Noise::DisturbedReplications && unit(rng) < 0.1 {
                offset += (0.15 + 0.4 * unit(rng)).ln_1p();
            }
            let wander =
                s.drift * (phase + std::f64::consts::TAU * p as f64 / s.processes as f64).sin();
            let slow_share = 0.1 + 0.3 * unit(rng);
            (0..s.samples)
                .map(|i| {
                    let e = s.sigma * normal(rng);
                    let extra = match s.noise {
                        Noise::LogNormal | Noise::DisturbedReplications => 0.0,
                        Noise::Bimodal => {
                            if unit(rng) < slow_share {
                                0.15f64.ln_1p()
                            } else {
                                0.0
                            }
                        }
                        Noise::HeavyTail => (s.sigma * student2(rng).abs()).min(5.0),
                        Noise::Drift => wander + s.drift * i as f64 / s.samples as f64,
                    };
                    scale * (offset + e + extra).exp()
                })
                .collect()
        })
        .collect()
}

/// Runs `trials` simulated suite comparisons through the same procedure as
/// `pqbench compare` (its default test on log per-process medians, suite-level
/// correction, verdict with `tolerance` on the test's own estimate and t
/// interval: one estimand). The first benchmark carries the shift.
pub fn two_sample_rates(
    s: &Scenario,
    trials: usize,
    alpha: f64,
    correction: Correction,
    tolerance: f64,
    seed: u64,
) -> Rates {
    let mut false_alarms = 0;
    let mut detected = 0;
    for t in 0..trials {
        let mut rng = SimRng::new(seed ^ 0x5151, t as u64);
        let mut results = Vec::with_capacity(s.benchmarks);
        for b in 0..s.benchmarks {
            let scale = 1000.0 * (b + 1) as f64;
            let shift = if b == 0 { 1.0 + s.shift } else { 1.0 };
            let base = Groups::new(side(s, scale, &mut rng));
            let new = Groups::new(side(s, scale * shift, &mut rng));
            let (Ok(base), Ok(new)) = (base, new) else {
                continue;
            };
            let Ok(t) = tests(&base, &new, 0.95, PrimaryTest::default()) else {
                continue;
            };
            let e = t.estimate;
            results.push((b, t.p_value, e.estimate, e.lo, e.hi));
        }
        let p: Vec<f64> = results.iter().map(|r| r.1).collect();
        let adj = adjust_p_values(&p, correction);
        let mut alarm = false;
        for (&(b, _, ratio, lo, hi), pa) in results.iter().zip(adj) {
            let v = decide(VerdictInput {
                ratio,
                lo,
                hi,
                p_adjusted: pa,
                alpha,
                threshold: Threshold(tolerance),
            });
            let flagged = matches!(v, Verdict::Regressed | Verdict::Improved);
            if b == 0 && s.shift != 0.0 {
                if v == Verdict::Regressed {
                    detected += 1;
                }
            } else if flagged {
                alarm = true;
            }
        }
        if alarm {
            false_alarms += 1;
        }
    }
    Rates {
        trials,
        false_alarm: false_alarms as f64 / trials as f64,
        detected: detected as f64 / trials as f64,
    }
}

/// Paired A/B trials: `rounds` rounds, each one baseline and one candidate
/// run of `samples` samples back to back, with a machine drift that moves
/// by a random walk of step `drift` between rounds (shared by A and B of a
/// round). Returns the rate at which the Wilcoxon signed-rank test on the
/// per-round median ratios rejects at `alpha` and the estimate is beyond
/// `tolerance` (for a shift: in the direction of the slowdown).
pub fn paired_rates(
    s: &Scenario,
    rounds: usize,
    trials: usize,
    alpha: f64,
    tolerance: f64,
    seed: u64,
) -> Rates {
    let mut hits = 0;
    for t in 0..trials {
        let mut rng = SimRng::new(seed ^ 0xab, t as u64);
        let mut walk = 0.0;
        let one = Scenario {
            processes: 1,
            drift: 0.0,
            ..*s
        };
        let ratios: Vec<f64> = (0..rounds)
            .map(|_| {
                walk += s.drift * normal(&mut rng);
                let a = side(&one, 1000.0 * walk.exp(), &mut rng);
                let b = side(&one, 1000.0 * walk.exp() * (1.0 + s.shift), &mut rng);
                let med = |v: &[f64]| quantile_in_place(&mut v.to_vec(), 0.5);
                med(&b[0]) / med(&a[0])
            })
            .collect();
        if let Ok(a) = paired_ratios(&ratios, 0.95, 10, seed)
            && let Some(w) = a.wilcoxon
        {
            let est = a.geomean.estimate;
            let beyond = if s.shift > 0.0 {
                est > 1.0 + tolerance
            } else {
                est > 1.0 + tolerance || est < 1.0 / (1.0 + tolerance)
            };
            if w.p_value < alpha && beyond {
                hits += 1;
            }
        }
    }
    let rate = hits as f64 / trials as f64;
    Rates {
        trials,
        false_alarm: if s.shift == 0.0 { rate } else { 0.0 },
        detected: if s.shift == 0.0 { 0.0 } else { rate },
    }
}
