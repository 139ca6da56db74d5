//! The full two-sample analysis of one benchmark: base vs new.

use crate::bootstrap::{BootstrapConfig, BootstrapRatios, Groups, RatioCi, bootstrap_ratios};
use crate::describe::logs;
use crate::effect::cliffs_delta;
use crate::error::StatsError;
use crate::hodges_lehmann::hodges_lehmann;
use crate::mann_whitney::{MannWhitney, MwMethod, mann_whitney_u};
use crate::ttest::{TTest, welch_t};
use crate::yuen::yuen_t;
use serde::{Deserialize, Serialize};

/// Share trimmed from each end of each side by [`PrimaryTest::Yuen`]
/// (`floor(0.2 n)` replications: 2 of 10, 4 of 20; none below 5).
pub const YUEN_TRIM: f64 = 0.2;

/// Which test's p-value drives the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum PrimaryTest {
    /// Yuen's 20 % trimmed-mean t-test (Welch's df on winsorized
    /// variances) on the logarithms of the per-replication medians: robust
    /// to a replication disturbed as a whole.
    #[default]
    Yuen,
    /// Welch's t-test on the logarithms of the per-process medians.
    Welch,
    /// Mann–Whitney U on the per-process medians.
    MannWhitney,
}

impl PrimaryTest {
    /// How reports name the test.
    pub fn label(self) -> &'static str {
        match self {
            PrimaryTest::Yuen => "Yuen 20% trimmed t on log medians",
            PrimaryTest::Welch => "Welch t on log medians",
            PrimaryTest::MannWhitney => "Mann-Whitney U",
        }
    }
}

/// Everything pqbench reports for one benchmark compared across two files.
///
/// Ratios are `new / base` (above 1: new is slower). The tests and the
/// Hodges–Lehmann / Cliff's delta effect sizes use **one value per process**
/// (its median): the process is the unit of replication. The bootstrap
/// resamples whole processes (see [`bootstrap_ratios`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TwoSample {
    /// Processes on the base side.
    pub base_processes: usize,
    /// Samples (over all processes) on the base side.
    pub base_samples: usize,
    /// Processes on the new side.
    pub new_processes: usize,
    /// Samples on the new side.
    pub new_samples: usize,
    /// Bootstrap ratios of medians, means and the tail quantile.
    pub ratios: BootstrapRatios,
    /// Hodges–Lehmann shift of the log per-process medians, as a ratio
    /// `exp(shift)` with its (Moses) confidence interval.
    pub hodges_lehmann: RatioCi,
    /// Cliff's delta of the per-process medians (positive: new slower).
    pub cliffs_delta: f64,
    /// Mann–Whitney U of the per-process medians (new vs base).
    pub mann_whitney: MannWhitney,
    /// Welch's t-test on log per-process medians (new vs base); `None`
    /// with fewer than 2 processes on a side.
    pub welch: Option<TTest>,
    /// Yuen's trimmed t-test ([`YUEN_TRIM`]) on the same values; `None`
    /// with fewer than 2 processes on a side.
    pub yuen: Option<TTest>,
    /// The raw p-value of the primary test (`NaN` when it cannot be
    /// computed, e.g. one process per side).
    pub p_value: f64,
    /// Which test gave [`p_value`](Self::p_value).
    pub primary: PrimaryTest,
    /// The quantity the verdict is about, with its interval: the estimand
    /// of the primary test (see [`Tests::estimate`]).
    pub estimate: RatioCi,
    /// The smallest two-sided p-value the primary test could give with
    /// these replication counts (see [`Tests::min_p_value`]).
    pub min_p_value: f64,
}

/// Analyses one benchmark. `base` and `new` hold the samples of each
/// process. Fails only on invalid data (non-positive or non-finite values,
/// no samples).
pub fn two_sample(
    base: &Groups,
    new: &Groups,
    bootstrap: &BootstrapConfig,
    primary: PrimaryTest,
) -> Result<TwoSample, StatsError> {
    let ratios = bootstrap_ratios(base, new, bootstrap)?;
    let t = tests(base, new, bootstrap.confidence, primary)?;
    Ok(TwoSample {
        base_processes: base.len(),
        base_samples: base.total(),
        new_processes: new.len(),
        new_samples: new.total(),
        ratios,
        hodges_lehmann: t.hodges_lehmann,
        cliffs_delta: t.cliffs_delta,
        mann_whitney: t.mann_whitney,
        welch: t.welch,
        yuen: t.yuen,
        p_value: t.p_value,
        primary,
        estimate: t.estimate,
        min_p_value: t.min_p_value,
    })
}

