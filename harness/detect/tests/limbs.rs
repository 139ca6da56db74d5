//! Public-key limbs carried in instructions ([`pqbench_detect::words::LimbMatcher`])
//! and the Curve25519 / Curve448 field layouts, on real compiled code: the
//! fixtures in `tests/data/limbs/` were built by `make.py` there (rustc -O for
//! x86-64 and AArch64 Linux, AArch64 macOS) from functions written in the
//! style of fiat-crypto / ref10 / TweetNaCl / OpenSSL curve448, with every
//! constant computed by Python from its definition.

use pqbench_detect::analyze::Detector;
use pqbench_detect::words::imm64::{a64_bitmask, aarch64_values, needs_imm64, x86_64_values};

mod common;
use common::{ecc_algorithms, hits};

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/limbs")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn needs_imm64_separates_trivial_immediates() {
    for v in [0, 1, 0xffff_ffff, u64::MAX, (-19i64) as u64, (-2i64) as u64] {
        assert!(!needs_imm64(v), "{v:#x}");
    }
    for v in [
        0xffff_ffff_0000_0001,
        1 << 32,
        0x7fff_ffff_ffff_ffed,
        0x0007_ffff_ffff_ffff,
    ] {
        assert!(needs_imm64(v), "{v:#x}");
    }
}

#[test]
fn aarch64_bitmask_and_move_wide_sequences_decode() {
    // mov x0, #0xffffffff00000000 = ORR X0, XZR, #imm (N=1, immr=32, imms=31).
    assert_eq!(a64_bitmask(1, 32, 31), Some(0xffff_ffff_0000_0000));
    assert_eq!(a64_bitmask(1, 0, 31), Some(0x0000_0000_ffff_ffff));
    assert_eq!(a64_bitmask(0, 0, 0), Some(0x0000_0001_0000_0001));
    assert_eq!(a64_bitmask(0, 0, 0b11_1100), Some(0x5555_5555_5555_5555));
    assert_eq!(a64_bitmask(1, 0, 63), None);
    let movz = |rd: u32, imm: u32, hw: u32| 0xd280_0000 | (hw << 21) | (imm << 5) | rd;
    let movk = |rd: u32, imm: u32, hw: u32| 0xf280_0000 | (hw << 21) | (imm << 5) | rd;
    let add = 0x8b01_0000u32; // add x0, x0, x1: not a move
    let code: Vec<u8> = [
        movz(3, 0x2551, 0),
        movk(3, 0xfc63, 1),
        add,
        movk(3, 0xcac2, 2),
        movk(3, 0xf3b9, 3),
        movk(4, 0x1234, 3), // x4 never started: ignored
    ]
    .iter()
    .flat_map(|w| w.to_le_bytes())
    .collect();
    let mut got = Vec::new();
    aarch64_values(&code, |o, v| got.push((o, v)));
    assert_eq!(got.last(), Some(&(0, 0xf3b9_cac2_fc63_2551)));
    assert_eq!(got.len(), 4);
    // Out of reach: a MOVK more than MOVK_REACH bytes after the MOVZ.
    let mut far: Vec<u8> = movz(3, 0x2551, 0).to_le_bytes().to_vec();
    far.extend(std::iter::repeat_n(add.to_le_bytes(), 17).flatten());
    far.extend(movk(3, 0xfc63, 1).to_le_bytes());
    let mut got = Vec::new();
    aarch64_values(&far, |o, v| got.push((o, v)));
    assert_eq!(got, [(0, 0x2551)]);
}

#[test]
fn x86_64_immediates_decode() {
    let code = [
        0x49, 0xbe, 0x01, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, // movabs r14, imm64
        0x41, 0xb8, 0xff, 0xff, 0xff, 0xff, // mov r8d, 0xffffffff
        0x48, 0xc7, 0xc0, 0xed, 0xff, 0xff, 0xff, // mov rax, -19
        0x48, 0x83, 0xc9, 0xff, // or rcx, -1
    ];
    let mut got = Vec::new();
    x86_64_values(&code, |o, v| got.push((o, v)));
    for want in [
        (0, 0xffff_ffff_0000_0001),
        (11, 0xffff_ffff),
        (16, (-19i64) as u64),
        (23, u64::MAX),
    ] {
        assert!(got.contains(&want), "{want:x?} not in {got:x?}");
    }
}

#[test]
fn p256_limbs_in_real_x86_64_and_aarch64_code_make_an_ecc_finding() {
    let det = Detector::builtin();
    for (file, layout) in [
        ("limbs-x86_64.o", "x86-64-mov-imm"),
        ("limbs-aarch64.o", "aarch64-movz-movk"),
        ("limbs-aarch64-macho.o", "aarch64-movz-movk"),
    ] {
        let a = det.analyze(&fixture(file)).expect(file);
        let h = hits(&det, &a);
        assert!(h.contains(&("p-256.n-limbs64", layout)), "{file}: {h:?}");
        assert!(ecc_algorithms(&a).contains(&"p-256"), "{file}");
    }
}

#[test]
fn curve25519_and_curve448_layouts_of_real_implementations_are_found() {
    let det = Detector::builtin();
    for file in ["limbs-x86_64.o", "limbs-aarch64.o", "limbs-aarch64-macho.o"] {
        let a = det.analyze(&fixture(file)).expect(file);
        let h = hits(&det, &a);
        for want in [
            ("25519.d", "r25.5s-le32"),
            ("25519.d", "r16-le64"),
            ("448.p", "r56-le64"),
            ("448.d", "r56-le64"),
        ] {
            assert!(h.contains(&want), "{file}: {want:?} not in {h:?}");
        }
        let algs = ecc_algorithms(&a);
        for alg in ["ed25519", "curve448"] {
            assert!(algs.contains(&alg), "{file}: {alg} not in {algs:?}");
        }
    }
}

