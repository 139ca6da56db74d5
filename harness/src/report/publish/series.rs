//! The report's view of its inputs: every measured result of every file as a
//! labelled series, grouped by benchmark id.

use crate::results::{BenchResult, Environment, ResultsFile, machine_label};
use std::collections::BTreeSet;

/// One input file of a report.
#[derive(Clone, Debug)]
pub struct Source {
    /// Short name shown in legends (the file name without `.json`).
    pub label: String,
    /// The loaded file.
    pub file: ResultsFile,
}

/// One result of one source, with the environment it was measured in.
#[derive(Clone, Debug)]
pub struct Series<'a> {
    /// Index of the source in the report's inputs.
    pub source: usize,
    /// Legend label: target, plus machine and file where needed to tell
    /// series apart.
    pub label: String,
    /// The result.
    pub result: &'a BenchResult,
    /// Its environment.
    pub env: &'a Environment,
}

/// Every result of one benchmark id, in input order.
#[derive(Clone, Debug)]
pub struct Benchmark<'a> {
    /// `suite/name/impl/params`.
    pub id: String,
    /// Its results across sources, targets and machines.
    pub series: Vec<Series<'a>>,
}

/// Groups the results of `sources` by benchmark id, in order of first
/// appearance, with legend labels that tell series apart.
pub fn benchmarks(sources: &[Source]) -> Vec<Benchmark<'_>> {
    let machines: BTreeSet<String> = sources
        .iter()
        .flat_map(|s| s.file.results.iter().map(|r| s.file.environment_of(r)))
        .map(machine_label)
        .collect();
    let many_machines = machines.len() > 1;
    let many_sources = sources.len() > 1;
    let mut out: Vec<Benchmark<'_>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = Default::default();
    for (k, s) in sources.iter().enumerate() {
        for r in &s.file.results {
            let env = s.file.environment_of(r);
            let mut label = r.target.clone();
            if many_machines {
                label.push_str(" @ ");
                label.push_str(env.hostname.as_deref().unwrap_or("?"));
            }
            if many_sources {
                label = format!("{}: {label}", s.label);
            }
            let series = Series {
                source: k,
                label,
                result: r,
                env,
            };
            match index.get(r.id.as_str()) {
                Some(&i) => out[i].series.push(series),
                None => {
                    index.insert(&r.id, out.len());
                    out.push(Benchmark {
                        id: r.id.clone(),
                        series: vec![series],
                    });
                }
            }
        }
    }
    out
}

/// A file-name-safe slug of a benchmark id (`pqc/ml-kem.keygen/x/768` ->
/// `pqc_ml-kem.keygen_x_768`), unique per id within a report when `n` is
/// appended by the caller.
pub fn slug(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
