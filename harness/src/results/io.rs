//! Reading and writing results files: version check, validation, atomic
//! replacement.

use super::{ResultsError, ResultsFile, SCHEMA_VERSION, Status, decode_histogram};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The major schema version this build reads and writes.
pub fn supported_major() -> u32 {
    SCHEMA_VERSION
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(1)
}

/// Loads and validates a results file.
///
/// Errors name the file and the problem: unreadable, not JSON, not a pqbench
/// results file, an unknown major schema version, or a corrupt embedded
/// histogram. Minor versions newer than this build are accepted (unknown
/// fields are ignored), as the format promises.
pub fn load(path: &Path) -> Result<ResultsFile, ResultsError> {
    let text = std::fs::read_to_string(path).map_err(|source| ResultsError::Io {
        path: path.to_path_buf(),
        action: "reading",
        source,
    })?;
    parse(path, &text)
}

/// Parses and validates the text of a results file; `path` is used in
/// error messages only.
pub fn parse(path: &Path, text: &str) -> Result<ResultsFile, ResultsError> {
    let p = || path.to_path_buf();
    // First only the version (the rest is skipped without building a tree),
    // then the file itself, straight from the text: a `serde_json::Value`
    // of a million samples costs more than the file's whole parse.
    // A derived struct also reads from an array: only an object will do.
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map_err(|source| ResultsError::NotJson { path: p(), source })?;
        return Err(ResultsError::NotResultsFile {
            path: p(),
            reason: "the top level is not a JSON object".into(),
        });
    }
    let header: Header = serde_json::from_str(text).map_err(|source| {
        if source.is_data() {
            ResultsError::NotResultsFile {
                path: p(),
                reason: "the top level is not a JSON object".into(),
            }
        } else {
            ResultsError::NotJson { path: p(), source }
        }
    })?;
    let Some(version) = header.schema_version else {
        return Err(ResultsError::NotResultsFile {
            path: p(),
            reason: "no \"schema_version\" field".into(),
        });
    };
    let Some(version) = version.as_str() else {
        return Err(ResultsError::NotResultsFile {
            path: p(),
            reason: format!("\"schema_version\" is {version}, not a \"MAJOR.MINOR\" string"),
        });
    };
    let major: Option<u32> = version.split('.').next().and_then(|m| m.parse().ok());
    match major {
        Some(m) if m == supported_major() => {}
        _ => {
            return Err(ResultsError::UnsupportedVersion {
                path: p(),
                found: version.to_string(),
                supported: supported_major(),
            });
        }
    }
    let file: ResultsFile =
        serde_json::from_str(text).map_err(|e| ResultsError::NotResultsFile {
            path: p(),
            reason: e.to_string(),
        })?;
    validate(path, &file)?;
    Ok(file)
}

/// The one field [`parse`] reads before the rest (unknown fields skipped).
#[derive(serde::Deserialize)]
struct Header {
    schema_version: Option<serde_json::Value>,
}

/// Checks that every benchmark key `id@target` appears once, that every
/// measured result has replications and none of them is empty, and that
/// every embedded histogram decodes and holds as many values as the summary
/// says.
fn validate(path: &Path, file: &ResultsFile) -> Result<(), ResultsError> {
    // A merged file (schema 1.2) may hold the same id@target once per
    // machine (environment); `pqbench merge` refuses true duplicates.
    let mut seen: std::collections::BTreeMap<(&str, &str, Option<usize>), usize> =
        Default::default();
    for r in &file.results {
        if let Some(i) = r.environment
            && i >= file.environments.len()
        {
            return Err(ResultsError::NotResultsFile {
                path: path.to_path_buf(),
                reason: format!(
                    "result {}@{} names environment {i}, but the file has {} environments",
                    r.id,
                    r.target,
                    file.environments.len()
                ),
            });
        }
        *seen.entry((&r.id, &r.target, r.environment)).or_default() += 1;
    }
    if let Some(((id, target, _), count)) = seen.into_iter().find(|(_, n)| *n > 1) {
        return Err(ResultsError::DuplicateResult {
            path: path.to_path_buf(),
            key: format!("{id}@{target}"),
            count,
        });
    }
    for r in &file.results {
        let empty = |reason: String| ResultsError::EmptyReplication {
            path: path.to_path_buf(),
            id: r.id.clone(),
            target: r.target.clone(),
            reason,
        };
        if r.status == Status::Ok && r.processes.is_empty() {
            return Err(empty(
                "status ok but no replications (processes) recorded".into(),
            ));
        }
        if let Some(k) = r.processes.iter().position(|p| p.samples.is_empty()) {
            return Err(empty(format!(
                "replication {} of {} has no samples (an empty process cannot be analysed)",
                k + 1,
                r.processes.len()
            )));
        }
    }
    for r in &file.results {
        let Some(b64) = &r.histogram else { continue };
        let corrupt = |reason: String| ResultsError::CorruptHistogram {
            path: path.to_path_buf(),
            id: r.id.clone(),
            target: r.target.clone(),
            reason,
        };
        let h = decode_histogram(b64).map_err(|e| corrupt(e.to_string()))?;
        if let Some(s) = &r.summary
            && h.len() != s.samples
        {
            return Err(corrupt(format!(
                "it holds {} values but the summary counts {} samples",
                h.len(),
                s.samples
            )));
        }
        check_histogram_against_samples(r, &h).map_err(corrupt)?;
    }
    Ok(())
}

