//! Cross-check against SciPy/NumPy: every deterministic statistic is
//! recomputed on the committed datasets (`scripts/stats-ref/datasets.json`)
//! and compared with the committed reference values
//! (`scripts/stats-ref/reference.json`, produced by
//! `scripts/stats-ref/make_reference.py`) to 1e-6.

use pqbench_stats::*;
use serde_json::Value;
use std::path::PathBuf;

fn load(name: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/stats-ref")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

fn vecf(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    let tol = 1e-6 * want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, SciPy says {want} (diff {:e})",
        (got - want).abs()
    );
}

#[test]
fn two_sample_statistics_match_scipy() {
    let data = load("datasets.json");
    let refs = load("reference.json");
    let mut checked = 0;
    for (name, e) in refs["two_sample"].as_object().unwrap() {
        let x = vecf(&data[name][0]);
        let y = vecf(&data[name][1]);
        for (key, method) in [
            ("mw_auto", MwMethod::Auto),
            ("mw_asymptotic", MwMethod::Asymptotic),
            ("mw_exact", MwMethod::Exact),
        ] {
            if e.get(key).is_none() {
                continue;
            }
            let r = mann_whitney_u(&x, &y, method).unwrap();
            close(&format!("{name} {key} U"), r.u, f(&e[key]["u"]));
            close(&format!("{name} {key} p"), r.p_value, f(&e[key]["p"]));
            checked += 1;
        }
        let lx: Vec<f64> = x.iter().map(|v| v.ln()).collect();
        let ly: Vec<f64> = y.iter().map(|v| v.ln()).collect();
        let w = welch_t(&lx, &ly).unwrap();
        let (lo, hi) = w.confidence_interval(0.95).unwrap();
        let we = &e["welch_log"];
        close(&format!("{name} welch t"), w.t, f(&we["t"]));
        close(&format!("{name} welch df"), w.df, f(&we["df"]));
        close(&format!("{name} welch p"), w.p_value, f(&we["p"]));
        close(&format!("{name} welch lo"), lo, f(&we["lo"]));
        close(&format!("{name} welch hi"), hi, f(&we["hi"]));
        for (key, conf) in [("hodges_lehmann", 0.95), ("hodges_lehmann_90", 0.90)] {
            let h = hodges_lehmann(&x, &y, conf).unwrap();
            let he = &e[key];
            close(
                &format!("{name} {key} estimate"),
                h.estimate,
                f(&he["estimate"]),
            );
            close(&format!("{name} {key} lo"), h.lo, f(&he["lo"]));
            close(&format!("{name} {key} hi"), h.hi, f(&he["hi"]));
            assert_eq!(
                h.exact,
                he["exact"].as_bool().unwrap(),
                "{name} {key} exact"
            );
        }
        close(
            &format!("{name} cliff"),
            cliffs_delta(&x, &y).unwrap(),
            f(&e["cliffs_delta"]),
        );
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} checks ran");
}

#[test]
fn paired_statistics_match_scipy() {
    let data = load("datasets.json");
    let refs = load("reference.json");
    for (name, e) in refs["paired"].as_object().unwrap() {
        let r = vecf(&data["paired"][name]);
        let a = paired_ratios(&r, 0.95, 200, 1).unwrap();
        close(&format!("{name} t"), a.t_test.t, f(&e["t"]));
        close(&format!("{name} df"), a.t_test.df, f(&e["df"]));
        close(&format!("{name} p"), a.t_test.p_value, f(&e["p"]));
        close(
            &format!("{name} geomean"),
            a.geomean.estimate,
            f(&e["geomean"]),
        );
        close(
            &format!("{name} geomean lo"),
            a.geomean.lo,
            f(&e["geomean_lo"]),
        );
        close(
            &format!("{name} geomean hi"),
            a.geomean.hi,
            f(&e["geomean_hi"]),
        );
        let w = a.wilcoxon.unwrap();
        let want_method = match e["wilcoxon_method"].as_str().unwrap() {
            "exact" => WilcoxonMethod::Exact,
            _ => WilcoxonMethod::Asymptotic,
        };
        assert_eq!(w.method, want_method, "{name} wilcoxon method");
        close(
            &format!("{name} wilcoxon stat"),
            w.statistic,
            f(&e["wilcoxon"]["statistic"]),
        );
        close(
            &format!("{name} wilcoxon p"),
            w.p_value,
            f(&e["wilcoxon"]["p"]),
        );
        close(
            &format!("{name} sign p"),
            a.sign.unwrap().p_value,
            f(&e["sign_p"]),
        );
    }
}

#[test]
fn corrections_quantiles_match_scipy() {
    let data = load("datasets.json");
    let refs = load("reference.json");
    let p = vecf(&data["pvalues"]);
    for (got, want) in holm(&p).iter().zip(vecf(&refs["holm"])) {
        close("holm", *got, want);
    }
    for (got, want) in benjamini_hochberg(&p).iter().zip(vecf(&refs["bh"])) {
        close("bh", *got, want);
    }
    let q = vecf(&data["quantile_data"]);
    for (k, want) in refs["quantiles"].as_object().unwrap() {
        let qq: f64 = k.parse().unwrap();
        close(&format!("quantile {k}"), quantile(&q, qq).unwrap(), f(want));
    }
    close(
        "gmean",
        geometric_mean(&q).unwrap(),
        f(&refs["geometric_mean"]),
    );
}
