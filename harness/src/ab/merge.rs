//! Repeated-run mode: the baseline's rounds merged per benchmark (one
//! process per round), the hierarchical bootstrap CI of each median, the
//! merged results file and its table.

use crate::compare::paired::PairedOptions;
use crate::compare::pct_ci;
use crate::report::{Align, MarkupStyle, Table, format_value};
use crate::results::{BenchResult, ResultsFile};
use pqbench_stats::{BootstrapConfig, Groups, RatioCi, bootstrap_median};
use std::collections::BTreeMap;

/// The merged rounds.
#[derive(Clone, Debug, Default)]
pub struct Merged {
    /// Per `id@target`, the first round's result with every round's
    /// processes.
    pub results: BTreeMap<String, BenchResult>,
    /// The keys in the order first seen.
    pub order: Vec<String>,
    /// The first round's file (environment and metadata of the merge).
    pub first: Option<ResultsFile>,
}

impl Merged {
    /// Adds one round's results.
    pub fn add(&mut self, file: ResultsFile) {
        for r in &file.results {
            let key = format!("{}@{}", r.id, r.target);
            match self.results.get_mut(&key) {
                Some(m) => m.processes.extend(r.processes.iter().cloned()),
                None => {
                    self.order.push(key.clone());
                    self.results.insert(key, r.clone());
                }
            }
        }
        if self.first.is_none() {
            self.first = Some(file);
        }
    }

    /// Per benchmark, the hierarchical bootstrap CI of the median over the
    /// merged rounds, and the worst relative half-width (`inf` while some
    /// benchmark has fewer than two processes, or there is none).
    pub fn ci_of_medians(&self, o: &PairedOptions) -> (BTreeMap<String, RatioCi>, f64) {
        let cfg = BootstrapConfig {
            resamples: o.resamples,
            confidence: o.confidence,
            seed: o.seed,
            ..BootstrapConfig::default()
        };
        let mut out = BTreeMap::new();
        let mut worst: f64 = 0.0;
        for (k, r) in &self.results {
            let g: Vec<Vec<f64>> = r.processes.iter().map(|p| p.samples.clone()).collect();
            let ci = Groups::new(g)
                .ok()
                .filter(|g| g.len() >= 2)
                .and_then(|g| bootstrap_median(&g, &cfg).ok());
            match ci {
                Some(ci) => {
                    worst = worst.max(ci.relative_half_width());
                    out.insert(k.clone(), ci);
                }
                None => worst = f64::INFINITY,
            }
        }
        if self.results.is_empty() {
            worst = f64::INFINITY;
        }
        (out, worst)
    }

    /// The table: per benchmark, processes, median and its relative CI.
    pub fn render(&self, o: &PairedOptions, style: MarkupStyle) -> String {
        let (cis, _) = self.ci_of_medians(o);
        let mut t = Table::new([
            "benchmark",
            "processes",
            "median",
            "CI of median (relative)",
        ])
        .align([Align::Left, Align::Right, Align::Right, Align::Right]);
        for k in &self.order {
            let Some(r) = self.results.get(k) else {
                continue;
            };
            let ci = cis.get(k);
            t.push_row([
                k.clone(),
                r.processes.len().to_string(),
                ci.map_or("-".into(), |c| format_value(c.estimate, r.unit)),
                ci.map_or("-".into(), |c| {
                    pct_ci(&RatioCi {
                        estimate: 1.0,
                        lo: c.lo / c.estimate,
                        hi: c.hi / c.estimate,
                    })
                }),
            ]);
        }
        t.render(style)
    }

    /// The merged results file: the first round's file with every
    /// benchmark's processes merged (histogram and summary recomputed),
    /// marked complete; `None` when no round completed.
    pub fn file(&self) -> Option<ResultsFile> {
        let mut file = self.first.clone()?;
        let mut results = Vec::new();
        for k in &self.order {
            let Some(r) = self.results.get(k) else {
                continue;
            };
            let mut m = BenchResult::measured(
                r.id.clone(),
                r.target.clone(),
                r.unit,
                r.recording,
                r.iterations_per_sample,
                r.processes.clone(),
            )
            .unwrap_or_else(|_| r.clone());
            m.status = r.status.clone();
            m.throughput = r.throughput;
            m.static_metrics = r.static_metrics.clone();
            m.timer = r.timer;
            m.details = r.details.clone();
            results.push(m);
        }
        file.results = results;
        file.complete = true;
        Some(file)
    }
}
