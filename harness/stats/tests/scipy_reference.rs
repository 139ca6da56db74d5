//! Cross-check against SciPy/NumPy: every deterministic statistic is
//! recomputed on the committed datasets (`scripts/stats-ref/datasets.json`)
//! and compared with the committed reference values
//! (`scripts/stats-ref/reference.json`, produced by
//! `scripts/stats-ref/make_reference.py`) to 1e-6.
//!
//! The check cannot pass vacuously: the expected datasets, cases, keys and
//! vector lengths are recorded below and checked before any value, so an
//! empty, truncated or partly missing reference (or dataset) fails, which
//! `truncated_copies_fail` demonstrates on truncated copies.

use pqbench_stats::*;
use serde_json::Value;
use std::path::PathBuf;

/// Two-sample cases: (name, length of x, length of y, has an exact
/// Mann-Whitney reference).
const TWO_SAMPLE: [(&str, usize, usize, bool); 7] = [
    ("lognormal_small", 5, 6, true),
    ("lognormal_exact8", 8, 12, true),
    ("lognormal_large", 40, 35, false),
    ("ties_integer", 20, 25, false),
    ("bimodal", 30, 30, false),
    ("heavy_tail", 15, 18, false),
    ("tiny_exact", 3, 4, true),
];
/// Paired cases: (name, number of ratios).
const PAIRED: [(&str, usize); 3] = [("rounds12", 12), ("rounds60", 60), ("rounds_ties", 12)];
/// Length of the p-value vector (and of the Holm and BH references).
const PVALUES: usize = 10;
/// Length of the quantile dataset.
const QUANTILE_DATA: usize = 101;
/// Quantile levels with a reference.
const QUANTILES: [&str; 8] = ["0.0", "0.01", "0.25", "0.5", "0.9", "0.99", "0.999", "1.0"];

/// Values compared per two-sample case: U and p for 2 or 3 Mann-Whitney
/// methods, 5 Welch, 2 x 3 Hodges-Lehmann (+ exactness flag), Cliff.
fn expected_checks() -> usize {
    let two: usize = TWO_SAMPLE
        .iter()
        .map(|c| 2 * if c.3 { 3 } else { 2 } + 5 + 1)
        .sum();
    let paired = PAIRED.len() * 9;
    two + paired + 2 * PVALUES + QUANTILES.len() + 1
}

fn read(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/stats-ref")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Collects failures instead of stopping at the first.
#[derive(Default)]
struct Check {
    failures: Vec<String>,
    compared: usize,
}

impl Check {
    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }

    fn num(&mut self, v: &Value, what: &str) -> Option<f64> {
        let x = v.as_f64();
        if x.is_none() {
            self.fail(format!("{what}: missing or not a number ({v})"));
        }
        x
    }

    fn vec(&mut self, v: &Value, len: usize, what: &str) -> Option<Vec<f64>> {
        let Some(a) = v.as_array() else {
            self.fail(format!("{what}: missing or not an array"));
            return None;
        };
        if a.len() != len {
            self.fail(format!("{what}: length {} (expected {len})", a.len()));
            return None;
        }
        a.iter()
            .enumerate()
            .map(|(i, x)| self.num(x, &format!("{what}[{i}]")))
            .collect()
    }

    fn keys(&mut self, v: &Value, want: &[&str], what: &str) -> bool {
        let Some(o) = v.as_object() else {
            self.fail(format!("{what}: missing or not an object"));
            return false;
        };
        let mut got: Vec<&str> = o.keys().map(String::as_str).collect();
        let mut want = want.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            self.fail(format!("{what}: keys {got:?}, expected {want:?}"));
            return false;
        }
        true
    }

    fn close(&mut self, what: &str, got: f64, want: &Value) {
        let Some(want) = self.num(want, what) else {
            return;
        };
        self.compared += 1;
        let tol = 1e-6 * want.abs().max(1.0);
        if (got - want).abs() > tol || got.is_nan() {
            self.fail(format!(
                "{what}: got {got}, SciPy says {want} (diff {:e})",
                (got - want).abs()
            ));
        }
    }
}

