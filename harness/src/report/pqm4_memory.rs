//! Stack and code size like pqm4, same code: for every PQClean clean result
//! measured on an emulated (or real) Cortex-M4, our figures beside pqm4's
//! published ones for the same scheme, operation and parameter set
//! (`pqm4_memory` in `results/anchors.json`), with ratios (ours / pqm4's).
//!
//! Definitions (the same on both sides):
//!
//! * **stack**: bytes from the stack pointer at the call of the scheme's C
//!   function to the deepest word it wrote (painting before the call, the
//!   high-water mark after it); keys, ciphertexts and signatures are the
//!   caller's buffers, not on that stack. Ours is the firmware's
//!   `stack_call_bytes` (the timed call; `stack_bytes`, shown beside it,
//!   also counts the Rust frames between the session and the call).
//! * **size**: `.text`/`.data`/`.bss` of the scheme's own library (the
//!   objects of its `clean` directory), summed like `arm-none-eabi-size -t`;
//!   the shared Keccak is not counted on either side. Ours are the
//!   firmware's `code_size_text_bytes`, `code_size_data_bytes`,
//!   `code_size_bss_bytes`.
//!
//! Figures can differ because the compilers and flags differ (pqm4: its own
//! arm-none-eabi-gcc, `-O3 -g3 -std=gnu99`, whole sections per file; ours:
//! Debian's arm-none-eabi-gcc 12, `-O3 -std=c99 -ffreestanding
//! -ffunction-sections -fdata-sections`, same `-mcpu`/FPU flags), the
//! PQClean versions differ, and pqm4 signs and verifies through the
//! message-attached `crypto_sign`/`crypto_sign_open` wrappers where we call
//! the detached `*_ctx` functions.

use super::format::thousands;
use super::{Align, Table};
use crate::results::{BenchResult, ResultsFile, Status};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// `.text`/`.data`/`.bss` bytes of a library.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub struct Size {
    /// Executable and read-only sections.
    pub text: u64,
    /// Initialised writable data.
    pub data: u64,
    /// Zero-initialised writable data.
    pub bss: u64,
}

impl Size {
    /// `text + data + bss` (pqm4's "Total").
    pub fn total(&self) -> u64 {
        self.text + self.data + self.bss
    }
}

/// pqm4's figures for one scheme and parameter set.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Entry {
    /// `ml-kem`, `ml-dsa`.
    pub scheme: String,
    /// `512`, `44`, ….
    pub params: String,
    /// pqm4's implementation name (`clean`).
    pub implementation: String,
    /// Stack bytes per operation (`keygen`, `encaps`, `decaps`, `sign`, `verify`).
    pub stack_bytes: BTreeMap<String, u64>,
    /// The scheme library's sizes.
    pub size_bytes: Size,
}

/// The `pqm4_memory` section of `results/anchors.json`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Published {
    /// Where the figures come from (file, commit, date).
    pub source: String,
    /// The entries.
    pub entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct File {
    pqm4_memory: Option<Published>,
}

/// The `pqm4_memory` section of an anchors file's text (`None` when absent).
pub fn parse(text: &str) -> anyhow::Result<Option<Published>> {
    let f: File = serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("anchors file: malformed pqm4_memory section: {e}"))?;
    Ok(f.pqm4_memory)
}

/// The section embedded from `results/anchors.json` (`None` when absent or
/// malformed; this module's tests catch the latter).
pub fn embedded() -> Option<&'static Published> {
    static P: OnceLock<Option<Published>> = OnceLock::new();
    P.get_or_init(|| parse(super::anchors::EMBEDDED_ANCHORS).ok().flatten())
        .as_ref()
}

/// `(scheme, op, impl, params)` of `suite/scheme.op/impl/params`.
fn parts(id: &str) -> Option<(&str, &str, &str, &str)> {
    let mut it = id.split('/');
    let (_, name, imp, params) = (it.next()?, it.next()?, it.next()?, it.next()?);
    let (scheme, op) = name.split_once('.')?;
    Some((scheme, op, imp, params))
}

