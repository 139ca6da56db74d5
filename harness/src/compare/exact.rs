//! Deterministic counter results (`instructions`, `cycles`) are compared by
//! their exact ratio, not by a test: there is no noise to test against.
//!
//! * both sides `constant`: the ratio of the two values (same
//!   `details.seed` on both sides when both record one);
//! * a side `input_dependent` (the other `constant` or `input_dependent`):
//!   input by input — sample k of a replication is the k-th input derived
//!   from the seed (see [`crate::results::Determinism`]), so both sides need
//!   the same `details.seed` and no lost frames; the aggregate is
//!   `sum(new) / sum(base)` over the paired inputs, the per-input extremes
//!   are reported;
//! * a side `varies` (replications disagree for the same input): not
//!   decided exactly; the statistical test takes over (and needs >= 2
//!   replications per side, else the row is undecidable).
//!
//! Timing rows whose per-replication medians are identical within each
//! side are decided the same way, within the timer's resolution
//! ([`super::constant`]).
//!
//! Exact rows are not part of the multiple-comparison family.

use crate::results::{BenchResult, Determinism, Unit, classify_determinism};
use pqbench_stats::{Threshold, Verdict};
use serde::Serialize;

/// The exact comparison of a deterministic counter benchmark.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExactRatio {
    /// `constant` (both sides constant) or `input_dependent` (compared
    /// input by input).
    pub class: &'static str,
    /// The aggregate ratio new/base: `sum(new) / sum(base)` over the paired
    /// inputs (for `constant`, the ratio of the values).
    pub ratio: f64,
    /// Number of paired inputs (input indices present on both sides).
    pub inputs: usize,
    /// Smallest per-input ratio.
    pub min_ratio: f64,
    /// Input index (0-based) of the smallest per-input ratio.
    pub min_ratio_input: usize,
    /// Largest per-input ratio.
    pub max_ratio: f64,
    /// Input index (0-based) of the largest per-input ratio.
    pub max_ratio_input: usize,
    /// Sum of the base values over the paired inputs.
    pub base_total: f64,
    /// Sum of the new values over the paired inputs.
    pub new_total: f64,
    /// The input seed both sides share (`None` only for constant rows
    /// whose files record no seed).
    pub seed: Option<u64>,
    /// Relative resolution of the ratio: 0 for counts; for timing rows
    /// with constant per-replication medians (class `constant_medians`,
    /// see [`super::constant`]) the timer's resolution per operation
    /// relative to each side's median, summed.
    pub resolution: f64,
}

/// How a benchmark present and measured on both sides gets its verdict.
#[derive(Debug)]
pub(super) enum Plan {
    /// Exact ratio of deterministic counts.
    Exact(ExactRatio),
    /// The statistical test on replications, with a note (e.g. "varies").
    Statistical(Option<String>),
    /// No decision possible, and why.
    Undecidable(String),
}

/// The determinism of a side: the stored class, or (files older than
/// schema 1.1) the class computed now from the samples.
fn determinism_of(r: &BenchResult) -> Option<Determinism> {
    match r.unit {
        Unit::Ns => None,
        Unit::Instructions | Unit::Cycles => {
            r.determinism.or_else(|| classify_determinism(&r.processes))
        }
    }
}

/// The input seed recorded by the back end (`details.seed`).
fn seed_of(r: &BenchResult) -> Option<u64> {
    let v = r.details.get("seed")?;
    v.as_u64().or_else(|| v.as_str()?.trim().parse().ok())
}

/// One value per input index: sample k of the first replication (equal in
/// every replication for the deterministic classes), up to the shortest
/// replication.
fn per_input(r: &BenchResult) -> Vec<f64> {
    let n = r
        .processes
        .iter()
        .map(|p| p.samples.len())
        .min()
        .unwrap_or(0);
    r.processes
        .first()
        .map(|p| p.samples[..n].to_vec())
        .unwrap_or_default()
}

fn describe(side: &str, d: &Determinism) -> String {
    match d {
        Determinism::Varies {
            inputs,
            inputs_differing,
            max_relative_difference,
            worst_input,
        } => format!(
            "{side} counts vary across replications ({inputs_differing} of {inputs} inputs differ, up to {:.3}% at input {worst_input})",
            max_relative_difference * 100.0
        ),
        other => format!("{side} {}", other.label()),
    }
}

