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

/// One-sample trimmed t-test of `x` against `mu` (Tukey and McLaughlin
/// 1963; Wilcox's `trimci`), as SciPy's `mstats.trimmed_mean_ci` and
/// `mstats.trimmed_stde` compute it: `estimate` is the `trim` trimmed mean
/// minus `mu` (`g = floor(trim * n)` cut from each end), `std_err` the
/// winsorized standard deviation over `(1 - 2 trim) sqrt(n)`, `df = n - 2g
/// - 1`. pqbench applies it to per-replication log ratios of the paired
/// modes, where a replication whose two processes landed on different
/// layouts is an outlier. Without winsorized spread: p = 1 when the
/// estimate is 0, else 0 (as [`crate::one_sample_t`]).
pub fn trimmed_one_sample_t(x: &[f64], trim: f64, mu: f64) -> Result<TTest, StatsError> {
    check_len(x, 2)?;
    if !(0.0..0.5).contains(&trim) {
        return Err(StatsError::InvalidParameter(format!(
            "trim {trim} outside [0, 0.5)"
        )));
    }
    let t = trimmed(x, trim)?;
    let n = x.len() as f64;
    // se2 = SS_w / (h (h - 1)); the winsorized variance is SS_w / (n - 1).
    let ss = t.se2 * (t.kept * (t.kept - 1)) as f64;
    let std_err = (ss / (n - 1.0)).sqrt() / ((1.0 - 2.0 * trim) * n.sqrt());
    let df = (t.kept - 1) as f64;
    let estimate = t.mean - mu;
    if std_err == 0.0 {
        return Ok(TTest::without_spread(estimate, df));
    }
    let stat = estimate / std_err;
    Ok(TTest {
        t: stat,
        df,
        p_value: crate::ttest::two_sided(stat, df)?,
        estimate,
        std_err,
    })
}

/// Half-width of the `confidence` t interval of the `trim` trimmed mean of
/// `x` ([`trimmed_one_sample_t`]); 0 when the values have no spread. On log
/// values it is, to first order, the relative precision of the trimmed
/// geometric mean.
pub fn trimmed_mean_half_width(x: &[f64], trim: f64, confidence: f64) -> Result<f64, StatsError> {
    let t = trimmed_one_sample_t(x, trim, 0.0)?;
    if t.std_err == 0.0 {
        return Ok(0.0);
    }
    let (lo, hi) = t.confidence_interval(confidence)?;
    Ok((hi - lo) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ttest::welch_t;

    #[test]
    fn one_sample_trimmed_t_ignores_outliers_and_reduces_to_t() {
        // No trimming: the one-sample t-test.
        let x = [0.01, 0.012, 0.009, 0.011, 0.0105];
        let (a, b) = (
            trimmed_one_sample_t(&x, 0.0, 0.0).unwrap(),
            crate::one_sample_t(&x, 0.0).unwrap(),
        );
        assert!((a.t - b.t).abs() < 1e-9 && (a.p_value - b.p_value).abs() < 1e-12);
        // Two wild replications of ten barely move a 20 % trimmed test.
        let mut y = vec![0.01, 0.0101, 0.0099, 0.01, 0.0102, 0.0098, 0.01, 0.0101];
        y.extend([0.09, -0.06]);
        let r = trimmed_one_sample_t(&y, 0.2, 0.0).unwrap();
        assert!((r.estimate - 0.01).abs() < 2e-4, "{r:?}");
        assert_eq!(r.df, 5.0);
        assert!(r.p_value < 1e-5, "{r:?}");
        assert!(crate::one_sample_t(&y, 0.0).unwrap().p_value > 0.05);
        // No spread after winsorizing.
        let z = [0.0, 0.0, 0.0, 0.0, 0.5];
        assert_eq!(trimmed_one_sample_t(&z, 0.2, 0.0).unwrap().p_value, 1.0);
    }

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

    #[test]
    fn half_width_shrinks_with_replications_and_ignores_trimmed_outliers() {
        let base = [0.0, 0.002, -0.002, 0.001, -0.001, 0.0015, -0.0015, 0.0005];
        let hw = trimmed_mean_half_width(&base, 0.2, 0.95).unwrap();
        let t = trimmed_one_sample_t(&base, 0.2, 0.0).unwrap();
        let (lo, hi) = t.confidence_interval(0.95).unwrap();
        assert!((hw - (hi - lo) / 2.0).abs() < 1e-15 && hw > 0.0);
        let twice: Vec<f64> = base.iter().chain(&base).copied().collect();
        assert!(trimmed_mean_half_width(&twice, 0.2, 0.95).unwrap() < hw);
        // One wild value of ten is trimmed away: the width barely moves.
        let mut wild = base.to_vec();
        wild.extend([0.0, 0.5]);
        assert!(trimmed_mean_half_width(&wild, 0.2, 0.95).unwrap() < 2.0 * hw);
        assert_eq!(trimmed_mean_half_width(&[0.1; 5], 0.2, 0.95).unwrap(), 0.0);
    }
}
