//! Paired tests: Wilcoxon signed-rank (following SciPy's `wilcoxon`) and the
//! exact sign test (binomial, via `statrs`).

use crate::error::{StatsError, check_finite, check_len};
use crate::mann_whitney::ranks;
use serde::Serialize;
use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal};

/// How the signed-rank p-value was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WilcoxonMethod {
    /// Exact null distribution (no ties, no zeros, at most 50 non-zero
    /// differences).
    Exact,
    /// Normal approximation with tie correction, no continuity correction
    /// (SciPy `method="asymptotic", correction=False`).
    Asymptotic,
}

/// Result of [`wilcoxon_signed_rank`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Wilcoxon {
    /// `min(R+, R-)` (SciPy's two-sided statistic).
    pub statistic: f64,
    /// Sum of the ranks of positive differences.
    pub r_plus: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Number of non-zero differences used.
    pub n: usize,
    /// The method used.
    pub method: WilcoxonMethod,
}

/// Two-sided Wilcoxon signed-rank test that the differences `d` are
/// symmetric about 0 (SciPy `wilcoxon(d, zero_method="wilcox",
/// correction=False)`): zeros are dropped; exact when there are no ties and
/// no zeros and at most 50 values, asymptotic otherwise.
pub fn wilcoxon_signed_rank(d: &[f64]) -> Result<Wilcoxon, StatsError> {
    check_finite(d)?;
    let nz: Vec<f64> = d.iter().copied().filter(|&v| v != 0.0).collect();
    let had_zeros = nz.len() != d.len();
    check_len(&nz, 1)?;
    let abs: Vec<f64> = nz.iter().map(|v| v.abs()).collect();
    let (r, tie_term) = ranks(&abs);
    let r_plus: f64 = nz
        .iter()
        .zip(&r)
        .filter(|(v, _)| **v > 0.0)
        .map(|(_, r)| r)
        .sum();
    let n = nz.len();
    let total = (n * (n + 1)) as f64 / 2.0;
    let r_minus = total - r_plus;
    let statistic = r_plus.min(r_minus);
    let exact = !had_zeros && tie_term == 0.0 && n <= 50;
    let p_value = if exact {
        let counts = signed_rank_counts(n);
        let all: f64 = counts.iter().sum();
        let k = r_plus.round() as usize;
        let cdf: f64 = counts[..=k].iter().sum::<f64>() / all;
        let sf: f64 = counts[k..].iter().sum::<f64>() / all;
        (2.0 * cdf.min(sf)).min(1.0)
    } else {
        let nf = n as f64;
        let mn = nf * (nf + 1.0) / 4.0;
        let var = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term / 48.0;
        if var <= 0.0 {
            1.0
        } else {
            let z = (r_plus - mn) / var.sqrt();
            (2.0 * Normal::standard().sf(z.abs())).min(1.0)
        }
    };
    Ok(Wilcoxon {
        statistic,
        r_plus,
        p_value,
        n,
        method: if exact {
            WilcoxonMethod::Exact
        } else {
            WilcoxonMethod::Asymptotic
        },
    })
}

/// Number of sign assignments of ranks 1..=n giving each R+ value
/// (0..=n(n+1)/2). Exact in f64 up to n = 50 (2^50 < 2^53).
fn signed_rank_counts(n: usize) -> Vec<f64> {
    let max = n * (n + 1) / 2;
    let mut c = vec![0.0f64; max + 1];
    c[0] = 1.0;
    for k in 1..=n {
        for s in (k..=max).rev() {
            c[s] += c[s - k];
        }
    }
    c
}

/// Result of [`sign_test`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SignTest {
    /// Number of positive differences.
    pub positive: u64,
    /// Number of non-zero differences.
    pub n: u64,
    /// Exact two-sided binomial p-value (SciPy `binomtest(k, n, 0.5)`).
    pub p_value: f64,
}

/// Exact two-sided sign test of the differences `d` (zeros dropped):
/// `binomtest(#positive, #non-zero, 0.5)`; for p = ½ the two-sided p-value
/// is `min(1, 2 P(X <= min(k, n - k)))`.
pub fn sign_test(d: &[f64]) -> Result<SignTest, StatsError> {
    check_finite(d)?;
    let positive = d.iter().filter(|&&v| v > 0.0).count() as u64;
    let n = d.iter().filter(|&&v| v != 0.0).count() as u64;
    if n == 0 {
        return Err(StatsError::TooFewValues { needed: 1, got: 0 });
    }
    let b = Binomial::new(0.5, n)
        .map_err(|e| StatsError::InvalidParameter(format!("binomial n={n}: {e}")))?;
    let k = positive.min(n - positive);
    let p_value = if 2 * k == n {
        1.0
    } else {
        (2.0 * b.cdf(k)).min(1.0)
    };
    Ok(SignTest {
        positive,
        n,
        p_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_rank_counts_sum_to_power_of_two() {
        let c = signed_rank_counts(10);
        assert_eq!(c.iter().sum::<f64>(), 1024.0);
        assert_eq!(c[0], 1.0);
        assert_eq!(c[55], 1.0);
    }

    #[test]
    fn all_positive_small() {
        // scipy.stats.wilcoxon([1,2,3,4,5]) -> statistic 0, p = 0.0625
        let w = wilcoxon_signed_rank(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(w.statistic, 0.0);
        assert!((w.p_value - 0.0625).abs() < 1e-12);
        // binomtest(5, 5) -> 0.0625
        let s = sign_test(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert!((s.p_value - 0.0625).abs() < 1e-12);
    }
}
