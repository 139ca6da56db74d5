//! `pqbench report`: the static report is self-contained, deterministic,
//! has every figure inline and standalone with axes and data marks, shows
//! `compare`'s verdicts, and its LaTeX compiles (when `pdflatex` exists).

use crate::common::Noise;
use pqbench::compare::{Options, compare};
use pqbench::env::Environment;
use pqbench::report::publish::{Settings, Source, build};
use pqbench::results::{BenchResult, ProcessSamples, Recording, ResultsFile, Unit, write_atomic};
use std::collections::BTreeMap;
use std::process::Command;

fn result(id: &str, target: &str, unit: Unit, center: f64, seed: u64) -> BenchResult {
    let mut n = Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let processes = (0..4)
        .map(|_| {
            let off = 1.0 + 0.004 * n.next();
            ProcessSamples {
                samples: (0..60)
                    .map(|_| {
                        center * off * (1.0 + 0.02 * n.next() + 0.05 * n.next().max(0.0).powi(8))
                    })
                    .collect(),
            }
        })
        .collect();
    BenchResult::measured(
        id.into(),
        target.into(),
        unit,
        Recording::SingleOp,
        1,
        processes,
    )
    .unwrap()
}

fn env(host: &str) -> Environment {
    let mut e = Environment::capture();
    e.hostname = Some(host.into());
    e.cpu_model = Some(format!("{host} cpu"));
    e.time = Some("2026-01-01T00:00:00Z".into());
    e.unix_time = Some(0);
    e.command = None;
    e
}

/// A base file and a new file where ml-kem keygen is 20 % slower and the
/// rest unchanged.
fn pair() -> (ResultsFile, ResultsFile) {
    let mut base = ResultsFile::new(env("alpha"));
    let mut new = ResultsFile::new(env("alpha"));
    base.complete = true;
    new.complete = true;
    let ids = [
        ("pqc/ml-kem.keygen/rustcrypto/768", 30_000.0, 1.20),
        ("pqc/ml-kem.encaps/rustcrypto/768", 32_000.0, 1.0),
        ("classical/x25519.keygen/rustcrypto/-", 100_000.0, 1.0),
        ("hash/sha256.digest/rustcrypto/1KiB", 2_500.0, 1.0),
    ];
    for (k, (id, c, f)) in ids.iter().enumerate() {
        base.results
            .push(result(id, "host", Unit::Ns, *c, k as u64 + 1));
        new.results
            .push(result(id, "host", Unit::Ns, c * f, k as u64 + 101));
    }
    let mut q = result(
        "pqc/ml-kem.keygen/rustcrypto/768",
        "qemu:mps2-an386",
        Unit::Instructions,
        900_000.0,
        7,
    );
    q.static_metrics.insert(
        "code_size_bytes".into(),
        pqbench::results::Metric {
            value: 6144.0,
            unit: "bytes".into(),
        },
    );
    new.results.push(q);
    (base, new)
}

/// `compare`'s defaults with fewer bootstrap resamples (debug-build speed).
fn options() -> Options {
    let mut o = Options::default();
    o.bootstrap.resamples = 300;
    o
}

fn settings() -> Settings {
    Settings {
        title: "test report".into(),
        compare: options(),
        anchors: pqbench::report::anchors::embedded_anchors()
            .unwrap()
            .to_vec(),
    }
}

fn sources() -> Vec<Source> {
    let (b, n) = pair();
    vec![
        Source {
            label: "base".into(),
            file: b,
        },
        Source {
            label: "new".into(),
            file: n,
        },
    ]
}

fn files(r: &pqbench::report::publish::Report) -> BTreeMap<String, Vec<u8>> {
    r.files.iter().cloned().collect()
}

#[test]
fn same_input_same_bytes_and_different_input_different_bytes() {
    let a = build(&sources(), None, &settings()).unwrap();
    let b = build(&sources(), None, &settings()).unwrap();
    assert_eq!(files(&a), files(&b));
    // negative control: one sample changed changes the report
    let mut s = sources();
    s[1].file.results[0].processes[0].samples[0] *= 3.0;
    let c = build(&s, None, &settings()).unwrap();
    assert_ne!(files(&a)["index.html"], files(&c)["index.html"]);
}

