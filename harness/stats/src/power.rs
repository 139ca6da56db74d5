//! Power, false alarms and interval coverage of the default decision
//! procedure by replication design: the simulation behind the defaults of
//! `pqbench run` (replications) and `pqbench gate` (Yuen's trimmed t on
//! per-replication log medians, Holm, alpha 0.01, tolerance 0.5 %). Run in full by
//! `cargo run --release -p pqbench-stats --example validate`.

use crate::bootstrap::{BootstrapConfig, Groups, bootstrap_ratios};
use crate::correction::{Correction, adjust_p_values};
use crate::simulate::{Noise, Scenario, SimRng, side};
use crate::two_sample::{PrimaryTest, t_ratio, tests};
use crate::verdict::{Threshold, Verdict, VerdictInput, decide};
use serde::Serialize;

/// A suite-level experiment: `benchmarks` rows, the first `shifted` of
/// them slowed down by `shift` on the new side.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Suite {
    /// Noise of every benchmark (processes = replications per side,
    /// samples = samples per replication).
    pub scenario: Scenario,
    /// Rows carrying the shift (the rest are A/A).
    pub shifted: usize,
    /// Significance level on Holm-adjusted p-values.
    pub alpha: f64,
    /// Practical tolerance of the verdict.
    pub tolerance: f64,
    /// Primary test.
    pub primary: PrimaryTest,
}

/// Outcome of [`suite_rates`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct SuiteRates {
    /// Suites simulated.
    pub trials: usize,
    /// Share of suites where an unshifted row was flagged (regressed or
    /// improved): the family-wise false-alarm rate.
    pub false_alarm: f64,
    /// Share of shifted rows flagged `regressed`.
    pub detected: f64,
}

/// One side of one benchmark as [`Groups`].
fn groups(s: &Scenario, scale: f64, rng: &mut SimRng) -> Option<Groups> {
    Groups::new(side(s, scale, rng)).ok()
}

/// Runs `trials` suites through the procedure of `pqbench gate`: the
/// primary test per row, Holm over the suite, the verdict on the primary
/// test's own estimate and interval (one estimand).
pub fn suite_rates(s: &Suite, trials: usize, seed: u64) -> SuiteRates {
    let sc = &s.scenario;
    let (mut alarms, mut hits) = (0usize, 0usize);
    for t in 0..trials {
        let mut rng = SimRng::new(seed ^ 0x9e11, t as u64);
        let mut rows = Vec::with_capacity(sc.benchmarks);
        for b in 0..sc.benchmarks {
            let scale = 1000.0 * (b + 1) as f64;
            let k = if b < s.shifted { 1.0 + sc.shift } else { 1.0 };
            let (Some(base), Some(new)) =
                (groups(sc, scale, &mut rng), groups(sc, scale * k, &mut rng))
            else {
                continue;
            };
            if let Ok(r) = tests(&base, &new, 0.95, s.primary) {
                rows.push((b, r));
            }
        }
        let p: Vec<f64> = rows.iter().map(|(_, r)| r.p_value).collect();
        let adj = adjust_p_values(&p, Correction::Holm);
        let mut alarm = false;
        for ((b, r), pa) in rows.iter().zip(adj) {
            let v = decide(VerdictInput {
                ratio: r.estimate.estimate,
                lo: r.estimate.lo,
                hi: r.estimate.hi,
                p_adjusted: pa,
                alpha: s.alpha,
                threshold: Threshold(s.tolerance),
            });
            if *b < s.shifted {
                hits += usize::from(v == Verdict::Regressed);
            } else if matches!(v, Verdict::Regressed | Verdict::Improved) {
                alarm = true;
            }
        }
        alarms += usize::from(alarm);
    }
    SuiteRates {
        trials,
        false_alarm: alarms as f64 / trials.max(1) as f64,
        detected: hits as f64 / (trials * s.shifted).max(1) as f64,
    }
}

/// Coverage of the true ratio `1 + shift` by 95 % intervals.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Coverage {
    /// Benchmarks simulated.
    pub trials: usize,
    /// Welch t interval on log per-replication medians.
    pub welch_t: f64,
    /// Yuen's trimmed t interval on the same values (the default test's:
    /// the verdict's interval).
    pub yuen_t: f64,
    /// Hodges–Lehmann (Moses) interval on per-replication log medians.
    pub hodges_lehmann: f64,
    /// Percentile bootstrap over replications of the pooled median ratio (`NaN`
    /// when `resamples` is 0).
    pub bootstrap: f64,
}

/// Coverage of the interval methods on one benchmark of scenario `s`
/// (the true ratio is `1 + s.shift`: the noise is symmetric in logs).
pub fn coverage(s: &Scenario, trials: usize, resamples: usize, seed: u64) -> Coverage {
    let truth = 1.0 + s.shift;
    let cfg = BootstrapConfig {
        resamples,
        seed,
        ..BootstrapConfig::default()
    };
    let (mut w, mut y, mut h, mut bs, mut n) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for t in 0..trials {
        let mut rng = SimRng::new(seed ^ 0xc0e, t as u64);
        let (Some(base), Some(new)) = (
            groups(s, 1000.0, &mut rng),
            groups(s, 1000.0 * truth, &mut rng),
        ) else {
            continue;
        };
        // One analysis gives both t-tests; Yuen is primary here.
        let Ok(r) = tests(&base, &new, 0.95, PrimaryTest::Yuen) else {
            continue;
        };
        let Some(Ok(welch)) = r.welch.map(|t| t_ratio(&t, 0.95)) else {
            continue;
        };
        n += 1;
        let inside = |lo: f64, hi: f64| usize::from(lo <= truth && truth <= hi);
        w += inside(welch.lo, welch.hi);
        y += inside(r.estimate.lo, r.estimate.hi);
        h += inside(r.hodges_lehmann.lo, r.hodges_lehmann.hi);
        if resamples > 0
            && let Ok(b) = bootstrap_ratios(&base, &new, &cfg)
        {
            bs += inside(b.median.lo, b.median.hi);
        }
    }
    let rate = |k: usize| k as f64 / n.max(1) as f64;
    Coverage {
        trials: n,
        welch_t: rate(w),
        yuen_t: rate(y),
        hodges_lehmann: rate(h),
        bootstrap: if resamples > 0 { rate(bs) } else { f64::NAN },
    }
}

/// The issue's noise model: log-normal 2 % sample noise, 0.5 % replication
/// noise, 10 benchmarks; `replications` per side of `samples` each.
pub fn issue_model(replications: usize, samples: usize, shift: f64) -> Scenario {
    Scenario {
        noise: Noise::LogNormal,
        sigma: 0.02,
        process_sigma: 0.005,
        drift: 0.0,
        processes: replications,
        samples,
        benchmarks: 10,
        shift,
    }
}
