//! Student/Welch t-tests (two-sided), following SciPy.

use crate::describe::{mean, variance};
use crate::error::{StatsError, check_len};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Result of a t-test.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TTest {
    /// t statistic.
    pub t: f64,
    /// Degrees of freedom (Welch–Satterthwaite for [`welch_t`]).
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The estimated difference (`mean(a) - mean(b)`, or `mean(a) - mu`).
    pub estimate: f64,
    /// Standard error of the estimate.
    pub std_err: f64,
}

impl TTest {
    /// A one-sample test whose values have no spread: p = 1 when the
    /// estimate is 0 (t = 0), else p = 0 (t = ±inf).
    pub(crate) fn without_spread(estimate: f64, df: f64) -> TTest {
        TTest {
            t: if estimate == 0.0 {
                0.0
            } else {
                f64::INFINITY.copysign(estimate)
            },
            df,
            p_value: if estimate == 0.0 { 1.0 } else { 0.0 },
            estimate,
            std_err: 0.0,
        }
    }

    /// Two-sided confidence interval of [`estimate`](Self::estimate) at
    /// level `confidence` (e.g. 0.95), from the t distribution.
    pub fn confidence_interval(&self, confidence: f64) -> Result<(f64, f64), StatsError> {
        let q = t_quantile(self.df, 0.5 + confidence / 2.0)?;
        Ok((
            self.estimate - q * self.std_err,
            self.estimate + q * self.std_err,
        ))
    }
}

fn students(df: f64) -> Result<StudentsT, StatsError> {
    StudentsT::new(0.0, 1.0, df)
        .map_err(|e| StatsError::InvalidParameter(format!("t distribution with df={df}: {e}")))
}

/// Quantile of Student's t with `df` degrees of freedom.
pub(crate) fn t_quantile(df: f64, p: f64) -> Result<f64, StatsError> {
    if df.is_nan() || df <= 0.0 || !(0.0..1.0).contains(&p) {
        return Err(StatsError::InvalidParameter(format!(
            "t quantile df={df} p={p}"
        )));
    }
    Ok(students(df)?.inverse_cdf(p))
}

pub(crate) fn two_sided(t: f64, df: f64) -> Result<f64, StatsError> {
    if t.is_nan() {
        return Ok(1.0);
    }
    Ok((2.0 * students(df)?.sf(t.abs())).min(1.0))
}

/// The two-sample t-test of an `estimate` with squared standard errors
/// `va`, `vb` of `na`, `nb` values (Welch–Satterthwaite df). No spread on
/// either side (`va + vb == 0`): SciPy's convention, t = ±inf and p = 0
/// when the estimate is not 0, NaN everywhere when it is.
pub(crate) fn welch_from_parts(
    estimate: f64,
    (va, na): (f64, usize),
    (vb, nb): (f64, usize),
) -> Result<TTest, StatsError> {
    let se2 = va + vb;
    if se2 == 0.0 {
        let (t, p) = if estimate == 0.0 {
            (f64::NAN, f64::NAN)
        } else {
            (f64::INFINITY.copysign(estimate), 0.0)
        };
        return Ok(TTest {
            t,
            df: f64::NAN,
            p_value: p,
            estimate,
            std_err: 0.0,
        });
    }
    let df = se2 * se2 / (va * va / (na - 1) as f64 + vb * vb / (nb - 1) as f64);
    let t = estimate / se2.sqrt();
    Ok(TTest {
        t,
        df,
        p_value: two_sided(t, df)?,
        estimate,
        std_err: se2.sqrt(),
    })
}

/// Welch's unequal-variance t-test of `a` against `b`
/// (SciPy `ttest_ind(a, b, equal_var=False)`).
///
/// pqbench applies it to the logarithms of per-process medians, so that
/// `exp(estimate)` is the ratio of geometric means.
pub fn welch_t(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    check_len(a, 2)?;
    check_len(b, 2)?;
    let (ma, mb) = (mean(a)?, mean(b)?);
    let constant = |v: &[f64]| v.iter().all(|&x| x == v[0]);
    let (va, vb) = (variance(a)? / a.len() as f64, variance(b)? / b.len() as f64);
    // Identical values on each side: exactly no variance (the floating-point
    // mean of equal logs may leave a 1e-16 residue).
    if va + vb == 0.0 || (constant(a) && constant(b)) {
        return welch_from_parts(a[0] - b[0], (0.0, a.len()), (0.0, b.len()));
    }
    welch_from_parts(ma - mb, (va, a.len()), (vb, b.len()))
}

/// One-sample t-test of `a` against the mean `mu`
/// (SciPy `ttest_1samp(a, mu)`). pqbench applies it to log per-round
/// ratios of a paired A/B run.
pub fn one_sample_t(a: &[f64], mu: f64) -> Result<TTest, StatsError> {
    check_len(a, 2)?;
    let m = mean(a)?;
    let se = (variance(a)? / a.len() as f64).sqrt();
    let df = (a.len() - 1) as f64;
    let estimate = m - mu;
    if se == 0.0 {
        return Ok(TTest::without_spread(estimate, df));
    }
    let t = estimate / se;
    Ok(TTest {
        t,
        df,
        p_value: two_sided(t, df)?,
        estimate,
        std_err: se,
    })
}
