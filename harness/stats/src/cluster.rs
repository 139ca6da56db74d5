//! Replication-level (cluster) resampling without copying samples.
//!
//! A replicate of the cluster bootstrap draws `G` replications with
//! replacement out of `G`; replication `g` is drawn `c_g` times and enters
//! the pooled resample with all its samples, `c_g` times over. The pooled
//! resample is therefore the pooled sorted samples with weight `c_g` on the
//! samples of replication `g`: its mean is `sum c_g S_g / sum c_g n_g` and
//! its order statistics are found by a binary search on the weighted count
//! of samples before a block of the pooled sorted array (counts kept every
//! [`BLOCK`] positions), then a short scan inside the block. One
//! replicate costs `O(G log N)` instead of `O(N)` (`N` samples), and gives
//! exactly the statistics of the explicit resample (checked against it in
//! the tests below).

use crate::describe::{interpolate, type7_position};
use crate::rng::bounded;

/// Positions per block of the prefix-count table.
const BLOCK: usize = 16;

/// Largest prefix-count table kept in memory (entries of 4 bytes); bigger
/// inputs fall back to a binary search in each replication's sorted samples.
const TABLE_LIMIT: usize = 1 << 24;

/// How the weighted count of samples before a pooled position is found.
enum Counts {
    /// `table[b * G + g]`: samples of replication `g` among
    /// `sorted[..b * BLOCK]`; `labels[i]`: the replication of `sorted[i]`.
    Blocks { table: Vec<u32>, labels: Vec<u32> },
    /// Each replication's samples, sorted: counts by binary search.
    Search(Vec<Vec<f64>>),
}

/// One side of a comparison, prepared for cluster resampling.
pub(crate) struct Clusters {
    sorted: Vec<f64>,
    sizes: Vec<u64>,
    sums: Vec<f64>,
    counts: Counts,
}

impl Clusters {
    /// Prepares the replications `groups` (non-empty, finite, positive
    /// values, as [`Groups`](crate::Groups) guarantees).
    pub(crate) fn new(groups: &[Vec<f64>]) -> Self {
        let g_len = groups.len();
        let mut labelled: Vec<(f64, u32)> = groups
            .iter()
            .enumerate()
            .flat_map(|(g, v)| v.iter().map(move |&x| (x, g as u32)))
            .collect();
        // Positive finite floats order as their bit patterns.
        labelled.sort_unstable_by_key(|p| p.0.to_bits());
        let sorted: Vec<f64> = labelled.iter().map(|p| p.0).collect();
        let blocks = labelled.len() / BLOCK + 1;
        let counts =
            if blocks.saturating_mul(g_len) <= TABLE_LIMIT && labelled.len() < u32::MAX as usize {
                let mut running = vec![0u32; g_len];
                let mut table = Vec::with_capacity(blocks * g_len);
                for (i, &(_, g)) in labelled.iter().enumerate() {
                    if i.is_multiple_of(BLOCK) {
                        table.extend_from_slice(&running);
                    }
                    running[g as usize] += 1;
                }
                if labelled.len().is_multiple_of(BLOCK) {
                    table.extend_from_slice(&running);
                }
                Counts::Blocks {
                    table,
                    labels: labelled.iter().map(|p| p.1).collect(),
                }
            } else {
                Counts::Search(
                    groups
                        .iter()
                        .map(|g| {
                            let mut v = g.clone();
                            v.sort_unstable_by(f64::total_cmp);
                            v
                        })
                        .collect(),
                )
            };
        Clusters {
            sorted,
            sizes: groups.iter().map(|g| g.len() as u64).collect(),
            sums: groups.iter().map(|g| g.iter().sum()).collect(),
            counts,
        }
    }

    /// Number of replications.
    pub(crate) fn len(&self) -> usize {
        self.sizes.len()
    }

    /// Draws how many times each replication enters a replicate
    /// (`G` draws with replacement out of `G`) into `weights`.
    pub(crate) fn draw(&self, rng: &mut crate::Rng, weights: &mut Vec<u64>) {
        weights.clear();
        weights.resize(self.len(), 0);
        for _ in 0..self.len() {
            weights[bounded(rng, self.len())] += 1;
        }
    }

    /// Weighted number of samples at or below pooled position `i`
    /// (search fallback).
    fn count_at(groups: &[Vec<f64>], v: f64, w: &[u64]) -> u64 {
        groups
            .iter()
            .zip(w)
            .filter(|(_, k)| **k > 0)
            .map(|(g, &k)| g.partition_point(|&x| x <= v) as u64 * k)
            .sum()
    }

