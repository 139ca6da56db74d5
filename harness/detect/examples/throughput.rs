//! Side-by-side scan throughput on one core: the pqbench scanner, the same
//! pattern set in `aho-corasick` (DFA, overlapping matches, i.e. every hit),
//! and a `memchr` pass over the same bytes (the bandwidth ceiling); then the
//! instruction-word kernel and the entropy kernel.
//!
//! `cargo run --release -p pqbench-detect --example throughput -- [--mib N]
//! [--dump IMAGE] [--yara RULES] [FILES...]`: default input is a 64 MiB
//! synthetic image (`--mib`), with FILES their concatenation instead.
//! `--dump` writes the input, `--yara` writes the database as YARA rules
//! (one rule per constant, one hex string per layout) for the yara-x peer
//! (`scripts/corpus/peers.py`).
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use pqbench_detect::{entropy::SlidingEntropy, scan::Scanner, sigdb, synth, words::WordMatcher};
use std::hint::black_box;
use std::time::Instant;

fn best_of<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..reps {
        let t = Instant::now();
        let v = black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.expect("reps >= 1"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut mib, mut dump, mut yara, mut files) = (64usize, None, None, Vec::new());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mib" => mib = args.next().and_then(|v| v.parse().ok()).unwrap_or(64),
            "--dump" => dump = args.next(),
            "--yara" => yara = args.next(),
            _ => files.push(a),
        }
    }
    let db = sigdb::builtin();
    let (data, what) = if !files.is_empty() {
        let mut d = Vec::new();
        for f in &files {
            match std::fs::read(f) {
                Ok(b) => d.extend_from_slice(&b),
                Err(e) => eprintln!("skipping {f}: {e}"),
            }
        }
        (d, format!("{} files", files.len()))
    } else {
        (
            synth::firmware(42, mib << 20, &db).0,
            format!("synthetic {mib} MiB"),
        )
    };
    if let Some(path) = &dump {
        std::fs::write(path, &data).expect("write --dump file");
    }
    if let Some(path) = &yara {
        let mut rules = String::new();
        let mut by_constant: std::collections::BTreeMap<&str, Vec<&[u8]>> = Default::default();
        for s in &db {
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
        std::fs::write(path, rules).expect("write --yara file");
    }
    let mb = data.len() as f64 / 1e6;
    let t = Instant::now();
    let sc = Scanner::new(&db);
    let build_ours = t.elapsed();
    let t = Instant::now();
    let ac = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::Standard)
        .build(db.iter().map(|s| s.bytes))
        .expect("aho-corasick builds");
    let build_ac = t.elapsed();
    let reps = 5;
    let (t_ours, n_ours) = best_of(reps, || sc.count(&data));
    let (t_ac, n_ac) = best_of(reps, || ac.find_overlapping_iter(&data[..]).count());
    let (t_mc, n_mc) = best_of(reps, || memchr::memchr_iter(0xa5, &data).count());
    let words = WordMatcher::new(&sigdb::builtin_word_sets());
    let (t_words, n_words) = best_of(reps, || {
        let mut n = 0usize;
        words.scan(&data, |_| n += 1);
        n
    });
    let ent = SlidingEntropy::new(256, 64);
    let (t_ent, _) = best_of(3, || ent.profile(&data).len());
    println!(
        "input: {what}, {:.1} MB; database: {} patterns, {} bytes; stride {}",
        mb,
        db.len(),
        db.iter().map(|s| s.bytes.len()).sum::<usize>(),
        sc.stride()
    );
    println!("| kernel | hits | MB/s | build |");
    println!("|---|---:|---:|---:|");
    println!(
        "| pqbench scan (stride-gram filter + verify) | {n_ours} | {:.0} | {:.1} ms |",
        mb / t_ours,
        build_ours.as_secs_f64() * 1e3
    );
    println!(
        "| aho-corasick 1.x DFA, overlapping | {n_ac} | {:.0} | {:.1} ms |",
        mb / t_ac,
        build_ac.as_secs_f64() * 1e3
    );
    println!("| memchr pass (ceiling) | {n_mc} | {:.0} | - |", mb / t_mc);
    println!(
        "| pqbench instruction words (imm32/imm64 + MOVW/MOVT, {} sets; raw word matches) | {n_words} | {:.0} | - |",
        sigdb::builtin_word_sets().len(),
        mb / t_words
    );
    println!("| sliding entropy 256/64 | - | {:.0} | - |", mb / t_ent);
    // Multi-image scanning across cores (rayon): the input split into 16 images.
    use rayon::prelude::*;
    let images: Vec<&[u8]> = data.chunks(data.len().div_ceil(16).max(1)).collect();
    for threads in [1, rayon::current_num_threads()] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let (t, n) = best_of(reps, || {
            pool.install(|| images.par_iter().map(|im| sc.count(im)).sum::<usize>())
        });
        println!(
            "| pqbench scan, 16 images, rayon {threads} thread(s) | {n} | {:.0} | - |",
            mb / t
        );
    }
    if n_ours != n_ac {
        eprintln!("MISMATCH: pqbench found {n_ours} hits, aho-corasick {n_ac}");
        std::process::exit(1);
    }
}
