//! Cross-check of Yuen's trimmed t-test (`yuen.rs`) against SciPy's
//! `ttest_ind(a, b, equal_var=False, trim=...)`: the committed
//! `scripts/stats-ref/yuen_reference.json`, written by
//! `scripts/stats-ref/yuen_reference.py`. The case count is fixed here, so
//! an empty or truncated reference fails.

use pqbench_stats::yuen_t;
use serde_json::Value;
use std::path::PathBuf;

fn f(c: &Value, k: &str) -> f64 {
    c[k].as_f64().unwrap_or_else(|| panic!("{k} in {c}"))
}

fn values(c: &Value, k: &str) -> Vec<f64> {
    c[k].as_array()
        .unwrap_or_else(|| panic!("{k} in {c}"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

#[test]
fn yuen_matches_scipy_trimmed_ttest_ind() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/stats-ref/yuen_reference.json");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let cases = r["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 108, "case count");
    let mut trimmed = 0;
    for c in cases {
        let y = yuen_t(&values(c, "a"), &values(c, "b"), f(c, "trim")).unwrap();
        let (lo, hi) = y.confidence_interval(0.95).unwrap();
        let close = |got: f64, want: f64, tol: f64| (got - want).abs() <= tol * want.abs().max(1.0);
        assert!(close(y.t, f(c, "t"), 1e-9), "t {c}: {y:?}");
        assert!(close(y.df, f(c, "df"), 1e-9), "df {c}: {y:?}");
        assert!(close(y.p_value, f(c, "p"), 1e-9), "p {c}: {y:?}");
        assert!(
            close(y.estimate, f(c, "estimate"), 1e-12),
            "estimate {c}: {y:?}"
        );
        assert!(
            close(lo, f(c, "lo"), 1e-9) && close(hi, f(c, "hi"), 1e-9),
            "interval {c}"
        );
        trimmed += usize::from(f(c, "trim") > 0.0 && values(c, "a").len() >= 5);
    }
    assert!(trimmed > 50, "too few trimmed cases: {trimmed}");
}
