//! What the CI-service exporters ([`super::bmf`], [`super::gab`],
//! [`super::gbench`]) share: benchmark names and the central value with its
//! interval.

use crate::results::{BenchResult, ResultsFile, Status, Unit, machine_label};

/// The name of a result in CI formats: `id@target`, plus ` [machine]` for
/// the results of a merged file that name their own environment.
pub(crate) fn bench_name(file: &ResultsFile, r: &BenchResult) -> String {
    match r.environment {
        Some(_) => format!(
            "{}@{} [{}]",
            r.id,
            r.target,
            machine_label(file.environment_of(r))
        ),
        None => format!("{}@{}", r.id, r.target),
    }
}

/// The central value of a result and its interval, as the CI exporters
/// report it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Central {
    /// Median of all samples.
    pub value: f64,
    /// Lower bound: `ns`: the 95 % hierarchical-bootstrap CI of the median
    /// (replications resampled, then samples; [`super::suite::median_ci`]);
    /// counters: the smallest sample. `None` when there is no interval
    /// (one replication of timings).
    pub lower: Option<f64>,
    /// Upper bound (see `lower`).
    pub upper: Option<f64>,
}

/// The measured results of a file (status `ok`, with a summary), with
/// their central value.
pub(crate) fn measured(file: &ResultsFile) -> impl Iterator<Item = (&BenchResult, Central)> {
    file.results.iter().filter_map(|r| {
        let s = r.summary?;
        if r.status != Status::Ok {
            return None;
        }
        let (lower, upper) = match r.unit {
            Unit::Ns => match super::suite::median_ci(r) {
                Ok((lo, hi)) => (Some(lo), Some(hi)),
                Err(_) => (None, None),
            },
            Unit::Instructions | Unit::Cycles => (Some(s.min), Some(s.max)),
        };
        Some((
            r,
            Central {
                value: s.median,
                lower,
                upper,
            },
        ))
    })
}
