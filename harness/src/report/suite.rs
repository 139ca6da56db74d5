//! The PQC suite table: scheme x operation x implementation with median, p99
//! and a 95 % confidence interval of the median (hierarchical bootstrap over
//! replications; none below 2 replications); the ratio to the fastest
//! implementation of the same operation; the "retrofit cost" (time ratio to
//! the classical operation the scheme replaces, next to the public-key and
//! ciphertext/signature size ratios); and published anchor figures as a
//! labelled reference column (from `results/anchors.json`, embedded in the
//! binary; see [`super::anchors`]).
//!
//! Retrofit pairs (classical reference, all `rustcrypto`):
//! * ML-KEM keygen -> X25519 keygen, ECDH P-256 keygen;
//!   encaps / decaps -> X25519 DH, ECDH P-256 DH, RSA-2048 encrypt / decrypt;
//! * ML-DSA, SLH-DSA (and SPHINCS+ round 3.1, scheme `sphincsplus`) keygen ->
//!   Ed25519 / ECDSA P-256 keygen; sign / verify -> Ed25519, ECDSA P-256,
//!   RSA-2048 sign / verify.
//!
//! Each retrofit pair is shown twice: against RustCrypto (the ids above) and
//! against the fastest *production* implementation of the same classical
//! operation and parameters measured on the same target (any implementation
//! other than `rustcrypto`: `openssl`, `ring`, `aws-lc`), named in the cell
//! (`ECDH-P256 (aws-lc) 2.10×`); see [`best_production`].
//!
//! Rows are ordered by scheme, then operation in protocol order (keygen,
//! encaps, decaps, sign, verify), then parameter set in natural order (512 <
//! 768 < 1024; sha2-128f < sha2-128s < shake-128f), then median.

use super::{Align, MarkupStyle, Table, format_value};
use crate::results::{BenchResult, ResultsFile, Status};
use pqbench_stats::{BootstrapConfig, Groups, bootstrap_median};

pub use super::anchors::{Anchor, load_anchors};

/// Splits `suite/name/impl/params`.
fn parts(id: &str) -> Option<[&str; 4]> {
    let mut it = id.split('/');
    let p = [it.next()?, it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(p)
}

/// Bootstrap replicates of the suite table's median interval.
const CI_RESAMPLES: usize = 1000;

/// 95 % confidence interval of the median by the hierarchical bootstrap of
/// `pqbench-stats` (replications resampled, then samples within each): the
/// replication (process, session) is the unit, so an interval needs at
/// least 2 of them. `Err` says why there is none.
pub fn median_ci(r: &BenchResult) -> Result<(f64, f64), String> {
    let reps = r.processes.iter().filter(|p| !p.samples.is_empty()).count();
    if reps < 2 {
        return Err(format!("n/a ({reps} replication)"));
    }
    let g = Groups::new(r.processes.iter().map(|p| p.samples.clone()).collect())
        .map_err(|e| format!("n/a ({e})"))?;
    let cfg = BootstrapConfig {
        resamples: CI_RESAMPLES,
        confidence: 0.95,
        ..BootstrapConfig::default()
    };
    let ci = bootstrap_median(&g, &cfg).map_err(|e| format!("n/a ({e})"))?;
    Ok((ci.lo, ci.hi))
}

pub(crate) fn classical_refs(scheme: &str, op: &str) -> &'static [(&'static str, &'static str)] {
    match (scheme, op) {
        ("ml-kem", "keygen") => &[
            ("classical/x25519.keygen/rustcrypto/-", "X25519"),
            ("classical/ecdh.keygen/rustcrypto/p256", "ECDH-P256"),
        ],
        ("ml-kem", "encaps") => &[
            ("classical/x25519.dh/rustcrypto/-", "X25519"),
            ("classical/ecdh.dh/rustcrypto/p256", "ECDH-P256"),
            ("classical/rsa.encrypt/rustcrypto/2048", "RSA-2048"),
        ],
        ("ml-kem", "decaps") => &[
            ("classical/x25519.dh/rustcrypto/-", "X25519"),
            ("classical/ecdh.dh/rustcrypto/p256", "ECDH-P256"),
            ("classical/rsa.decrypt/rustcrypto/2048", "RSA-2048"),
        ],
        ("ml-dsa" | "slh-dsa" | "sphincsplus", "keygen") => &[
            ("classical/ed25519.keygen/rustcrypto/-", "Ed25519"),
            ("classical/ecdsa.keygen/rustcrypto/p256", "ECDSA-P256"),
        ],
        ("ml-dsa" | "slh-dsa" | "sphincsplus", "sign") => &[
            ("classical/ed25519.sign/rustcrypto/-", "Ed25519"),
            ("classical/ecdsa.sign/rustcrypto/p256", "ECDSA-P256"),
            ("classical/rsa.sign/rustcrypto/2048", "RSA-2048"),
        ],
        ("ml-dsa" | "slh-dsa" | "sphincsplus", "verify") => &[
            ("classical/ed25519.verify/rustcrypto/-", "Ed25519"),
            ("classical/ecdsa.verify/rustcrypto/p256", "ECDSA-P256"),
            ("classical/rsa.verify/rustcrypto/2048", "RSA-2048"),
        ],
        _ => &[],
    }
}

