//! Comparison of two results files: per benchmark, ratios with bootstrap
//! confidence intervals, rank and t tests on per-process values, effect
//! sizes, a verdict that needs both significance and a practical threshold,
//! and multiple-comparison control over the whole suite.
//!
//! The numerics live in `pqbench-stats`; this module matches benchmarks
//! across files, applies the suite-level correction, and renders tables and
//! the machine-readable verdict used by `pqbench gate`.
//!
//! Deterministic counter results are decided by their exact ratio instead
//! ([`exact`](ExactRatio)), outside the correction family. A benchmark
//! present in both files that cannot be decided (too few replications, no
//! finite statistic, unit mismatch, not measured on one side, different
//! seeds for input-dependent counts, …) keeps the verdict `inconclusive`
//! and carries the reason in [`Row::undecidable`]; `pqbench gate` fails on
//! such rows unless told otherwise.

mod constant;
mod exact;
mod matching;
pub mod noise;
pub mod paired;
pub mod summary;
mod table;
mod tolerance;

pub use exact::ExactRatio;
pub use table::{p_fmt, pct_ci, render_compare, render_gate};
pub use tolerance::{Override, Tolerances, glob_match, parse_percent};

use crate::env::environment_mismatches;
use crate::results::{BenchResult, ResultsFile, Status};
use exact::Plan;
use pqbench_stats::{
    BootstrapConfig, Correction, Groups, PrimaryTest, ReplicationNoise, TwoSample, Verdict,
    VerdictInput, adjust_p_values, decide, min_adjusted_p, two_sample,
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
                default: 0.005,
                overrides: Vec::new(),
            },
            bootstrap: BootstrapConfig {
                resamples: 2000,
                ..BootstrapConfig::default()
            },
            primary: PrimaryTest::default(),
        }
    }
}

/// How a row's verdict was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Test on replications (per-process medians), corrected over the suite.
    Statistical,
    /// Exact ratio of deterministic counts, or of per-replication medians
    /// identical within each side (no test, not in the family).
    Exact,
    /// Nothing could be computed (see [`Row::undecidable`]).
    None,
}

/// One benchmark present in both files.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Benchmark id `suite/name/impl/params`.
    pub id: String,
    /// Target it ran on.
    pub target: String,
    /// Unit of the values (the base file's when they differ).
    pub unit: String,
    /// Replications (processes) in the base file.
    pub base_processes: usize,
    /// Replications (processes) in the new file.
    pub new_processes: usize,
    /// How the verdict was reached.
    pub method: Method,
    /// The statistics (statistical rows).
    pub stats: Option<TwoSample>,
    /// The exact ratio (deterministic counter rows).
    pub exact: Option<ExactRatio>,
    /// Process-level variance (statistical rows with at least 2
    /// replications per side): between- and within-replication spread,
    /// their ratio, the minimal detectable change at this design and the
    /// replications needed to detect the tolerance (see
    /// [`pqbench_stats::ReplicationNoise`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_noise: Option<ReplicationNoise>,
    /// Primary p-value after the suite-level correction (`NaN` when the
    /// test could not run, or the row is exact).
    pub p_adjusted: f64,
    /// Practical threshold applied (relative, 0.01 = 1 %).
    pub tolerance: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// Why no decision could be made, when none could: the verdict is then
    /// `inconclusive` and `pqbench gate` fails (unless
    /// `--allow-inconclusive`).
    pub undecidable: Option<String>,
    /// Remarks (e.g. counts that vary, per-input changes).
    pub note: Option<String>,
    /// The machine both sides ran on, when a (merged) file holds this
    /// benchmark and target from several machines and the pair was
    /// matched by machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
}

impl Row {
    /// `id@target`, or `id@target on MACHINE` for a row matched by machine.
    pub fn key(&self) -> String {
        match &self.machine {
            Some(m) => format!("{}@{} on {m}", self.id, self.target),
            None => format!("{}@{}", self.id, self.target),
        }
    }
}

/// A benchmark present in both files and measured on neither, for the same
/// reason (both skipped, or both does-not-fit): nothing to decide.
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
    /// Every benchmark present in both files (except those measured on
    /// neither side), in the base file's order.
    pub rows: Vec<Row>,
    /// `id@target` present only in the base file.
    pub only_in_base: Vec<String>,
    /// `id@target` present only in the new file.
    pub only_in_new: Vec<String>,
    /// Present in both, measured in neither (both skipped / does not fit).
    pub not_compared: Vec<NotCompared>,
    /// Number of tests in the correction family.
    pub family_size: usize,
}

