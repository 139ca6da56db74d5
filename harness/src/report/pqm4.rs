//! Instructions against published cycles, same code: for every result
//! measured in QEMU instructions on an emulated Cortex-M4 whose
//! implementation is PQClean's clean C — the code pqm4 lists as `clean` —
//! the table sets pqm4's published cycle count for the same scheme,
//! operation and parameter set beside our instruction count, and their
//! ratio: cycles per instruction of that code on pqm4's real M4
//! (STM32L4R5, flash wait states included).
//!
//! Where such ratios exist, the other implementations of the same scheme on
//! the same target get an *estimated* cycle count: their instructions times
//! the scheme's median ratio, with the range from its smallest to its
//! largest ratio (the estimate assumes their instruction mix costs what
//! PQClean's does, which the spread only bounds for code like PQClean's).
//! Ratios are per scheme (ML-KEM's and ML-DSA's differ: 0.93–1.03 against
//! 0.72–0.83 on our first run) and leave signing out: its count depends on
//! the message (rejection sampling), and pqm4 publishes a mean over many
//! messages where we count a few.

use super::{Align, Table, format_value};
use crate::results::{ResultsFile, Status, Unit};

/// One instruction count on an emulated M4 with pqm4's figures for its id.
#[derive(Clone, Debug, PartialEq)]
pub struct M4Count {
    /// Benchmark id `suite/scheme.op/impl/params`.
    pub id: String,
    /// Target spec (`qemu:mps2-an386`).
    pub target: String,
    /// Median instructions per operation.
    pub instructions: f64,
    /// pqm4's published cycles of its `clean` implementation, if any.
    pub pqm4_clean_cycles: Option<f64>,
}

/// Implementation field of an id.
fn implementation(id: &str) -> &str {
    id.split('/').nth(2).unwrap_or("")
}

/// `(scheme, operation)` of an id (`ml-kem`, `keygen`).
fn scheme_op(id: &str) -> (&str, &str) {
    let name = id.split('/').nth(1).unwrap_or("");
    name.split_once('.').unwrap_or((name, ""))
}

/// The key ratios are grouped by: target and scheme.
fn group(c: &M4Count) -> String {
    format!("{} {}", c.target, scheme_op(&c.id).0)
}

/// The counts of `file` that have pqm4 figures attached (the Cortex-M back
/// end attaches them as `details.published_anchor` on M4 boards).
pub fn m4_counts(file: &ResultsFile) -> Vec<M4Count> {
    file.results
        .iter()
        .filter(|r| r.unit == Unit::Instructions && matches!(r.status, Status::Ok))
        .filter_map(|r| {
            let anchor = r.details.get("published_anchor")?;
            let s = r.summary?;
            Some(M4Count {
                id: r.id.clone(),
                target: r.target.clone(),
                instructions: s.median,
                pqm4_clean_cycles: anchor.get("clean").and_then(|v| v.as_f64()),
            })
        })
        .collect()
}

/// Cycles per instruction of the same code: `(id, group, ratio)` for every
/// PQClean count with a pqm4 `clean` figure, signing left out; the group is
/// `"<target> <scheme>"`.
pub fn same_code_ratios(counts: &[M4Count]) -> Vec<(String, String, f64)> {
    counts
        .iter()
        .filter(|c| implementation(&c.id) == "pqclean" && c.instructions > 0.0)
        .filter(|c| scheme_op(&c.id).1 != "sign")
        .filter_map(|c| {
            let cyc = c.pqm4_clean_cycles?;
            Some((c.id.clone(), group(c), cyc / c.instructions))
        })
        .collect()
}

/// `(median, min, max)` of the ratios of `group`, if it has any.
pub fn ratio_spread(ratios: &[(String, String, f64)], group: &str) -> Option<(f64, f64, f64)> {
    let mut v: Vec<f64> = ratios
        .iter()
        .filter(|(_, g, _)| g == group)
        .map(|r| r.2)
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some((median, v[0], v[n - 1]))
}

/// The table: every M4 count with pqm4's figures, PQClean rows with the
/// published cycles and the ratio, other rows with the estimate. `None`
/// when the file has no PQClean count on an M4 with a pqm4 figure.
pub fn same_code_table(file: &ResultsFile) -> Option<Table> {
    let counts = m4_counts(file);
    let ratios = same_code_ratios(&counts);
    if ratios.is_empty() {
        return None;
    }
    let mut t = Table::new([
        "benchmark",
        "target",
        "instructions (QEMU)",
        "pqm4 clean cycles (real M4)",
        "cycles / instruction",
        "estimated cycles (scheme's median ratio, range)",
    ])
    .align([
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ]);
    for c in &counts {
        let Some((med, lo, hi)) = ratio_spread(&ratios, &group(c)) else {
            continue;
        };
        let same = implementation(&c.id) == "pqclean";
        let (published, ratio, estimate) = match (same, c.pqm4_clean_cycles) {
            (true, Some(cyc)) => (
                format_value(cyc, Unit::Cycles),
                format!("{:.3}", cyc / c.instructions),
                "-".to_string(),
            ),
            _ => (
                "-".to_string(),
                "-".to_string(),
                format!(
                    "≈ {} ({} – {}), estimate",
                    format_value(c.instructions * med, Unit::Cycles),
                    format_value(c.instructions * lo, Unit::Cycles),
                    format_value(c.instructions * hi, Unit::Cycles),
                ),
            ),
        };
        t.push_row([
            c.id.clone(),
            c.target.clone(),
            format_value(c.instructions, Unit::Instructions),
            published,
            ratio,
            estimate,
        ]);
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(id: &str, instr: f64, clean: Option<f64>) -> M4Count {
        M4Count {
            id: id.into(),
            target: "qemu:mps2-an386".into(),
            instructions: instr,
            pqm4_clean_cycles: clean,
        }
    }

    #[test]
    fn ratios_only_for_the_same_code_and_spread_is_ordered() {
        let c = [
            count(
                "pqc/ml-kem.keygen/pqclean/768",
                1_000_000.0,
                Some(950_000.0),
            ),
            count(
                "pqc/ml-kem.encaps/pqclean/768",
                1_000_000.0,
                Some(1_050_000.0),
            ),
            count(
                "pqc/ml-kem.decaps/pqclean/768",
                1_000_000.0,
                Some(1_000_000.0),
            ),
            // RustCrypto is other code: never a ratio, even with a figure.
            count(
                "pqc/ml-kem.keygen/rustcrypto/768",
                2_000_000.0,
                Some(950_000.0),
            ),
            // Signing is message dependent: left out.
            count("pqc/ml-dsa.sign/pqclean/44", 1_000_000.0, Some(3_000_000.0)),
            count("pqc/ml-dsa.verify/pqclean/44", 1_000_000.0, Some(800_000.0)),
        ];
        let r = same_code_ratios(&c);
        assert_eq!(r.len(), 4);
        let (med, lo, hi) = ratio_spread(&r, "qemu:mps2-an386 ml-kem").unwrap();
        assert!(
            (med - 1.0).abs() < 1e-12 && (lo - 0.95).abs() < 1e-12 && (hi - 1.05).abs() < 1e-12
        );
        let (d, dlo, dhi) = ratio_spread(&r, "qemu:mps2-an386 ml-dsa").unwrap();
        assert_eq!((d, dlo, dhi), (0.8, 0.8, 0.8));
        assert!(ratio_spread(&r, "qemu:mps2-an500 ml-kem").is_none());
    }
}
