//! Cross-check of the t-test power (`t_power.rs`) against SciPy's
//! noncentral t: the committed `scripts/stats-ref/power_reference.json`,
//! written by `scripts/stats-ref/power_reference.py`. The expected case
//! counts are fixed here, so an empty or truncated reference fails.

use pqbench_stats::{detectable_nc, noncentral_t_cdf, replications_needed, t_test_power};
use serde_json::Value;
use std::path::PathBuf;

fn reference() -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/stats-ref/power_reference.json");
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn cases<'a>(r: &'a Value, key: &str, expected: usize) -> &'a Vec<Value> {
    let v = r[key].as_array().unwrap_or_else(|| panic!("{key} missing"));
    assert_eq!(v.len(), expected, "{key}: case count");
    v
}

fn f(c: &Value, k: &str) -> f64 {
    c[k].as_f64().unwrap_or_else(|| panic!("{k} in {c}"))
}

#[test]
fn noncentral_t_cdf_matches_scipy() {
    let r = reference();
    for c in cases(&r, "cdf", 144) {
        let got = noncentral_t_cdf(f(c, "t"), f(c, "df"), f(c, "nc")).unwrap();
        assert!((got - f(c, "cdf")).abs() < 1e-7, "{c}: got {got}");
    }
}

#[test]
fn power_and_detectable_shift_match_scipy() {
    let r = reference();
    for c in cases(&r, "power", 32) {
        let got = t_test_power(f(c, "nc"), f(c, "df"), f(c, "alpha")).unwrap();
        assert!((got - f(c, "power")).abs() < 1e-7, "{c}: got {got}");
    }
    for c in cases(&r, "detectable_nc", 30) {
        let got = detectable_nc(f(c, "df"), f(c, "alpha"), f(c, "power")).unwrap();
        let want = f(c, "nc");
        assert!((got - want).abs() < 1e-6 * want, "{c}: got {got}");
    }
}

#[test]
fn replications_needed_match_a_plain_loop_over_scipy() {
    let r = reference();
    for c in cases(&r, "replications_needed", 12) {
        let got = replications_needed(
            f(c, "delta"),
            f(c, "va"),
            f(c, "vb"),
            f(c, "alpha"),
            f(c, "power"),
            c["max_n"].as_u64().unwrap() as usize,
        )
        .unwrap();
        assert_eq!(got, c["n"].as_u64().map(|n| n as usize), "{c}");
    }
}
