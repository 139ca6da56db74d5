//! Paired A/B analysis: per benchmark, one ratio `candidate / baseline` per
//! round; rounds alternate the order (A B, then B A), and each such pair of
//! rounds forms an order-balanced block (geometric mean of its two ratios),
//! the unit of the paired statistics; then suite-level correction and
//! verdicts. Machine drift cancels within a round, an effect of running
//! first or second cancels within a block.

use super::{Tolerances, p_fmt, pct_ci};
use crate::report::{Align, MarkupStyle, Table};
use crate::results::{BenchResult, ResultsFile, Status};
use pqbench_stats::{
    Correction, PairedAnalysis, Verdict, VerdictInput, adjust_p_values, decide, paired_ratios,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which paired test drives the verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairedTest {
    /// Wilcoxon signed-rank on the log block ratios.
    Wilcoxon,
    /// Exact sign test on the log block ratios.
    Sign,
    /// One-sample t-test on the log block ratios.
    T,
    /// 20 % trimmed one-sample t-test on the log block ratios (robust to a
    /// few outlying replications); its estimand, the trimmed mean ratio and
    /// its t interval, also drives the tolerance check.
    Trimmed,
}

/// Settings of the paired analysis.
#[derive(Clone, Debug, Serialize)]
pub struct PairedOptions {
    /// Significance level of the adjusted p-values.
    pub alpha: f64,
    /// Correction over the suite.
    pub correction: Correction,
    /// Practical thresholds.
    pub tolerances: Tolerances,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Bootstrap resamples (rounds resampled with replacement).
    pub resamples: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// Test driving the verdict.
    pub test: PairedTest,
}

/// The ratios of one benchmark over the rounds.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Series {
    /// Benchmark id.
    pub id: String,
    /// Target.
    pub target: String,
    /// Unit.
    pub unit: String,
    /// One `candidate / baseline` ratio of medians per round.
    pub ratios: Vec<f64>,
    /// The round (1-based) of each ratio.
    pub round: Vec<usize>,
}

impl Series {
    /// Order-balanced blocks: rounds `2k-1` (baseline first) and `2k`
    /// (candidate first) combined as `sqrt(r1 r2)`, which cancels any
    /// effect of running first or second. Unpaired rounds are left out.
    pub fn blocks(&self) -> Vec<f64> {
        let mut out = Vec::new();
        let mut i = 0;
        while i + 1 < self.ratios.len() {
            if self.round[i] % 2 == 1 && self.round[i + 1] == self.round[i] + 1 {
                out.push((self.ratios[i] * self.ratios[i + 1]).sqrt());
                i += 2;
            } else {
                i += 1;
            }
        }
        out
    }
}

/// Per-round ratios of every benchmark, keyed by `id@target`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Rounds {
    /// The series.
    pub series: BTreeMap<String, Series>,
    /// Benchmarks missing or failed on a side in some round, with the round.
    pub gaps: Vec<String>,
}

fn pooled_median(r: &BenchResult) -> Option<f64> {
    let v: Vec<f64> = r
        .processes
        .iter()
        .flat_map(|p| p.samples.iter().copied())
        .collect();
    if v.is_empty() || v.iter().any(|x| !x.is_finite() || *x <= 0.0) {
        return None;
    }
    pqbench_stats::median(&v).ok()
}

impl Rounds {
    /// Adds one round: the baseline's and the candidate's results files.
    pub fn add(&mut self, round: usize, baseline: &ResultsFile, candidate: &ResultsFile) {
        let cand: BTreeMap<String, &BenchResult> = candidate
            .results
            .iter()
            .map(|r| (format!("{}@{}", r.id, r.target), r))
            .collect();
        for a in &baseline.results {
            let key = format!("{}@{}", a.id, a.target);
            let Some(b) = cand.get(&key) else {
                self.gaps
                    .push(format!("round {round}: {key} missing from the candidate"));
                continue;
            };
            let ok = a.status == Status::Ok && b.status == Status::Ok && a.unit == b.unit;
            match (ok, pooled_median(a), pooled_median(b)) {
                (true, Some(ma), Some(mb)) => {
                    let s = self.series.entry(key).or_insert_with(|| Series {
                        id: a.id.clone(),
                        target: a.target.clone(),
                        unit: a.unit.to_string(),
                        ratios: Vec::new(),
                        round: Vec::new(),
                    });
                    s.ratios.push(mb / ma);
                    s.round.push(round);
                }
                _ => self.gaps.push(format!(
                    "round {round}: {key} not measured on both sides (baseline {}, candidate {})",
                    a.status.label(),
                    b.status.label()
                )),
            }
        }
        for key in cand.keys() {
            if !baseline
                .results
                .iter()
                .any(|a| &format!("{}@{}", a.id, a.target) == key)
            {
                self.gaps
                    .push(format!("round {round}: {key} missing from the baseline"));
            }
        }
    }
}

