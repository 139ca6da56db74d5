//! Results files with non-finite numbers (written as "inf", "-inf", "nan")
//! validate against `results/schema-v1.json` (Python `jsonschema`, installed
//! by the setup), and the schema still refuses what it should.

use pqbench::env::Environment;
use pqbench::results::{
    BenchResult, Metric, ProcessSamples, Recording, ResultsFile, TimerInfo, Unit, write_atomic,
};
use std::path::Path;
use std::process::Command;

fn schema() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/schema-v1.json")
}

/// Number of schema violations of each file (one Python process for all).
fn violations(paths: &[&Path]) -> Vec<usize> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json,sys,jsonschema\n\
             s=json.load(open(sys.argv[1]))\n\
             jsonschema.Draft202012Validator.check_schema(s)\n\
             v=jsonschema.Draft202012Validator(s)\n\
             print(' '.join(str(len(list(v.iter_errors(json.load(open(p)))))) for p in sys.argv[2:]))",
        ])
        .arg(schema())
        .args(paths)
        .output()
        .expect("python3 (scripts/setup installs it with jsonschema)");
    assert!(
        out.status.success(),
        "jsonschema check failed to run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect()
}

#[test]
fn non_finite_numbers_validate_and_junk_does_not() {
    let mut f = ResultsFile::new(Environment::default());
    f.complete = true;
    let mut r = BenchResult::measured(
        "a/b/c/d".into(),
        "host".into(),
        Unit::Ns,
        Recording::SingleOp,
        1,
        vec![ProcessSamples {
            samples: vec![10.0, 12.0, 11.0],
        }],
    )
    .unwrap();
    r.timer = Some(TimerInfo {
        overhead: f64::INFINITY,
        resolution: f64::NAN,
        clock: Some(pqbench::results::ClockKind::Tsc),
        clock_hz: Some(2.9e9),
    });
    r.static_metrics.insert(
        "m".into(),
        Metric {
            value: f64::NEG_INFINITY,
            unit: "bytes".into(),
        },
    );
    if let Some(s) = &mut r.summary {
        s.mean = f64::INFINITY;
        s.mad = f64::NAN;
    }
    f.results.push(r);
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    write_atomic(&good, &f).unwrap();
    let text = std::fs::read_to_string(&good).unwrap();
    assert!(text.contains("\"inf\"") && text.contains("\"-inf\"") && text.contains("\"nan\""));
    // Legacy nulls are valid too.
    let legacy = dir.path().join("legacy.json");
    std::fs::write(&legacy, text.replace("\"nan\"", "null")).unwrap();
    // Negative controls: an unknown spelling, a negative infinity where only
    // non-negative values are allowed, a non-finite raw sample.
    let mut bad = Vec::new();
    for (what, t) in [
        ("spelling", text.replace("\"-inf\"", "\"minus infinity\"")),
        (
            "sign",
            text.replace("\"mad\": \"nan\"", "\"mad\": \"-inf\""),
        ),
        ("sample", text.replacen("10.0", "\"nan\"", 1)),
    ] {
        assert_ne!(t, text, "{what}: the substitution did not apply");
        let p = dir.path().join(format!("{what}.json"));
        std::fs::write(&p, t).unwrap();
        bad.push((what, p));
    }
    let mut paths: Vec<&Path> = vec![&good, &legacy];
    paths.extend(bad.iter().map(|(_, p)| p.as_path()));
    let v = violations(&paths);
    assert_eq!(v.len(), 5);
    assert_eq!(v[..2], [0, 0], "{text}");
    for ((what, _), n) in bad.iter().zip(&v[2..]) {
        assert!(*n > 0, "{what} accepted by the schema");
    }
}
