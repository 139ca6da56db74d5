//! gungraun (formerly iai-callgrind) output -> results format v1.
//!
//! gungraun runs each library benchmark under Valgrind's Callgrind and keeps
//! Callgrind's output below `target/gungraun/<package>/<bench file>/<group>/
//! <function>.<id>/` as `callgrind.<function>.<id>.out` (`.out.old` is the
//! previous run, `.out.base@NAME` a saved baseline; a run that forks or
//! dumps in parts adds `.#PID`, `.N` or `-THREAD` suffixes). Each benchmark
//! directory becomes one result with id `<bench file>/<group>/<function>/
//! <id>`, unit `instructions`: its one sample is the total `Ir` (instructions
//! executed) summed over the files of the run; every other Callgrind event
//! (`Dr`, `Dw`, cache misses, …, whichever were collected) becomes the
//! static metric `callgrind_<event>` (unit `events`, from the first
//! directory). Each directory given is one replication; instruction counts
//! of deterministic code are constant, so the result is classified
//! `constant` and `compare` decides it by the exact ratio.

use super::callgrind::{CallgrindTotals, parse};
use super::{ImportError, ImportOptions, benchmark_id, imported_file, read_text, walk};
use crate::results::{BenchResult, Metric, ProcessSamples, Recording, ResultsFile, Unit};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One gungraun benchmark of one run: the Callgrind totals summed over its
/// output files.
#[derive(Clone, Debug, PartialEq)]
pub struct GungraunBench {
    /// The results-format id.
    pub id: String,
    /// Event name -> total, over all files of the run.
    pub events: BTreeMap<String, u64>,
    /// The files summed.
    pub files: Vec<PathBuf>,
    /// Callgrind's `creator:` (e.g. `callgrind-3.19.0`).
    pub creator: Option<String>,
}

/// Is `name` a Callgrind output file name of gungraun for `baseline`
/// (`None`: the latest run)? `callgrind.<name>.out` followed by the
/// baseline part (none, or `.base@NAME`) and the optional pid, part and
/// thread suffixes.
pub fn is_callgrind_out(name: &str, baseline: Option<&str>) -> bool {
    let Some(rest) = name.strip_prefix("callgrind.") else {
        return false;
    };
    let want = baseline.map(|b| format!(".base@{b}")).unwrap_or_default();
    rest.match_indices(".out").any(|(i, _)| {
        let suffix = &rest[i + 4..];
        suffix
            .strip_prefix(want.as_str())
            .is_some_and(part_suffixes_only)
    })
}

/// `(.#PID)?(.N)?(-THREAD)?` and nothing else.
fn part_suffixes_only(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut s = s;
    if let Some(r) = s.strip_prefix(".#") {
        let end = r.find(['.', '-']).unwrap_or(r.len());
        if !digits(&r[..end]) {
            return false;
        }
        s = &r[end..];
    }
    if let Some(r) = s.strip_prefix('.') {
        let end = r.find('-').unwrap_or(r.len());
        if !digits(&r[..end]) {
            return false;
        }
        s = &r[end..];
    }
    if let Some(r) = s.strip_prefix('-') {
        return digits(r);
    }
    s.is_empty()
}

/// The id of the benchmark whose files are in `dir` (below `root`):
/// `<bench file>/<group>/<function>/<id>` from the last three directory
/// names, `<function>.<id>` split at its first dot.
fn id_of(root: &Path, dir: &Path) -> String {
    let rel: Vec<String> = dir
        .strip_prefix(root)
        .unwrap_or(dir)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut parts: Vec<String> = rel.iter().rev().take(3).rev().cloned().collect();
    if let Some(last) = parts.pop() {
        match last.split_once('.') {
            Some((f, id)) => {
                parts.push(f.to_string());
                parts.push(id.to_string());
            }
            None => {
                parts.push(last);
                parts.push("-".into());
            }
        }
    }
    benchmark_id(&parts.join("/"), "gungraun")
}

/// Every benchmark of one gungraun run below `dir`, by id. Fails when there
/// is none, or when a file is not Callgrind output or lacks `Ir`.
pub fn read_run(
    dir: &Path,
    options: &ImportOptions,
) -> Result<BTreeMap<String, GungraunBench>, ImportError> {
    let baseline = options.baseline.as_deref();
    let files = walk(dir, &|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| is_callgrind_out(n, baseline))
    })?;
    if files.is_empty() {
        return Err(ImportError::NoData {
            path: dir.to_path_buf(),
            reason: format!(
                "no gungraun data: no callgrind.*.out{} file below it (gungraun writes to target/gungraun)",
                baseline.map(|b| format!(".base@{b}")).unwrap_or_default()
            ),
        });
    }
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for f in files {
        let parent = f.parent().unwrap_or(dir).to_path_buf();
        by_dir.entry(parent).or_default().push(f);
    }
    let mut out = BTreeMap::new();
    for (bench_dir, files) in by_dir {
        let mut events: BTreeMap<String, u64> = BTreeMap::new();
        let mut creator = None;
        for f in &files {
            let t: CallgrindTotals =
                parse(&read_text(f)?).map_err(|reason| ImportError::Malformed {
                    path: f.clone(),
                    reason,
                })?;
            if t.get("Ir").is_none() {
                return Err(ImportError::Malformed {
                    path: f.clone(),
                    reason: format!("no Ir (instructions) event among {:?}", t.events),
                });
            }
            for (e, v) in t.events.iter().zip(&t.totals) {
                let sum = events.entry(e.clone()).or_insert(0);
                *sum = sum.saturating_add(*v);
            }
            creator = creator.or(t.creator);
        }
        let id = id_of(dir, &bench_dir);
        if let Some(prev) = out.get(&id) {
            let prev: &GungraunBench = prev;
            return Err(ImportError::Malformed {
                path: bench_dir,
                reason: format!(
                    "benchmark id {id:?} also belongs to {}",
                    prev.files
                        .first()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                ),
            });
        }
        out.insert(
            id.clone(),
            GungraunBench {
                id,
                events,
                files,
                creator,
            },
        );
    }
    Ok(out)
}

