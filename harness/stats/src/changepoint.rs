//! Change-point detection: E-divisive means (Matteson & James 2014, "A
//! nonparametric approach for multiple change point analysis of multivariate
//! data", JASA 109(505)) with a permutation significance test, as in Apache
//! Otava's `compute_change_points_orig` (the original algorithm; Otava's
//! default adds a sliding-window split/merge step on top).
//!
//! The series is split recursively: among the current segments, the split
//! point `τ` (and end `κ`) maximising the divergence
//!
//! ```text
//! Q(X, Y) = 2/(m+n) ΣΣ|Xi−Yj|^a − 2m/((m+n)(n−1)) Σ_{i<k}|Xi−Xk|^a − 2n/((m+n)(m−1)) Σ_{j<k}|Yj−Yk|^a
//! ```
//!
//! (`X = z[s..τ]`, `Y = z[τ..κ]`, `n = |X|`, `m = |Y|`, `a` the distance
//! power, 1 by default) is the candidate. It is kept when its `Q` is exceeded
//! by at most a fraction `significance` of the best `Q` of series permuted
//! within the current segments; `p = (#{Q_perm ≥ Q} + 1) / (R + 1)` (Otava
//! omits the `+ 1` in the numerator, which makes it slightly more liberal).
//! The recursion stops at the first candidate that is not significant, so
//! on a series without change the false-change probability is the level of
//! that first test.

use crate::StatsError;
use crate::rng::{Rng, bounded};
use rand_core::SeedableRng;

/// Settings of [`e_divisive`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EDivisiveConfig {
    /// Level of the permutation test of each candidate (e.g. 0.05).
    pub significance: f64,
    /// Number of permutations per candidate (e.g. 199).
    pub permutations: usize,
    /// Exponent `a` of the distance, in (0, 2); 1 as in Otava and the paper.
    pub power: f64,
    /// Seed of the permutations: same seed and series, same result.
    pub seed: u64,
}

impl Default for EDivisiveConfig {
    fn default() -> Self {
        EDivisiveConfig {
            significance: 0.05,
            permutations: 199,
            power: 1.0,
            seed: 0x0c4a_0e5e_ed00,
        }
    }
}

/// One detected change: the series differs from index `index` on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChangePoint {
    /// First index of the new level (`1..len`).
    pub index: usize,
    /// The divergence `Q` at the split.
    pub qhat: f64,
    /// Permutation p-value of the split when it was accepted.
    pub p_value: f64,
}

/// Detects change points in `series` (sorted by index). Errors on a
/// non-finite value or invalid settings; a series shorter than 3 has none.
pub fn e_divisive(series: &[f64], cfg: &EDivisiveConfig) -> Result<Vec<ChangePoint>, StatsError> {
    if !(cfg.significance > 0.0 && cfg.significance < 1.0)
        || cfg.permutations == 0
        || !(cfg.power > 0.0 && cfg.power < 2.0)
    {
        return Err(StatsError::InvalidParameter(
            "e-divisive: need a significance in (0, 1), >= 1 permutation and a power in (0, 2)"
                .into(),
        ));
    }
    if series.iter().any(|v| !v.is_finite()) {
        return Err(StatsError::InvalidParameter(
            "e-divisive: the series holds a non-finite value".into(),
        ));
    }
    let mut rng = Rng::seed_from_u64(cfg.seed);
    let mut found: Vec<ChangePoint> = Vec::new();
    let mut scratch = series.to_vec();
    loop {
        let bounds = segments(series.len(), &found);
        let Some((index, qhat)) = best_candidate(series, &bounds, cfg.power) else {
            break;
        };
        let mut exceed = 0usize;
        for _ in 0..cfg.permutations {
            scratch.copy_from_slice(series);
            for &(s, e) in &bounds {
                shuffle(&mut scratch[s..e], &mut rng);
            }
            if let Some((_, q)) = best_candidate(&scratch, &bounds, cfg.power)
                && q >= qhat
            {
                exceed += 1;
            }
        }
        let p_value = (exceed + 1) as f64 / (cfg.permutations + 1) as f64;
        if p_value > cfg.significance {
            break;
        }
        found.push(ChangePoint {
            index,
            qhat,
            p_value,
        });
        found.sort_by_key(|c| c.index);
    }
    Ok(found)
}

/// The segments `[start, end)` between the change points found so far.
fn segments(len: usize, found: &[ChangePoint]) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    cuts.extend(found.iter().map(|c| c.index));
    cuts.push(len);
    cuts.windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| (w[0], w[1]))
        .collect()
}

/// Fisher–Yates shuffle with the crate's unbiased bounded integers.
fn shuffle(xs: &mut [f64], rng: &mut Rng) {
    for i in (1..xs.len()).rev() {
        let j = bounded(rng, i + 1);
        xs.swap(i, j);
    }
}

/// The best split over all segments: `(global index, Q)`; the first
/// maximum wins ties (segment order, then smallest `τ`, then `κ`).
fn best_candidate(z: &[f64], bounds: &[(usize, usize)], power: f64) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for &(s, e) in bounds {
        if e - s < 2 {
            continue;
        }
        if let Some((tau, q)) = best_in_segment(&z[s..e], power)
            && best.is_none_or(|(_, bq)| q > bq)
        {
            best = Some((s + tau, q));
        }
    }
    best
}