/// Chooses exact or statistical comparison for two measured results of the
/// same unit.
pub(super) fn plan(b: &BenchResult, n: &BenchResult) -> Plan {
    if b.unit == Unit::Ns {
        return super::constant::plan(b, n).unwrap_or(Plan::Statistical(None));
    }
    let (db, dn) = (determinism_of(b), determinism_of(n));
    let varies: Vec<String> = [("base", &db), ("new", &dn)]
        .into_iter()
        .filter_map(|(side, d)| match d {
            Some(d @ Determinism::Varies { .. }) => Some(describe(side, d)),
            _ => None,
        })
        .collect();
    if !varies.is_empty() {
        return Plan::Statistical(Some(format!(
            "varies: {}; not decided by an exact ratio, the statistical test on replications decides",
            varies.join("; ")
        )));
    }
    let (Some(db), Some(dn)) = (db, dn) else {
        return Plan::Statistical(Some(format!(
            "{} counts not classified (one replication of unequal samples cannot show whether they are deterministic)",
            b.unit
        )));
    };
    let both_constant = matches!(
        (db, dn),
        (Determinism::Constant { .. }, Determinism::Constant { .. })
    );
    // Sample k is the k-th input derived from the seed: exact ratios
    // compare like with like only under the same seed. Even a count that
    // is constant for one seed may differ for another (ML-KEM keygen's
    // rejection sampling of the matrix depends on the seed).
    let seed = match (seed_of(b), seed_of(n)) {
        (Some(x), Some(y)) if x == y => Some(x),
        (Some(x), Some(y)) => {
            return Plan::Undecidable(format!(
                "counts measured with different input seeds (details.seed: base {x}, new {y}): an exact ratio needs the same inputs on both sides"
            ));
        }
        (x, y) if !both_constant => {
            let s = |v: Option<u64>| v.map_or("none recorded".to_string(), |v| v.to_string());
            return Plan::Undecidable(format!(
                "input-dependent counts are compared input by input and need the same input seed on both sides (details.seed: base {}, new {})",
                s(x),
                s(y)
            ));
        }
        _ => None,
    };
    if !both_constant
        && let Some(side) = [("base", b), ("new", n)]
            .into_iter()
            .find(|(_, r)| r.details.contains_key("corrupted_frames"))
            .map(|(s, _)| s)
    {
        return Plan::Undecidable(format!(
            "{side} lost frames (details.corrupted_frames): sample index no longer identifies the input, input-by-input comparison impossible"
        ));
    }
    let (vb, vn) = (per_input(b), per_input(n));
    let k = vb.len().min(vn.len());
    if k == 0 {
        return Plan::Undecidable("no paired inputs".into());
    }
    let ratios: Vec<f64> = (0..k).map(|i| vn[i] / vb[i]).collect();
    if ratios.iter().any(|r| !r.is_finite() || *r <= 0.0) {
        return Plan::Undecidable("a count is zero: no finite ratio".into());
    }
    let (mut min_i, mut max_i) = (0, 0);
    for (i, r) in ratios.iter().enumerate() {
        if *r < ratios[min_i] {
            min_i = i;
        }
        if *r > ratios[max_i] {
            max_i = i;
        }
    }
    let (base_total, new_total): (f64, f64) = (vb[..k].iter().sum(), vn[..k].iter().sum());
    Plan::Exact(ExactRatio {
        class: if both_constant {
            "constant"
        } else {
            "input_dependent"
        },
        ratio: new_total / base_total,
        inputs: k,
        min_ratio: ratios[min_i],
        min_ratio_input: min_i,
        max_ratio: ratios[max_i],
        max_ratio_input: max_i,
        base_total,
        new_total,
        seed,
        resolution: 0.0,
    })
}

/// The verdict of an exact ratio, no p-value involved: a change when the
/// whole band `ratio * [1 - resolution, 1 + resolution]` lies beyond the
/// threshold, unchanged when it lies within; `None` when it straddles a
/// bound (only possible with a resolution: counts have none).
pub(super) fn verdict(e: &ExactRatio, t: Threshold) -> Option<Verdict> {
    let (lo, hi) = (
        e.ratio * (1.0 - e.resolution),
        e.ratio * (1.0 + e.resolution),
    );
    if lo > t.upper() {
        Some(Verdict::Regressed)
    } else if hi < t.lower() {
        Some(Verdict::Improved)
    } else if lo >= t.lower() && hi <= t.upper() {
        Some(Verdict::Unchanged)
    } else {
        None
    }
}

/// A note when some input moved beyond the threshold although the
/// aggregate did not, or when input counts differ.
pub(super) fn note(
    e: &ExactRatio,
    t: Threshold,
    b: &BenchResult,
    n: &BenchResult,
) -> Option<String> {
    if e.class == super::constant::CLASS {
        return Some(super::constant::note(e, b, n));
    }
    let mut notes = Vec::new();
    if e.seed.is_none() {
        notes.push(
            "no input seed recorded on a side: assumes the constant count does not depend on the input"
                .to_string(),
        );
    }
    if e.class == "input_dependent" {
        if e.max_ratio > t.upper() || e.min_ratio < t.lower() {
            notes.push(format!(
                "per-input ratios {:+.2}% (input {}) .. {:+.2}% (input {}) reach beyond the tolerance; the verdict uses the aggregate sum(new)/sum(base)",
                (e.min_ratio - 1.0) * 100.0,
                e.min_ratio_input,
                (e.max_ratio - 1.0) * 100.0,
                e.max_ratio_input
            ));
        }
        let (ib, inn) = (per_input(b).len(), per_input(n).len());
        if ib != inn {
            notes.push(format!(
                "input counts differ (base {ib}, new {inn}): the first {} inputs are paired",
                e.inputs
            ));
        }
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}
