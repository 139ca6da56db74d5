//! Cross-check of the one-sample trimmed t-test (`trimmed_one_sample_t`)
//! against SciPy's `mstats.trimr` mean, `mstats.trimmed_stde` and
//! `mstats.trimmed_mean_ci`: the committed
//! `scripts/stats-ref/trimmed_t_reference.json`, written by
//! `scripts/stats-ref/trimmed_t_reference.py`. The case count is fixed here,
//! so an empty or truncated reference fails.

use pqbench_stats::trimmed_one_sample_t;
use serde_json::Value;
use std::path::PathBuf;

fn f(c: &Value, k: &str) -> f64 {
    c[k].as_f64().unwrap_or_else(|| panic!("{k} in {c}"))
}

#[test]
fn trimmed_t_matches_scipy_mstats() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/stats-ref/trimmed_t_reference.json");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let cases = r["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 90, "case count");
    for c in cases {
        let x: Vec<f64> = c["x"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let t = trimmed_one_sample_t(&x, f(c, "trim"), 0.0).unwrap();
        let (lo, hi) = t.confidence_interval(0.95).unwrap();
        let close =
            |got: f64, want: f64, tol: f64| (got - want).abs() <= tol * want.abs().max(1e-3);
        assert!(
            close(t.estimate, f(c, "estimate"), 1e-12),
            "estimate {c}: {t:?}"
        );
        assert!(
            close(t.std_err, f(c, "std_err"), 1e-9),
            "std_err {c}: {t:?}"
        );
        assert_eq!(t.df, f(c, "df"), "df {c}");
        assert!(close(t.t, f(c, "t"), 1e-9), "t {c}: {t:?}");
        assert!(close(t.p_value, f(c, "p"), 1e-9), "p {c}: {t:?}");
        assert!(
            close(lo, f(c, "lo"), 1e-9) && close(hi, f(c, "hi"), 1e-9),
            "interval {c}"
        );
    }
}
