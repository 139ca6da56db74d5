//! Comparison of two results files: per benchmark, ratios with bootstrap
//! confidence intervals, rank and t tests on per-process values, effect
//! sizes, a verdict that needs both significance and a practical threshold,
//! and multiple-comparison control over the whole suite.
//!
//! The numerics live in `pqbench-stats`; this module matches benchmarks
//! across files, applies the suite-level correction, and renders tables and
//! the machine-readable verdict used by `pqbench gate`.

pub mod paired;
mod table;
mod tolerance;

pub use table::{p_fmt, pct_ci, render_compare, render_gate};
pub use tolerance::{Override, Tolerances, glob_match, parse_percent};

use crate::env::environment_mismatches;
use crate::results::{BenchResult, ResultsFile, Status};
use pqbench_stats::{
    BootstrapConfig, Correction, Groups, PrimaryTest, TwoSample, Verdict, VerdictInput,
    adjust_p_values, decide, two_sample,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Settings of a comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Options {
    /// Significance level applied to the adjusted p-values.
    pub alpha: f64,
    /// Multiple-comparison correction over the suite.
    pub correction: Correction,
    /// Practical thresholds.
    pub tolerances: Tolerances,
    /// Bootstrap settings (replicates, confidence level, seed).
    pub bootstrap: BootstrapConfig,
    /// The test whose p-value drives the verdicts.
    pub primary: PrimaryTest,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            alpha: 0.05,
            correction: Correction::Holm,
            tolerances: Tolerances {
                default: 0.01,
                overrides: Vec::new(),
            },
            bootstrap: BootstrapConfig {
                resamples: 2000,
                ..BootstrapConfig::default()
            },
            primary: PrimaryTest::Welch,
        }
    }
}

/// One benchmark present and measured in both files.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Benchmark id `suite/name/impl/params`.
    pub id: String,
    /// Target it ran on.
    pub target: String,
    /// Unit of the values.
    pub unit: String,
    /// The statistics.
    pub stats: TwoSample,
    /// Primary p-value after the suite-level correction (`NaN` when the
    /// test could not run).
    pub p_adjusted: f64,
    /// Practical threshold applied (relative, 0.01 = 1 %).
    pub tolerance: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// Why the verdict is weak, if it is (e.g. one process per side).
    pub note: Option<String>,
}

/// A benchmark that could not be compared although present in both files.
#[derive(Clone, Debug, Serialize)]
pub struct NotCompared {
    /// Benchmark id.
    pub id: String,
    /// Target.
    pub target: String,
    /// Why.
    pub reason: String,
}

/// The whole comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// Settings used.
    pub options: Options,
    /// Environment differences (warnings).
    pub environment_mismatches: Vec<String>,
    /// Compared benchmarks, in the base file's order.
    pub rows: Vec<Row>,
    /// `id@target` present only in the base file.
    pub only_in_base: Vec<String>,
    /// `id@target` present only in the new file.
    pub only_in_new: Vec<String>,
    /// Present in both but not comparable (not measured, unit differs, bad
    /// data).
    pub not_compared: Vec<NotCompared>,
    /// Number of tests in the correction family.
    pub family_size: usize,
}

impl Comparison {
    /// Rows whose verdict is [`Verdict::Regressed`].
    pub fn regressions(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.verdict == Verdict::Regressed)
    }

    /// Counts per verdict.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for r in &self.rows {
            *m.entry(r.verdict.as_str()).or_insert(0) += 1;
        }
        m
    }
}

fn key(r: &BenchResult) -> String {
    format!("{}@{}", r.id, r.target)
}

/// Groups of per-process samples of a result, for the statistics.
pub fn groups_of(r: &BenchResult) -> Result<Groups, String> {
    let g: Vec<Vec<f64>> = r.processes.iter().map(|p| p.samples.clone()).collect();
    Groups::new(g).map_err(|e| e.to_string())
}

/// Compares every benchmark measured in both files.
pub fn compare(base: &ResultsFile, new: &ResultsFile, options: &Options) -> Comparison {
    let new_by_key: BTreeMap<String, &BenchResult> =
        new.results.iter().map(|r| (key(r), r)).collect();
    let base_keys: std::collections::BTreeSet<String> = base.results.iter().map(key).collect();
    let mut pending: Vec<(&BenchResult, TwoSample, Option<String>)> = Vec::new();
    let mut not_compared = Vec::new();
    let mut only_in_base = Vec::new();
    for b in &base.results {
        let Some(n) = new_by_key.get(&key(b)) else {
            only_in_base.push(key(b));
            continue;
        };
        let skip = |reason: String| NotCompared {
            id: b.id.clone(),
            target: b.target.clone(),
            reason,
        };
        if b.status != Status::Ok || n.status != Status::Ok {
            not_compared.push(skip(format!(
                "not measured on both sides (base: {}, new: {})",
                b.status.label(),
                n.status.label()
            )));
            continue;
        }
        if b.unit != n.unit {
            not_compared.push(skip(format!("unit differs: {} vs {}", b.unit, n.unit)));
            continue;
        }
        let analysed = groups_of(b)
            .map_err(|e| format!("base: {e}"))
            .and_then(|bg| {
                let ng = groups_of(n).map_err(|e| format!("new: {e}"))?;
                two_sample(&bg, &ng, &options.bootstrap, options.primary).map_err(|e| e.to_string())
            });
        match analysed {
            Ok(s) => {
                let note = (s.base_processes < 2 || s.new_processes < 2).then(|| {
                    "fewer than 2 processes on a side: no test possible (the process is the unit of replication); run with more processes".to_string()
                });
                pending.push((b, s, note));
            }
            Err(e) => not_compared.push(skip(format!("cannot analyse: {e}"))),
        }
    }
    let only_in_new = new
        .results
        .iter()
        .map(key)
        .filter(|k| !base_keys.contains(k))
        .collect();
    // The family: every row with a computable primary p-value.
    let idx: Vec<usize> = (0..pending.len())
        .filter(|&i| pending[i].1.p_value.is_finite())
        .collect();
    let raw: Vec<f64> = idx.iter().map(|&i| pending[i].1.p_value).collect();
    let adj = adjust_p_values(&raw, options.correction);
    let mut p_adj = vec![f64::NAN; pending.len()];
    for (k, &i) in idx.iter().enumerate() {
        p_adj[i] = adj[k];
    }
    let rows = pending
        .into_iter()
        .zip(p_adj)
        .map(|((b, stats, note), p_adjusted)| {
            let threshold = options.tolerances.for_id(&b.id);
            let verdict = decide(VerdictInput {
                ratio: stats.ratios.median.estimate,
                lo: stats.ratios.median.lo,
                hi: stats.ratios.median.hi,
                p_adjusted,
                alpha: options.alpha,
                threshold,
            });
            Row {
                id: b.id.clone(),
                target: b.target.clone(),
                unit: b.unit.to_string(),
                stats,
                p_adjusted,
                tolerance: threshold.0,
                verdict,
                note,
            }
        })
        .collect();
    Comparison {
        options: options.clone(),
        environment_mismatches: environment_mismatches(&base.environment, &new.environment),
        rows,
        only_in_base,
        only_in_new,
        not_compared,
        family_size: idx.len(),
    }
}
