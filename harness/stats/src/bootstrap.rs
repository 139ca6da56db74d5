//! Hierarchical bootstrap of ratios between two sides of a comparison.

use crate::cluster::Clusters;
use crate::describe::quantile_in_place;
use crate::error::StatsError;
use crate::rng::{bounded, stream};
use rayon::prelude::*;
use serde::Serialize;

/// The samples of one side, grouped by process (or A/B round, or board
/// reset): the level at which the bootstrap resamples first.
#[derive(Clone, Debug, PartialEq)]
pub struct Groups {
    groups: Vec<Vec<f64>>,
}

impl Groups {
    /// Checks that there is at least one non-empty group and that every
    /// value is finite and positive (times, cycles, instructions).
    pub fn new(groups: Vec<Vec<f64>>) -> Result<Self, StatsError> {
        let groups: Vec<Vec<f64>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
        if groups.is_empty() {
            return Err(StatsError::TooFewValues { needed: 1, got: 0 });
        }
        for &v in groups.iter().flatten() {
            if !v.is_finite() {
                return Err(StatsError::NonFinite);
            }
            if v <= 0.0 {
                return Err(StatsError::NonPositive(v));
            }
        }
        Ok(Self { groups })
    }

    /// The groups.
    pub fn groups(&self) -> &[Vec<f64>] {
        &self.groups
    }

    /// Number of groups (processes).
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Always false: a [`Groups`] has at least one group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Number of values over all groups.
    pub fn total(&self) -> usize {
        self.groups.iter().map(Vec::len).sum()
    }

    /// All values pooled.
    pub fn pooled(&self) -> Vec<f64> {
        self.groups.iter().flatten().copied().collect()
    }

    /// The median of each group: the per-process values the tests use.
    pub fn group_medians(&self) -> Vec<f64> {
        self.groups
            .iter()
            .map(|g| quantile_in_place(&mut g.clone(), 0.5))
            .collect()
    }

    /// Resamples groups with replacement, then values within each chosen
    /// group with replacement, into `out`.
    fn resample_into(&self, rng: &mut crate::Rng, out: &mut Vec<f64>) {
        out.clear();
        for _ in 0..self.groups.len() {
            let g = &self.groups[bounded(rng, self.groups.len())];
            for _ in 0..g.len() {
                out.push(g[bounded(rng, g.len())]);
            }
        }
    }
}

/// Settings of [`bootstrap_ratios`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BootstrapConfig {
    /// Number of bootstrap replicates.
    pub resamples: usize,
    /// Two-sided confidence level, e.g. 0.95.
    pub confidence: f64,
    /// Seed: the same seed and inputs give the same intervals, whatever the
    /// number of threads.
    pub seed: u64,
    /// Quantile compared in the tail ratio, e.g. 0.99.
    pub tail_quantile: f64,
}

impl Default for BootstrapConfig {
    fn default() -> Self {
        Self {
            resamples: 4000,
            confidence: 0.95,
            seed: 0x005e_ed0f_b007,
            tail_quantile: 0.99,
        }
    }
}

/// A ratio `new / base` with its percentile-bootstrap confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RatioCi {
    /// The ratio on the observed data.
    pub estimate: f64,
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl RatioCi {
    /// Largest distance from the estimate to a bound, relative to the
    /// estimate (e.g. 0.01 for ±1 %).
    pub fn relative_half_width(&self) -> f64 {
        ((self.hi - self.estimate).max(self.estimate - self.lo)) / self.estimate
    }
}

/// Ratios `new / base` of three statistics of the pooled samples, each with
/// a confidence interval from the same bootstrap replicates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BootstrapRatios {
    /// Ratio of medians.
    pub median: RatioCi,
    /// Ratio of means.
    pub mean: RatioCi,
    /// Ratio of the `tail_quantile` quantiles (p99 by default).
    pub tail: RatioCi,
    /// Replicates used.
    pub resamples: usize,
}

fn stats_of(v: &mut [f64], tail_q: f64) -> [f64; 3] {
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let tail = quantile_in_place(v, tail_q);
    let median = quantile_in_place(v, 0.5);
    [median, mean, tail]
}

/// How one side of [`bootstrap_ratios`] is resampled.
enum Side<'a> {
    /// Two or more replications: resample replications, each drawn one
    /// whole (the cluster bootstrap), by weighted order statistics.
    Clusters(Clusters),
    /// A single replication: resample its samples (the only level there is).
    Samples(&'a Groups),
}