/// The histogram of a result must hold what its raw samples would give:
/// as many values, and the same smallest and largest (to the histogram's
/// precision, after the rounding and clamping of
/// [`build_histogram`](super::build_histogram)). Catches histograms swapped
/// between benchmarks or left over from other samples.
fn check_histogram_against_samples(
    r: &super::BenchResult,
    h: &hdrhistogram::Histogram<u64>,
) -> Result<(), String> {
    let values: Vec<u64> = r
        .processes
        .iter()
        .flat_map(|p| p.samples.iter())
        .filter(|v| v.is_finite())
        .map(|&v| {
            if v >= u64::MAX as f64 {
                u64::MAX / 2
            } else {
                (v.round() as u64).max(1)
            }
        })
        .collect();
    if r.processes.is_empty() {
        return Ok(());
    }
    if h.len() != values.len() as u64 {
        return Err(format!(
            "it holds {} values but the replications hold {} finite samples",
            h.len(),
            values.len()
        ));
    }
    let (Some(&lo), Some(&hi)) = (values.iter().min(), values.iter().max()) else {
        return Ok(());
    };
    if !h.equivalent(h.min(), lo) || !h.equivalent(h.max(), hi) {
        return Err(format!(
            "its range [{}, {}] does not match the samples' [{lo}, {hi}] (histogram of other samples?)",
            h.min(),
            h.max()
        ));
    }
    Ok(())
}

/// Writes `file` to `path` atomically: a temporary file in the same
/// directory is written, flushed to disk (fsync) and renamed over `path`, and
/// the directory is synced. A crash or SIGKILL at any moment leaves either
/// the previous file or the new one, never a torn mix.
pub fn write_atomic(path: &Path, file: &ResultsFile) -> Result<(), ResultsError> {
    let mut bytes = super::nonfinite::to_vec_pretty(file)?;
    bytes.push(b'\n');
    write_atomic_with(path, |w| w.write_all(&bytes))
}

/// Writes any serialisable `value` (a report, not a results file) as
/// pretty JSON to `path` atomically, as [`write_atomic`] (non-finite numbers
/// as `"inf"`, `"-inf"`, `"nan"`).
pub fn write_json_atomic(path: &Path, value: &impl serde::Serialize) -> Result<(), ResultsError> {
    let mut bytes = super::nonfinite::to_vec_pretty(value)?;
    bytes.push(b'\n');
    write_atomic_with(path, |w| w.write_all(&bytes))
}

/// The mode the file gets: an existing file's own, else what any tool
/// creating a file gets (0666 less the umask), not a temporary file's
/// private 0600.
#[cfg(unix)]
fn final_permissions(path: &Path) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o666))
}

