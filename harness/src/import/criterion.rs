//! criterion.rs output -> results format v1.
//!
//! Criterion (0.4 to 0.8, and cargo-criterion) writes, per benchmark, a
//! directory under its home (`$CRITERION_HOME`, else
//! `$CARGO_TARGET_DIR/criterion`, else `target/criterion`) holding `new/`
//! (the latest run) and one directory per saved baseline (`base/`, or the
//! name given to `--save-baseline`). Each has `benchmark.json` (the ids:
//! `group_id`, `function_id`, `value_str`, `full_id`, `throughput`) and
//! `sample.json`: `iters[k]` iterations took `times[k]` in total for sample
//! k, in the measurement's unit (nanoseconds for criterion's default wall
//! clock). A sample becomes `times[k] / iters[k]`, the mean time of one
//! iteration in that sample (recording `batch_mean`).
//!
//! One criterion run is one replication: its samples share one process, one
//! warm-up and one compilation, so they are not independent of each other
//! across runs. Import several runs (several criterion homes, e.g. with
//! `CRITERION_HOME=... cargo bench` per run) for a comparison `gate` can
//! decide; a single run per side leaves every row undecidable.

use super::{ImportError, ImportOptions, benchmark_id, imported_file, read_text, walk};
use crate::results::{BenchResult, ProcessSamples, Recording, ResultsFile, ThroughputSpec, Unit};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `benchmark.json`: criterion's identification of a benchmark.
#[derive(Debug, Deserialize)]
struct BenchmarkJson {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    #[serde(default)]
    throughput: Option<serde_json::Value>,
    #[serde(default)]
    full_id: Option<String>,
}

/// `sample.json`: criterion's raw samples.
#[derive(Debug, Deserialize)]
struct SampleJson {
    #[serde(default)]
    sampling_mode: Option<String>,
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// One benchmark of one criterion run.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionBench {
    /// criterion's `full_id` (`group/function/value`).
    pub full_id: String,
    /// Mean time per iteration of each sample (`times[k] / iters[k]`).
    pub per_iteration: Vec<f64>,
    /// Iterations of each sample.
    pub iters: Vec<f64>,
    /// `Linear`, `Flat` (criterion's sampling mode), if recorded.
    pub sampling_mode: Option<String>,
    /// Work per iteration, when the benchmark declared a throughput.
    pub throughput: Option<ThroughputSpec>,
    /// The `sample.json` read.
    pub sample_file: PathBuf,
}

