//! Per-replication placement and CPU pinning of `pqbench run` (the real
//! binary, real worker processes): placements are recorded per
//! replication with `--placement random`, reproducible from the seed,
//! absent by default (`fixed`); `--pin` is recorded, and refused with exit 2 for a CPU this
//! process may not use.

use crate::common::pqbench;
use serde_json::Value;
use std::path::Path;

/// `pqbench run` of one short benchmark with `extra` arguments; the file.
fn run(dir: &Path, name: &str, extra: &[&str]) -> Value {
    let out = dir.join(name);
    let mut args = vec![
        "run",
        "-f",
        "sha256.digest/rustcrypto/1KiB",
        "-p",
        "3",
        "--bench-time",
        "150ms",
        "--max-samples",
        "50",
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, text) = pqbench(&args);
    assert_eq!(code, 0, "{text}");
    serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

fn placements(file: &Value) -> Vec<Value> {
    file["results"][0]["details"]["per_process"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["placement"].clone())
        .collect()
}

#[test]
fn placements_are_recorded_per_replication_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let random = |name: &str, seed: &str| {
        placements(&run(
            dir.path(),
            name,
            &["--placement", "random", "--seed", seed],
        ))
    };
    let (a, b, c) = (
        random("a.json", "5"),
        random("b.json", "5"),
        random("c.json", "6"),
    );
    assert_eq!(a.len(), 3);
    for p in &a {
        for k in ["env_pad", "stack_pad", "heap_pad"] {
            assert!(p[k].as_u64().is_some_and(|v| v < 4096), "{p}");
        }
    }
    assert_eq!(a, b, "same seed, same placements");
    assert_ne!(a, c, "another seed, other placements");
    assert_ne!(a[0], a[1], "each replication its own placement");
    // The default is fixed.
    let fixed = run(dir.path(), "f.json", &[]);
    assert!(placements(&fixed).iter().all(Value::is_null));
    assert_eq!(fixed["environment"]["placement"], "fixed");
}

#[test]
fn pin_is_recorded_and_an_unusable_cpu_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = run(dir.path(), "p.json", &["--pin", "0"]);
    assert_eq!(f["environment"]["pin_cpu"], 0);
    let out = dir.path().join("x.json");
    let (code, text) = pqbench([
        "run",
        "-f",
        "sha256.digest/rustcrypto/1KiB",
        "--pin",
        "100000",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("--pin: cannot pin to CPU 100000: not one of the CPUs this process may use"),
        "{text}"
    );
    assert!(!out.exists());
}
