//! Descriptive statistics with NumPy's conventions.

use crate::error::{StatsError, check_finite, check_len};

/// Arithmetic mean. Errors on an empty or non-finite input.
pub fn mean(xs: &[f64]) -> Result<f64, StatsError> {
    check_len(xs, 1)?;
    check_finite(xs)?;
    Ok(xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample variance (denominator `n - 1`, NumPy `ddof=1`).
pub fn variance(xs: &[f64]) -> Result<f64, StatsError> {
    check_len(xs, 2)?;
    let m = mean(xs)?;
    Ok(xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64)
}

/// Median (mean of the two middle values for an even count, like NumPy).
pub fn median(xs: &[f64]) -> Result<f64, StatsError> {
    quantile(xs, 0.5)
}

/// Quantile `q` in `[0, 1]` with linear interpolation between order
/// statistics (NumPy's default `method="linear"`, Hyndman–Fan type 7).
pub fn quantile(xs: &[f64], q: f64) -> Result<f64, StatsError> {
    check_len(xs, 1)?;
    check_finite(xs)?;
    if !(0.0..=1.0).contains(&q) {
        return Err(StatsError::InvalidParameter(format!(
            "quantile {q} not in [0, 1]"
        )));
    }
    let mut v = xs.to_vec();
    Ok(quantile_in_place(&mut v, q))
}

/// Position of quantile `q` (clamped to `[0, 1]`) among `n` order
/// statistics under Hyndman–Fan type 7: the lower index and the fraction
/// of the way to the next one. The single definition of the rule; every
/// quantile in pqbench goes through it.
pub(crate) fn type7_position(n: usize, q: f64) -> (usize, f64) {
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = (h.floor() as usize).min(n - 1);
    (lo, h - lo as f64)
}

/// Linear interpolation between the order statistics `a` (lower) and `b`.
pub(crate) fn interpolate(a: f64, b: f64, frac: f64) -> f64 {
    if frac == 0.0 { a } else { a + (b - a) * frac }
}

/// Quantile `q` of an already **sorted** (ascending) slice, type 7 / NumPy
/// `method="linear"` like [`quantile`], without copying or checking: `q` is
/// clamped to `[0, 1]`, an empty slice gives `NaN`. This is pqbench's one
/// type-7 quantile for sorted data (summaries, timer calibration).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let (lo, frac) = type7_position(n, q);
    let hi = (lo + 1).min(n - 1);
    interpolate(sorted[lo], sorted[hi], frac)
}

/// Type-7 quantile of `v` (finite, non-empty), reordering `v`. Linear time
/// (selection instead of a sort); same rule as [`quantile_sorted`].
pub(crate) fn quantile_in_place(v: &mut [f64], q: f64) -> f64 {
    let (lo, frac) = type7_position(v.len(), q);
    let (_, &mut a, rest) = v.select_nth_unstable_by(lo, f64::total_cmp);
    if frac == 0.0 || rest.is_empty() {
        return a;
    }
    let b = rest.iter().copied().fold(f64::INFINITY, f64::min);
    interpolate(a, b, frac)
}

/// Geometric mean of positive values.
pub fn geometric_mean(xs: &[f64]) -> Result<f64, StatsError> {
    check_len(xs, 1)?;
    let logs = logs(xs)?;
    Ok(mean(&logs)?.exp())
}

/// Natural logarithms, refusing non-positive or non-finite values.
pub(crate) fn logs(xs: &[f64]) -> Result<Vec<f64>, StatsError> {
    check_finite(xs)?;
    xs.iter()
        .map(|&x| {
            if x > 0.0 {
                Ok(x.ln())
            } else {
                Err(StatsError::NonPositive(x))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_follow_numpy_linear() {
        let xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        // numpy.quantile(xs, [0, .25, .5, .99, 1])
        assert_eq!(quantile(&xs, 0.0).unwrap(), 1.0);
        assert!((quantile(&xs, 0.25).unwrap() - 1.75).abs() < 1e-12);
        assert!((median(&xs).unwrap() - 3.5).abs() < 1e-12);
        assert!((quantile(&xs, 0.99).unwrap() - 8.79).abs() < 1e-12);
        assert_eq!(quantile(&xs, 1.0).unwrap(), 9.0);
        assert!(quantile(&[], 0.5).is_err());
        assert!(quantile(&[f64::NAN], 0.5).is_err());
        assert!(geometric_mean(&[1.0, 0.0]).is_err());
    }

    #[test]
    fn sorted_variant_agrees_with_numpy_and_the_selection_path() {
        let mut xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        xs.sort_by(f64::total_cmp);
        // numpy.quantile(xs, [0, .1, .25, .5, .9, .99, 1])
        let want = [
            (0.0, 1.0),
            (0.1, 1.0),
            (0.25, 1.75),
            (0.5, 3.5),
            (0.9, 6.9),
            (0.99, 8.79),
            (1.0, 9.0),
        ];
        for (q, w) in want {
            let got = quantile_sorted(&xs, q);
            assert!((got - w).abs() < 1e-12, "q {q}: {got} vs {w}");
            assert_eq!(got, quantile(&xs, q).unwrap(), "q {q}");
        }
        // 1..=10: numpy p90 9.1, p99 9.91.
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((quantile_sorted(&v, 0.9) - 9.1).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.99) - 9.91).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[42.0], 0.3), 42.0);
        assert_eq!(quantile_sorted(&v, 1.5), 10.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }
}
