//! Paired A/B analysis: one ratio per round.

use crate::RatioCi;
use crate::describe::{logs, quantile_in_place};
use crate::error::{StatsError, check_len};
use crate::rng::{bounded, stream};
use crate::ttest::{TTest, one_sample_t};
use crate::wilcoxon::{SignTest, Wilcoxon, sign_test, wilcoxon_signed_rank};
use crate::yuen::trimmed_one_sample_t;
use serde::Serialize;

/// Share trimmed from each end by [`PairedAnalysis::trimmed`] (as the
/// unpaired default, [`crate::YUEN_TRIM`]).
pub const TRIM: f64 = crate::YUEN_TRIM;

/// The ratio `exp(estimate)` of a test on log ratios with its t interval
/// transformed back (a point when the logs have no spread).
fn ratio_ci(t: &TTest, confidence: f64) -> Result<RatioCi, StatsError> {
    let (lo, hi) = if t.std_err == 0.0 {
        (t.estimate, t.estimate)
    } else {
        t.confidence_interval(confidence)?
    };
    Ok(RatioCi {
        estimate: t.estimate.exp(),
        lo: lo.exp(),
        hi: hi.exp(),
    })
}

/// Analysis of per-round ratios `candidate / baseline` of a paired A/B run.
///
/// The unit is the round: each round ran the baseline once and the candidate
/// once, back to back, so slow drift of the machine cancels in the ratio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairedAnalysis {
    /// Number of rounds.
    pub rounds: usize,
    /// Geometric mean of the per-round ratios, with the t-based confidence
    /// interval of the mean log ratio transformed back (`exp`).
    pub geomean: RatioCi,
    /// One-sample t-test of the log ratios against 0 (SciPy `ttest_1samp`).
    pub t_test: TTest,
    /// Geometric mean of the per-round ratios with a percentile-bootstrap
    /// interval (rounds resampled with replacement).
    pub geomean_bootstrap: RatioCi,
    /// Median of the per-round ratios with a percentile-bootstrap interval.
    pub median: RatioCi,
    /// Wilcoxon signed-rank test of the log ratios against 0.
    pub wilcoxon: Option<Wilcoxon>,
    /// Exact sign test of the log ratios against 0.
    pub sign: Option<SignTest>,
    /// 20 % trimmed one-sample t-test of the log ratios against 0
    /// ([`crate::trimmed_one_sample_t`]; `None` when trimming leaves fewer
    /// than 2 rounds).
    pub trimmed: Option<TTest>,
    /// `exp` of the 20 % trimmed mean log ratio with its t interval (the
    /// estimand of [`PairedAnalysis::trimmed`]).
    pub trimmed_mean: Option<RatioCi>,
}

/// Analyses per-round ratios (each `candidate / baseline`, positive).
/// Needs at least 2 rounds.
pub fn paired_ratios(
    ratios: &[f64],
    confidence: f64,
    resamples: usize,
    seed: u64,
) -> Result<PairedAnalysis, StatsError> {
    check_len(ratios, 2)?;
    let l = logs(ratios)?;
    let t_test = one_sample_t(&l, 0.0)?;
    let geomean = ratio_ci(&t_test, confidence)?;
    if resamples < 10 {
        return Err(StatsError::InvalidParameter(format!(
            "{resamples} bootstrap resamples (need >= 10)"
        )));
    }
    let mut med_reps: Vec<f64> = Vec::with_capacity(resamples);
    let mut gm_reps: Vec<f64> = Vec::with_capacity(resamples);
    let mut buf = vec![0.0; ratios.len()];
    for r in 0..resamples as u64 {
        let mut rng = stream(seed, r);
        let mut log_sum = 0.0;
        for v in buf.iter_mut() {
            let i = bounded(&mut rng, ratios.len());
            *v = ratios[i];
            log_sum += l[i];
        }
        gm_reps.push((log_sum / ratios.len() as f64).exp());
        med_reps.push(quantile_in_place(&mut buf, 0.5));
    }
    let q = (1.0 - confidence) / 2.0;
    let median = RatioCi {
        estimate: quantile_in_place(&mut ratios.to_vec(), 0.5),
        lo: quantile_in_place(&mut med_reps, q),
        hi: quantile_in_place(&mut med_reps, 1.0 - q),
    };
    let geomean_bootstrap = RatioCi {
        estimate: geomean.estimate,
        lo: quantile_in_place(&mut gm_reps, q),
        hi: quantile_in_place(&mut gm_reps, 1.0 - q),
    };
    let trimmed = trimmed_one_sample_t(&l, TRIM, 0.0).ok();
    let trimmed_mean = trimmed.as_ref().and_then(|t| ratio_ci(t, confidence).ok());
    let wilcoxon = wilcoxon_signed_rank(&l).ok();
    let sign = sign_test(&l).ok();
    Ok(PairedAnalysis {
        rounds: ratios.len(),
        geomean,
        t_test,
        geomean_bootstrap,
        median,
        wilcoxon,
        sign,
        trimmed,
        trimmed_mean,
    })
}
