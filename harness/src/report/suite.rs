//! The PQC suite table: scheme x operation x implementation with median, p99
//! and a 95 % confidence interval of the median; the ratio to the fastest
//! implementation of the same operation; the "retrofit cost" (time ratio to
//! the classical operation the scheme replaces, next to the public-key and
//! ciphertext/signature size ratios); and published anchor figures as a
//! labelled reference column (from `results/anchors.json`).
//!
//! Retrofit pairs (classical reference, all `rustcrypto`):
//! * ML-KEM keygen -> X25519 keygen, ECDH P-256 keygen;
//!   encaps / decaps -> X25519 DH, ECDH P-256 DH, RSA-2048 encrypt / decrypt;
//! * ML-DSA and SLH-DSA keygen -> Ed25519 / ECDSA P-256 keygen;
//!   sign / verify -> Ed25519, ECDSA P-256, RSA-2048 sign / verify.

use super::{Align, MarkupStyle, Table, format_value};
use crate::results::{BenchResult, ResultsFile, Status};
use serde::Deserialize;
use std::path::Path;

/// One published figure (an entry of `results/anchors.json`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Anchor {
    /// `suite/scheme.op/implementation/params`; implementation `-` or the
    /// publisher's implementation name.
    pub id: String,
    /// The published value.
    pub value: f64,
    /// Its unit (`cycles`, `ns`, …).
    pub unit: String,
    /// Where it was published.
    pub source: String,
    /// The hardware it was measured on.
    pub hardware: String,
}

#[derive(Deserialize)]
struct AnchorsFile {
    anchors: Vec<Anchor>,
}

/// Reads an anchors file; a clear error if it is missing or malformed.
pub fn load_anchors(path: &Path) -> anyhow::Result<Vec<Anchor>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read anchors file {}: {e}", path.display()))?;
    let f: AnchorsFile = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("anchors file {} is malformed: {e}", path.display()))?;
    Ok(f.anchors)
}

/// Splits `suite/name/impl/params`.
fn parts(id: &str) -> Option<[&str; 4]> {
    let mut it = id.split('/');
    let p = [it.next()?, it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(p)
}

/// Distribution-free 95 % confidence interval of the median from the pooled
/// samples: order statistics at ranks n/2 ± 1.96·√n/2 (normal approximation
/// of the binomial; `None` below 6 samples).
pub fn median_ci(samples: &[f64]) -> Option<(f64, f64)> {
    let n = samples.len();
    if n < 6 {
        return None;
    }
    let mut v: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let half = 1.96 * (n as f64).sqrt() / 2.0;
    let lo = ((n as f64 / 2.0 - half).floor().max(1.0) as usize).min(n) - 1;
    let hi = ((n as f64 / 2.0 + half).ceil() as usize).clamp(1, n) - 1;
    Some((v[lo], v[hi]))
}

fn classical_refs(scheme: &str, op: &str) -> &'static [(&'static str, &'static str)] {
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
        ("ml-dsa" | "slh-dsa", "keygen") => &[
            ("classical/ed25519.keygen/rustcrypto/-", "Ed25519"),
            ("classical/ecdsa.keygen/rustcrypto/p256", "ECDSA-P256"),
        ],
        ("ml-dsa" | "slh-dsa", "sign") => &[
            ("classical/ed25519.sign/rustcrypto/-", "Ed25519"),
            ("classical/ecdsa.sign/rustcrypto/p256", "ECDSA-P256"),
            ("classical/rsa.sign/rustcrypto/2048", "RSA-2048"),
        ],
        ("ml-dsa" | "slh-dsa", "verify") => &[
            ("classical/ed25519.verify/rustcrypto/-", "Ed25519"),
            ("classical/ecdsa.verify/rustcrypto/p256", "ECDSA-P256"),
            ("classical/rsa.verify/rustcrypto/2048", "RSA-2048"),
        ],
        _ => &[],
    }
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
        "95% CI median",
        "vs fastest",
        "retrofit time (vs classical)",
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
    ]);
    let mut rows: Vec<&(&BenchResult, [&str; 4], f64)> =
        ok.iter().filter(|(_, p, _)| p[0] == "pqc").collect();
    rows.sort_by(|a, b| {
        (a.1[1], a.1[3], a.2)
            .partial_cmp(&(b.1[1], b.1[3], b.2))
            .unwrap_or(std::cmp::Ordering::Equal)
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
        let mut pk = Vec::new();
        let mut ctsig = Vec::new();
        for (cid, label) in classical_refs(scheme, op) {
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
        let published: Vec<String> = anchors
            .iter()
            .filter(|a| parts(&a.id).is_some_and(|q| q[1] == name && q[3] == params))
            .map(|a| format!("{} {} ({}, {})", a.value, a.unit, a.source, a.hardware))
            .collect();
        let s = r.summary;
        let ci = r
            .processes
            .iter()
            .flat_map(|p| p.samples.iter().copied())
            .collect::<Vec<f64>>();
        let ci = median_ci(&ci)
            .map(|(lo, hi)| {
                format!(
                    "{} – {}",
                    format_value(lo, r.unit),
                    format_value(hi, r.unit)
                )
            })
            .unwrap_or_else(|| "—".to_string());
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
            pk.join(", "),
            ctsig.join(", "),
            published.join("; "),
        ]);
    }
    t
}

/// The suite table as aligned text, with anchors from `results/anchors.json`
/// when that file exists in the working directory.
pub fn render_suite_table(file: &ResultsFile) -> String {
    let anchors = load_anchors(Path::new("results/anchors.json")).unwrap_or_default();
    suite_table(file, &anchors).render(MarkupStyle::Plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_ci_brackets_the_median() {
        let v: Vec<f64> = (1..=101).map(f64::from).collect();
        let (lo, hi) = median_ci(&v).expect("enough samples");
        assert!(lo < 51.0 && hi > 51.0, "{lo} {hi}");
        // n = 101: ranks 50.5 ± 9.85 -> 41st and 61st order statistics.
        assert_eq!((lo, hi), (40.0, 61.0));
        assert_eq!(median_ci(&[1.0, 2.0]), None);
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
    fn shipped_anchors_file_parses() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/anchors.json");
        let a = load_anchors(&p).expect("results/anchors.json parses");
        assert!(a.iter().any(|a| a.id == "pqc/ml-kem.encaps/-/768"));
    }
}
