//! The per-benchmark verdict: significance *and* a practical threshold.

use serde::{Deserialize, Serialize};

/// Noise tolerance: a relative change smaller than this is "unchanged" even
/// when statistically significant (e.g. 0.02 for 2 %).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Threshold(pub f64);

impl Threshold {
    /// Ratio above which a change is a practical slowdown: `1 + t`.
    pub fn upper(self) -> f64 {
        1.0 + self.0
    }
    /// Ratio below which a change is a practical speed-up: `1 / (1 + t)`.
    pub fn lower(self) -> f64 {
        1.0 / (1.0 + self.0)
    }
}

/// Outcome for one benchmark (`new / base`, lower is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Significantly faster, by more than the threshold.
    Improved,
    /// Significantly slower, by more than the threshold.
    Regressed,
    /// No practically relevant change: either significant but within the
    /// threshold, or not significant with a confidence interval inside it.
    Unchanged,
    /// Not significant, and the confidence interval reaches beyond the
    /// threshold: more data needed.
    Inconclusive,
}

impl Verdict {
    /// Lower-case name as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::Regressed => "regressed",
            Verdict::Unchanged => "unchanged",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// What [`decide`] needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VerdictInput {
    /// Point estimate of `new / base`.
    pub ratio: f64,
    /// Lower confidence bound of the ratio.
    pub lo: f64,
    /// Upper confidence bound of the ratio.
    pub hi: f64,
    /// p-value after multiple-comparison adjustment.
    pub p_adjusted: f64,
    /// Significance level, e.g. 0.05.
    pub alpha: f64,
    /// Practical threshold.
    pub threshold: Threshold,
}

/// The verdict rule:
///
/// * significant (`p_adjusted < alpha`) and `ratio > 1 + t` → regressed;
/// * significant and `ratio < 1 / (1 + t)` → improved;
/// * significant but within the threshold → unchanged;
/// * not significant, interval inside `[1/(1+t), 1+t]` → unchanged;
/// * not significant otherwise (or any input NaN) → inconclusive.
pub fn decide(i: VerdictInput) -> Verdict {
    if i.ratio.is_nan() || i.p_adjusted.is_nan() {
        return Verdict::Inconclusive;
    }
    let t = i.threshold;
    if i.p_adjusted < i.alpha {
        if i.ratio > t.upper() {
            Verdict::Regressed
        } else if i.ratio < t.lower() {
            Verdict::Improved
        } else {
            Verdict::Unchanged
        }
    } else if i.lo >= t.lower() && i.hi <= t.upper() {
        Verdict::Unchanged
    } else {
        Verdict::Inconclusive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(ratio: f64, lo: f64, hi: f64, p: f64) -> Verdict {
        decide(VerdictInput {
            ratio,
            lo,
            hi,
            p_adjusted: p,
            alpha: 0.05,
            threshold: Threshold(0.02),
        })
    }

    #[test]
    fn rule_table() {
        assert_eq!(v(1.05, 1.03, 1.07, 0.001), Verdict::Regressed);
        assert_eq!(v(0.95, 0.93, 0.97, 0.001), Verdict::Improved);
        assert_eq!(v(1.01, 1.005, 1.015, 0.001), Verdict::Unchanged);
        assert_eq!(v(1.00, 0.99, 1.01, 0.5), Verdict::Unchanged);
        assert_eq!(v(1.03, 0.95, 1.11, 0.2), Verdict::Inconclusive);
        assert_eq!(v(f64::NAN, 0.9, 1.1, 0.01), Verdict::Inconclusive);
    }
}