fn malformed(path: &Path, reason: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, ImportError> {
    let text = read_text(path)?;
    serde_json::from_str(&text)
        .map_err(|e| malformed(path, format!("not a criterion {what} file: {e}")))
}

/// criterion's `Throughput` (`{"Bytes": n}`, `{"BytesDecimal": n}`,
/// `{"Elements": n}`, `{"Bits": n}`) as work per operation; bits become
/// bytes when they are whole bytes.
fn throughput(v: &serde_json::Value) -> Option<ThroughputSpec> {
    let (kind, n) = v.as_object()?.iter().next()?;
    let n = n.as_u64()?;
    match kind.as_str() {
        "Bytes" | "BytesDecimal" => Some(ThroughputSpec::Bytes(n)),
        "Elements" => Some(ThroughputSpec::Elements(n)),
        "Bits" if n % 8 == 0 => Some(ThroughputSpec::Bytes(n / 8)),
        _ => None,
    }
}

fn full_id(b: &BenchmarkJson) -> String {
    if let Some(id) = b.full_id.as_deref().filter(|s| !s.is_empty()) {
        return id.to_string();
    }
    [
        Some(b.group_id.as_str()),
        b.function_id.as_deref(),
        b.value_str.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("/")
}

/// Reads one benchmark directory's `benchmark.json` and the `sample.json`
/// beside it.
fn read_bench(benchmark_json: &Path) -> Result<CriterionBench, ImportError> {
    let b: BenchmarkJson = parse_json(benchmark_json, "benchmark.json")?;
    let sample_file = benchmark_json.with_file_name("sample.json");
    let s: SampleJson = parse_json(&sample_file, "sample.json")?;
    if s.iters.len() != s.times.len() {
        return Err(malformed(
            &sample_file,
            format!(
                "{} iteration counts but {} times",
                s.iters.len(),
                s.times.len()
            ),
        ));
    }
    if s.iters.is_empty() {
        return Err(malformed(&sample_file, "no samples"));
    }
    let mut per_iteration = Vec::with_capacity(s.iters.len());
    for (k, (&n, &t)) in s.iters.iter().zip(&s.times).enumerate() {
        if !(n.is_finite() && n >= 1.0) {
            return Err(malformed(
                &sample_file,
                format!("sample {k}: iteration count {n} is not a positive number"),
            ));
        }
        if !(t.is_finite() && t >= 0.0) {
            return Err(malformed(
                &sample_file,
                format!("sample {k}: time {t} is not a finite non-negative number"),
            ));
        }
        per_iteration.push(t / n);
    }
    Ok(CriterionBench {
        full_id: full_id(&b),
        per_iteration,
        iters: s.iters,
        sampling_mode: s.sampling_mode,
        throughput: b.throughput.as_ref().and_then(throughput),
        sample_file,
    })
}

/// Every benchmark of one criterion run: the `NAME/benchmark.json` files
/// below `dir` (`NAME` = `new`, or the baseline of `options`), by
/// `full_id`. Fails when there is none, or when a file is malformed.
pub fn read_run(
    dir: &Path,
    options: &ImportOptions,
) -> Result<BTreeMap<String, CriterionBench>, ImportError> {
    let leaf = options.baseline.as_deref().unwrap_or("new");
    let files = walk(dir, &|p| {
        p.file_name().is_some_and(|n| n == "benchmark.json")
            && p.parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == leaf)
    })?;
    if files.is_empty() {
        return Err(ImportError::NoData {
            path: dir.to_path_buf(),
            reason: format!(
                "no criterion data: no */{leaf}/benchmark.json below it (criterion writes its data to $CRITERION_HOME, else target/criterion{})",
                if options.baseline.is_some() {
                    "; is the baseline name right?"
                } else {
                    ""
                }
            ),
        });
    }
    let mut out: BTreeMap<String, CriterionBench> = BTreeMap::new();
    for f in files {
        let b = read_bench(&f)?;
        if let Some(prev) = out.get(&b.full_id) {
            return Err(malformed(
                &f,
                format!(
                    "benchmark {:?} appears twice (also in {})",
                    b.full_id,
                    prev.sample_file.display()
                ),
            ));
        }
        out.insert(b.full_id.clone(), b);
    }
    Ok(out)
}

/// Imports criterion runs: each directory in `dirs` is one criterion home
/// (one run, one replication). Benchmarks are matched across runs by
/// criterion's `full_id`; the id in the results file is
/// [`benchmark_id`]`(full_id, "criterion")`.
pub fn import(dirs: &[PathBuf], options: &ImportOptions) -> Result<ResultsFile, ImportError> {
    let (runs, ids) = super::read_runs(dirs, |d| read_run(d, options))?;
    let mut results = Vec::new();
    for full in &ids {
        let present: Vec<(&PathBuf, &CriterionBench)> = dirs
            .iter()
            .zip(&runs)
            .filter_map(|(d, r)| r.get(full).map(|b| (d, b)))
            .collect();
        let processes = present
            .iter()
            .map(|(_, b)| ProcessSamples {
                samples: b.per_iteration.clone(),
            })
            .collect();
        let min_iters = present
            .iter()
            .flat_map(|(_, b)| b.iters.iter())
            .fold(f64::INFINITY, |a, &b| a.min(b));
        let mut r = BenchResult::measured(
            benchmark_id(full, "criterion"),
            "host".into(),
            Unit::Ns,
            Recording::BatchMean,
            min_iters as u64,
            processes,
        )?;
        r.throughput = present.iter().find_map(|(_, b)| b.throughput);
        r.details.insert("source".into(), "criterion".into());
        r.details
            .insert("criterion_id".into(), full.as_str().into());
        r.details.insert(
            "source_files".into(),
            present
                .iter()
                .map(|(_, b)| b.sample_file.display().to_string())
                .collect::<Vec<_>>()
                .into(),
        );
        r.details.insert(
            "iterations_per_sample".into(),
            present
                .iter()
                .map(|(_, b)| serde_json::json!(b.iters))
                .collect::<Vec<_>>()
                .into(),
        );
        if let Some(mode) = present.iter().find_map(|(_, b)| b.sampling_mode.clone()) {
            r.details.insert("sampling_mode".into(), mode.into());
        }
        let missing: Vec<String> = dirs
            .iter()
            .zip(&runs)
            .filter(|(_, run)| !run.contains_key(full))
            .map(|(d, _)| d.display().to_string())
            .collect();
        if !missing.is_empty() {
            r.details.insert("missing_in".into(), missing.into());
        }
        r.details.insert(
            "replications_note".into(),
            format!(
                "imported from criterion: one replication per criterion run ({} of {} runs hold this benchmark); a sample is criterion's time / iterations of one sample, in ns",
                present.len(),
                dirs.len()
            )
            .into(),
        );
        results.push(r);
    }
    Ok(imported_file("criterion", dirs, results))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_bench(root: &Path, dir: &str, full_id: &str, iters: &[f64], times: &[f64]) {
        let d = root.join(dir).join("new");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("benchmark.json"),
            serde_json::json!({
                "group_id": full_id, "function_id": null, "value_str": null,
                "throughput": {"Bytes": 64}, "full_id": full_id,
                "directory_name": dir, "title": full_id
            })
            .to_string(),
        )
        .unwrap();
        std::fs::write(
            d.join("sample.json"),
            serde_json::json!({"sampling_mode": "Linear", "iters": iters, "times": times})
                .to_string(),
        )
        .unwrap();
    }

    #[test]
    fn per_sample_means_one_replication_per_run() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_bench(
            a.path(),
            "g_x",
            "g/x",
            &[1.0, 2.0, 3.0],
            &[10.0, 22.0, 27.0],
        );
        write_bench(a.path(), "only_a", "only/a", &[4.0], &[8.0]);
        write_bench(b.path(), "g_x", "g/x", &[2.0, 4.0], &[30.0, 44.0]);
        let f = import(
            &[a.path().to_path_buf(), b.path().to_path_buf()],
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(f.results.len(), 2);
        let gx = f
            .results
            .iter()
            .find(|r| r.id == "criterion/g/x/-")
            .unwrap();
        assert_eq!(gx.processes.len(), 2);
        assert_eq!(gx.processes[0].samples, vec![10.0, 11.0, 9.0]);
        assert_eq!(gx.processes[1].samples, vec![15.0, 11.0]);
        assert_eq!(gx.unit, Unit::Ns);
        assert_eq!(gx.recording, Recording::BatchMean);
        assert_eq!(gx.iterations_per_sample, 1);
        assert_eq!(gx.throughput, Some(ThroughputSpec::Bytes(64)));
        assert_eq!(gx.details["source"], "criterion");
        let only = f
            .results
            .iter()
            .find(|r| r.id == "criterion/only/a/-")
            .unwrap();
        assert_eq!(only.processes.len(), 1);
        assert!(only.details.contains_key("missing_in"));
        assert!(f.environment.extra.contains_key("imported_from"));
    }

    #[test]
    fn malformed_and_foreign_directories_name_the_file() {
        let empty = tempfile::tempdir().unwrap();
        let e = import(&[empty.path().to_path_buf()], &ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("no criterion data"), "{e}");
        assert!(e.contains(&empty.path().display().to_string()), "{e}");

        let missing = empty.path().join("nope");
        let e = import(std::slice::from_ref(&missing), &ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with(&missing.display().to_string()), "{e}");

        let d = tempfile::tempdir().unwrap();
        write_bench(d.path(), "b", "b", &[1.0, 2.0], &[1.0]);
        let e = import(&[d.path().to_path_buf()], &ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("sample.json") && e.contains("2 iteration counts but 1 times"),
            "{e}"
        );

        write_bench(d.path(), "b", "b", &[0.0], &[1.0]);
        let e = import(&[d.path().to_path_buf()], &ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a positive number"), "{e}");

        std::fs::write(d.path().join("b/new/benchmark.json"), "{\"x\": 1}").unwrap();
        let e = import(&[d.path().to_path_buf()], &ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("benchmark.json: not a criterion benchmark.json file"),
            "{e}"
        );
    }

    #[test]
    fn saved_baselines_are_selected_by_name() {
        let d = tempfile::tempdir().unwrap();
        write_bench(d.path(), "b", "b", &[1.0], &[5.0]);
        let opts = ImportOptions {
            baseline: Some("main".into()),
        };
        let e = import(&[d.path().to_path_buf()], &opts)
            .unwrap_err()
            .to_string();
        assert!(e.contains("*/main/benchmark.json"), "{e}");
        std::fs::rename(d.path().join("b/new"), d.path().join("b/main")).unwrap();
        let f = import(&[d.path().to_path_buf()], &opts).unwrap();
        assert_eq!(f.results[0].processes[0].samples, vec![5.0]);
    }
}