/// gungraun's derived cache metrics, when Callgrind simulated the caches
/// (events `Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw` present): `total_rw`
/// (`Ir + Dr + Dw`), `ram_hits` (last-level misses), `ll_hits` (L1 misses
/// minus RAM hits), `l1_hits` (the rest) and `estimated_cycles`
/// (`l1_hits + 5 ll_hits + 35 ram_hits`, gungraun's and Itamar Turner-
/// Trauring's cost model). Empty without cache simulation.
pub fn derived_metrics(events: &BTreeMap<String, u64>) -> Vec<(&'static str, u64)> {
    let get = |e: &str| events.get(e).copied();
    let names = [
        "Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw",
    ];
    let Some(v) = names.iter().map(|n| get(n)).collect::<Option<Vec<u64>>>() else {
        return Vec::new();
    };
    let total = v[0].saturating_add(v[1]).saturating_add(v[2]);
    let ram = v[6].saturating_add(v[7]).saturating_add(v[8]);
    let l1_miss = v[3].saturating_add(v[4]).saturating_add(v[5]);
    let ll = l1_miss.saturating_sub(ram);
    let l1 = total.saturating_sub(ll).saturating_sub(ram);
    let cycles = l1
        .saturating_add(ll.saturating_mul(5))
        .saturating_add(ram.saturating_mul(35));
    vec![
        ("total_rw", total),
        ("l1_hits", l1),
        ("ll_hits", ll),
        ("ram_hits", ram),
        ("estimated_cycles", cycles),
    ]
}

/// Imports gungraun runs: each directory in `dirs` (e.g. `target/gungraun`
/// after one `cargo bench`) is one replication.
pub fn import(dirs: &[PathBuf], options: &ImportOptions) -> Result<ResultsFile, ImportError> {
    let (runs, ids) = super::read_runs(dirs, |d| read_run(d, options))?;
    let mut results = Vec::new();
    for id in &ids {
        let present: Vec<&GungraunBench> = runs.iter().filter_map(|r| r.get(id)).collect();
        let processes = present
            .iter()
            .map(|b| ProcessSamples {
                samples: vec![b.events.get("Ir").copied().unwrap_or(0) as f64],
            })
            .collect();
        let mut r = BenchResult::measured(
            id.clone(),
            "host".into(),
            Unit::Instructions,
            Recording::SingleOp,
            1,
            processes,
        )?;
        if let Some(first) = present.first() {
            for (event, v) in first.events.iter().filter(|(e, _)| *e != "Ir") {
                r.static_metrics.insert(
                    format!("callgrind_{event}"),
                    Metric {
                        value: *v as f64,
                        unit: "events".into(),
                    },
                );
            }
            for (name, v) in derived_metrics(&first.events) {
                r.static_metrics.insert(
                    name.into(),
                    Metric {
                        value: v as f64,
                        unit: "events".into(),
                    },
                );
            }
            if let Some(c) = &first.creator {
                r.details.insert("callgrind".into(), c.as_str().into());
            }
        }
        r.details.insert("source".into(), "gungraun".into());
        r.details.insert(
            "source_files".into(),
            present
                .iter()
                .map(|b| {
                    b.files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
                .into(),
        );
        r.details.insert(
            "replications_note".into(),
            format!(
                "imported from gungraun: the Callgrind instruction count (Ir) of one run per directory ({} of {} directories hold this benchmark); deterministic code gives the same count every run",
                present.len(),
                dirs.len()
            )
            .into(),
        );
        results.push(r);
    }
    Ok(imported_file("gungraun", dirs, results))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        for ok in [
            "callgrind.f.id_0.out",
            "callgrind.f.out.#123",
            "callgrind.f.out.2",
            "callgrind.f.out.#12.3-02",
            "callgrind.f.out-1",
        ] {
            assert!(is_callgrind_out(ok, None), "{ok}");
        }
        for no in [
            "callgrind.f.out.old",
            "callgrind.f.log",
            "callgrind.f.out.base@main",
            "callgrind.f.Ir.flamegraph.svg",
            "cachegrind.f.out",
            "callgrind.f.out.x",
            "callgrind.f.out.#",
        ] {
            assert!(!is_callgrind_out(no, None), "{no}");
        }
        assert!(is_callgrind_out("callgrind.f.out.base@main", Some("main")));
        assert!(!is_callgrind_out("callgrind.f.out", Some("main")));
    }

    #[test]
    fn ids_from_directories() {
        let root = Path::new("/t/gungraun");
        assert_eq!(
            id_of(root, Path::new("/t/gungraun/pkg/bench/group/func.id_3")),
            "bench/group/func/id_3"
        );
        assert_eq!(
            id_of(root, Path::new("/t/gungraun/group/func")),
            "gungraun/group/func/-"
        );
    }
}