impl Published {
    /// pqm4's `clean` entry for benchmark `id`'s scheme and parameters.
    pub fn entry_for(&self, id: &str) -> Option<&Entry> {
        let (scheme, _, _, params) = parts(id)?;
        self.entries
            .iter()
            .find(|e| e.scheme == scheme && e.params == params && e.implementation == "clean")
    }
}

/// One of our results with pqm4's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Benchmark id.
    pub id: String,
    /// Target spec.
    pub target: String,
    /// Our stack from the call of the C function (`stack_call_bytes`).
    pub stack_call: Option<u64>,
    /// Our stack of the whole timed `run` (`stack_bytes`).
    pub stack_run: Option<u64>,
    /// pqm4's stack for the operation.
    pub pqm4_stack: Option<u64>,
    /// Our library sizes.
    pub size: Option<Size>,
    /// pqm4's library sizes.
    pub pqm4_size: Size,
}

fn metric(r: &BenchResult, name: &str) -> Option<u64> {
    r.static_metrics
        .get(name)
        .filter(|m| m.value.is_finite() && m.value >= 0.0)
        .map(|m| m.value as u64)
}

/// The PQClean results of `file` on a Cortex-M4 that pqm4 has figures for.
pub fn rows(file: &ResultsFile, published: &Published) -> Vec<Row> {
    file.results
        .iter()
        .filter(|r| matches!(r.status, Status::Ok))
        .filter(|r| r.details.get("core").and_then(|c| c.as_str()) == Some("cortex-m4"))
        .filter(|r| parts(&r.id).is_some_and(|p| p.2 == "pqclean"))
        .filter_map(|r| {
            let e = published.entry_for(&r.id)?;
            let op = parts(&r.id)?.1;
            let size = match (
                metric(r, "code_size_text_bytes"),
                metric(r, "code_size_data_bytes"),
                metric(r, "code_size_bss_bytes"),
            ) {
                (Some(text), Some(data), Some(bss)) => Some(Size { text, data, bss }),
                _ => None,
            };
            Some(Row {
                id: r.id.clone(),
                target: r.target.clone(),
                stack_call: metric(r, "stack_call_bytes"),
                stack_run: metric(r, "stack_bytes"),
                pqm4_stack: e.stack_bytes.get(op).copied(),
                size,
                pqm4_size: e.size_bytes,
            })
        })
        .collect()
}

fn bytes(v: Option<u64>) -> String {
    v.map(|v| thousands(v as f64)).unwrap_or_else(|| "-".into())
}

fn ratio(a: Option<u64>, b: Option<u64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0 => format!("{:.2}", a as f64 / b as f64),
        _ => "-".into(),
    }
}

fn sizes(s: Option<Size>) -> String {
    s.map(|s| {
        format!(
            "{} / {} / {}",
            thousands(s.text as f64),
            thousands(s.data as f64),
            thousands(s.bss as f64)
        )
    })
    .unwrap_or_else(|| "-".into())
}

/// The table for `file` against `published`; `None` without any row.
pub fn memory_table_with(file: &ResultsFile, published: &Published) -> Option<Table> {
    let rows = rows(file, published);
    if rows.is_empty() {
        return None;
    }
    let mut t = Table::new([
        "benchmark",
        "target",
        "stack from the call",
        "stack of run()",
        "pqm4 clean stack",
        "stack ratio",
        "library .text / .data / .bss",
        "pqm4 clean .text / .data / .bss",
        "size ratio (total)",
    ])
    .align([
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ]);
    for r in &rows {
        t.push_row([
            r.id.clone(),
            r.target.clone(),
            bytes(r.stack_call),
            bytes(r.stack_run),
            bytes(r.pqm4_stack),
            ratio(r.stack_call, r.pqm4_stack),
            sizes(r.size),
            sizes(Some(r.pqm4_size)),
            ratio(r.size.map(|s| s.total()), Some(r.pqm4_size.total())),
        ]);
    }
    Some(t)
}

/// The table for `file` against the embedded pqm4 figures.
pub fn memory_table(file: &ResultsFile) -> Option<Table> {
    memory_table_with(file, embedded()?)
}

