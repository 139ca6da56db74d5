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

/// Number of schema violations of the file at `path`.
fn violations(path: &Path) -> usize {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json,sys,jsonschema\n\
             s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))\n\
             jsonschema.Draft202012Validator.check_schema(s)\n\
             print(len(list(jsonschema.Draft202012Validator(s).iter_errors(d))))",
        ])
        .arg(schema())
        .arg(path)
        .output()
        .expect("python3 (scripts/setup installs it with jsonschema)");
    assert!(
        out.status.success(),
        "jsonschema check failed to run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
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
    assert_eq!(violations(&good), 0, "{text}");
    // Legacy nulls are valid too.
    let legacy = dir.path().join("legacy.json");
    std::fs::write(&legacy, text.replace("\"nan\"", "null")).unwrap();
    assert_eq!(violations(&legacy), 0);
    // Negative controls: an unknown spelling, a negative infinity where only
    // non-negative values are allowed, a non-finite raw sample.
    for (what, bad) in [
        ("spelling", text.replace("\"-inf\"", "\"minus infinity\"")),
        (
            "sign",
            text.replace("\"mad\": \"nan\"", "\"mad\": \"-inf\""),
        ),
        ("sample", text.replacen("10.0", "\"nan\"", 1)),
    ] {
        assert_ne!(bad, text, "{what}: the substitution did not apply");
        let p = dir.path().join(format!("{what}.json"));
        std::fs::write(&p, bad).unwrap();
        assert!(violations(&p) > 0, "{what} accepted by the schema");
    }
}
