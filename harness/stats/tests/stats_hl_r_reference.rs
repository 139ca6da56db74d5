//! Hodges–Lehmann estimates and intervals against R's
//! `wilcox.test(conf.int = TRUE)`: the committed reference
//! `scripts/stats-ref/hl_reference.tsv` was written by
//! `scripts/stats-ref/hl_reference.R` (R 4.2.2) from
//! `scripts/stats-ref/hl_datasets.tsv`; `scripts/test.d/20-evidence.sh`
//! recomputes it with R when R is installed. Every value must match to 1e-9.

use pqbench_stats::hodges_lehmann;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn read(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/stats-ref")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn numbers(s: &str) -> Vec<f64> {
    s.split(',').map(|v| v.trim().parse().unwrap()).collect()
}

/// Checks every reference row; returns the failures and the rows compared.
fn check(datasets: &str, reference: &str) -> (Vec<String>, usize) {
    let data: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = datasets
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0], (numbers(f[1]), numbers(f[2])))
        })
        .collect();
    let mut failures = Vec::new();
    let named = datasets.lines().filter(|l| !l.trim().is_empty()).count();
    if data.len() != named {
        failures.push(format!(
            "{} datasets but {} distinct names",
            named,
            data.len()
        ));
    }
    let mut compared = 0;
    for line in reference.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let Some((x, y)) = data.get(f[0]) else {
            failures.push(format!("{}: no such dataset", f[0]));
            continue;
        };
        let conf: f64 = f[1].parse().unwrap();
        let h = hodges_lehmann(x, y, conf).unwrap();
        for (what, got, want) in [
            ("estimate", h.estimate, f[2]),
            ("lo", h.lo, f[3]),
            ("hi", h.hi, f[4]),
        ] {
            let want: f64 = want.parse().unwrap();
            if (got - want).abs() > 1e-9 * want.abs().max(1.0) {
                failures.push(format!("{} {conf} {what}: got {got}, R says {want}", f[0]));
            }
        }
        compared += 1;
    }
    (failures, compared)
}

#[test]
fn hodges_lehmann_matches_r_wilcox_test() {
    let (failures, compared) = check(&read("hl_datasets.tsv"), &read("hl_reference.tsv"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(compared, 39, "every dataset at 3 confidence levels");
}

#[test]
fn the_old_one_order_statistic_too_narrow_bound_would_fail() {
    // Negative control: shift every lower bound of the reference to the
    // next order statistic (the old `k = u + 2` rule) and the check fails.
    let data = read("hl_datasets.tsv");
    let narrowed: String = read("hl_reference.tsv")
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l.to_string();
            }
            let f: Vec<&str> = l.split('\t').collect();
            let lo: f64 = f[3].parse().unwrap();
            format!("{}\t{}\t{}\t{}\t{}", f[0], f[1], f[2], lo + 1e-3, f[4])
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (failures, compared) = check(&data, &narrowed);
    assert_eq!(compared, 39);
    assert_eq!(failures.len(), 39, "{failures:?}");
}
