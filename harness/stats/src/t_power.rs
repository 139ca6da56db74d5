//! Power of the two-sided t test from the noncentral t distribution, the
//! minimal detectable change of a design and the replications a design
//! needs to detect a given change.
//!
//! statrs has no noncentral t, so its CDF is computed here by integrating
//! over the chi distribution of the denominator (the textbook definition,
//! e.g. Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions*
//! vol. 2, ch. 31): with `T' = (Z + δ) / S`, `S = sqrt(χ²_ν / ν)`,
//!
//! ```text
//! P(T' <= t) = ∫_0^∞ Φ(t s − δ) f_S(s) ds,
//! f_S(s) = 2 (ν/2)^(ν/2) / Γ(ν/2) · s^(ν−1) · exp(−ν s² / 2),
//! ```
//!
//! by composite Simpson's rule on `u = sqrt(s)`. Checked against SciPy's
//! `scipy.stats.nct.cdf` (and the power built from it) on the committed
//! reference `scripts/stats-ref/power_reference.json` (test
//! `tests/power_reference.rs`).

use crate::error::StatsError;
use crate::ttest::t_quantile;
use statrs::function::erf::erfc;
use statrs::function::gamma::ln_gamma;

/// Simpson intervals (even): 400 already meet the SciPy reference to 1e-7.
const INTERVALS: usize = 500;

fn phi(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// CDF of the noncentral t distribution with `df` (>= 1, may be
/// fractional, as a Welch df) degrees of freedom and noncentrality `nc`
/// at `t`.
pub fn noncentral_t_cdf(t: f64, df: f64, nc: f64) -> Result<f64, StatsError> {
    if !(df >= 1.0 && df.is_finite() && t.is_finite() && nc.is_finite()) {
        return Err(StatsError::InvalidParameter(format!(
            "noncentral t with df={df}, nc={nc} at t={t} (need df >= 1, finite values)"
        )));
    }
    let half = df / 2.0;
    let log_norm = std::f64::consts::LN_2 + half * half.ln() - ln_gamma(half);
    // Integrated over u = sqrt(s) (ds = 2u du), which smooths the
    // s^(ν−1) factor at 0 for fractional ν (Simpson loses digits on it).
    let weight = |u: f64| {
        if u <= 0.0 {
            return 0.0;
        }
        let s = u * u;
        2.0 * u * (log_norm + (df - 1.0) * s.ln() - df * s * s / 2.0).exp()
    };
    // χ²_ν stays below ν + 20 sqrt(2ν) + 80 with probability > 1 - 1e-15
    // for every ν >= 1: S beyond that carries no mass worth integrating.
    let upper = ((df + 20.0 * (2.0 * df).sqrt() + 80.0) / df).sqrt().sqrt();
    let h = upper / INTERVALS as f64;
    let f = |u: f64| phi(t * u * u - nc) * weight(u);
    let mut sum = f(0.0) + f(upper);
    for i in 1..INTERVALS {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(i as f64 * h);
    }
    Ok((sum * h / 3.0).clamp(0.0, 1.0))
}

/// Power of the two-sided t test at level `alpha` with `df` degrees of
/// freedom against a true standardised shift `nc` (= change / standard
/// error): `1 − F(t_c; df, nc) + F(−t_c; df, nc)`, `t_c` the `1 − α/2`
/// quantile of the central t (as `statsmodels`' `TTestIndPower` and
/// G*Power compute it).
pub fn t_test_power(nc: f64, df: f64, alpha: f64) -> Result<f64, StatsError> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(StatsError::InvalidParameter(format!("alpha {alpha}")));
    }
    let tc = t_quantile(df, 1.0 - alpha / 2.0)?;
    let upper = 1.0 - noncentral_t_cdf(tc, df, nc)?;
    let lower = noncentral_t_cdf(-tc, df, nc)?;
    Ok((upper + lower).clamp(0.0, 1.0))
}