/// The caption shown above the table.
pub const CAPTION: &str = "Stack and code size like pqm4 (PQClean clean, same code): stack from the stack pointer at the call of the C function (pqm4's definition; 'stack of run()' adds the Rust frames between the session and the call), library sizes summed like arm-none-eabi-size -t (the scheme's objects; shared Keccak not counted on either side); pqm4's published figures (real NUCLEO-L4R5ZI, its gcc and flags) and ratios ours / pqm4's";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::MarkupStyle;
    use crate::results::{Environment, Metric, Unit};

    #[test]
    fn embedded_section_has_every_pqclean_scheme() {
        let p = embedded().expect("results/anchors.json has a valid pqm4_memory section");
        assert!(p.source.contains("benchmarks.md"));
        for (scheme, params, ops) in [
            (
                "ml-kem",
                ["512", "768", "1024"],
                ["keygen", "encaps", "decaps"],
            ),
            ("ml-dsa", ["44", "65", "87"], ["keygen", "sign", "verify"]),
        ] {
            for p_ in params {
                let id = format!("pqc/{scheme}.keygen/pqclean/{p_}");
                let e = p.entry_for(&id).unwrap_or_else(|| panic!("{id}"));
                for op in ops {
                    assert!(e.stack_bytes[op] > 1000, "{id} {op}");
                }
                assert!(e.size_bytes.total() > 1000, "{id}");
            }
        }
        assert!(p.entry_for("pqc/ml-kem.keygen/pqclean/999").is_none());
        assert!(parse(r#"{"anchors": [], "pqm4_memory": {"source": 1}}"#).is_err());
        assert_eq!(parse(r#"{"anchors": []}"#).unwrap(), None);
    }

    fn result(id: &str, core: &str, metrics: &[(&str, f64)]) -> BenchResult {
        let mut r = BenchResult::not_ok(
            id.into(),
            "qemu:mps2-an386".into(),
            Unit::Instructions,
            Status::Ok,
        );
        r.details.insert("core".into(), core.into());
        for (n, v) in metrics {
            r.static_metrics.insert(
                (*n).into(),
                Metric {
                    value: *v,
                    unit: "bytes".into(),
                },
            );
        }
        r
    }

    #[test]
    fn table_renders_ours_beside_pqm4s_with_ratios() {
        let published = Published {
            source: "test".into(),
            entries: vec![Entry {
                scheme: "ml-kem".into(),
                params: "512".into(),
                implementation: "clean".into(),
                stack_bytes: [("keygen".to_string(), 4000u64)].into_iter().collect(),
                size_bytes: Size {
                    text: 5000,
                    data: 0,
                    bss: 0,
                },
            }],
        };
        let mut file = ResultsFile::new(Environment::capture());
        let full = [
            ("stack_call_bytes", 5000.0),
            ("stack_bytes", 5040.0),
            ("code_size_text_bytes", 4500.0),
            ("code_size_data_bytes", 0.0),
            ("code_size_bss_bytes", 0.0),
        ];
        file.results
            .push(result("pqc/ml-kem.keygen/pqclean/512", "cortex-m4", &full));
        // Other code, another core, or no pqm4 figure: no row.
        file.results.push(result(
            "pqc/ml-kem.keygen/rustcrypto/512",
            "cortex-m4",
            &full,
        ));
        file.results
            .push(result("pqc/ml-kem.keygen/pqclean/512", "cortex-m3", &full));
        file.results
            .push(result("pqc/ml-kem.keygen/pqclean/768", "cortex-m4", &full));
        let rows = rows(&file, &published);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].stack_call, Some(5000));
        let text = memory_table_with(&file, &published)
            .expect("a row")
            .render(MarkupStyle::Plain);
        assert!(text.contains("stack from the call"), "{text}");
        assert!(text.contains("1.25"), "stack ratio 5000/4000: {text}");
        assert!(text.contains("0.90"), "size ratio 4500/5000: {text}");
        assert!(!text.contains("rustcrypto"), "{text}");
        // No PQClean M4 result: no table.
        let mut other = ResultsFile::new(Environment::capture());
        other
            .results
            .push(result("pqc/ml-kem.keygen/pqclean/512", "cortex-m7", &full));
        assert!(memory_table_with(&other, &published).is_none());
    }
}
