//! How much the replications of a benchmark disagree, against what the
//! noise of the samples inside them explains, and what that means for the
//! changes a comparison can decide.
//!
//! All spreads are standard deviations of **natural logarithms**, i.e.
//! relative spreads (0.018 ≈ 1.8 %).
//!
//! * **Between-replication spread** of a side: the sample SD of the log
//!   per-replication medians (what Welch's t sees). Pooled over both sides
//!   with weights `n − 1`.
//! * **Within-replication spread**: what the SD of a replication's median
//!   *would* be if replications were exchangeable draws of the same
//!   process, i.e. the sampling error of a median of `n` samples:
//!   `sqrt(π/2) · 1.4826 · MAD(log samples) / sqrt(n)` per replication (the
//!   asymptotic standard error of a normal sample's median with the MAD as
//!   a robust SD), combined over a side's replications as the root mean
//!   square. Samples that are correlated in time make this an
//!   underestimate; the ratio below is then an upper bound.
//! * **Ratio** between / within (pooled): about 1 when the replications
//!   differ only by their sampling noise; larger when something fixed per
//!   process (code and data placement, machine state, frequency) moves the
//!   median.
//! * **Minimal detectable change** (MDC) of the design: the smallest true
//!   change `exp(d) − 1` that Welch's two-sided t test on log medians
//!   detects with probability `power` (0.8) at the level `alpha_effective`,
//!   `d = δ*(df, α, power) · sqrt(s_b²/n_b + s_n²/n_n)`, where `δ*` solves
//!   `1 − F(t_{1−α/2, df}; df, δ) + F(−t_{1−α/2, df}; df, δ) = power` for
//!   `F` the noncentral t CDF ([`crate::t_test_power`]) and `df` is the
//!   row's Welch–Satterthwaite df. `alpha_effective` is the level after the
//!   correction family (callers pass `α / m` for Holm and
//!   Benjamini–Hochberg: the threshold a row must meet when it is the only
//!   change in a family of `m`).
//! * **Replications needed**: the smallest `n` per side with which the same
//!   test reaches `power` against a change equal to the tolerance, with
//!   this row's per-side spreads ([`crate::replications_needed`]). The
//!   verdict *regressed* also needs the estimate beyond the tolerance,
//!   which a change exactly at the tolerance meets half of the time.

use crate::bootstrap::Groups;
use crate::describe::{logs, variance};
use crate::error::StatsError;
use crate::t_power::{detectable_nc, replications_needed, welch_df};
use serde::Serialize;

/// `1.4826`: the MAD of a normal distribution times this is its SD.
const MAD_TO_SD: f64 = 1.482_602_218_505_602;
/// Largest replication count [`ReplicationNoise::replications_for_tolerance`]
/// searches.
pub const MAX_REPLICATIONS: usize = 100_000;

/// Process-level variance of one compared benchmark (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ReplicationNoise {
    /// SD of the log per-replication medians, base side.
    pub between_base: f64,
    /// The same, new side.
    pub between_new: f64,
    /// Pooled over both sides (weights `n − 1`).
    pub between: f64,
    /// Expected SD of a replication's log median from its own samples
    /// alone, base side (RMS over its replications).
    pub within_base: f64,
    /// The same, new side.
    pub within_new: f64,
    /// Pooled over both sides (RMS, weights `n − 1`).
    pub within: f64,
    /// `between / within`: how much larger the process-level spread is than
    /// the sampling noise explains (`inf` when the samples do not vary).
    pub ratio: f64,
    /// Welch–Satterthwaite df of the design.
    pub df: f64,
    /// Test level the MDC is computed at (after the correction).
    pub alpha_effective: f64,
    /// Power the MDC and the replication count are computed for.
    pub power: f64,
    /// Minimal detectable change as a relative change (0.01 = +1 %).
    pub mdc: f64,
    /// Change the replication count is computed for (the row's tolerance).
    pub tolerance: f64,
    /// Replications per side needed to detect `tolerance` (`None`: more
    /// than [`MAX_REPLICATIONS`], or no spread to scale from).
    pub replications_for_tolerance: Option<usize>,
}

