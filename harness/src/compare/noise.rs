//! Process-level variance of each statistical row: the spread of the
//! per-replication medians against what the samples inside the
//! replications explain, the minimal detectable change of the design and
//! the replications it would take to detect the tolerance (the numerics:
//! [`pqbench_stats::replication_noise`]).

use super::{Method, Row};
use pqbench_stats::{Correction, Groups, ReplicationNoise, Verdict, replication_noise};

/// Power the minimal detectable change and the replication count refer to.
pub const POWER: f64 = 0.8;

/// The test level a row must meet when it is the only change in a family
/// of `family` tests: `alpha / family` for Holm (its first step) and
/// Benjamini–Hochberg (rank 1 of `family`), `alpha` uncorrected.
pub fn effective_alpha(alpha: f64, correction: Correction, family: usize) -> f64 {
    match correction {
        Correction::None => alpha,
        Correction::Holm | Correction::BenjaminiHochberg => alpha / family.max(1) as f64,
    }
}

/// The process-level variance of a row with at least 2 replications per
/// side (`None` otherwise, or when it cannot be computed).
pub fn of(base: &Groups, new: &Groups, alpha: f64, tolerance: f64) -> Option<ReplicationNoise> {
    replication_noise(base, new, alpha, POWER, tolerance).ok()
}

/// `1.8 %`-style percent of a log-scale spread or relative change.
fn pct(v: f64) -> String {
    if !v.is_finite() {
        "-".into()
    } else if v.abs() >= 0.1 {
        format!("{:.0}%", v * 100.0)
    } else {
        format!("{:.2}%", v * 100.0)
    }
}

/// The compact table cell: pooled between-replication spread and its ratio
/// to the sampling noise, `1.8% (8x)`.
pub fn cell(r: &Row) -> String {
    match &r.replication_noise {
        Some(n) if n.ratio.is_finite() => format!("{} ({:.1}x)", pct(n.between), n.ratio),
        Some(n) => pct(n.between),
        None => "-".into(),
    }
}

/// The note under the table for a statistical row that was not decided
/// (inconclusive or undecidable): why a change of the tolerance's size is
/// not decidable at this design.
pub fn note(r: &Row) -> Option<String> {
    if r.method != Method::Statistical || r.verdict != Verdict::Inconclusive {
        return None;
    }
    let n = r.replication_noise.as_ref()?;
    let ratio = if n.ratio.is_finite() {
        format!(" ({:.1}x sampling noise)", n.ratio)
    } else {
        String::new()
    };
    let need = match n.replications_for_tolerance {
        Some(k) => format!(
            "about {k} replications per side would detect {}",
            pct(n.tolerance)
        ),
        None => format!(
            "more than {} replications per side would be needed to detect {}",
            pqbench_stats::MAX_REPLICATIONS,
            pct(n.tolerance)
        ),
    };
    Some(format!(
        "replication noise {}{ratio}: smallest change detectable with {:.0}% power at {} vs {} replications {}; {need}",
        pct(n.between),
        n.power * 100.0,
        r.base_processes,
        r.new_processes,
        pct(n.mdc),
    ))
}
