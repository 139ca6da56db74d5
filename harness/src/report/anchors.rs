//! Published reference figures ("anchors"): one file, `results/anchors.json`,
//! embedded into the binary at build time so that an installed pqbench has
//! it wherever it runs. `pqbench show --suite-table --anchors FILE` may
//! override it with another file of the same format.

use anyhow::Context;
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// The text of `results/anchors.json` at build time.
pub const EMBEDDED_ANCHORS: &str = include_str!("../../../results/anchors.json");

/// One published figure (an entry of `results/anchors.json`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Anchor {
    /// `suite/scheme.op/implementation/params`; implementation `-` or the
    /// publisher's implementation name (`pqm4-<impl>` for pqm4).
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

/// Parses the text of an anchors file; `what` names it in errors.
pub fn parse_anchors(text: &str, what: &str) -> anyhow::Result<Vec<Anchor>> {
    let f: AnchorsFile = serde_json::from_str(text)
        .with_context(|| format!("anchors file {what} is malformed (expected {{\"anchors\": [{{\"id\", \"value\", \"unit\", \"source\", \"hardware\"}}, …]}})"))?;
    for a in &f.anchors {
        if !(a.value.is_finite() && a.value > 0.0) {
            anyhow::bail!(
                "anchors file {what}: {:?} has value {}, not a positive number",
                a.id,
                a.value
            );
        }
    }
    Ok(f.anchors)
}

/// Reads an anchors file (the `--anchors FILE` override); a clear error if
/// it is missing or malformed.
pub fn load_anchors(path: &Path) -> anyhow::Result<Vec<Anchor>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read anchors file {}", path.display()))?;
    parse_anchors(&text, &path.display().to_string())
}

/// The anchors embedded at build time (`results/anchors.json`). A parse
/// error is a build defect, caught by this module's tests.
pub fn embedded_anchors() -> anyhow::Result<&'static [Anchor]> {
    static PARSED: OnceLock<Result<Vec<Anchor>, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            parse_anchors(EMBEDDED_ANCHORS, "results/anchors.json (embedded)")
                .map_err(|e| format!("{e:#}"))
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Splits `suite/name/impl/params`.
fn parts(id: &str) -> Option<[&str; 4]> {
    let mut it = id.split('/');
    let p = [it.next()?, it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(p)
}

/// pqm4's published Cortex-M4 figures for benchmark `id`
/// (`suite/scheme.op/impl/params`, any implementation), from the embedded
/// `results/anchors.json`: every `pqm4-<impl>` entry with the same
/// `scheme.op` and parameters, as
/// `{"source": "...", "hardware": "...", "unit": "cycles", "<impl>": value, ...}`
/// (e.g. `"clean": 988722, "m4fspeed": 642096`). `None` when pqm4 has no
/// figure for it.
pub fn pqm4_m4_for_id(id: &str) -> Option<serde_json::Value> {
    let [_, name, _, params] = parts(id)?;
    let anchors = embedded_anchors().ok()?;
    let mut out = serde_json::Map::new();
    let mut source = None;
    for a in anchors {
        let Some([_, n, imp, p]) = parts(&a.id) else {
            continue;
        };
        let Some(imp) = imp.strip_prefix("pqm4-") else {
            continue;
        };
        if n != name || p != params || !a.hardware.starts_with("Cortex-M4") {
            continue;
        }
        if source.is_none() {
            let publication = a.source.split(", impl ").next().unwrap_or(&a.source);
            source = Some(format!(
                "{publication}: published {} of pqm4's own implementations (C 'clean', assembly 'm4f…') on a real {}, not comparable one to one with QEMU instruction counts",
                a.unit, a.hardware
            ));
            out.insert("hardware".into(), a.hardware.clone().into());
            out.insert("unit".into(), a.unit.clone().into());
        }
        let v = if a.value.fract() == 0.0 && a.value < 9.0e15 {
            serde_json::Value::from(a.value as u64)
        } else {
            serde_json::Value::from(a.value)
        };
        out.insert(imp.to_string(), v);
    }
    out.insert("source".into(), source?.into());
    Some(serde_json::Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_file_parses_and_matches_the_repository_copy() {
        let a = embedded_anchors().expect("embedded results/anchors.json parses");
        assert!(a.iter().any(|a| a.id == "pqc/ml-kem.encaps/-/768"));
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/anchors.json");
        assert_eq!(load_anchors(&p).unwrap(), a);
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let e = parse_anchors("{\"anchors\": [{\"id\": 1}]}", "x.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("anchors file x.json is malformed"), "{e}");
        let e = parse_anchors(
            r#"{"anchors":[{"id":"a","value":-1,"unit":"c","source":"s","hardware":"h"}]}"#,
            "y.json",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("not a positive number"), "{e}");
        let e = load_anchors(Path::new("/nonexistent/a.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cannot read anchors file /nonexistent/a.json"),
            "{e}"
        );
    }

    #[test]
    fn pqm4_figures_cover_the_cortex_m_table() {
        // The figures pqm4 publishes for the benchmarks the Cortex-M back
        // end attaches them to (clean C and the fastest M4F assembly).
        let want: [(&str, &str, u64, &str, u64); 6] = [
            (
                "pqc/ml-kem.keygen/rustcrypto/768",
                "clean",
                988_722,
                "m4fspeed",
                642_096,
            ),
            (
                "pqc/ml-kem.encaps/rustcrypto/768",
                "clean",
                1_138_225,
                "m4fspeed",
                658_754,
            ),
            (
                "pqc/ml-kem.decaps/rustcrypto/768",
                "clean",
                1_387_984,
                "m4fspeed",
                707_827,
            ),
            (
                "pqc/ml-dsa.keygen/rustcrypto/65",
                "clean",
                3_205_533,
                "m4f",
                2_516_006,
            ),
            (
                "pqc/ml-dsa.sign/rustcrypto/65",
                "clean",
                12_359_056,
                "m4f",
                6_193_171,
            ),
            (
                "pqc/ml-dsa.verify/rustcrypto/65",
                "clean",
                3_377_305,
                "m4f",
                2_415_944,
            ),
        ];
        for (id, c, cv, f, fv) in want {
            let a = pqm4_m4_for_id(id).unwrap_or_else(|| panic!("no pqm4 figure for {id}"));
            assert_eq!(a[c], cv, "{id}: {a}");
            assert_eq!(a[f], fv, "{id}: {a}");
            assert_eq!(a["unit"], "cycles");
            assert!(
                a["source"]
                    .as_str()
                    .unwrap()
                    .starts_with("pqm4 benchmarks.md")
            );
        }
        assert_eq!(
            pqm4_m4_for_id("pqc/ml-kem.keygen/rustcrypto/768").unwrap()["m4fstack"],
            644_195
        );
        assert!(pqm4_m4_for_id("hash/sha256.digest/rustcrypto/1KiB").is_none());
        assert!(pqm4_m4_for_id("not-an-id").is_none());
    }
}
