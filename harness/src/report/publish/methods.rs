//! The methods section, generated from the files: what a reviewer asks for
//! (machines, replication, recording, statistics, versions), as plain-text
//! paragraphs that HTML and LaTeX render each in their own way.

use super::series::Source;
use crate::compare::Comparison;
use crate::results::{Environment, Recording, Status, machine_label};
use pqbench_stats::Correction;
use std::collections::{BTreeMap, BTreeSet};

/// A methods paragraph: a heading and its sentences.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    /// Short heading (`Machines`, `Replication`, …).
    pub heading: String,
    /// Sentences or list items.
    pub lines: Vec<String>,
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or("unknown".into(), |x| x.to_string())
}

/// One sentence describing a machine and how pqbench was built there.
pub fn environment_line(e: &Environment) -> String {
    format!(
        "{}: {} logical / {} physical cores, governor {}, turbo {}, {} {} kernel {}; pqbench built with {}, profile {} (opt-level {}), git {}{}{}; run started {}",
        machine_label(e),
        opt(&e.logical_cores),
        opt(&e.physical_cores),
        opt(&e.governor),
        opt(&e.turbo),
        opt(&e.os),
        opt(&e.arch),
        opt(&e.kernel),
        opt(&e.rustc),
        opt(&e.profile),
        opt(&e.opt_level),
        e.git_commit
            .as_deref()
            .map_or("unknown", |c| &c[..c.len().min(12)]),
        if e.git_dirty == Some(true) {
            " (uncommitted changes)"
        } else {
            ""
        },
        if e.features.is_empty() {
            String::new()
        } else {
            format!(", features {}", e.features.join(" "))
        },
        opt(&e.time),
    )
}

fn range(v: impl Iterator<Item = usize>) -> String {
    let v: Vec<usize> = v.collect();
    match (v.iter().min(), v.iter().max()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "0".into(),
    }
}

/// The methods paragraphs for `sources` and an optional comparison.
pub fn methods(sources: &[Source], comparison: Option<&Comparison>) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut envs: BTreeMap<String, &Environment> = BTreeMap::new();
    let mut targets: BTreeSet<&str> = BTreeSet::new();
    for s in sources {
        for r in &s.file.results {
            let e = s.file.environment_of(r);
            envs.entry(machine_label(e)).or_insert(e);
            targets.insert(&r.target);
        }
    }
    out.push(Paragraph {
        heading: "Machines".into(),
        lines: envs.values().map(|e| environment_line(e)).collect(),
    });
    let measured: Vec<_> = sources
        .iter()
        .flat_map(|s| s.file.results.iter())
        .filter(|r| r.status == Status::Ok)
        .collect();
    let batch: Vec<_> = measured
        .iter()
        .filter(|r| r.recording == Recording::BatchMean)
        .collect();
    let mut lines = vec![
        format!(
            "{} results of {} files on targets {}; {} measured.",
            sources.iter().map(|s| s.file.results.len()).sum::<usize>(),
            sources.len(),
            targets.into_iter().collect::<Vec<_>>().join(", "),
            measured.len()
        ),
        format!(
            "Replications (independent worker processes on the host and TFLite, fresh QEMU launches or board resets on Cortex-M) per benchmark: {}; samples per replication: {}.",
            range(measured.iter().map(|r| r.processes.len())),
            range(measured.iter().flat_map(|r| r.processes.iter().map(|p| p.samples.len()))),
        ),
        format!(
            "Recording: {} results single-operation latencies; {} results batch means of {} operations per sample (calibrated so one sample outlasts the timer's resolution and overhead).",
            measured.len() - batch.len(),
            batch.len(),
            range(batch.iter().map(|r| r.iterations_per_sample as usize)),
        ),
        "Medians are over all samples; their 95 % confidence intervals come from a hierarchical bootstrap (1000 resamples: replications resampled, then samples within each), so the replication is the unit; digits shown follow the interval's width.".into(),
    ];
    let runtimes = crate::report::runtime_lines(sources.iter().flat_map(|s| s.file.results.iter()));
    if !runtimes.is_empty() {
        lines.push(format!("Inference runtimes: {}.", runtimes.join("; ")));
    }
    let versions: BTreeSet<String> = sources
        .iter()
        .map(|s| {
            format!(
                "{} (pqbench {}, schema {}{})",
                s.label,
                s.file.pqbench_version,
                s.file.schema_version,
                if s.file.complete {
                    ""
                } else {
                    ", incomplete run"
                }
            )
        })
        .collect();
    lines.push(format!(
        "Files: {}.",
        versions.into_iter().collect::<Vec<_>>().join("; ")
    ));
    out.push(Paragraph {
        heading: "Replication and recording".into(),
        lines,
    });
    if let Some(c) = comparison {
        let o = &c.options;
        out.push(Paragraph {
            heading: "Comparison statistics".into(),
            lines: vec![format!(
                "Ratios new/base of medians with {:.0} % bootstrap CIs ({} resamples, seed {}); tests on per-replication medians, primary test {}; {} correction over {} tests; alpha {}; tolerance {:.2} %{}; deterministic counter results are decided by their exact ratio outside the family. Verdicts are those of `pqbench compare` with the same options.",
                o.bootstrap.confidence * 100.0,
                o.bootstrap.resamples,
                o.bootstrap.seed,
                o.primary.label(),
                correction_name(o.correction),
                c.family_size,
                o.alpha,
                o.tolerances.default * 100.0,
                if o.tolerances.overrides.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (overrides {})",
                        o.tolerances
                            .overrides
                            .iter()
                            .map(|x| format!("{}={:.2} %", x.pattern, x.tolerance * 100.0))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            )],
        });
    }
    out
}

/// Name of a multiple-comparison correction.
pub fn correction_name(c: Correction) -> &'static str {
    match c {
        Correction::Holm => "Holm",
        Correction::BenjaminiHochberg => "Benjamini-Hochberg",
        Correction::None => "no",
    }
}