#[test]
fn page_is_self_contained_and_every_figure_is_inline_and_standalone() {
    let r = build(&sources(), None, &settings()).unwrap();
    let f = files(&r);
    let html = String::from_utf8(f["index.html"].clone()).unwrap();
    assert!(
        !html.contains("http:") && !html.contains("https:"),
        "a URL in index.html"
    );
    assert!(!html.contains("<script"), "script in index.html");
    let inline = html.matches("<figure class=\"pq-figure\"").count();
    let standalone: Vec<&String> = f.keys().filter(|k| k.starts_with("figures/")).collect();
    assert_eq!(inline, r.figures);
    assert_eq!(standalone.len(), r.figures);
    // 4 host benchmarks + the qemu one: percentile + ECDF per (benchmark, unit),
    // a forest plot, hardware charts where >1 bar
    assert!(r.figures > 2 * 5, "{} figures", r.figures);
    for k in standalone {
        let svg = String::from_utf8(f[k].clone()).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("xmlns="), "{k}");
        assert!(
            html.contains(&format!("data-file=\"{k}\"")),
            "{k} not inline"
        );
        // axes: tick labels; data: lines, markers or bars beyond the frame
        assert!(svg.matches("<text").count() >= 4, "{k}: no axis labels");
        let marks = svg.matches("<polyline").count()
            + svg.matches("<circle").count()
            + svg.matches("<rect").count();
        assert!(marks >= 3, "{k}: no data marks");
    }
    for k in [
        "tables/hardware.csv",
        "tables/compare-0.csv",
        "tables/results.tex",
        "report.tex",
    ] {
        assert!(f.contains_key(k), "{k} missing");
    }
}

#[test]
fn verdicts_are_those_of_compare() {
    let s = sources();
    let r = build(&s, None, &settings()).unwrap();
    let csv = String::from_utf8(files(&r)["tables/compare-0.csv"].clone()).unwrap();
    let c = compare(&s[0].file, &s[1].file, &options());
    assert_eq!(c.rows.len(), 4);
    for row in &c.rows {
        let line = csv.lines().find(|l| l.starts_with(&row.id)).unwrap();
        assert!(
            line.ends_with(row.verdict.as_str()),
            "{line} vs {:?}",
            row.verdict
        );
    }
    let keygen = c.rows.iter().find(|r| r.id.contains("keygen")).unwrap();
    assert_eq!(keygen.verdict.as_str(), "regressed");
    let forest = String::from_utf8(files(&r)["figures/compare-0-forest.svg"].clone()).unwrap();
    assert!(
        forest.contains("#C81E1E"),
        "no regressed marker in the forest plot"
    );
}

#[test]
fn hardware_table_labels_published_anchors() {
    let r = build(&sources(), None, &settings()).unwrap();
    let csv = String::from_utf8(files(&r)["tables/hardware.csv"].clone()).unwrap();
    let published: Vec<&str> = csv.lines().filter(|l| l.contains(",published,")).collect();
    assert!(!published.is_empty(), "no anchor row for ml-kem 768");
    assert!(published.iter().all(|l| l.contains("published: ")));
    // retrofit cost: ml-kem keygen over x25519 keygen, same target, machine, file
    assert!(csv.contains("X25519"), "{csv}");
}

#[test]
fn cli_writes_the_report_and_the_latex_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let (b, n) = pair();
    let (bp, np) = (dir.path().join("base.json"), dir.path().join("new.json"));
    write_atomic(&bp, &b).unwrap();
    write_atomic(&np, &n).unwrap();
    let out = dir.path().join("report");
    let st = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args(["report", "--baseline"])
        .arg(&bp)
        .arg(&np)
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap();
    assert!(st.success());
    assert!(out.join("index.html").is_file());
    let tex = std::fs::read_to_string(out.join("report.tex")).unwrap();
    assert!(tex.contains("\\toprule") && tex.contains("\\usepackage{booktabs}"));
    let has_pdflatex = Command::new("pdflatex")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pdflatex {
        eprintln!(
            "pdflatex not installed: LaTeX not compiled (scripts/setup.d/40-report.sh installs it)"
        );
        return;
    }
    let o = Command::new("pdflatex")
        .args(["-interaction=nonstopmode", "-halt-on-error", "report.tex"])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(out.join("report.pdf").metadata().unwrap().len() > 1000);
}
