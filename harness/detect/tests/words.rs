//! The instruction-word kernel on real compiler output and its guards.
//!
//! The fixtures in `tests/data` are byte ranges cut (by `scripts/corpus`
//! tooling, unmodified) from images of the labelled corpus built by
//! `scripts/corpus/build.py` (RustCrypto crates, rustc/LLVM):
//!
//! * `sha1-thumbv7em-os.bin`: `legacy-hash.elf`, thumbv7em-none-eabihf,
//!   opt-level s, file offsets 0x104f0..0x113c0: SHA-1 with K and IV loaded
//!   by MOVW/MOVT pairs (no table anywhere), and the MD5 code next to it;
//! * `aes-fixslice32-thumbv7em-os.bin`: `aes.elf`, same target, 0x11a50..0x11cb0:
//!   fixsliced AES ShiftRows masks 0x0c0f0300/0x030f0c00 by MOVW/MOVT;
//! * `md5-x86_64-o3.bin`: `legacy-hash.elf`, x86_64-unknown-linux-gnu,
//!   opt-level 3, 0x12c70..0x13480: MD5's T as `lea`/`add` imm32/disp32 operands.

use pqbench_detect::analyze::Detector;
use pqbench_detect::sigdb::{self, Family};
use pqbench_detect::words::{Encoding, Mov16, encode_mov16};

fn families(det: &Detector, bytes: &[u8]) -> Vec<Family> {
    det.analyze(bytes)
        .expect("raw image loads")
        .findings
        .iter()
        .map(|f| f.family)
        .collect()
}

fn layouts(det: &Detector, bytes: &[u8]) -> Vec<&'static str> {
    let a = det.analyze(bytes).expect("raw image loads");
    let mut l: Vec<&str> = a
        .hits
        .iter()
        .map(|h| det.db()[h.sig as usize].layout)
        .collect();
    l.sort_unstable();
    l.dedup();
    l
}

#[test]
fn real_compiler_output_is_found_only_with_the_word_kernel() {
    let with = Detector::builtin();
    let without = Detector::new(sigdb::builtin());
    for (bytes, fam, layout) in [
        (
            &include_bytes!("data/sha1-thumbv7em-os.bin")[..],
            &[Family::Sha, Family::Hash][..],
            Encoding::MovwMovt,
        ),
        (
            &include_bytes!("data/aes-fixslice32-thumbv7em-os.bin")[..],
            &[Family::Aes][..],
            Encoding::MovwMovt,
        ),
        (
            &include_bytes!("data/md5-x86_64-o3.bin")[..],
            &[Family::Hash][..],
            Encoding::Le32,
        ),
    ] {
        assert_eq!(families(&with, bytes), fam);
        assert!(families(&without, bytes).is_empty());
        assert!(layouts(&with, bytes).contains(&layout.layout()));
    }
    // Every SHA-1 K and IV word is seen, each as one MOVW/MOVT pair.
    let a = with
        .analyze(include_bytes!("data/sha1-thumbv7em-os.bin"))
        .expect("loads");
    let mut constants: Vec<&str> = a.findings[0].algorithms[0].constants.clone();
    constants.sort_unstable();
    assert_eq!(constants, ["sha1.iv", "sha1.k"]);
    let sha1 = a
        .hits
        .iter()
        .filter(|h| with.db()[h.sig as usize].algorithm == "sha-1")
        .count();
    assert_eq!(sha1, 9);
}

fn thumb(words: &[u32], rd: u8) -> Vec<u8> {
    let mut code = Vec::new();
    for &w in words {
        code.extend_from_slice(&encode_mov16(Mov16 {
            top: false,
            rd,
            imm16: w as u16,
        }));
        code.extend_from_slice(&[0x00, 0xbf]); // nop
        code.extend_from_slice(&encode_mov16(Mov16 {
            top: true,
            rd,
            imm16: (w >> 16) as u16,
        }));
    }
    code
}

fn set_words(constant: &str) -> Vec<u32> {
    let s = sigdb::builtin_word_sets()
        .into_iter()
        .find(|s| s.constant == constant)
        .expect("set");
    (0..s.len())
        .filter_map(|i| s.word(i))
        .map(|w| w as u32)
        .collect()
}

