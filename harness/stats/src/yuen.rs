//! Yuen's trimmed-mean t-test with Welch's degrees of freedom (Yuen 1974),
//! following SciPy's `ttest_ind(a, b, equal_var=False, trim=...)`.
//!
//! From each side the `g = floor(trim * n)` smallest and largest values are
//! trimmed for the mean and winsorized for the variance. pqbench applies it
//! to the logarithms of per-replication medians: a replication disturbed as
//! a whole (measured here: one or two of ten replications 15–55 % slow on an
//! otherwise quiet machine) moves a mean and inflates Welch's variance, but
//! not a 20 % trimmed mean.

use crate::error::{StatsError, check_len};
use crate::ttest::{TTest, welch_from_parts};

/// Trimmed mean, winsorized sum of squares and kept count of one side.
struct Trimmed {
    mean: f64,
    /// Winsorized variance divided by the kept count: the side's squared
    /// standard error, `SS_w / (h (h - 1))`.
    se2: f64,
    kept: usize,
}

fn trimmed(v: &[f64], trim: f64) -> Result<Trimmed, StatsError> {
    if v.iter().any(|x| !x.is_finite()) {
        return Err(StatsError::InvalidParameter(
            "non-finite value in a Yuen test".into(),
        ));
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let g = (trim * n as f64).floor() as usize;
    let kept = n - 2 * g;
    if kept < 2 {
        return Err(StatsError::InvalidParameter(format!(
            "trimming {g} of {n} values from each end leaves fewer than 2"
        )));
    }
    let mean = s[g..n - g].iter().sum::<f64>() / kept as f64;
    let (lo, hi) = (s[g], s[n - g - 1]);
    let win = |x: f64| x.clamp(lo, hi);
    let wmean = s.iter().map(|&x| win(x)).sum::<f64>() / n as f64;
    // Equal winsorizing bounds: exactly no spread (the floating-point mean
    // of equal logs may leave a 1e-16 residue).
    let ss: f64 = if lo == hi {
        0.0
    } else {
        s.iter().map(|&x| (win(x) - wmean).powi(2)).sum()
    };
    Ok(Trimmed {
        mean,
        se2: ss / (kept * (kept - 1)) as f64,
        kept,
    })
}

/// Yuen–Welch test of `a` against `b` with `trim` (0 <= trim < 0.5) cut
/// from each end of each side: `estimate` is the difference of the trimmed
/// means, `std_err` and `df` are Welch's on the winsorized variances. With
/// `trim = 0` it is Welch's t-test. Both sides without spread: SciPy's
/// convention (NaN when the trimmed means are equal, ±inf and p = 0 when
/// they differ).
pub fn yuen_t(a: &[f64], b: &[f64], trim: f64) -> Result<TTest, StatsError> {
    check_len(a, 2)?;
    check_len(b, 2)?;
    if !(0.0..0.5).contains(&trim) {
        return Err(StatsError::InvalidParameter(format!(
            "trim {trim} outside [0, 0.5)"
        )));
    }
    let (ta, tb) = (trimmed(a, trim)?, trimmed(b, trim)?);
    welch_from_parts(ta.mean - tb.mean, (ta.se2, ta.kept), (tb.se2, tb.kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ttest::welch_t;

    #[test]
    fn zero_trim_is_welch() {
        let a = [1.0, 2.5, 2.0, 3.7, 2.2];
        let b = [0.5, 1.1, 0.9, 1.6, 1.2, 0.7];
        let (y, w) = (yuen_t(&a, &b, 0.0).unwrap(), welch_t(&a, &b).unwrap());
        for (x, z) in [(y.t, w.t), (y.df, w.df), (y.p_value, w.p_value)] {
            assert!((x - z).abs() < 1e-12, "{y:?} {w:?}");
        }
    }

    #[test]
    fn one_wild_value_per_side_is_trimmed() {
        let base: Vec<f64> = (0..10).map(|i| 1.0 + 0.001 * i as f64).collect();
        let mut new: Vec<f64> = base.iter().map(|x| x + 0.03).collect();
        new[3] += 0.4; // one disturbed replication
        let y = yuen_t(&new, &base, 0.2).unwrap();
        let w = welch_t(&new, &base).unwrap();
        // The trimmed means skip the wild value (and one ordinary value).
        assert!((y.estimate - 0.03).abs() < 0.002, "{y:?}");
        assert!(y.p_value < 1e-6 && w.p_value > 0.01, "{y:?} {w:?}");
    }

    #[test]
    fn refuses_what_it_cannot_trim() {
        assert!(yuen_t(&[1.0, 2.0], &[1.0, 2.0], 0.5).is_err());
        assert!(yuen_t(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 3.0], 0.34).is_err());
        assert!(yuen_t(&[1.0, f64::NAN], &[1.0, 2.0], 0.0).is_err());
        let c = yuen_t(&[1.0, 1.0, 1.0], &[1.0, 1.0, 1.0], 0.2).unwrap();
        assert!(c.t.is_nan() && c.p_value.is_nan());
    }
}
