//! Multiple-comparison control over a whole suite.

use serde::{Deserialize, Serialize};

/// Which adjustment to apply to the p-values of a family of tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// Holm's step-down method: controls the family-wise error rate.
    #[default]
    Holm,
    /// Benjamini–Hochberg: controls the false discovery rate.
    BenjaminiHochberg,
    /// No adjustment.
    None,
}

/// Adjusted p-values, in the input order.
pub fn adjust_p_values(p: &[f64], method: Correction) -> Vec<f64> {
    match method {
        Correction::Holm => holm(p),
        Correction::BenjaminiHochberg => benjamini_hochberg(p),
        Correction::None => p.iter().map(|&v| v.clamp(0.0, 1.0)).collect(),
    }
}

/// For each test of a family, a lower bound of the adjusted p-value it can
/// reach whatever the data, given the smallest raw p-value each test can
/// produce (`min_p`, e.g. `2 / C(m + n, m)` for an exact Mann–Whitney test):
/// Holm multiplies the smallest raw p-value of the family by the family size
/// (every adjusted p-value is at least that), Benjamini–Hochberg and no
/// correction cannot go below the test's own smallest p-value. A test whose
/// bound exceeds alpha can never be significant: pqbench reports it as
/// undecidable instead of silently "not significant".
pub fn min_adjusted_p(min_p: &[f64], method: Correction) -> Vec<f64> {
    let m = min_p.len() as f64;
    match method {
        Correction::Holm => {
            let floor = min_p.iter().copied().fold(f64::INFINITY, f64::min) * m;
            min_p.iter().map(|&p| p.max(floor).min(1.0)).collect()
        }
        Correction::BenjaminiHochberg | Correction::None => {
            min_p.iter().map(|&p| p.clamp(0.0, 1.0)).collect()
        }
    }
}

fn order(p: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    idx
}

/// Holm-adjusted p-values (as `statsmodels` `multipletests(method="holm")`):
/// `p_(i) * (m - i + 1)`, made monotone non-decreasing, capped at 1.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order(p).iter().enumerate() {
        let v = (p[i] * (m - rank) as f64).min(1.0);
        running = running.max(v);
        out[i] = running;
    }
    out
}

/// Benjamini–Hochberg adjusted p-values (as SciPy
/// `false_discovery_control(method="bh")`): `p_(i) * m / i`, made monotone
/// from the largest down, capped at 1.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running: f64 = 1.0;
    let idx = order(p);
    for rank in (0..m).rev() {
        let i = idx[rank];
        let v = (p[i] * m as f64 / (rank + 1) as f64).min(1.0);
        running = running.min(v);
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_and_bh_small_example() {
        let p = [0.01, 0.04, 0.03, 0.005];
        let h = holm(&p);
        // sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> 0.06
        assert_eq!(h, vec![0.03, 0.06, 0.06, 0.02]);
        let b = benjamini_hochberg(&p);
        // 0.04*4/4=0.04, 0.03*4/3=0.04, 0.01*4/2=0.02, 0.005*4/1=0.02
        for (got, want) in b.iter().zip([0.02, 0.04, 0.04, 0.02]) {
            assert!((got - want).abs() < 1e-15);
        }
        assert!(holm(&[]).is_empty());
    }
}
