//! Side-by-side scan throughput on one core: the pqbench scanner, the same
//! pattern set in `aho-corasick` (DFA, overlapping matches, i.e. every hit),
//! a `memchr` pass over the same bytes (the bandwidth ceiling), the
//! instruction-word, limb and entropy kernels, and `Detector::analyze` end to
//! end (load + every kernel + evidence), per input and per ISA.
//!
//! `cargo run --release -p pqbench-detect --example throughput -- [--mib N]
//! [--corpus DIR] [--reps N] [--dump IMAGE] [--yara RULES] [--json OUT]
//! [FILES...]`: default input is a 64 MiB synthetic image (`--mib`, the
//! labelled best case); `--corpus DIR` takes every file under DIR (e.g. the
//! real-binary corpus of `scripts/corpus/realbin.py fetch`, whose directory
//! `scripts/corpus/realbin.py path` prints), FILES the given files. Every
//! kernel runs file by file, so hit counts are sums over files (what a
//! per-file scanner such as yara-x reports). `--dump` writes the input
//! (concatenated), `--yara` the database as YARA rules (one rule per
//! constant, one hex string per layout) for the yara-x peer
//! (`scripts/corpus/peers.py`), `--json` the table as JSON.
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use pqbench_detect::analyze::{Detector, ENTROPY_WINDOW, HIGH_ENTROPY};
use pqbench_detect::entropy::SlidingEntropy;
use pqbench_detect::words::{LimbMatcher, WordMatcher};
use pqbench_detect::{scan::Scanner, sigdb, synth};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One input file: its ISA label (from the ELF header), ELF machine, bytes.
struct Input {
    isa: String,
    machine: Option<u16>,
    bytes: Vec<u8>,
}

/// The ISA of an ELF file (`e_machine` and byte order), or "other".
fn isa_of(b: &[u8]) -> (String, Option<u16>) {
    if b.len() < 20 || &b[..4] != b"\x7fELF" {
        return ("other (not ELF)".into(), None);
    }
    let be = b[5] == 2;
    let m = if be {
        u16::from_be_bytes([b[18], b[19]])
    } else {
        u16::from_le_bytes([b[18], b[19]])
    };
    let name = match m {
        3 => "x86",
        62 => "x86-64",
        40 => "arm32",
        183 => "aarch64",
        20 => "ppc",
        21 => "ppc64",
        22 => "s390x",
        8 => "mips",
        243 => "riscv",
        _ => "elf, other machine",
    };
    (format!("{name} {}", if be { "BE" } else { "LE" }), Some(m))
}

/// Every regular file under `dir` (recursively, sorted), skipping names
/// starting with '.' and the corpus manifest.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        eprintln!("cannot read directory {}", dir.display());
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "MANIFEST.json" {
            continue;
        }
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, out),
            Ok(m) if m.is_file() => out.push(p),
            _ => {}
        }
    }
}

fn best_of<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let v = black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.expect("reps >= 1"))
}

fn yara_rules(db: &[sigdb::Signature]) -> String {
    let mut rules = String::new();
    let mut by_constant: BTreeMap<&str, Vec<&[u8]>> = Default::default();
    for s in db {
        by_constant.entry(s.constant).or_default().push(s.bytes);
    }
    for (k, (constant, pats)) in by_constant.iter().enumerate() {
        rules += &format!("rule c{k} {{\n  meta:\n    constant = \"{constant}\"\n  strings:\n");
        for (j, p) in pats.iter().enumerate() {
            let hex: Vec<String> = p.iter().map(|b| format!("{b:02X}")).collect();
            rules += &format!("    $s{j} = {{ {} }}\n", hex.join(" "));
        }
        rules += "  condition:\n    any of them\n}\n";
    }
    rules
}

/// The kernels, compiled once.
struct Kernels {
    sc: Scanner,
    ac: AhoCorasick,
    words: WordMatcher,
    limbs: LimbMatcher,
    ent: SlidingEntropy,
    det: Detector,
}