/// Maximises `Q(z[..τ], z[τ..κ])` over `0 < τ < κ <= len`, in O(len²) time
/// and memory through per-column prefix sums of the distances.
fn best_in_segment(z: &[f64], power: f64) -> Option<(usize, f64)> {
    let len = z.len();
    if len < 2 {
        return None;
    }
    // cum[k * (len + 1) + i] = Σ_{i' < i} |z[i'] − z[k]|^power
    let w = len + 1;
    let mut cum = vec![0.0f64; len * w];
    for k in 0..len {
        let row = &mut cum[k * w..(k + 1) * w];
        for i in 0..len {
            let d = (z[i] - z[k]).abs();
            let d = if power == 1.0 { d } else { d.powf(power) };
            row[i + 1] = row[i] + d;
        }
    }
    let col = |k: usize, i: usize| cum[k * w + i];
    let mut best: Option<(usize, f64)> = None;
    let mut within_x = 0.0;
    for tau in 1..len {
        within_x += col(tau - 1, tau - 1);
        let n = tau as f64;
        let mut between = 0.0;
        let mut within_y = 0.0;
        for kappa in (tau + 1)..=len {
            let last = kappa - 1;
            between += col(last, tau);
            within_y += col(last, last) - col(last, tau);
            let m = (kappa - tau) as f64;
            let mut q = 2.0 / (m + n) * between;
            if tau > 1 {
                q -= 2.0 * m / ((m + n) * (n - 1.0)) * within_x;
            }
            if kappa - tau > 1 {
                q -= 2.0 * n / ((m + n) * (m - 1.0)) * within_y;
            }
            if best.is_none_or(|(_, bq)| q > bq) {
                best = Some((tau, q));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Q by its definition, for checking the prefix-sum version.
    fn q_naive(x: &[f64], y: &[f64]) -> f64 {
        let (n, m) = (x.len() as f64, y.len() as f64);
        let between: f64 = x
            .iter()
            .flat_map(|a| y.iter().map(move |b| (a - b).abs()))
            .sum();
        let pairs = |v: &[f64]| -> f64 {
            let mut s = 0.0;
            for i in 0..v.len() {
                for k in i + 1..v.len() {
                    s += (v[i] - v[k]).abs();
                }
            }
            s
        };
        let mut q = 2.0 / (m + n) * between;
        if x.len() > 1 {
            q -= 2.0 * m / ((m + n) * (n - 1.0)) * pairs(x);
        }
        if y.len() > 1 {
            q -= 2.0 * n / ((m + n) * (m - 1.0)) * pairs(y);
        }
        q
    }

    #[test]
    fn prefix_sums_match_the_definition() {
        let z = [3.0, 1.5, 4.0, 1.0, 5.5, 9.0, 2.0, 6.5, 5.0, 3.5];
        let mut best = (0, f64::NEG_INFINITY);
        for tau in 1..z.len() {
            for kappa in tau + 1..=z.len() {
                let q = q_naive(&z[..tau], &z[tau..kappa]);
                if q > best.1 {
                    best = (tau, q);
                }
            }
        }
        let (tau, q) = best_in_segment(&z, 1.0).unwrap();
        assert_eq!(tau, best.0);
        assert!((q - best.1).abs() < 1e-9 * best.1.abs().max(1.0));
    }

    fn noisy(levels: &[(usize, f64)], seed: u64) -> Vec<f64> {
        let mut rng = Rng::seed_from_u64(seed);
        let mut out = Vec::new();
        for &(len, level) in levels {
            for _ in 0..len {
                // Sum of 4 uniforms: roughly normal, sd ~ 0.58.
                let u: f64 = (0..4).map(|_| bounded(&mut rng, 10_000) as f64 / 1e4).sum();
                out.push(level + u - 2.0);
            }
        }
        out
    }

    #[test]
    fn finds_two_known_shifts() {
        let z = noisy(&[(30, 100.0), (25, 104.0), (30, 101.0)], 7);
        let cps = e_divisive(&z, &EDivisiveConfig::default()).unwrap();
        let idx: Vec<usize> = cps.iter().map(|c| c.index).collect();
        assert_eq!(idx, vec![30, 55], "{cps:?}");
        assert!(cps.iter().all(|c| c.p_value <= 0.05));
    }

    /// Fraction of `runs` series with at least one change detected.
    fn detection_rate(levels: &[(usize, f64)], runs: u64) -> f64 {
        let cfg = EDivisiveConfig {
            permutations: 99,
            ..EDivisiveConfig::default()
        };
        let hits = (0..runs)
            .filter(|&r| {
                let z = noisy(levels, 1000 + r);
                let cfg = EDivisiveConfig { seed: r, ..cfg };
                !e_divisive(&z, &cfg).unwrap().is_empty()
            })
            .count();
        hits as f64 / runs as f64
    }

    /// A/A: series without change give a change in about 5 % of runs (the
    /// level of the first test); a 1.5 sd shift is found almost always (the
    /// negative control: a detector that never fires fails here).
    #[test]
    fn a_a_false_change_rate_is_nominal_and_shifts_are_found() {
        let runs = 200;
        let aa = detection_rate(&[(40, 100.0)], runs);
        let se = (0.05f64 * 0.95 / runs as f64).sqrt();
        assert!(aa <= 0.05 + 3.0 * se, "A/A false-change rate {aa}");
        let shifted = detection_rate(&[(20, 100.0), (20, 100.87)], 50);
        assert!(shifted >= 0.8, "power against a 1.5 sd shift {shifted}");
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(e_divisive(&[1.0, f64::NAN, 2.0], &EDivisiveConfig::default()).is_err());
        let bad = EDivisiveConfig {
            significance: 0.0,
            ..EDivisiveConfig::default()
        };
        assert!(e_divisive(&[1.0, 2.0, 3.0], &bad).is_err());
        assert!(
            e_divisive(&[1.0], &EDivisiveConfig::default())
                .unwrap()
                .is_empty()
        );
    }
}