/// The fastest production (non-RustCrypto) result of the classical
/// benchmark `rustcrypto_id` names (same operation and parameters) on
/// `target`: (implementation, median). `None` when none was measured.
pub fn best_production<'a>(
    results: impl IntoIterator<Item = &'a BenchResult>,
    rustcrypto_id: &str,
    target: &str,
) -> Option<(String, f64)> {
    let [suite, name, _, params] = parts(rustcrypto_id)?;
    results
        .into_iter()
        .filter(|r| matches!(r.status, Status::Ok) && r.target == target)
        .filter_map(|r| {
            let q = parts(&r.id)?;
            let m = r.summary?.median;
            (q[0] == suite && q[1] == name && q[3] == params && q[2] != "rustcrypto" && m > 0.0)
                .then(|| (q[2].to_string(), m))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// Natural ordering of parameter strings: runs of digits compare as numbers,
/// everything else as text (`512 < 768 < 1024`, `128f < 128s < 192f`).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(&cb) {
        let o = match (x, y) {
            ((true, x), (true, y)) => {
                let (tx, ty) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if o.is_ne() {
            return o;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

/// Position of an operation in protocol order (unknown operations last).
fn op_rank(op: &str) -> usize {
    ["keygen", "encaps", "decaps", "sign", "verify"]
        .iter()
        .position(|o| *o == op)
        .unwrap_or(usize::MAX)
}

/// `1874405` -> `1.87 M`, `21321` -> `21.3 k`.
fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.2} G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v}")
    }
}

/// Short name of an anchor's source: the part before any parenthesis, minus
/// a trailing "benchmarks[.md]", plus the publisher's implementation
/// (`pqm4 benchmarks.md (mupq/pqm4, 2026-06), impl m4f` -> `pqm4 m4f`).
pub(crate) fn short_source(source: &str) -> String {
    let base = source.split(" (").next().unwrap_or(source).trim();
    let base = base
        .strip_suffix(" benchmarks.md")
        .or_else(|| base.strip_suffix(" benchmarks"))
        .unwrap_or(base);
    match source.rsplit_once(", impl ") {
        Some((_, imp)) => format!("{base} {imp}"),
        None => base.to_string(),
    }
}

/// The published-reference cell: anchors grouped by hardware, each as
/// `short source value unit` (`Cortex-M4 NUCLEO-L4R5ZI (24 MHz): pqm4 clean
/// 1.87 M cycles, pqm4 m4f 1.43 M cycles`).
fn anchors_cell(anchors: &[&Anchor]) -> String {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for a in anchors {
        let item = format!(
            "{} {} {}",
            short_source(&a.source),
            compact(a.value),
            a.unit
        );
        match groups.iter_mut().find(|(h, _)| *h == a.hardware) {
            Some((_, items)) => items.push(item),
            None => groups.push((&a.hardware, vec![item])),
        }
    }
    groups
        .into_iter()
        .map(|(h, items)| format!("{h}: {}", items.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn metric(r: &BenchResult, name: &str) -> Option<f64> {
    r.static_metrics
        .get(name)
        .map(|m| m.value)
        .filter(|v| *v > 0.0)
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() {
        if a / b >= 10.0 {
            format!("{:.0}×", a / b)
        } else {
            format!("{:.2}×", a / b)
        }
    } else {
        "—".to_string()
    }
}

/// The suite table of `file` with published `anchors` as a reference column.
pub fn suite_table(file: &ResultsFile, anchors: &[Anchor]) -> Table {
    let ok: Vec<(&BenchResult, [&str; 4], f64)> = file
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Ok))
        .filter_map(|r| Some((r, parts(&r.id)?, r.summary?.median)))
        .collect();
    let find = |id: &str, target: &str| {
        ok.iter()
            .find(|(r, _, _)| r.id == id && r.target == target)
            .map(|(r, _, m)| (*r, *m))
    };
    let mut t = Table::new([
        "scheme.op",
        "params",
        "impl",
        "target",
        "median",
        "p99",
        "95% CI median (bootstrap over replications)",
        "vs fastest",
        "retrofit time vs RustCrypto",
        "retrofit time vs best production",
        "pk size ratio",
        "ct/sig size ratio",
        "published reference (NOT measured here)",
    ])
    .align([
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
    ]);
    let mut rows: Vec<&(&BenchResult, [&str; 4], f64)> =
        ok.iter().filter(|(_, p, _)| p[0] == "pqc").collect();
    rows.sort_by(|a, b| {
        let (sa, oa) = a.1[1].split_once('.').unwrap_or((a.1[1], ""));
        let (sb, ob) = b.1[1].split_once('.').unwrap_or((b.1[1], ""));
        sa.cmp(sb)
            .then_with(|| op_rank(oa).cmp(&op_rank(ob)))
            .then_with(|| oa.cmp(ob))
            .then_with(|| natural_cmp(a.1[3], b.1[3]))
            .then_with(|| a.2.total_cmp(&b.2))
            .then_with(|| a.1[2].cmp(b.1[2]))
    });
    for (r, p, median) in rows {
        let [_, name, imp, params] = *p;
        let fastest = ok
            .iter()
            .filter(|(o, q, _)| {
                q[0] == "pqc" && q[1] == name && q[3] == params && o.target == r.target
            })
            .map(|(_, _, m)| *m)
            .fold(f64::INFINITY, f64::min);
        let (scheme, op) = name.split_once('.').unwrap_or((name, ""));
        let mut time = Vec::new();
        let mut prod = Vec::new();
        let mut pk = Vec::new();
        let mut ctsig = Vec::new();
        for (cid, label) in classical_refs(scheme, op) {
            if let Some((imp, pm)) = best_production(ok.iter().map(|(r, _, _)| *r), cid, &r.target)
            {
                prod.push(format!("{label} ({imp}) {}", ratio(*median, pm)));
            }
            let Some((c, cm)) = find(cid, &r.target) else {
                continue;
            };
            time.push(format!("{label} {}", ratio(*median, cm)));
            if let (Some(a), Some(b)) =
                (metric(r, "public_key_bytes"), metric(c, "public_key_bytes"))
            {
                pk.push(format!("{label} {}", ratio(a, b)));
            }
            let mine = metric(r, "ciphertext_bytes").or_else(|| metric(r, "signature_bytes"));
            let theirs = metric(c, "ciphertext_bytes")
                .or_else(|| metric(c, "signature_bytes"))
                .or_else(|| metric(c, "public_key_bytes"));
            if let (Some(a), Some(b)) = (mine, theirs) {
                ctsig.push(format!("{label} {}", ratio(a, b)));
            }
        }
        let published: Vec<&Anchor> = anchors
            .iter()
            .filter(|a| parts(&a.id).is_some_and(|q| q[1] == name && q[3] == params))
            .collect();
        let s = r.summary;
        let ci = median_ci(r)
            .map(|(lo, hi)| {
                format!(
                    "{} – {}",
                    format_value(lo, r.unit),
                    format_value(hi, r.unit)
                )
            })
            .unwrap_or_else(|why| why);
        t.push_row([
            name.to_string(),
            params.to_string(),
            imp.to_string(),
            r.target.clone(),
            format_value(*median, r.unit),
            s.map(|s| format_value(s.p99, r.unit)).unwrap_or_default(),
            ci,
            ratio(*median, fastest),
            time.join(", "),
            prod.join(", "),
            pk.join(", "),
            ctsig.join(", "),
            anchors_cell(&published),
        ]);
    }
    t
}

/// The suite table as aligned text, with the anchors embedded in the binary
/// (`results/anchors.json` at build time).
pub fn render_suite_table(file: &ResultsFile) -> anyhow::Result<String> {
    let anchors = super::anchors::embedded_anchors()?;
    Ok(suite_table(file, anchors).render(MarkupStyle::Plain))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(processes: Vec<Vec<f64>>) -> BenchResult {
        BenchResult::measured(
            "pqc/ml-kem.keygen/rustcrypto/768".into(),
            "host".into(),
            crate::results::Unit::Ns,
            crate::results::Recording::SingleOp,
            1,
            processes
                .into_iter()
                .map(|samples| crate::results::ProcessSamples { samples })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn median_ci_is_over_replications() {
        // One replication: no interval, however many samples.
        let one = result(vec![(1..=1001).map(f64::from).collect()]);
        assert_eq!(median_ci(&one), Err("n/a (1 replication)".into()));
        // Replications that disagree (medians 100 .. 110) with tight
        // samples: the interval spans the replications' spread, where the
        // pooled-sample interval was nearly zero-width.
        let r = result(
            (0..6)
                .map(|p| {
                    (0..200)
                        .map(|i| 100.0 + 2.0 * p as f64 + (i % 3) as f64 * 0.01)
                        .collect()
                })
                .collect(),
        );
        let (lo, hi) = median_ci(&r).unwrap();
        assert!(
            lo < 104.0 && hi > 106.0 && lo >= 100.0 && hi <= 110.1,
            "{lo} {hi}"
        );
        // Identical replications: a zero-width interval is the truth.
        let same = result(vec![vec![5.0; 10], vec![5.0; 10]]);
        assert_eq!(median_ci(&same), Ok((5.0, 5.0)));
    }

    #[test]
    fn best_production_is_the_fastest_non_rustcrypto_on_the_target() {
        let at = |id: &str, target: &str, v: f64| {
            let mut r = result(vec![vec![v; 5]]);
            r.id = id.into();
            r.target = target.into();
            r
        };
        let rc = "classical/ecdh.dh/rustcrypto/p256";
        let rs = [
            at(rc, "host", 10.0),
            at("classical/ecdh.dh/openssl/p256", "host", 4.0),
            at("classical/ecdh.dh/aws-lc/p256", "host", 3.0),
            at("classical/ecdh.dh/ring/p256", "other", 1.0),
            at("classical/ecdh.dh/ring/p384", "host", 0.5),
            at("classical/x25519.dh/ring/-", "host", 0.5),
        ];
        assert_eq!(
            best_production(&rs, rc, "host"),
            Some(("aws-lc".to_string(), 3.0))
        );
        assert_eq!(
            best_production(&rs, rc, "other"),
            Some(("ring".to_string(), 1.0))
        );
        assert_eq!(best_production(&rs[..1], rc, "host"), None);
    }

    #[test]
    fn ids_split_into_four_parts() {
        assert_eq!(
            parts("pqc/ml-kem.encaps/rustcrypto/768"),
            Some(["pqc", "ml-kem.encaps", "rustcrypto", "768"])
        );
        assert_eq!(parts("a/b/c"), None);
    }

    #[test]
    fn params_sort_naturally() {
        let mut v = vec!["1024", "512", "768", "87", "44", "65"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["44", "65", "87", "512", "768", "1024"]);
        let mut v = vec!["shake-128f", "sha2-128s", "sha2-192f", "sha2-128f"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["sha2-128f", "sha2-128s", "sha2-192f", "shake-128f"]);
        assert!(natural_cmp("p256", "p384").is_lt());
        assert!(natural_cmp("-", "-").is_eq());
    }

    #[test]
    fn anchors_cell_groups_by_hardware_and_shortens() {
        let a = |value, source: &str, hardware: &str| Anchor {
            id: "pqc/ml-dsa.keygen/-/44".into(),
            value,
            unit: "cycles".into(),
            source: source.into(),
            hardware: hardware.into(),
        };
        let m4 = "Cortex-M4 NUCLEO-L4R5ZI (24 MHz)";
        let list = [
            a(
                1874405.0,
                "pqm4 benchmarks.md (mupq/pqm4, 2026-06), impl clean",
                m4,
            ),
            a(21321.0, "mlkem-native benchmarks", "x86-64 Xeon 4th gen"),
            a(
                1426025.0,
                "pqm4 benchmarks.md (mupq/pqm4, 2026-06), impl m4f",
                m4,
            ),
        ];
        let refs: Vec<&Anchor> = list.iter().collect();
        assert_eq!(
            anchors_cell(&refs),
            "Cortex-M4 NUCLEO-L4R5ZI (24 MHz): pqm4 clean 1.87 M cycles, pqm4 m4f 1.43 M cycles; \
             x86-64 Xeon 4th gen: mlkem-native 21.3 k cycles"
        );
    }
}