/// One row: kernel name, hits, seconds (best of the repetitions), bytes
/// the kernel applies to (the limb kernel decodes x86-64 and AArch64 only).
type Row = (&'static str, Option<usize>, f64, usize);

/// Short column names of the per-ISA table, in the order of [`measure`].
const SHORT: [&str; 7] = [
    "scan",
    "aho-corasick",
    "memchr",
    "words",
    "limbs",
    "entropy",
    "analyze",
];

/// ELF machines the limb kernel decodes (x86-64, AArch64, RISC-V;
/// unknown = x86-64 and AArch64).
fn limb_applies(i: &Input) -> bool {
    matches!(i.machine, None | Some(62) | Some(183) | Some(243))
}

/// Times every kernel over `inputs`, file by file.
fn measure(k: &Kernels, inputs: &[&Input], reps: usize) -> Vec<Row> {
    let per = |f: &dyn Fn(&Input) -> usize| inputs.iter().map(|i| f(i)).sum::<usize>();
    let all: usize = inputs.iter().map(|i| i.bytes.len()).sum();
    let mut rows: Vec<Row> = Vec::new();
    let (t, n) = best_of(reps, || per(&|i| k.sc.count(&i.bytes)));
    rows.push(("pqbench scan (byte patterns)", Some(n), t, all));
    let (t, n) = best_of(reps, || {
        per(&|i| k.ac.find_overlapping_iter(&i.bytes[..]).count())
    });
    rows.push(("aho-corasick 1.x DFA, overlapping", Some(n), t, all));
    let (t, n) = best_of(reps, || {
        per(&|i| memchr::memchr_iter(0xa5, &i.bytes).count())
    });
    rows.push(("memchr pass (ceiling)", Some(n), t, all));
    let (t, n) = best_of(reps, || {
        per(&|i| {
            let mut n = 0usize;
            k.words.scan(&i.bytes, |_| n += 1);
            n
        })
    });
    rows.push(("instruction words (raw word matches)", Some(n), t, all));
    let (t, n) = best_of(reps, || {
        per(&|i| {
            let mut n = 0usize;
            if limb_applies(i) {
                k.limbs.scan(&i.bytes, i.machine, |_| n += 1);
            }
            n
        })
    });
    let limb_bytes = inputs
        .iter()
        .filter(|i| limb_applies(i))
        .map(|i| i.bytes.len());
    rows.push((
        "limb kernel (movabs / MOVZ-MOVK / RV64 li limbs; x86-64, AArch64 and RISC-V bytes only)",
        Some(n),
        t,
        limb_bytes.sum(),
    ));
    let (t, n) = best_of(reps, || {
        per(&|i| k.ent.regions_above(&i.bytes, HIGH_ENTROPY).len())
    });
    rows.push((
        "entropy regions (256-byte windows, step 128, >= 7.2 bits/byte)",
        Some(n),
        t,
        all,
    ));
    let (t, n) = best_of(reps, || {
        per(&|i| {
            k.det
                .analyze(&i.bytes)
                .map(|a| a.findings.len())
                .unwrap_or(0)
        })
    });
    rows.push(("Detector::analyze end to end (findings)", Some(n), t, all));
    rows
}

/// MB/s of a row, or `None` when it applies to no byte.
fn rate(r: &Row) -> Option<f64> {
    (r.3 > 0).then(|| r.3 as f64 / 1e6 / r.2)
}

fn print_rows(rows: &[Row]) -> Vec<Value> {
    println!("| kernel | hits | MB/s |");
    println!("|---|---:|---:|");
    let mut out = Vec::new();
    for r in rows {
        let (name, hits, t, bytes) = *r;
        let h = hits.map_or("-".to_string(), |h| h.to_string());
        let v = rate(r);
        let cell = v.map_or("n/a".to_string(), |v| format!("{v:.0}"));
        println!("| {name} | {h} | {cell} |");
        out.push(
            json!({"kernel": name, "hits": hits, "seconds": t, "bytes": bytes, "mb_per_s": v}),
        );
    }
    out
}

struct Opts {
    mib: usize,
    reps: usize,
    dump: Option<String>,
    yara: Option<String>,
    json: Option<String>,
    corpus: Option<PathBuf>,
    files: Vec<PathBuf>,
}

fn parse_args() -> Opts {
    let mut args = std::env::args().skip(1);
    let mut o = Opts {
        mib: 64,
        reps: 5,
        dump: None,
        yara: None,
        json: None,
        corpus: None,
        files: Vec::new(),
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mib" => o.mib = args.next().and_then(|v| v.parse().ok()).unwrap_or(64),
            "--reps" => o.reps = args.next().and_then(|v| v.parse().ok()).unwrap_or(5),
            "--dump" => o.dump = args.next(),
            "--yara" => o.yara = args.next(),
            "--json" => o.json = args.next(),
            "--corpus" => o.corpus = args.next().map(PathBuf::from),
            _ => o.files.push(PathBuf::from(a)),
        }
    }
    o
}