fn two_sample(c: &mut Check, data: &Value, refs: &Value) {
    let names: Vec<&str> = TWO_SAMPLE.iter().map(|t| t.0).collect();
    c.keys(&refs["two_sample"], &names, "reference two_sample");
    for (name, nx, ny, exact) in TWO_SAMPLE {
        let e = &refs["two_sample"][name];
        let mut want = vec!["mw_auto", "mw_asymptotic", "welch_log", "cliffs_delta"];
        if exact {
            want.push("mw_exact");
        }
        if !c.keys(e, &want, &format!("reference two_sample.{name}")) {
            continue;
        }
        let (Some(x), Some(y)) = (
            c.vec(&data[name][0], nx, &format!("dataset {name}[0]")),
            c.vec(&data[name][1], ny, &format!("dataset {name}[1]")),
        ) else {
            continue;
        };
        for (key, method) in [
            ("mw_auto", MwMethod::Auto),
            ("mw_asymptotic", MwMethod::Asymptotic),
            ("mw_exact", MwMethod::Exact),
        ] {
            if key == "mw_exact" && !exact {
                continue;
            }
            let r = mann_whitney_u(&x, &y, method).unwrap();
            c.close(&format!("{name} {key} U"), r.u, &e[key]["u"]);
            c.close(&format!("{name} {key} p"), r.p_value, &e[key]["p"]);
        }
        let lx: Vec<f64> = x.iter().map(|v| v.ln()).collect();
        let ly: Vec<f64> = y.iter().map(|v| v.ln()).collect();
        let w = welch_t(&lx, &ly).unwrap();
        let (lo, hi) = w.confidence_interval(0.95).unwrap();
        let we = &e["welch_log"];
        c.close(&format!("{name} welch t"), w.t, &we["t"]);
        c.close(&format!("{name} welch df"), w.df, &we["df"]);
        c.close(&format!("{name} welch p"), w.p_value, &we["p"]);
        c.close(&format!("{name} welch lo"), lo, &we["lo"]);
        c.close(&format!("{name} welch hi"), hi, &we["hi"]);
        c.close(
            &format!("{name} cliff"),
            cliffs_delta(&x, &y).unwrap(),
            &e["cliffs_delta"],
        );
    }
}

fn paired(c: &mut Check, data: &Value, refs: &Value) {
    let names: Vec<&str> = PAIRED.iter().map(|t| t.0).collect();
    c.keys(&refs["paired"], &names, "reference paired");
    for (name, n) in PAIRED {
        let e = &refs["paired"][name];
        let Some(r) = c.vec(&data["paired"][name], n, &format!("dataset paired.{name}")) else {
            continue;
        };
        if e.as_object().is_none() {
            c.fail(format!("reference paired.{name}: missing"));
            continue;
        }
        let a = paired_ratios(&r, 0.95, 200, 1).unwrap();
        c.close(&format!("{name} t"), a.t_test.t, &e["t"]);
        c.close(&format!("{name} df"), a.t_test.df, &e["df"]);
        c.close(&format!("{name} p"), a.t_test.p_value, &e["p"]);
        c.close(
            &format!("{name} geomean"),
            a.geomean.estimate,
            &e["geomean"],
        );
        c.close(
            &format!("{name} geomean lo"),
            a.geomean.lo,
            &e["geomean_lo"],
        );
        c.close(
            &format!("{name} geomean hi"),
            a.geomean.hi,
            &e["geomean_hi"],
        );
        let w = a.wilcoxon.unwrap();
        let want_method = match e["wilcoxon_method"].as_str() {
            Some("exact") => WilcoxonMethod::Exact,
            Some(_) => WilcoxonMethod::Asymptotic,
            None => {
                c.fail(format!("{name} wilcoxon_method missing"));
                continue;
            }
        };
        if w.method != want_method {
            c.fail(format!("{name} wilcoxon method {:?}", w.method));
        }
        c.close(
            &format!("{name} wilcoxon stat"),
            w.statistic,
            &e["wilcoxon"]["statistic"],
        );
        c.close(
            &format!("{name} wilcoxon p"),
            w.p_value,
            &e["wilcoxon"]["p"],
        );
        c.close(
            &format!("{name} sign p"),
            a.sign.unwrap().p_value,
            &e["sign_p"],
        );
    }
}

fn corrections_quantiles(c: &mut Check, data: &Value, refs: &Value) {
    if let (Some(p), Some(h), Some(b)) = (
        c.vec(&data["pvalues"], PVALUES, "dataset pvalues"),
        c.vec(&refs["holm"], PVALUES, "reference holm"),
        c.vec(&refs["bh"], PVALUES, "reference bh"),
    ) {
        for (i, (got, want)) in holm(&p).iter().zip(h).enumerate() {
            c.close(&format!("holm[{i}]"), *got, &want.into());
        }
        for (i, (got, want)) in benjamini_hochberg(&p).iter().zip(b).enumerate() {
            c.close(&format!("bh[{i}]"), *got, &want.into());
        }
    }
    let Some(q) = c.vec(
        &data["quantile_data"],
        QUANTILE_DATA,
        "dataset quantile_data",
    ) else {
        return;
    };
    if c.keys(&refs["quantiles"], &QUANTILES, "reference quantiles") {
        for k in QUANTILES {
            let qq: f64 = k.parse().unwrap();
            c.close(
                &format!("quantile {k}"),
                quantile(&q, qq).unwrap(),
                &refs["quantiles"][k],
            );
            let mut sorted = q.clone();
            sorted.sort_by(f64::total_cmp);
            c.close(
                &format!("quantile_sorted {k}"),
                quantile_sorted(&sorted, qq),
                &refs["quantiles"][k],
            );
            c.compared = c.compared.saturating_sub(1); // same reference value: counted once
        }
    }
    c.close(
        "gmean",
        geometric_mean(&q).unwrap(),
        &refs["geometric_mean"],
    );
}