impl<'a> Side<'a> {
    fn new(g: &'a Groups) -> Self {
        if g.len() >= 2 {
            Side::Clusters(Clusters::new(g.groups()))
        } else {
            Side::Samples(g)
        }
    }

    /// Median, mean and tail quantile of all the samples of `g` (this
    /// side's groups), each once.
    fn observed(&self, g: &Groups, tail_q: f64) -> [f64; 3] {
        match self {
            Side::Clusters(c) => {
                let [median, tail] = c.observed_quantiles(tail_q);
                let mean = g.groups.iter().flatten().sum::<f64>() / g.total() as f64;
                [median, mean, tail]
            }
            Side::Samples(_) => stats_of(&mut g.pooled(), tail_q),
        }
    }

    /// Median, mean and tail quantile of one replicate.
    fn replicate(&self, rng: &mut crate::Rng, buf: &mut Scratch, tail_q: f64) -> [f64; 3] {
        match self {
            Side::Clusters(c) => {
                c.draw(rng, &mut buf.weights);
                c.stats(&buf.weights, tail_q)
            }
            Side::Samples(g) => {
                g.resample_into(rng, &mut buf.values);
                stats_of(&mut buf.values, tail_q)
            }
        }
    }
}

/// Per-thread buffers of [`Side::replicate`].
#[derive(Default)]
struct Scratch {
    weights: Vec<u64>,
    values: Vec<f64>,
}

/// Percentile bootstrap of the ratios of medians, means and a tail quantile
/// of the pooled samples of `new` over `base`, resampling **replications**.
///
/// Each replicate draws, independently for each side, as many replications
/// as the side has, with replacement, and pools the samples of the drawn
/// replications (a replication drawn twice counts twice); the statistic is
/// computed on that pool. This is the cluster bootstrap (Davison & Hinkley
/// 1997, sec. 3.8; Field & Welsh 2007): the spread of the replications
/// already carries the noise of the samples within them, so samples are not
/// resampled again. A side with a single replication has no replications
/// to resample; its samples are resampled instead. The interval is the
/// `(1 ± confidence) / 2` quantiles of the replicate ratios.
///
/// A replicate costs `O(G log N)` per side (weighted order statistics of
/// the pooled sorted samples, see `cluster.rs`), not `O(N)`; a side with a
/// single replication costs `O(N)`. Replicates run in parallel (rayon);
/// replicate `r` draws from its own ChaCha8 stream of `seed`, so results
/// are reproducible and independent of the thread count.
pub fn bootstrap_ratios(
    base: &Groups,
    new: &Groups,
    cfg: &BootstrapConfig,
) -> Result<BootstrapRatios, StatsError> {
    if cfg.resamples < 10 {
        return Err(StatsError::InvalidParameter(format!(
            "{} bootstrap resamples (need >= 10)",
            cfg.resamples
        )));
    }
    if !(cfg.confidence > 0.0 && cfg.confidence < 1.0 && (0.0..=1.0).contains(&cfg.tail_quantile)) {
        return Err(StatsError::InvalidParameter(
            "confidence must be in (0, 1), tail quantile in [0, 1]".into(),
        ));
    }
    let (bs, ns) = (Side::new(base), Side::new(new));
    let observed = {
        let b = bs.observed(base, cfg.tail_quantile);
        let n = ns.observed(new, cfg.tail_quantile);
        [n[0] / b[0], n[1] / b[1], n[2] / b[2]]
    };
    let reps: Vec<[f64; 3]> = (0..cfg.resamples as u64)
        .into_par_iter()
        .map_init(
            || (Scratch::default(), Scratch::default()),
            |(bb, nb), r| {
                let mut rng = stream(cfg.seed, r);
                let b = bs.replicate(&mut rng, bb, cfg.tail_quantile);
                let n = ns.replicate(&mut rng, nb, cfg.tail_quantile);
                [n[0] / b[0], n[1] / b[1], n[2] / b[2]]
            },
        )
        .collect();
    let lo_q = (1.0 - cfg.confidence) / 2.0;
    let ci = |k: usize| {
        let mut v: Vec<f64> = reps.iter().map(|r| r[k]).collect();
        let lo = quantile_in_place(&mut v, lo_q);
        let hi = quantile_in_place(&mut v, 1.0 - lo_q);
        RatioCi {
            estimate: observed[k],
            lo,
            hi,
        }
    };
    Ok(BootstrapRatios {
        median: ci(0),
        mean: ci(1),
        tail: ci(2),
        resamples: cfg.resamples,
    })
}