/// The tests and effect sizes of [`two_sample`], without the bootstrap.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tests {
    /// See [`TwoSample::hodges_lehmann`].
    pub hodges_lehmann: RatioCi,
    /// See [`TwoSample::cliffs_delta`].
    pub cliffs_delta: f64,
    /// See [`TwoSample::mann_whitney`].
    pub mann_whitney: MannWhitney,
    /// See [`TwoSample::welch`].
    pub welch: Option<TTest>,
    /// See [`TwoSample::yuen`].
    pub yuen: Option<TTest>,
    /// See [`TwoSample::p_value`].
    pub p_value: f64,
    /// The estimand of the primary test, as a ratio `new / base` with its
    /// two-sided interval at the requested confidence. Welch: the ratio of
    /// geometric means of the per-replication medians, `exp(mean(log new
    /// medians) - mean(log base medians))`, with the Welch t interval (its
    /// log is exactly what the t statistic tests). Yuen: the same with
    /// 20 % trimmed means and Yuen's interval (Welch's when winsorizing
    /// leaves no spread on either side but Welch has some). Mann–Whitney: the
    /// Hodges–Lehmann ratio with its Moses interval (the shift the rank test
    /// is consistent against). All `NaN` when the test cannot run.
    pub estimate: RatioCi,
    /// The smallest two-sided p-value the primary test can produce with
    /// these replication counts, whatever the data: 0 for Welch and Yuen (a large
    /// enough t), `2 / C(m + n, m)` for the exact Mann–Whitney test (the
    /// p-value of two completely separated samples under the method
    /// actually used). `NaN` when the test cannot run.
    pub min_p_value: f64,
}

/// Tests and effect sizes on the per-process medians of `base` and `new`
/// (the part of [`two_sample`] that needs no resampling).
pub fn tests(
    base: &Groups,
    new: &Groups,
    confidence: f64,
    primary: PrimaryTest,
) -> Result<Tests, StatsError> {
    let bm = base.group_medians();
    let nm = new.group_medians();
    let (lb, ln) = (logs(&bm)?, logs(&nm)?);
    let hl = hodges_lehmann(&lb, &ln, confidence)?;
    let hodges_lehmann = RatioCi {
        estimate: hl.estimate.exp(),
        lo: hl.lo.exp(),
        hi: hl.hi.exp(),
    };
    let cliffs_delta = cliffs_delta(&bm, &nm)?;
    let mann_whitney = mann_whitney_u(&nm, &bm, MwMethod::Auto)?;
    let replicated = bm.len() >= 2 && nm.len() >= 2;
    let (welch, yuen) = if replicated {
        (Some(welch_t(&ln, &lb)?), Some(yuen_t(&ln, &lb, YUEN_TRIM)?))
    } else {
        (None, None)
    };
    let nan = RatioCi {
        estimate: f64::NAN,
        lo: f64::NAN,
        hi: f64::NAN,
    };
    let (p_value, estimate, min_p_value) = match (primary, welch) {
        (PrimaryTest::Welch, Some(w)) => (w.p_value, t_ratio(&w, confidence)?, 0.0),
        // Winsorizing can leave no spread when only the extreme replications
        // differ (medians quantized to the stored 0.01 ns): Welch, whose
        // variance keeps them, decides such a row.
        (PrimaryTest::Yuen, Some(w)) => match yuen {
            Some(y) if y.std_err > 0.0 || w.std_err == 0.0 => {
                (y.p_value, t_ratio(&y, confidence)?, 0.0)
            }
            _ => (w.p_value, t_ratio(&w, confidence)?, 0.0),
        },
        (PrimaryTest::MannWhitney, _) if replicated => (
            mann_whitney.p_value,
            hodges_lehmann,
            separated_p(bm.len(), nm.len(), mann_whitney.method)?,
        ),
        _ => (f64::NAN, nan, f64::NAN),
    };
    Ok(Tests {
        hodges_lehmann,
        cliffs_delta,
        mann_whitney,
        welch,
        yuen,
        p_value,
        estimate,
        min_p_value,
    })
}

