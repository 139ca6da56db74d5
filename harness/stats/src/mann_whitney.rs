//! Mann–Whitney U test (two-sided), following SciPy's `mannwhitneyu`.

use crate::error::{StatsError, check_finite, check_len};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// How the p-value is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MwMethod {
    /// SciPy's rule: exact when there are no ties and one side has at most
    /// 8 values; asymptotic otherwise.
    Auto,
    /// Exact null distribution of U (requires no ties).
    Exact,
    /// Normal approximation with tie correction and continuity correction.
    Asymptotic,
}

/// Result of [`mann_whitney_u`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MannWhitney {
    /// U statistic of the first sample (`x`): pairs with `x > y`, ties count ½.
    pub u: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The method actually used.
    pub method: MwMethod,
}

/// Average ranks (1-based) of `values`, and the tie term `Σ (t³ - t)`.
pub(crate) fn ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let n = values.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut r = vec![0.0; n];
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && values[idx[j]] == values[idx[i]] {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0;
        for &k in &idx[i..j] {
            r[k] = avg;
        }
        let t = (j - i) as f64;
        tie_term += t * t * t - t;
        i = j;
    }
    (r, tie_term)
}

/// Two-sided Mann–Whitney U test of `x` against `y`.
///
/// `u` is SciPy's `U1` (for `x`); the p-value uses `max(U1, U2)` and doubles
/// the one-sided tail, clipped to 1, exactly as SciPy does. With
/// [`MwMethod::Exact`] and ties present, the asymptotic method is used and
/// reported.
pub fn mann_whitney_u(x: &[f64], y: &[f64], method: MwMethod) -> Result<MannWhitney, StatsError> {
    check_len(x, 1)?;
    check_len(y, 1)?;
    check_finite(x)?;
    check_finite(y)?;
    let (n1, n2) = (x.len(), y.len());
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let (r, tie_term) = ranks(&all);
    let r1: f64 = r[..n1].iter().sum();
    let u1 = r1 - (n1 * (n1 + 1)) as f64 / 2.0;
    let u2 = (n1 * n2) as f64 - u1;
    let u = u1.max(u2);
    let has_ties = tie_term > 0.0;
    let method = match method {
        MwMethod::Auto if !has_ties && n1.min(n2) <= 8 => MwMethod::Exact,
        MwMethod::Exact if !has_ties => MwMethod::Exact,
        _ => MwMethod::Asymptotic,
    };
    let one_sided = match method {
        MwMethod::Exact => exact_sf(u.round() as usize, n1.min(n2), n1.max(n2)),
        _ => {
            let n = (n1 + n2) as f64;
            let mu = (n1 * n2) as f64 / 2.0;
            let s = ((n1 * n2) as f64 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
            if s == 0.0 {
                1.0
            } else {
                let z = (u - mu - 0.5) / s;
                Normal::standard().sf(z)
            }
        }
    };
    Ok(MannWhitney {
        u: u1,
        p_value: (2.0 * one_sided).clamp(0.0, 1.0),
        method,
    })
}

/// Frequencies of U = 0..=m*n under H0 (no ties) for samples of sizes m, n:
/// coefficients of the Gaussian binomial `[m+n choose m]_q`, as f64 counts.
pub(crate) fn exact_counts(m: usize, n: usize) -> Vec<f64> {
    let max = m * n;
    let mut c = vec![0.0f64; max + 1];
    c[0] = 1.0;
    // prod_{i=1..m} (1 - q^{n+i}) / (1 - q^i)
    for i in 1..=m {
        let k = n + i;
        for u in (k..=max).rev() {
            c[u] -= c[u - k];
        }
        for u in i..=max {
            c[u] += c[u - i];
        }
    }
    c
}

/// P(U >= u) under H0 for sizes m, n.
fn exact_sf(u: usize, m: usize, n: usize) -> f64 {
    let c = exact_counts(m, n);
    let total: f64 = c.iter().sum();
    if u >= c.len() {
        return 0.0;
    }
    c[u..].iter().sum::<f64>() / total
}

/// P(U <= u) under H0 for sizes m, n.
#[cfg(test)]
fn exact_cdf(u: usize, m: usize, n: usize) -> f64 {
    let c = exact_counts(m, n);
    let total: f64 = c.iter().sum();
    c[..=u.min(c.len() - 1)].iter().sum::<f64>() / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sum_to_binomial_and_are_symmetric() {
        let c = exact_counts(4, 6);
        assert_eq!(c.iter().sum::<f64>(), 210.0);
        for u in 0..=24 {
            assert_eq!(c[u], c[24 - u]);
        }
        assert!((exact_cdf(24, 4, 6) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn completely_separated_small_samples() {
        // scipy.stats.mannwhitneyu([1,2,3], [4,5,6], method="exact") -> U=0, p=0.1
        let r = mann_whitney_u(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0], MwMethod::Auto).unwrap();
        assert_eq!(r.u, 0.0);
        assert_eq!(r.method, MwMethod::Exact);
        assert!((r.p_value - 0.1).abs() < 1e-12);
    }
}