/// Hierarchical percentile bootstrap interval of the median of one side
/// (processes resampled, then samples within each): the precision of a
/// single run, used by adaptive stopping. `estimate` is the pooled median.
pub fn bootstrap_median(groups: &Groups, cfg: &BootstrapConfig) -> Result<RatioCi, StatsError> {
    if cfg.resamples < 10 || !(cfg.confidence > 0.0 && cfg.confidence < 1.0) {
        return Err(StatsError::InvalidParameter(
            "need >= 10 resamples and a confidence in (0, 1)".into(),
        ));
    }
    let estimate = quantile_in_place(&mut groups.pooled(), 0.5);
    let mut reps: Vec<f64> = (0..cfg.resamples as u64)
        .into_par_iter()
        .map_init(
            || Vec::with_capacity(groups.total()),
            |buf, r| {
                let mut rng = stream(cfg.seed, r);
                groups.resample_into(&mut rng, buf);
                quantile_in_place(buf, 0.5)
            },
        )
        .collect();
    let q = (1.0 - cfg.confidence) / 2.0;
    let lo = quantile_in_place(&mut reps, q);
    let hi = quantile_in_place(&mut reps, 1.0 - q);
    Ok(RatioCi { estimate, lo, hi })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(scale: f64) -> Groups {
        Groups::new(
            (0..6)
                .map(|p| {
                    (0..50)
                        .map(|i| scale * (100.0 + p as f64 + (i % 7) as f64))
                        .collect()
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn reproducible_and_covers_the_true_ratio() {
        let cfg = BootstrapConfig {
            resamples: 500,
            ..Default::default()
        };
        let a = bootstrap_ratios(&groups(1.0), &groups(1.1), &cfg).unwrap();
        let b = bootstrap_ratios(&groups(1.0), &groups(1.1), &cfg).unwrap();
        assert_eq!(a, b);
        assert!((a.median.estimate - 1.1).abs() < 1e-12);
        assert!(a.median.lo <= 1.1 && a.median.hi >= 1.1);
        assert!(a.mean.lo < a.mean.hi);
    }

    #[test]
    fn same_intervals_for_any_thread_count() {
        let cfg = BootstrapConfig {
            resamples: 400,
            ..Default::default()
        };
        let single = Groups::new(vec![(0..80).map(|i| 50.0 + (i % 11) as f64).collect()]).unwrap();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    (
                        bootstrap_ratios(&groups(1.0), &groups(1.05), &cfg).unwrap(),
                        bootstrap_ratios(&single, &groups(1.0), &cfg).unwrap(),
                    )
                })
        };
        let one = run(1);
        assert_eq!(one, run(4));
        assert_eq!(one, run(3));
        // Another seed, other intervals: the seed is used.
        let other = bootstrap_ratios(
            &groups(1.0),
            &groups(1.05),
            &BootstrapConfig { seed: 7, ..cfg },
        )
        .unwrap();
        assert_ne!(one.0, other);
        // A single-replication side resamples its samples: a real interval.
        assert!(one.1.median.lo < one.1.median.hi);
    }

    #[test]
    fn two_identical_replications_give_a_point_interval() {
        // Replications resampled whole: identical replications leave
        // nothing to vary (the old two-level bootstrap would have varied the
        // samples within them).
        let g = |s: f64| Groups::new(vec![vec![s, 2.0 * s, 3.0 * s]; 2]).unwrap();
        let r = bootstrap_ratios(&g(1.0), &g(1.1), &BootstrapConfig::default()).unwrap();
        for c in [r.median, r.mean, r.tail] {
            assert!(
                (c.lo - 1.1).abs() < 1e-12 && (c.hi - 1.1).abs() < 1e-12,
                "{c:?}"
            );
        }
    }

    #[test]
    fn rejects_bad_groups() {
        assert!(Groups::new(vec![]).is_err());
        assert!(Groups::new(vec![vec![1.0, -1.0]]).is_err());
        assert!(Groups::new(vec![vec![f64::NAN]]).is_err());
    }
}