/// One benchmark's paired verdict.
#[derive(Clone, Debug, Serialize)]
pub struct PairedRow {
    /// Benchmark id.
    pub id: String,
    /// Target.
    pub target: String,
    /// The per-round ratios.
    pub ratios: Vec<f64>,
    /// The order-balanced block ratios the statistics use (see
    /// [`Series::blocks`]).
    pub blocks: Vec<f64>,
    /// The statistics over the blocks (`None` with fewer than 2 blocks).
    pub analysis: Option<PairedAnalysis>,
    /// Raw p-value of the chosen test.
    pub p_value: f64,
    /// After the suite-level correction.
    pub p_adjusted: f64,
    /// Practical threshold.
    pub tolerance: f64,
    /// Verdict.
    pub verdict: Verdict,
}

impl PairedRow {
    /// `id@target`, as gates list benchmarks.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.target)
    }
}

/// `id@target` of the rows whose verdict is a regression.
pub fn regressed(rows: &[PairedRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.verdict == Verdict::Regressed)
        .map(PairedRow::key)
        .collect()
}

/// Analyses every series.
pub fn analyse(rounds: &Rounds, o: &PairedOptions) -> Vec<PairedRow> {
    let mut rows: Vec<PairedRow> = rounds
        .series
        .values()
        .map(|s| row(&s.id, &s.target, s.ratios.clone(), s.blocks(), o))
        .collect();
    decide_rows(&mut rows, o);
    rows
}

/// The row of benchmark `id` on `target` for its per-round `ratios`, with
/// the statistics over `blocks` and the chosen test's raw p-value; the
/// verdict waits for [`decide_rows`].
pub fn row(
    id: &str,
    target: &str,
    ratios: Vec<f64>,
    blocks: Vec<f64>,
    o: &PairedOptions,
) -> PairedRow {
    let analysis = paired_ratios(&blocks, o.confidence, o.resamples, o.seed).ok();
    let p_value = analysis.as_ref().map_or(f64::NAN, |a| match o.test {
        PairedTest::Wilcoxon => a.wilcoxon.map_or(f64::NAN, |w| w.p_value),
        PairedTest::Sign => a.sign.map_or(f64::NAN, |w| w.p_value),
        PairedTest::T => a.t_test.p_value,
        PairedTest::Trimmed => a.trimmed.map_or(f64::NAN, |t| t.p_value),
    });
    PairedRow {
        id: id.to_string(),
        target: target.to_string(),
        ratios,
        blocks,
        analysis,
        p_value,
        p_adjusted: f64::NAN,
        tolerance: o.tolerances.for_id(id).0,
        verdict: Verdict::Inconclusive,
    }
}

/// The rows of the paired modes whose unit is a process (`ab
/// --in-process`, `cargo bench -- --paired`): per benchmark `ids[k]`, one
/// ratio per replication (`exp` of its median log ratio, the `k`-th summary
/// of each replication), analysed as paired ratios (the order is balanced
/// inside every replication, so there are no two-round blocks); p-values
/// corrected over the benchmarks; verdicts against the tolerance.
pub fn rows_from_summaries(
    ids: &[String],
    target: &str,
    replications: &[&[crate::measure::pairs::PairSummary]],
    o: &PairedOptions,
) -> Vec<PairedRow> {
    let mut rows: Vec<PairedRow> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            let ratios: Vec<f64> = replications
                .iter()
                .filter_map(|r| r.get(k))
                .map(|b| b.median_log_ratio.exp())
                .collect();
            row(id, target, ratios.clone(), ratios, o)
        })
        .collect();
    decide_rows(&mut rows, o);
    rows
}