#[test]
fn weak_or_lone_words_make_no_finding() {
    let det = Detector::builtin();
    let mut img = vec![0x5au8; 256];
    // SHA-1 K alone (weight 700) is not a finding; with the IV it is.
    img.extend(thumb(&set_words("sha1.k"), 3));
    assert!(families(&det, &img).is_empty());
    img.extend(thumb(&set_words("sha1.iv"), 5));
    assert_eq!(families(&det, &img), [Family::Sha]);
    // MD5's IV (the first four SHA-1 IV words) is not SHA-1's.
    let mut md5iv = vec![0x5au8; 256];
    md5iv.extend(thumb(&set_words("sha1.k"), 3));
    md5iv.extend(thumb(&set_words("sha1.iv")[..4], 5));
    assert!(families(&det, &md5iv).is_empty());
    // Seven of SHA-256's K (eight needed), far apart words: nothing.
    let k = set_words("sha256.k");
    let mut few = vec![0u8; 64];
    few.extend(thumb(&k[..7], 1));
    assert!(families(&det, &few).is_empty());
    let mut spread = Vec::new();
    for w in &k[..16] {
        spread.extend_from_slice(&w.to_le_bytes());
        spread.extend(std::iter::repeat_n(0x11u8, 70_000));
    }
    assert!(det.analyze(&spread).expect("loads").hits.is_empty());
    // Eight distinct, as x86 imm32 operands (`add eax, imm32` = 05 id): SHA-256.
    let mut x86 = vec![0x90u8; 16];
    for w in &k[..8] {
        x86.push(0x05);
        x86.extend_from_slice(&w.to_le_bytes());
    }
    assert_eq!(families(&det, &x86), [Family::Sha]);
}

#[test]
fn random_data_has_no_word_hits() {
    let det = Detector::builtin();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let img: Vec<u8> = (0..2 << 20)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let a = det.analyze(&img).expect("loads");
    let words = a
        .hits
        .iter()
        .filter(|h| h.sig as usize >= det.patterns())
        .count();
    assert_eq!(words, 0);
    assert!(a.findings.is_empty());
}

#[test]
fn analyze_is_total_on_arbitrary_bytes() {
    // What the `analyze` fuzz target checks, on a bounded stable sample:
    // bytes biased towards MOVW/MOVT/MOV.W/MOVS opcodes and word-set bytes.
    let det = Detector::builtin();
    let sets = sigdb::builtin_word_sets();
    let mut x = 0x6a09_e667_f3bc_c908u64;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..400 {
        let len = (rnd() % 3000) as usize;
        let mut buf: Vec<u8> = (0..len)
            .map(|_| match rnd() % 8 {
                0 => 0xf2,
                1 => 0xf6,
                2 => 0x40 | (rnd() as u8 & 0x8f),
                _ => rnd() as u8,
            })
            .collect();
        for _ in 0..(round % 40) {
            let s = &sets[rnd() as usize % sets.len()];
            let w = s.word_bytes(rnd() as usize % s.len());
            if buf.len() > w.len() {
                let at = rnd() as usize % (buf.len() - w.len());
                buf[at..at + w.len()].copy_from_slice(w);
            }
        }
        if let Ok(a) = det.analyze(&buf) {
            for h in &a.hits {
                let sig = &det.db()[h.sig as usize];
                assert!(h.offset as usize + sig.bytes.len() <= buf.len());
            }
            for f in &a.findings {
                assert!(f.score >= pqbench_detect::evidence::THRESHOLD);
            }
        }
    }
}

#[test]
fn repeated_words_are_capped_but_still_found() {
    let det = Detector::builtin();
    let k = set_words("sha256.k");
    let mut img = Vec::new();
    for _ in 0..2000 {
        for w in &k[..8] {
            img.extend_from_slice(&w.to_le_bytes());
        }
    }
    let a = det.analyze(&img).expect("loads");
    let words = a
        .hits
        .iter()
        .filter(|h| h.sig as usize >= det.patterns())
        .count();
    let cap = pqbench_detect::analyze::MAX_WORD_HITS as usize;
    assert_eq!(words, 8 * cap);
    assert_eq!(
        a.findings.iter().map(|f| f.family).collect::<Vec<_>>(),
        [Family::Sha]
    );
}