impl Comparison {
    /// Rows whose verdict is [`Verdict::Regressed`].
    pub fn regressions(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.verdict == Verdict::Regressed)
    }

    /// Rows that could not be decided, with the reason.
    pub fn undecidable(&self) -> impl Iterator<Item = (&Row, &str)> {
        self.rows
            .iter()
            .filter_map(|r| r.undecidable.as_deref().map(|why| (r, why)))
    }

    /// Counts per verdict (undecidable rows count as `inconclusive`).
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for r in &self.rows {
            *m.entry(r.verdict.as_str()).or_insert(0) += 1;
        }
        m
    }
}

/// Groups of per-process samples of a result, for the statistics.
pub fn groups_of(r: &BenchResult) -> Result<Groups, String> {
    let g: Vec<Vec<f64>> = r.processes.iter().map(|p| p.samples.clone()).collect();
    Groups::new(g).map_err(|e| e.to_string())
}

/// The sides of a statistical row as [`Groups`] (base, new), kept for the
/// suite-level steps that need the samples again.
type Sides = Option<(Groups, Groups)>;

/// The row of a benchmark present in both files, before the suite-level
/// correction, with its sides when it was tested; `Err` when it was measured
/// on neither side for the same reason (both skipped, or both does-not-fit).
fn analyse(
    b: &BenchResult,
    n: &BenchResult,
    machine: Option<String>,
    options: &Options,
) -> Result<(Row, Sides), NotCompared> {
    let mut row = Row {
        id: b.id.clone(),
        target: b.target.clone(),
        unit: b.unit.to_string(),
        base_processes: b.processes.len(),
        new_processes: n.processes.len(),
        method: Method::None,
        stats: None,
        exact: None,
        replication_noise: None,
        p_adjusted: f64::NAN,
        tolerance: options.tolerances.for_id(&b.id).0,
        verdict: Verdict::Inconclusive,
        undecidable: None,
        note: None,
        machine,
    };
    if b.status != Status::Ok || n.status != Status::Ok {
        let same = b.status.label() == n.status.label();
        if same && matches!(b.status, Status::Skipped { .. } | Status::DoesNotFit { .. }) {
            return Err(NotCompared {
                id: b.id.clone(),
                target: b.target.clone(),
                reason: format!("{} on both sides", b.status.label()),
            });
        }
        row.undecidable = Some(format!(
            "not measured on both sides (base: {}, new: {})",
            b.status.label(),
            n.status.label()
        ));
        return Ok((row, None));
    }
    if b.unit != n.unit {
        row.undecidable = Some(format!("unit differs: {} vs {}", b.unit, n.unit));
        return Ok((row, None));
    }
    let mut sides = None;
    match exact::plan(b, n) {
        Plan::Exact(e) => {
            let t = options.tolerances.for_id(&b.id);
            row.method = Method::Exact;
            match exact::verdict(&e, t) {
                Some(v) => row.verdict = v,
                None => {
                    row.undecidable = Some(format!(
                        "per-replication medians identical within each side, ratio {:.5} ± {:.3}%: the resolution band straddles the tolerance bound",
                        e.ratio,
                        e.resolution * 100.0
                    ))
                }
            }
            row.note = exact::note(&e, t, b, n);
            row.exact = Some(e);
        }
        Plan::Undecidable(why) => row.undecidable = Some(why),
        Plan::Statistical(note) => {
            row.note = note;
            let analysed = groups_of(b)
                .map_err(|e| format!("base: {e}"))
                .and_then(|bg| {
                    let ng = groups_of(n).map_err(|e| format!("new: {e}"))?;
                    let cfg = BootstrapConfig {
                        seed: stream_seed(options.bootstrap.seed, &row.key()),
                        ..options.bootstrap
                    };
                    let s =
                        two_sample(&bg, &ng, &cfg, options.primary).map_err(|e| e.to_string())?;
                    Ok((s, bg, ng))
                });
            match analysed {
                Ok((s, bg, ng)) => {
                    row.method = Method::Statistical;
                    if s.base_processes < 2 || s.new_processes < 2 {
                        row.undecidable = Some(format!(
                            "fewer than 2 replications on a side (base {}, new {}): no test possible, the process is the unit of replication; run with more processes",
                            s.base_processes, s.new_processes
                        ));
                    }
                    row.stats = Some(s);
                    sides = Some((bg, ng));
                }
                Err(e) => row.undecidable = Some(format!("cannot analyse: {e}")),
            }
        }
    }
    Ok((row, sides))
}

