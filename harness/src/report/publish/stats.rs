//! Per-series numbers of a report: median with its bootstrap CI, tail,
//! replications, hardware facts (clock, code size, stack) and the retrofit
//! cost of a PQC operation over the classical one it replaces.

use super::series::{Benchmark, Series};
use crate::report::suite::{classical_refs, median_ci};
use crate::results::{BenchResult, Status, Unit, machine_label};
use rayon::prelude::*;

/// The numbers of one series.
#[derive(Clone, Debug)]
pub struct SeriesStats {
    /// Benchmark id.
    pub id: String,
    /// Legend label.
    pub label: String,
    /// Target.
    pub target: String,
    /// Machine (host name and CPU).
    pub machine: String,
    /// Unit of the values.
    pub unit: Unit,
    /// `ok`, `failed`, … and the message.
    pub status: String,
    /// Median over all samples.
    pub median: Option<f64>,
    /// 95 % hierarchical-bootstrap CI of the median, or why there is none.
    pub ci: Result<(f64, f64), String>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// Replications.
    pub replications: usize,
    /// Samples over all replications.
    pub samples: usize,
    /// `single_op` or `batch_mean xN`.
    pub recording: String,
    /// Board clock in Hz (Cortex-M targets).
    pub clock_hz: Option<f64>,
    /// Code size of the operation, bytes.
    pub code_size: Option<f64>,
    /// Peak stack of the operation, bytes.
    pub stack: Option<f64>,
    /// `×12.3 X25519` per classical reference measured alongside.
    pub retrofit: Vec<String>,
}

impl SeriesStats {
    /// Seconds per operation at the board clock (cycle counts only).
    pub fn time_at_clock(&self) -> Option<f64> {
        match (self.unit, self.median, self.clock_hz) {
            (Unit::Cycles, Some(m), Some(hz)) if hz > 0.0 => Some(m / hz),
            _ => None,
        }
    }
}

fn metric(r: &BenchResult, name: &str) -> Option<f64> {
    r.static_metrics.get(name).map(|m| m.value)
}

/// Retrofit cost: median of this PQC result over each classical reference
/// measured on the same target and machine.
fn retrofit(s: &Series<'_>, all: &[Benchmark<'_>]) -> Vec<String> {
    let mut it = s.result.id.split('/');
    let (Some(_suite), Some(name)) = (it.next(), it.next()) else {
        return Vec::new();
    };
    let Some((scheme, op)) = name.split_once('.') else {
        return Vec::new();
    };
    let Some(mine) = s.result.summary.map(|x| x.median) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (cid, label) in classical_refs(scheme, op) {
        let other = all
            .iter()
            .filter(|b| b.id == *cid)
            .flat_map(|b| b.series.iter())
            .find(|o| {
                o.result.target == s.result.target
                    && o.source == s.source
                    && machine_label(o.env) == machine_label(s.env)
                    && o.result.unit == s.result.unit
            });
        if let Some(theirs) = other.and_then(|o| o.result.summary).map(|x| x.median)
            && theirs > 0.0
        {
            out.push(format!("×{:.3} {label}", mine / theirs));
        }
    }
    out
}

/// Numbers of every series of every benchmark, in order (the bootstrap
/// intervals computed in parallel).
pub fn series_stats(all: &[Benchmark<'_>]) -> Vec<Vec<SeriesStats>> {
    all.par_iter()
        .map(|b| b.series.par_iter().map(|s| one(s, all)).collect::<Vec<_>>())
        .collect()
}

fn one(s: &Series<'_>, all: &[Benchmark<'_>]) -> SeriesStats {
    let r = s.result;
    let ok = r.status == Status::Ok;
    SeriesStats {
        id: r.id.clone(),
        label: s.label.clone(),
        target: r.target.clone(),
        machine: machine_label(s.env),
        unit: r.unit,
        status: match r.status.message() {
            Some(m) => format!("{}: {m}", r.status.label()),
            None => r.status.label().to_string(),
        },
        median: r.summary.filter(|_| ok).map(|x| x.median),
        ci: if ok {
            median_ci(r)
        } else {
            Err("not measured".into())
        },
        p99: r.summary.filter(|_| ok).map(|x| x.p99),
        replications: r.processes.len(),
        samples: r.processes.iter().map(|p| p.samples.len()).sum(),
        recording: match r.recording {
            crate::results::Recording::SingleOp => "single op".into(),
            crate::results::Recording::BatchMean => {
                format!("batch mean ×{}", r.iterations_per_sample)
            }
        },
        clock_hz: r.details.get("clock_hz").and_then(|v| v.as_f64()),
        code_size: metric(r, "code_size_bytes"),
        stack: metric(r, "stack_bytes"),
        retrofit: if ok { retrofit(s, all) } else { Vec::new() },
    }
}
