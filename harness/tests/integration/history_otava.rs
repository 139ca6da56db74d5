//! Change points of `pqbench_stats::e_divisive` against Apache Otava's
//! original E-divisive means with the permutation test, on the shared
//! synthetic series of `scripts/history/otava-reference.json` (made by
//! `scripts/history/otava_reference.py`; `scripts/test.d/50-history.sh`
//! regenerates it with the installed Otava and points
//! `PQBENCH_OTAVA_REF` at the fresh file). Same number of change points,
//! each index within one run of Otava's.

use pqbench_stats::{EDivisiveConfig, e_divisive};
use serde_json::Value;
use std::path::PathBuf;

fn reference() -> Value {
    let path = std::env::var_os("PQBENCH_OTAVA_REF")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../scripts/history/otava-reference.json")
        });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn indexes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_u64().unwrap() as usize)
        .collect()
}

/// Same count, pairwise within one index.
fn agree(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.abs_diff(*y) <= 1)
}

#[test]
fn change_points_agree_with_otava() {
    let r = reference();
    let cfg = EDivisiveConfig {
        significance: r["alpha"].as_f64().unwrap(),
        permutations: r["permutations"].as_u64().unwrap() as usize,
        ..EDivisiveConfig::default()
    };
    let mut failures = Vec::new();
    let series = r["series"].as_array().unwrap();
    assert!(series.len() >= 10);
    for s in series {
        let values: Vec<f64> = s["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let ours: Vec<usize> = e_divisive(&values, &cfg)
            .unwrap()
            .iter()
            .map(|c| c.index)
            .collect();
        let otava = indexes(&s["otava"]);
        let truth = indexes(&s["true_changes"]);
        eprintln!(
            "{:<18} true {truth:?} otava {otava:?} pqbench {ours:?}",
            s["name"]
        );
        if !agree(&ours, &otava) {
            failures.push(format!("{}: pqbench {ours:?}, otava {otava:?}", s["name"]));
        }
    }
    assert!(failures.is_empty(), "disagreements: {failures:#?}");
}

/// The comparison itself can fail: a missed or moved change is caught.
#[test]
fn the_agreement_check_rejects_a_wrong_answer() {
    assert!(agree(&[30, 60], &[31, 60]));
    assert!(!agree(&[30], &[30, 60]));
    assert!(!agree(&[30, 62], &[30, 60]));
}
