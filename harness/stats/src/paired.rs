//! Paired A/B analysis: one ratio per round.

use crate::RatioCi;
use crate::describe::{logs, quantile_in_place};
use crate::error::{StatsError, check_len};
use crate::rng::{bounded, stream};
use crate::ttest::{TTest, one_sample_t};
use serde::Serialize;

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
    /// Median of the per-round ratios with a percentile-bootstrap interval.
    pub median: RatioCi,
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
    let (lo, hi) = if t_test.std_err == 0.0 {
        (t_test.estimate, t_test.estimate)
    } else {
        t_test.confidence_interval(confidence)?
    };
    let geomean = RatioCi {
        estimate: t_test.estimate.exp(),
        lo: lo.exp(),
        hi: hi.exp(),
    };
    let mut reps: Vec<f64> = Vec::with_capacity(resamples);
    let mut buf = vec![0.0; ratios.len()];
    for r in 0..resamples as u64 {
        let mut rng = stream(seed, r);
        for v in buf.iter_mut() {
            *v = ratios[bounded(&mut rng, ratios.len())];
        }
        reps.push(quantile_in_place(&mut buf, 0.5));
    }
    let q = (1.0 - confidence) / 2.0;
    let median = RatioCi {
        estimate: quantile_in_place(&mut ratios.to_vec(), 0.5),
        lo: if reps.is_empty() {
            f64::NAN
        } else {
            quantile_in_place(&mut reps, q)
        },
        hi: if reps.is_empty() {
            f64::NAN
        } else {
            quantile_in_place(&mut reps, 1.0 - q)
        },
    };
    Ok(PairedAnalysis {
        rounds: ratios.len(),
        geomean,
        t_test,
        median,
    })
}