/// Negative controls: the same code with the P-256 order limbs removed, a
/// lone limb, and limbs further apart than the window make no limb hit.
#[test]
fn a_lone_limb_or_scattered_limbs_make_no_hit() {
    let det = Detector::builtin();
    let limb_hit = |bytes: &[u8]| {
        let a = det.analyze(bytes).expect("raw");
        hits(&det, &a)
            .iter()
            .any(|(c, l)| c.starts_with("p-256.n") && l.ends_with("mov-imm"))
    };
    let movabs = |v: u64| {
        let mut b = vec![0x48, 0xb8];
        b.extend(v.to_le_bytes());
        b
    };
    let filler = |n: usize| -> Vec<u8> { (0..n).map(|i| (i * 7 % 251) as u8 | 1).collect() };
    let [a, b, c] = [
        0xf3b9_cac2_fc63_2551u64,
        0xbce6_faad_a717_9e84,
        0xccd1_c8aa_ee00_bc4f,
    ];
    // Positive control: the three within the window.
    let close = [movabs(a), filler(100), movabs(b), filler(100), movabs(c)].concat();
    assert!(limb_hit(&close));
    // One limb, repeated: never enough distinct limbs.
    let lone = [movabs(a), filler(100), movabs(a), filler(100), movabs(a)].concat();
    assert!(!limb_hit(&lone));
    // Three limbs, 5000 bytes apart (window 4096).
    let far = [movabs(a), filler(5000), movabs(b), filler(5000), movabs(c)].concat();
    assert!(!limb_hit(&far));
    // The real object with the order limbs overwritten.
    let mut obj = fixture("limbs-x86_64.o");
    for v in [a, b, c] {
        let needle = v.to_le_bytes();
        let i = obj
            .windows(8)
            .position(|w| w == needle)
            .expect("limb in code");
        obj[i..i + 8].copy_from_slice(&0x0123_4567_89ab_cdefu64.to_le_bytes());
    }
    assert!(!limb_hit(&obj));
}

/// Trivial limbs (-1, -19) are kept only near a distinctive limb of their
/// set: thousands of `or rax, -1` earlier neither grow the hits nor crowd
/// out the ones a qualifying window needs (Curve25519 p in 64-bit limbs:
/// -19, -1, 2^63 - 1 and the distinctive Montgomery factor).
#[test]
fn trivial_limbs_count_only_near_distinctive_ones() {
    let det = Detector::builtin();
    let or_m1 = [0x48u8, 0x83, 0xc8, 0xff];
    let mut code: Vec<u8> = std::iter::repeat_n(or_m1, 20_000).flatten().collect();
    code.extend([0x90; 8192]);
    let factor = pqbench_detect::sigdb::generator::mont_factor(0xffff_ffff_ffff_ffed, 64);
    code.extend([0x49, 0xbe]);
    code.extend(factor.to_le_bytes());
    code.extend([0x48, 0xc7, 0xc0, 0xed, 0xff, 0xff, 0xff]); // mov rax, -19
    code.extend(or_m1);
    let a = det.analyze(&code).expect("raw");
    let limb_hits = a
        .hits
        .iter()
        .filter(|h| det.db()[h.sig as usize].constant == "25519.p-limbs64")
        .count();
    assert!(limb_hits >= 3, "{limb_hits}");
    assert!(a.hits.len() < 200, "{}", a.hits.len());
    // Without the distinctive limb, none of the 20,000 `or rax, -1` is kept.
    let a = det.analyze(&code[..80_000]).expect("raw");
    assert!(
        a.hits
            .iter()
            .all(|h| !det.db()[h.sig as usize].layout.ends_with("mov-imm"))
    );
}

#[test]
fn bitmasks_and_packed_halves_are_not_distinctive() {
    use pqbench_detect::words::imm64::{distinctive, is_bitmask};
    for v in [
        0xffff_ffff_0000_0000u64,
        0x0000_0001_0000_0001,
        0x00ff_ffff_ffff_fffe,
        0x0007_ffff_ffff_ffff,
        0x5555_5555_5555_5555,
        0x7fff_ffff_ffff_ffff,
    ] {
        assert!(is_bitmask(v), "{v:#x}");
        assert!(!distinctive(v), "{v:#x}");
    }
    // A rotated run: P-256's 0xffffffff00000001 (33 ones, wrapping).
    assert!(is_bitmask(0xffff_ffff_0000_0001));
    // v + 1 or v - 1 a bitmask (2^56 - 3, 2^64 - 2^32 + 2).
    for v in [0x00ff_ffff_ffff_fffdu64, 0xffff_ffff_0000_0002] {
        assert!(!is_bitmask(v) && !distinctive(v), "{v:#x}");
    }
    for v in [
        0xf3b9_cac2_fc63_2551u64,
        0x0007_ffff_ffff_ffed,
        0xccd1_c8aa_ee00_bc4f,
    ] {
        assert!(!is_bitmask(v) && distinctive(v), "{v:#x}");
    }
    // Cross-check is_bitmask against the decoder of every encodable immediate.
    let mut all = std::collections::BTreeSet::new();
    for n in 0..2 {
        for immr in 0..64 {
            for imms in 0..64 {
                if let Some(v) = a64_bitmask(n, immr, imms) {
                    all.insert(v);
                }
            }
        }
    }
    assert_eq!(all.len(), 5334);
    assert!(all.iter().all(|&v| is_bitmask(v)));
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let v = x & (x >> 3);
        assert_eq!(is_bitmask(v), all.contains(&v), "{v:#x}");
    }
}