/// Robust sampling error of the median of one replication's samples (log
/// scale), `None` with fewer than 2 samples.
fn median_sampling_error(samples: &[f64]) -> Result<Option<f64>, StatsError> {
    if samples.len() < 2 {
        return Ok(None);
    }
    let mut l = logs(samples)?;
    l.sort_by(f64::total_cmp);
    let med = crate::describe::quantile_sorted(&l, 0.5);
    let mut dev: Vec<f64> = l.iter().map(|x| (x - med).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let sd = MAD_TO_SD * crate::describe::quantile_sorted(&dev, 0.5);
    Ok(Some(
        (std::f64::consts::PI / 2.0).sqrt() * sd / (l.len() as f64).sqrt(),
    ))
}

/// Mean squared sampling error of a side's replication medians, and how
/// many replications had one.
fn within_var(g: &Groups) -> Result<(f64, usize), StatsError> {
    let mut sum = 0.0;
    let mut k = 0;
    for s in g.groups() {
        if let Some(e) = median_sampling_error(s)? {
            sum += e * e;
            k += 1;
        }
    }
    Ok((if k > 0 { sum / k as f64 } else { f64::NAN }, k))
}

/// The process-level variance of a comparison of `base` and `new` (each at
/// least 2 replications), with the MDC at `alpha_effective` and `power`
/// and the replications needed to detect `tolerance`.
pub fn replication_noise(
    base: &Groups,
    new: &Groups,
    alpha_effective: f64,
    power: f64,
    tolerance: f64,
) -> Result<ReplicationNoise, StatsError> {
    let (nb, nn) = (base.len(), new.len());
    if nb < 2 || nn < 2 {
        return Err(StatsError::TooFewValues {
            needed: 2,
            got: nb.min(nn),
        });
    }
    let vb = variance(&logs(&base.group_medians())?)?;
    let vn = variance(&logs(&new.group_medians())?)?;
    let pooled =
        |a: f64, b: f64| ((nb - 1) as f64 * a + (nn - 1) as f64 * b) / (nb + nn - 2) as f64;
    let between = pooled(vb, vn).sqrt();
    let (wb, _) = within_var(base)?;
    let (wn, _) = within_var(new)?;
    let within = pooled(wb, wn).sqrt();
    let ratio = if within > 0.0 {
        between / within
    } else if between > 0.0 {
        f64::INFINITY
    } else {
        f64::NAN
    };
    let df = welch_df(vb, nb, vn, nn);
    let se = (vb / nb as f64 + vn / nn as f64).sqrt();
    let mdc = if se > 0.0 {
        (detectable_nc(df, alpha_effective, power)? * se).exp() - 1.0
    } else {
        0.0
    };
    let replications_for_tolerance = if vb + vn > 0.0 {
        replications_needed(
            (1.0 + tolerance).ln(),
            vb,
            vn,
            alpha_effective,
            power,
            MAX_REPLICATIONS,
        )?
    } else {
        None
    };
    Ok(ReplicationNoise {
        between_base: vb.sqrt(),
        between_new: vn.sqrt(),
        between,
        within_base: wb.sqrt(),
        within_new: wn.sqrt(),
        within,
        ratio,
        df,
        alpha_effective,
        power,
        mdc,
        tolerance,
        replications_for_tolerance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::SimRng;

    /// `reps` replications of `n` log-normal samples with sample noise
    /// `sigma` and a per-replication offset of SD `process`.
    fn side(rng: &mut SimRng, reps: usize, n: usize, sigma: f64, process: f64) -> Groups {
        Groups::new(
            (0..reps)
                .map(|_| {
                    let off = process * crate::simulate::normal(rng);
                    (0..n)
                        .map(|_| 1000.0 * (off + sigma * crate::simulate::normal(rng)).exp())
                        .collect()
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn exchangeable_replications_have_ratio_near_one() {
        // Negative control: replications are identically distributed (no
        // process-level offset), so the between-replication spread is the
        // medians' sampling noise alone. Averaged over 40 designs, since
        // one design's SD from 10 values is itself ±25 %.
        let mut rng = SimRng::new(7, 0);
        let mut ratios = Vec::new();
        for _ in 0..40 {
            let b = side(&mut rng, 10, 400, 0.02, 0.0);
            let n = side(&mut rng, 10, 400, 0.02, 0.0);
            ratios.push(replication_noise(&b, &n, 0.05, 0.8, 0.005).unwrap().ratio);
        }
        let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
        assert!((0.85..1.15).contains(&mean), "{mean}");
        // Positive control: a 1 % process offset over 0.1 % sampling noise.
        let b = side(&mut rng, 10, 400, 0.02, 0.01);
        let n = side(&mut rng, 10, 400, 0.02, 0.01);
        let r = replication_noise(&b, &n, 0.05, 0.8, 0.005).unwrap();
        assert!(r.ratio > 4.0, "{r:?}");
        assert!((0.006..0.016).contains(&r.between), "{r:?}");
    }

    #[test]
    fn mdc_and_replications_follow_the_t_power() {
        // Identical medians up to a fixed spread: the MDC is δ* · se.
        let g = |m: &[f64]| Groups::new(m.iter().map(|&v| vec![v, v * 1.001]).collect()).unwrap();
        let b = g(&[100.0, 101.0, 99.0, 100.5, 99.5]);
        let n = g(&[100.0, 101.0, 99.0, 100.5, 99.5]);
        let r = replication_noise(&b, &n, 0.01, 0.8, 0.005).unwrap();
        let se = (2.0 * r.between_base.powi(2) / 5.0).sqrt();
        let d = detectable_nc(8.0, 0.01, 0.8).unwrap();
        assert!((r.df - 8.0).abs() < 1e-9);
        assert!(((1.0 + r.mdc).ln() - d * se).abs() < 1e-12);
        let need = r.replications_for_tolerance.unwrap();
        assert!(need > 5, "{r:?}");
        let too_few =
            replication_noise(&Groups::new(vec![vec![1.0]]).unwrap(), &n, 0.05, 0.8, 0.005);
        assert!(too_few.is_err());
    }
}