/// The bootstrap seed of one benchmark: the comparison's seed mixed with a
/// stable hash (FNV-1a) of `id@target`, so that every benchmark draws its
/// own resampling streams (no Monte-Carlo error shared across rows) while
/// the same seed still gives the same intervals on any machine.
pub fn stream_seed(seed: u64, key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    seed ^ h
}

fn test_name(t: PrimaryTest) -> &'static str {
    match t {
        PrimaryTest::Yuen => "Yuen",
        PrimaryTest::Welch => "Welch",
        PrimaryTest::MannWhitney => "Mann-Whitney",
    }
}

/// Compares every benchmark present in both files.
pub fn compare(base: &ResultsFile, new: &ResultsFile, options: &Options) -> Comparison {
    let pairing = matching::pair(base, new);
    let mut rows: Vec<Row> = Vec::new();
    let mut sides = Vec::new();
    let mut not_compared = Vec::new();
    for (b, n, machine) in pairing.pairs {
        match analyse(b, n, machine, options) {
            Ok((r, s)) => {
                rows.push(r);
                sides.push(s);
            }
            Err(nc) => not_compared.push(nc),
        }
    }
    let (only_in_base, only_in_new) = (pairing.only_in_base, pairing.only_in_new);
    // The family: every statistical row with a computable primary p-value.
    let p_of = |r: &Row| {
        r.stats
            .as_ref()
            .filter(|_| r.undecidable.is_none())
            .map_or(f64::NAN, |s| s.p_value)
    };
    let idx: Vec<usize> = (0..rows.len())
        .filter(|&i| p_of(&rows[i]).is_finite())
        .collect();
    let raw: Vec<f64> = idx.iter().map(|&i| p_of(&rows[i])).collect();
    for (k, p) in adjust_p_values(&raw, options.correction)
        .into_iter()
        .enumerate()
    {
        rows[idx[k]].p_adjusted = p;
    }
    // A test that cannot reach alpha whatever the data (e.g. Mann–Whitney
    // at 5 vs 5 after Holm over 10: smallest p 0.0079 x 10) is undecidable,
    // not silently "not significant".
    let min_p: Vec<f64> = idx
        .iter()
        .map(|&i| rows[i].stats.as_ref().map_or(0.0, |s| s.min_p_value))
        .collect();
    for (k, floor) in min_adjusted_p(&min_p, options.correction)
        .into_iter()
        .enumerate()
    {
        if floor >= options.alpha {
            let r = &mut rows[idx[k]];
            r.undecidable = Some(format!(
                "the {} test cannot reach alpha {} here: its smallest possible p-value after the {:?} correction over {} tests is {:.3} ({} vs {} replications); run more replications or use --test welch",
                test_name(options.primary),
                options.alpha,
                options.correction,
                idx.len(),
                floor,
                r.base_processes,
                r.new_processes
            ));
        }
    }
    let alpha_eff = noise::effective_alpha(options.alpha, options.correction, idx.len());
    for (r, s) in rows.iter_mut().zip(&sides) {
        if r.method == Method::Statistical
            && r.base_processes >= 2
            && r.new_processes >= 2
            && let Some((bg, ng)) = s
        {
            r.replication_noise = noise::of(bg, ng, alpha_eff, r.tolerance);
        }
    }
    for r in &mut rows {
        if r.method != Method::Statistical || r.undecidable.is_some() {
            continue;
        }
        let Some(stats) = &r.stats else { continue };
        // One estimand: the primary test's own estimate and interval (Welch:
        // ratio of geometric means of per-replication medians).
        let m = stats.estimate;
        if !r.p_adjusted.is_finite() || ![m.estimate, m.lo, m.hi].iter().all(|v| v.is_finite()) {
            r.undecidable = Some(format!(
                "no finite test statistic (p = {}, estimate {}): e.g. identical per-replication medians within each side",
                stats.p_value, m.estimate
            ));
            continue;
        }
        r.verdict = decide(VerdictInput {
            ratio: m.estimate,
            lo: m.lo,
            hi: m.hi,
            p_adjusted: r.p_adjusted,
            alpha: options.alpha,
            threshold: pqbench_stats::Threshold(r.tolerance),
        });
    }
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