fn main() {
    let o = parse_args();
    let db = sigdb::builtin();
    let mut paths = o.files.clone();
    if let Some(dir) = &o.corpus {
        walk(dir, &mut paths);
        if paths.is_empty() {
            eprintln!(
                "no files under {}: fetch the real-binary corpus with `scripts/corpus/realbin.py fetch`",
                dir.display()
            );
            std::process::exit(2);
        }
    }
    let (inputs, what): (Vec<Input>, String) = if paths.is_empty() {
        let bytes = synth::firmware(42, o.mib << 20, &db).0;
        let input = Input {
            isa: "synthetic".into(),
            machine: None,
            bytes,
        };
        (vec![input], format!("synthetic {} MiB (best case)", o.mib))
    } else {
        let mut v = Vec::new();
        for p in &paths {
            match std::fs::read(p) {
                Ok(bytes) => {
                    let (isa, machine) = isa_of(&bytes);
                    v.push(Input {
                        isa,
                        machine,
                        bytes,
                    });
                }
                Err(e) => eprintln!("skipping {}: {e}", p.display()),
            }
        }
        if v.is_empty() {
            eprintln!("no readable input file");
            std::process::exit(2);
        }
        let n = v.len();
        (v, format!("{n} files"))
    };
    if let Some(path) = &o.dump {
        let all: Vec<u8> = inputs
            .iter()
            .flat_map(|i| i.bytes.iter().copied())
            .collect();
        if let Err(e) = std::fs::write(path, all) {
            eprintln!("cannot write --dump {path}: {e}");
            std::process::exit(2);
        }
    }
    if let Some(path) = &o.yara
        && let Err(e) = std::fs::write(path, yara_rules(&db))
    {
        eprintln!("cannot write --yara {path}: {e}");
        std::process::exit(2);
    }
    let t = Instant::now();
    let sc = Scanner::new(&db);
    let build_ours = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ac = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::Standard)
        .build(db.iter().map(|s| s.bytes))
        .expect("aho-corasick builds the built-in database");
    let build_ac = t.elapsed().as_secs_f64();
    let sets = sigdb::builtin_word_sets();
    let k = Kernels {
        sc,
        ac,
        words: WordMatcher::new(&sets),
        limbs: LimbMatcher::new(&sets),
        ent: SlidingEntropy::new(ENTROPY_WINDOW, ENTROPY_WINDOW / 2),
        det: Detector::builtin(),
    };
    let bytes: usize = inputs.iter().map(|i| i.bytes.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "input: {what}, {mb:.1} MB; database: {} patterns, {} bytes; stride {}; build: pqbench {:.1} ms, aho-corasick {:.1} ms; best of {} reps, one core",
        db.len(),
        db.iter().map(|s| s.bytes.len()).sum::<usize>(),
        k.sc.stride(),
        build_ours * 1e3,
        build_ac * 1e3,
        o.reps
    );
    let all: Vec<&Input> = inputs.iter().collect();
    let rows = measure(&k, &all, o.reps);
    let overall = print_rows(&rows);
    // Many images across cores (rayon): the synthetic image is cut in 16.
    use rayon::prelude::*;
    let images: Vec<&[u8]> = if inputs.len() > 1 {
        inputs.iter().map(|i| i.bytes.as_slice()).collect()
    } else {
        let b = &inputs[0].bytes;
        b.chunks(b.len().div_ceil(16).max(1)).collect()
    };
    for threads in [1, rayon::current_num_threads()] {
        let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() else {
            continue;
        };
        let (t, n) = best_of(o.reps, || {
            pool.install(|| images.par_iter().map(|im| k.sc.count(im)).sum::<usize>())
        });
        println!(
            "| pqbench scan, {} images, rayon {threads} thread(s) | {n} | {:.0} |",
            images.len(),
            mb / t
        );
    }
    let mut by_isa: BTreeMap<&str, Vec<&Input>> = BTreeMap::new();
    for i in &inputs {
        by_isa.entry(i.isa.as_str()).or_default().push(i);
    }
    let mut isa_json = Vec::new();
    if by_isa.len() > 1 {
        println!("\nper ISA (MB/s; best of {} reps):", o.reps.min(3));
        println!("| ISA | files | MB | {} |", SHORT.join(" | "));
        println!("|---|---:|---:|{}", "---:|".repeat(SHORT.len()));
        for (isa, group) in &by_isa {
            let gmb = group.iter().map(|i| i.bytes.len()).sum::<usize>() as f64 / 1e6;
            let r = measure(&k, group, o.reps.min(3));
            let cells: Vec<String> = r
                .iter()
                .map(|row| rate(row).map_or("n/a".into(), |v| format!("{v:.0}")))
                .collect();
            println!(
                "| {isa} | {} | {gmb:.1} | {} |",
                group.len(),
                cells.join(" | ")
            );
            let kernels: Vec<Value> = r
                .iter()
                .map(|row| json!({"kernel": row.0, "hits": row.1, "mb_per_s": rate(row)}))
                .collect();
            isa_json.push(json!({"isa": isa, "files": group.len(), "mb": gmb, "kernels": kernels}));
        }
    }
    if let Some(path) = &o.json {
        let doc = json!({
            "input": what, "mb": mb, "files": inputs.len(), "reps": o.reps,
            "patterns": db.len(), "kernels": overall, "per_isa": isa_json,
        });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("cannot write --json {path}: {e}");
            std::process::exit(2);
        }
    }
    let (n_ours, n_ac) = (rows[0].1, rows[1].1);
    if n_ours != n_ac {
        eprintln!("MISMATCH: pqbench found {n_ours:?} hits, aho-corasick {n_ac:?}");
        std::process::exit(1);
    }
}