    /// The pooled positions holding the order statistics of 0-based ranks
    /// `r` and `r + 1` of the weighted multiset (the second clamped to the
    /// last sample).
    fn positions_of_rank(&self, r: u64, w: &[u64]) -> (usize, usize) {
        let last = self.sorted.len() - 1;
        match &self.counts {
            Counts::Blocks { table, labels } => {
                let g = w.len();
                let before = |b: usize| -> u64 {
                    table[b * g..(b + 1) * g]
                        .iter()
                        .zip(w)
                        .map(|(&c, &k)| u64::from(c) * k)
                        .sum()
                };
                // Last block whose start has at most r samples before it.
                let (mut lo, mut hi) = (0, table.len() / g - 1);
                while lo < hi {
                    let mid = lo + (hi - lo).div_ceil(2);
                    if before(mid) <= r {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                let mut acc = before(lo);
                let mut i = lo * BLOCK;
                loop {
                    acc += w[labels[i] as usize];
                    if acc > r || i == last {
                        break;
                    }
                    i += 1;
                }
                let mut j = i;
                while acc <= r + 1 && j < last {
                    j += 1;
                    acc += w[labels[j] as usize];
                }
                (i, j)
            }
            Counts::Search(groups) => {
                let search = |r: u64, from: usize| {
                    let (mut lo, mut hi) = (from, last);
                    while lo < hi {
                        let mid = lo + (hi - lo) / 2;
                        if Self::count_at(groups, self.sorted[mid], w) > r {
                            hi = mid;
                        } else {
                            lo = mid + 1;
                        }
                    }
                    lo
                };
                let i = search(r, 0);
                let j = if Self::count_at(groups, self.sorted[i], w) > r + 1 {
                    i
                } else {
                    search(r + 1, (i + 1).min(last))
                };
                (i, j)
            }
        }
    }

    /// Type-7 quantile `q` of the weighted multiset (NumPy `linear`, as
    /// [`quantile_sorted`](crate::quantile_sorted) of the explicit resample).
    fn quantile(&self, w: &[u64], total: u64, q: f64) -> f64 {
        let (lo, frac) = type7_position(total as usize, q);
        let (i, j) = self.positions_of_rank(lo as u64, w);
        if frac == 0.0 || lo as u64 + 1 >= total {
            return self.sorted[i];
        }
        interpolate(self.sorted[i], self.sorted[j], frac)
    }

    /// Median and `tail_q` quantile of all samples, each once (the observed
    /// statistics).
    pub(crate) fn observed_quantiles(&self, tail_q: f64) -> [f64; 2] {
        let w = vec![1; self.len()];
        let total = self.sizes.iter().sum();
        [
            self.quantile(&w, total, 0.5),
            self.quantile(&w, total, tail_q),
        ]
    }

    /// Median, mean and the `tail_q` quantile of the resample in which
    /// replication `g` appears `w[g]` times.
    pub(crate) fn stats(&self, w: &[u64], tail_q: f64) -> [f64; 3] {
        let total: u64 = self.sizes.iter().zip(w).map(|(&n, &k)| n * k).sum();
        let sum: f64 = self.sums.iter().zip(w).map(|(&s, &k)| s * k as f64).sum();
        [
            self.quantile(w, total, 0.5),
            sum / total as f64,
            self.quantile(w, total, tail_q),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::quantile_in_place;
    use crate::rng::stream;

    /// The explicit resample: replication `g` repeated `w[g]` times.
    fn explicit(groups: &[Vec<f64>], w: &[u64], tail_q: f64) -> [f64; 3] {
        let mut v: Vec<f64> = groups
            .iter()
            .zip(w)
            .flat_map(|(g, &k)| (0..k).flat_map(move |_| g.iter().copied()))
            .collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        [
            quantile_in_place(&mut v, 0.5),
            mean,
            quantile_in_place(&mut v, tail_q),
        ]
    }

    fn check(groups: &[Vec<f64>], trials: u64) {
        for counts in [false, true] {
            let mut c = Clusters::new(groups);
            if counts {
                c.counts = Counts::Search(
                    groups
                        .iter()
                        .map(|g| {
                            let mut v = g.clone();
                            v.sort_unstable_by(f64::total_cmp);
                            v
                        })
                        .collect(),
                );
            }
            let ones = vec![1; groups.len()];
            for q in [0.0, 0.3, 0.5, 0.99, 1.0] {
                let all = explicit(groups, &ones, q);
                assert_eq!(c.observed_quantiles(q), [all[0], all[2]], "q {q}");
            }
            let mut w = Vec::new();
            for t in 0..trials {
                let mut rng = stream(99, t);
                c.draw(&mut rng, &mut w);
                assert_eq!(w.iter().sum::<u64>(), groups.len() as u64);
                for q in [0.0, 0.01, 0.5, 0.9, 0.99, 0.999, 1.0] {
                    let fast = c.stats(&w, q);
                    let slow = explicit(groups, &w, q);
                    assert_eq!(fast[0], slow[0], "median, weights {w:?}");
                    assert_eq!(fast[2], slow[2], "q {q}, weights {w:?}");
                    assert!((fast[1] - slow[1]).abs() <= 1e-12 * slow[1].abs());
                }
            }
        }
    }

    #[test]
    fn weighted_order_statistics_equal_the_explicit_resample() {
        // Unequal sizes, ties within and across replications, shifts.
        let mut rng = stream(5, 0);
        let groups: Vec<Vec<f64>> = (0..7)
            .map(|g| {
                (0..(20 + 13 * g))
                    .map(|_| (100 + g * 3 + bounded(&mut rng, 40)) as f64)
                    .collect()
            })
            .collect();
        check(&groups, 300);
        // Many blocks: 3 replications of 160..480 samples (sizes that are
        // and are not multiples of the block).
        let big: Vec<Vec<f64>> = (0..3)
            .map(|g| {
                (0..160 * (g + 1))
                    .map(|_| (1000 + 7 * g + bounded(&mut rng, 300)) as f64)
                    .collect()
            })
            .collect();
        check(&big, 60);
        check(&big[..2], 60);
        check(&[vec![3.0, 1.0], vec![2.0]], 50);
        check(&[vec![5.0; 9], vec![5.0; 4], vec![7.0]], 50);
        // One sample per replication: the ordinary bootstrap of values.
        check(
            &(1..=12).map(|i| vec![f64::from(i)]).collect::<Vec<_>>(),
            200,
        );
    }
}