/// The smallest standardised shift `|δ|` (change / standard error) that the
/// two-sided t test at `alpha` with `df` degrees of freedom detects with
/// probability `power`; multiply by the standard error for the minimal
/// detectable change in the tested scale. Bisection to 1e-8 (relative).
pub fn detectable_nc(df: f64, alpha: f64, power: f64) -> Result<f64, StatsError> {
    if !(power > 0.0 && power < 1.0) || power <= alpha {
        return Err(StatsError::InvalidParameter(format!(
            "power {power} (need alpha < power < 1)"
        )));
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while t_test_power(hi, df, alpha)? < power {
        hi *= 2.0;
        if hi > 1e6 {
            return Err(StatsError::InvalidParameter(format!(
                "power {power} unreachable at df={df}, alpha={alpha}"
            )));
        }
    }
    while hi - lo > 1e-8 * hi.max(1.0) {
        let mid = 0.5 * (lo + hi);
        if t_test_power(mid, df, alpha)? < power {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(hi)
}

/// Welch–Satterthwaite degrees of freedom for variances `va`, `vb` and
/// sizes `na`, `nb` (each >= 2).
pub fn welch_df(va: f64, na: usize, vb: f64, nb: usize) -> f64 {
    let (a, b) = (va / na as f64, vb / nb as f64);
    let den = a * a / (na as f64 - 1.0) + b * b / (nb as f64 - 1.0);
    if den > 0.0 {
        (a + b) * (a + b) / den
    } else {
        (na + nb - 2) as f64
    }
}

/// The smallest number of replications per side `n` (`2 ..= max_n`) with
/// which Welch's two-sided t test at `alpha` detects a shift `delta` (in
/// the tested, log scale) with probability `power`, for per-side
/// replication variances `va` and `vb`: power at
/// `nc = delta / sqrt((va + vb) / n)` with the Welch df at `n` per side.
/// `None` when even `max_n` is not enough (or both variances are 0 and
/// `delta` is 0).
pub fn replications_needed(
    delta: f64,
    va: f64,
    vb: f64,
    alpha: f64,
    power: f64,
    max_n: usize,
) -> Result<Option<usize>, StatsError> {
    let reaches = |n: usize| -> Result<bool, StatsError> {
        let se = ((va + vb) / n as f64).sqrt();
        if se == 0.0 {
            return Ok(delta != 0.0);
        }
        let df = welch_df(va, n, vb, n);
        Ok(t_test_power(delta.abs() / se, df, alpha)? >= power)
    };
    if max_n < 2 || !reaches(max_n)? {
        return Ok(None);
    }
    // Power grows with n: bisection on the smallest n that reaches it.
    let (mut lo, mut hi) = (1usize, max_n);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if mid >= 2 && reaches(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_noncentrality_is_the_central_t() {
        // Central t(5): P(T <= 2.015048) = 0.95.
        let p = noncentral_t_cdf(2.015_048_372_669, 5.0, 0.0).unwrap();
        assert!((p - 0.95).abs() < 1e-7, "{p}");
        // Power at nc = 0 is alpha.
        let a = t_test_power(0.0, 7.3, 0.01).unwrap();
        assert!((a - 0.01).abs() < 1e-7, "{a}");
    }

    #[test]
    fn more_replications_need_no_more_and_detect_smaller_changes() {
        let d4 = detectable_nc(4.0, 0.05, 0.8).unwrap();
        let d40 = detectable_nc(40.0, 0.05, 0.8).unwrap();
        assert!(d4 > d40 && d40 > 2.8 && d40 < 2.9, "{d4} {d40}");
        let n = replications_needed(0.005, 0.01f64.powi(2), 0.01f64.powi(2), 0.05, 0.8, 1000)
            .unwrap()
            .unwrap();
        // Normal approximation: 2 (1.96 + 0.84)^2 (σ/δ)^2 = 62.8 → 64.
        assert!((63..=66).contains(&n), "{n}");
        assert_eq!(
            replications_needed(0.005, 1.0, 1.0, 0.05, 0.8, 100).unwrap(),
            None
        );
        assert!(noncentral_t_cdf(1.0, 0.5, 0.0).is_err());
    }
}