/// Corrects the rows' p-values over the suite and decides each verdict
/// against its tolerance.
pub fn decide_rows(rows: &mut [PairedRow], o: &PairedOptions) {
    let idx: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].p_value.is_finite())
        .collect();
    let raw: Vec<f64> = idx.iter().map(|&i| rows[i].p_value).collect();
    for (k, p) in adjust_p_values(&raw, o.correction).into_iter().enumerate() {
        rows[idx[k]].p_adjusted = p;
    }
    for r in rows.iter_mut() {
        if let Some(a) = &r.analysis {
            let ci = match o.test {
                PairedTest::Trimmed => match a.trimmed_mean {
                    Some(ci) => ci,
                    None => continue,
                },
                _ => a.geomean_bootstrap,
            };
            r.verdict = decide(VerdictInput {
                ratio: ci.estimate,
                lo: ci.lo,
                hi: ci.hi,
                p_adjusted: r.p_adjusted,
                alpha: o.alpha,
                threshold: pqbench_stats::Threshold(r.tolerance),
            });
        }
    }
}

/// The largest relative half-width of the geometric-mean ratio intervals
/// over all benchmarks (`inf` while some benchmark has < 2 rounds).
pub fn worst_half_width(rows: &[PairedRow]) -> f64 {
    if rows.is_empty() {
        return f64::INFINITY;
    }
    rows.iter()
        .map(|r| {
            r.analysis
                .as_ref()
                .map_or(f64::INFINITY, |a| a.geomean_bootstrap.relative_half_width())
        })
        .fold(0.0, f64::max)
}

/// The A/B table.
pub fn render(rows: &[PairedRow], style: MarkupStyle) -> String {
    let mut t = Table::new([
        "benchmark",
        "rounds (blocks)",
        "geomean change [bootstrap CI]",
        "median change [CI]",
        "trimmed change [t CI]",
        "p Wilcoxon",
        "p sign",
        "p t",
        "p trim",
        "p adj",
        "tol",
        "verdict",
    ])
    .align(
        [Align::Left]
            .into_iter()
            .chain(std::iter::repeat_n(Align::Right, 10))
            .chain([Align::Left]),
    );
    for r in rows {
        let name = if r.target == "host" {
            r.id.clone()
        } else {
            r.key()
        };
        let dash = || "-".to_string();
        let (g, m, tm, pw, ps, pt, ptr) = match &r.analysis {
            Some(a) => (
                pct_ci(&a.geomean_bootstrap),
                pct_ci(&a.median),
                a.trimmed_mean.as_ref().map_or_else(dash, pct_ci),
                p_fmt(a.wilcoxon.map_or(f64::NAN, |w| w.p_value)),
                p_fmt(a.sign.map_or(f64::NAN, |w| w.p_value)),
                p_fmt(a.t_test.p_value),
                p_fmt(a.trimmed.map_or(f64::NAN, |t| t.p_value)),
            ),
            None => (dash(), dash(), dash(), dash(), dash(), dash(), dash()),
        };
        t.push_row([
            name,
            format!("{} ({})", r.ratios.len(), r.blocks.len()),
            g,
            m,
            tm,
            pw,
            ps,
            pt,
            ptr,
            p_fmt(r.p_adjusted),
            format!("{:.1}%", r.tolerance * 100.0),
            r.verdict.as_str().to_string(),
        ]);
    }
    t.render(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cancel_an_order_effect() {
        // True ratio 1.02; the command running second is 3 % slower:
        // baseline-first rounds (odd) read 1.02 * 1.03, the others 1.02 / 1.03.
        let s = Series {
            ratios: vec![
                1.02 * 1.03,
                1.02 / 1.03,
                1.02 * 1.03,
                1.02 / 1.03,
                1.02 * 1.03,
            ],
            round: vec![1, 2, 3, 4, 5],
            ..Series::default()
        };
        let b = s.blocks();
        assert_eq!(b.len(), 2);
        assert!(b.iter().all(|x| (x - 1.02).abs() < 1e-12), "{b:?}");
        // A missing round breaks its block only.
        let s = Series {
            ratios: vec![1.0, 1.0, 1.0],
            round: vec![1, 3, 4],
            ..Series::default()
        };
        assert_eq!(s.blocks().len(), 1);
    }
}
