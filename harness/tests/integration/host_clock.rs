//! The host clock (`PQBENCH_CLOCK`): a run records which clock timed it in
//! the environment's `host_timer`, in every result's `timer` and in every
//! replication's; the file validates against `results/schema-v1.json` with
//! the new fields and loads without them; an invalid setting is refused.

use pqbench::results::{self, ClockKind, Status, TimerInfo};
use std::path::Path;
use std::process::{Command, Output};

const BENCH: &str = "hash/sha256.digest/rustcrypto/1KiB";

fn run(clock: Option<&str>, out: &Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pqbench"));
    c.env("CI", "1").env_remove("PQBENCH_TSC_HZ");
    match clock {
        Some(v) => c.env("PQBENCH_CLOCK", v),
        None => c.env_remove("PQBENCH_CLOCK"),
    };
    c.args(["run", "-f", BENCH, "--bench-time", "100ms", "-p", "2", "-o"])
        .arg(out)
        .output()
        .unwrap()
}

/// Schema violations of each file (Python `jsonschema`, installed by setup).
fn violations(paths: &[&Path]) -> Vec<usize> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/schema-v1.json");
    let out = Command::new("python3")
        .args([
            "-c",
            "import json,sys,jsonschema\n\
             v=jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))\n\
             print(' '.join(str(len(list(v.iter_errors(json.load(open(p)))))) for p in sys.argv[2:]))",
        ])
        .arg(schema)
        .args(paths)
        .output()
        .expect("python3 with jsonschema");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect()
}

/// Every timer of the file (environment, result, replications).
fn timers(path: &Path) -> Vec<TimerInfo> {
    let f = results::load(path).unwrap();
    let r = &f.results[0];
    assert_eq!(r.status, Status::Ok);
    let mut all = vec![f.environment.host_timer.unwrap(), r.timer.unwrap()];
    for p in r.details["per_process"].as_array().unwrap() {
        all.push(serde_json::from_value(p["timer"].clone()).unwrap());
    }
    assert_eq!(all.len(), 4);
    all
}

/// Removes every `clock` field from `v`; returns how many there were.
fn strip_clock(v: &mut serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => {
            let here = usize::from(m.remove("clock").is_some());
            here + m.values_mut().map(strip_clock).sum::<usize>()
        }
        serde_json::Value::Array(a) => a.iter_mut().map(strip_clock).sum(),
        _ => 0,
    }
}

#[test]
fn forced_monotonic_is_recorded_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mono.json");
    let o = run(Some("monotonic"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for t in timers(&out) {
        assert_eq!(
            (t.clock, t.clock_hz),
            (Some(ClockKind::Monotonic), None),
            "{t:?}"
        );
    }
    // Without the new fields (as older versions wrote it) the file loads.
    let text = std::fs::read_to_string(&out).unwrap();
    let old = dir.path().join("old.json");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(strip_clock(&mut v), 4);
    let stripped = serde_json::to_string_pretty(&v).unwrap();
    assert!(!stripped.contains("\"clock\""));
    std::fs::write(&old, &stripped).unwrap();
    let loaded = results::load(&old).unwrap();
    assert_eq!(loaded.results[0].timer.unwrap().clock, None);
    // Negative control: an unknown clock name is refused by the schema.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, text.replace("\"monotonic\"", "\"rdtsc\"")).unwrap();
    assert_eq!(violations(&[&out, &old, &bad])[..2], [0, 0]);
    assert!(violations(&[&bad])[0] > 0, "an unknown clock validated");
}

#[test]
fn auto_uses_the_tsc_where_it_is_invariant() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("auto.json");
    let o = run(None, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let all = timers(&out);
    let host = all[0];
    assert!(host.clock.is_some());
    for t in &all {
        // Workers inherit the parent's clock and frequency.
        assert_eq!(
            (t.clock, t.clock_hz),
            (host.clock, host.clock_hz),
            "{all:?}"
        );
    }
    if host.clock == Some(ClockKind::Tsc) {
        let hz = host.clock_hz.unwrap();
        assert!((1e8..1e11).contains(&hz), "{hz}");
    }
    assert_eq!(violations(&[&out]), [0]);
}

#[test]
fn an_invalid_clock_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.json");
    let o = run(Some("fastest"), &out);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("PQBENCH_CLOCK must be auto, tsc or monotonic, not \"fastest\""),
        "{err}"
    );
    assert!(!out.exists());
}