/// The mechanism of [`write_atomic`] with a caller-supplied writer; if
/// `write` fails, the temporary file is removed and `path` is untouched.
///
/// A path that exists and is not a regular file (`/dev/null`, a named pipe,
/// `/dev/stdout`) is written directly: renaming a file over it would replace
/// the device or pipe with a regular file.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ResultsError> {
    let io = |action: &'static str, p: PathBuf| {
        move |source| ResultsError::Io {
            path: p,
            action,
            source,
        }
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io("opening", path.to_path_buf()))?;
        let mut buf = std::io::BufWriter::new(&mut f);
        write(&mut buf).map_err(io("writing", path.to_path_buf()))?;
        return buf.flush().map_err(io("writing", path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results".into());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(final_permissions(path));
    let mut tmp = builder.tempfile_in(&dir).map_err(io(
        "creating a temporary file in its directory",
        path.to_path_buf(),
    ))?;
    {
        let mut buf = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buf).map_err(io("writing temporary file", path.to_path_buf()))?;
        buf.flush()
            .map_err(io("writing temporary file", path.to_path_buf()))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(io("syncing temporary file", path.to_path_buf()))?;
    tmp.persist(path).map_err(|e| ResultsError::Io {
        path: path.to_path_buf(),
        action: "renaming temporary file over",
        source: e.error,
    })?;
    // Make the rename itself durable; not all platforms can open a directory.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{
        BenchResult, Environment, ProcessSamples, Recording, ResultsFile, Status, Unit,
    };

    fn sample_file() -> ResultsFile {
        let mut f = ResultsFile::new(Environment::capture());
        let processes = vec![
            ProcessSamples {
                samples: (1..=500).map(|i| 1000.0 + f64::from(i)).collect(),
            },
            ProcessSamples {
                samples: (1..=400).map(|i| 2000.0 + f64::from(i) * 0.5).collect(),
            },
        ];
        let r = BenchResult::measured(
            "hash/sha256.digest/rustcrypto/1KiB".into(),
            "host".into(),
            Unit::Ns,
            Recording::BatchMean,
            20,
            processes,
        )
        .unwrap();
        f.results.push(r);
        f.results.push(BenchResult::not_ok(
            "pqc/x/y/z".into(),
            "qemu:mps2-an386".into(),
            Unit::Instructions,
            Status::DoesNotFit {
                message: "needs 300 KiB RAM".into(),
            },
        ));
        f.complete = true;
        f
    }

    #[test]
    fn schema_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        let f = sample_file();
        write_atomic(&path, &f).unwrap();
        let back = load(&path).unwrap();
        assert_eq!(back, f);
        // Histogram decodes to the same number of values as samples.
        let h = back.results[0].decoded_histogram().unwrap().unwrap();
        assert_eq!(h.len(), 900);
    }

    fn err_of(text: &str) -> String {
        parse(Path::new("some/file.json"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn rejects_unknown_major_version() {
        let mut v = serde_json::to_value(sample_file()).unwrap();
        v["schema_version"] = "2.0".into();
        let e = err_of(&v.to_string());
        assert!(
            e.starts_with("some/file.json: unsupported results schema version \"2.0\""),
            "{e}"
        );
        // A newer minor version with unknown fields is accepted.
        v["schema_version"] = "1.7".into();
        v["new_field"] = serde_json::json!({"x": 1});
        assert!(parse(Path::new("f"), &v.to_string()).is_ok());
    }

    #[test]
    fn rejects_corrupt_and_foreign_files() {
        let good = serde_json::to_string(&sample_file()).unwrap();
        let truncated = &good[..good.len() / 2];
        assert!(err_of(truncated).contains("some/file.json: not a JSON file"));
        assert!(err_of("\u{0}\u{1}binary").contains("not a JSON file"));
        assert!(err_of("[1,2,3]").contains("not a pqbench results file: the top level"));
        assert!(err_of(r#"{"name":"package.json"}"#).contains("no \"schema_version\""));
        assert!(err_of(r#"{"schema_version":1}"#).contains("not a \"MAJOR.MINOR\" string"));
        let missing = r#"{"schema_version":"1.0","complete":true}"#;
        assert!(err_of(missing).contains("not a pqbench results file: missing field"));

        // A flipped histogram: not decodable.
        let mut v = serde_json::to_value(sample_file()).unwrap();
        v["results"][0]["histogram"] = "SGVsbG8gd29ybGQ=".into();
        let e = err_of(&v.to_string());
        assert!(
            e.contains("corrupt histogram in result \"hash/sha256.digest/rustcrypto/1KiB\""),
            "{e}"
        );
        // A histogram that disagrees with the summary.
        let mut v = serde_json::to_value(sample_file()).unwrap();
        v["results"][0]["summary"]["samples"] = 901.into();
        assert!(err_of(&v.to_string()).contains("holds 900 values but the summary counts 901"));
        // A histogram of other samples (e.g. swapped between benchmarks):
        // same count, another range.
        let mut f = sample_file();
        for p in &mut f.results[0].processes {
            for x in &mut p.samples {
                *x *= 3.0;
            }
        }
        let e = err_of(&serde_json::to_string(&f).unwrap());
        assert!(e.contains("does not match the samples'"), "{e}");
        // One sample fewer than the histogram holds.
        let mut v = serde_json::to_value(sample_file()).unwrap();
        v["results"][0]["processes"][0]["samples"]
            .as_array_mut()
            .unwrap()
            .pop();
        let e = err_of(&v.to_string());
        assert!(e.contains("replications hold 899 finite samples"), "{e}");
    }

    #[test]
    fn rejects_duplicate_keys_and_empty_replications() {
        let mut f = sample_file();
        f.results.push(f.results[0].clone());
        let e = err_of(&serde_json::to_string(&f).unwrap());
        assert!(
            e.contains("some/file.json: benchmark \"hash/sha256.digest/rustcrypto/1KiB@host\" appears 2 times"),
            "{e}"
        );
        // Same id on another target is fine.
        let mut f = sample_file();
        let mut other = f.results[0].clone();
        other.target = "qemu:mps2-an386".into();
        f.results.push(other);
        assert!(parse(Path::new("f"), &serde_json::to_string(&f).unwrap()).is_ok());

        let mut v = serde_json::to_value(sample_file()).unwrap();
        v["results"][0]["processes"][1]["samples"] = serde_json::json!([]);
        let e = err_of(&v.to_string());
        assert!(e.contains("replication 2 of 2 has no samples"), "{e}");
        let mut v = serde_json::to_value(sample_file()).unwrap();
        v["results"][0]["processes"] = serde_json::json!([]);
        v["results"][0]["histogram"] = serde_json::Value::Null;
        let e = err_of(&v.to_string());
        assert!(e.contains("status ok but no replications"), "{e}");
    }

    #[test]
    fn reads_version_1_0_files_without_determinism() {
        let mut v = serde_json::to_value(sample_file()).unwrap();
        v["schema_version"] = "1.0".into();
        for r in v["results"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("determinism");
        }
        let f = parse(Path::new("f"), &v.to_string()).unwrap();
        assert!(f.results.iter().all(|r| r.determinism.is_none()));
    }

    #[test]
    fn counter_results_carry_their_determinism() {
        let mk = |unit, procs: Vec<Vec<f64>>| {
            BenchResult::measured(
                "pqc/x/y/z".into(),
                "qemu:m".into(),
                unit,
                Recording::SingleOp,
                1,
                procs
                    .into_iter()
                    .map(|samples| ProcessSamples { samples })
                    .collect(),
            )
        };
        let r = mk(Unit::Instructions, vec![vec![10.0, 12.0], vec![10.0, 12.0]]).unwrap();
        assert_eq!(r.determinism.map(|d| d.label()), Some("input_dependent"));
        let text = serde_json::to_string(&r).unwrap();
        assert!(
            text.contains("\"determinism\":{\"class\":\"input_dependent\""),
            "{text}"
        );
        let r = mk(Unit::Cycles, vec![vec![10.0, 10.0]]).unwrap();
        assert_eq!(r.determinism.map(|d| d.label()), Some("constant"));
        let r = mk(Unit::Ns, vec![vec![10.0, 10.0], vec![10.0, 10.0]]).unwrap();
        assert_eq!(r.determinism, None);
        assert!(!serde_json::to_string(&r).unwrap().contains("determinism"));
        let e = mk(Unit::Ns, vec![vec![1.0], vec![]])
            .unwrap_err()
            .to_string();
        assert!(e.contains("replication 2 of 2 has no samples"), "{e}");
    }

    #[test]
    fn load_names_a_missing_file() {
        let e = load(Path::new("/nonexistent/r.json"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/nonexistent/r.json: reading:"), "{e}");
    }

    #[test]
    fn failed_write_leaves_previous_file_and_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        let f = sample_file();
        write_atomic(&path, &f).unwrap();
        let before = std::fs::read(&path).unwrap();
        let e = write_atomic_with(&path, |w| {
            w.write_all(b"{\"schema_version\": \"1.0\", \"resu")?;
            Err(std::io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert!(e.to_string().contains("disk on fire"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.json")]);
        assert_eq!(load(&path).unwrap(), f);
    }

    #[test]
    fn write_into_missing_directory_names_the_file() {
        let e = write_atomic(Path::new("/nonexistent/dir/r.json"), &sample_file())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("/nonexistent/dir/r.json: creating a temporary file"),
            "{e}"
        );
    }
}