/// Every check over a datasets text and a reference text; `Err` lists every
/// failure (parse errors, missing or short data, wrong values, too few
/// comparisons).
fn check_all(datasets: &str, reference: &str) -> Result<usize, Vec<String>> {
    let parse = |t: &str, what: &str| {
        serde_json::from_str::<Value>(t).map_err(|e| vec![format!("{what}: not JSON: {e}")])
    };
    let data = parse(datasets, "datasets.json")?;
    let refs = parse(reference, "reference.json")?;
    let mut c = Check::default();
    two_sample(&mut c, &data, &refs);
    paired(&mut c, &data, &refs);
    corrections_quantiles(&mut c, &data, &refs);
    if c.compared != expected_checks() {
        c.fail(format!(
            "{} values compared, expected {}",
            c.compared,
            expected_checks()
        ));
    }
    if c.failures.is_empty() {
        Ok(c.compared)
    } else {
        Err(c.failures)
    }
}

#[test]
fn committed_references_match_scipy() {
    match check_all(&read("datasets.json"), &read("reference.json")) {
        Ok(n) => assert_eq!(n, expected_checks()),
        Err(f) => panic!("{} failures:\n{}", f.len(), f.join("\n")),
    }
}

#[test]
fn truncated_copies_fail() {
    let data = read("datasets.json");
    let refs = read("reference.json");
    let fails = |d: &str, r: &str, needle: &str| {
        let e = check_all(d, r).expect_err("a truncated copy must fail");
        assert!(
            e.iter().any(|m| m.contains(needle)),
            "no failure mentions {needle:?}: {e:?}"
        );
    };
    // Empty and cut-off files.
    fails(&data, "{}", "reference two_sample: missing");
    fails(&data, "", "reference.json: not JSON");
    fails(&data, &refs[..refs.len() / 2], "not JSON");
    fails("{}", &refs, "dataset lognormal_small[0]: missing");
    let edit = |text: &str, f: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(text).unwrap();
        f(&mut v);
        v.to_string()
    };
    // A case, a key, a vector element or a quantile level dropped.
    let r = edit(&refs, &|v| {
        v["two_sample"].as_object_mut().unwrap().remove("bimodal");
    });
    fails(&data, &r, "reference two_sample: keys");
    let r = edit(&refs, &|v| {
        v["two_sample"]["tiny_exact"]
            .as_object_mut()
            .unwrap()
            .remove("mw_exact");
    });
    fails(&data, &r, "reference two_sample.tiny_exact: keys");
    let r = edit(&refs, &|v| {
        v["paired"].as_object_mut().unwrap().remove("rounds60");
    });
    fails(&data, &r, "reference paired");
    let r = edit(&refs, &|v| {
        v["holm"].as_array_mut().unwrap().pop();
    });
    fails(&data, &r, "reference holm: length 9 (expected 10)");
    let r = edit(&refs, &|v| {
        v["quantiles"].as_object_mut().unwrap().remove("0.999");
    });
    fails(&data, &r, "reference quantiles: keys");
    let r = edit(&refs, &|v| {
        v.as_object_mut().unwrap().remove("geometric_mean");
    });
    fails(&data, &r, "gmean: missing");
    let d = edit(&data, &|v| {
        v["lognormal_large"][1].as_array_mut().unwrap().pop();
    });
    fails(
        &d,
        &refs,
        "dataset lognormal_large[1]: length 34 (expected 35)",
    );
    let d = edit(&data, &|v| {
        v["paired"]["rounds12"].as_array_mut().unwrap().truncate(3);
    });
    fails(&d, &refs, "dataset paired.rounds12: length 3");
    // A wrong value is caught too.
    let r = edit(&refs, &|v| {
        v["two_sample"]["bimodal"]["welch_log"]["p"] = 0.5.into();
    });
    fails(&data, &r, "bimodal welch p");
}