/// `exp` of a t-test's estimate (Welch or Yuen) and of its t interval. A
/// degenerate test (both sides constant, no standard error) gives a NaN
/// interval.
pub(crate) fn t_ratio(w: &TTest, confidence: f64) -> Result<RatioCi, StatsError> {
    if w.std_err > 0.0 && w.df.is_finite() && w.df > 0.0 {
        let (lo, hi) = w.confidence_interval(confidence)?;
        Ok(RatioCi {
            estimate: w.estimate.exp(),
            lo: lo.exp(),
            hi: hi.exp(),
        })
    } else {
        Ok(RatioCi {
            estimate: w.estimate.exp(),
            lo: f64::NAN,
            hi: f64::NAN,
        })
    }
}

/// The Mann–Whitney p-value of `m` values all below `n` values: the
/// smallest p-value the test can give at these sizes with `method`.
fn separated_p(m: usize, n: usize, method: MwMethod) -> Result<f64, StatsError> {
    let x: Vec<f64> = (0..m).map(|i| i as f64).collect();
    let y: Vec<f64> = (0..n).map(|j| (m + j) as f64).collect();
    let forced = match method {
        MwMethod::Exact => MwMethod::Exact,
        _ => MwMethod::Asymptotic,
    };
    Ok(mann_whitney_u(&y, &x, forced)?.p_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_a_clear_slowdown_and_reports_counts() {
        let side = |scale: f64| {
            Groups::new(
                (0..6)
                    .map(|p| {
                        (0..40)
                            .map(|i| scale * (100.0 + (p * 7 % 5) as f64 + (i % 9) as f64 * 0.3))
                            .collect()
                    })
                    .collect(),
            )
            .unwrap()
        };
        let cfg = BootstrapConfig {
            resamples: 300,
            ..Default::default()
        };
        let r = two_sample(&side(1.0), &side(1.1), &cfg, PrimaryTest::Welch).unwrap();
        assert_eq!((r.base_processes, r.base_samples), (6, 240));
        assert!(r.p_value < 1e-4, "{r:?}");
        assert!((r.ratios.median.estimate - 1.1).abs() < 1e-9);
        assert!(r.hodges_lehmann.lo > 1.05 && r.hodges_lehmann.hi < 1.15);
        assert_eq!(r.cliffs_delta, 1.0);
        let one = Groups::new(vec![vec![1.0, 2.0, 3.0]]).unwrap();
        let r = two_sample(&one, &one, &cfg, PrimaryTest::Welch).unwrap();
        assert!(r.p_value.is_nan() && r.welch.is_none());
    }

    /// Medians equal except the extreme replications: winsorizing leaves
    /// Yuen no spread, so Welch's test and estimate decide the row.
    #[test]
    fn yuen_without_winsorized_spread_falls_back_to_welch() {
        let side = |scale: f64| {
            let mut medians = [100.0; 10];
            medians[0] = 99.9;
            medians[9] = 100.2;
            Groups::new(medians.iter().map(|m| vec![scale * m; 3]).collect()).unwrap()
        };
        let r = tests(&side(1.0), &side(1.3), 0.95, PrimaryTest::Yuen).unwrap();
        let (y, w) = (r.yuen.unwrap(), r.welch.unwrap());
        assert_eq!(y.std_err, 0.0);
        assert_eq!(r.p_value, w.p_value);
        assert!(
            r.p_value < 1e-6 && (r.estimate.estimate - 1.3).abs() < 1e-3,
            "{r:?}"
        );
        // With spread left after winsorizing, Yuen decides.
        let noisy = |scale: f64| {
            Groups::new(
                (0..10)
                    .map(|p| vec![scale * (100.0 + (p * 7 % 5) as f64 * 0.1); 3])
                    .collect(),
            )
            .unwrap()
        };
        let r = tests(&noisy(1.0), &noisy(1.3), 0.95, PrimaryTest::Yuen).unwrap();
        assert_eq!(r.p_value, r.yuen.unwrap().p_value);
    }
}
