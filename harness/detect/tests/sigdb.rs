//! The committed database equals a fresh generation, and the canonical
//! constants it is generated from are right (curve equations, known answers).

use pqbench_detect::scan::Scanner;
use pqbench_detect::sigdb::bignum::Big;
use pqbench_detect::sigdb::generator::{self, CURVES, c25519};
use pqbench_detect::sigdb::{self, Family};
use pqbench_detect::words::imm64::needs_imm64;
use pqbench_detect::words::is_limb_set;
use pqbench_detect::words::limbs::required_imm64;

fn big(s: &str) -> Big {
    Big::from_hex(s).expect("hex constant")
}

#[test]
fn sigdb_is_up_to_date() {
    let sigs = generator::generate();
    let sets = generator::generate_word_sets();
    let (rs, blob) = generator::render(&sigs, &sets);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sigdb");
    let committed_rs = std::fs::read_to_string(dir.join("generated.rs")).expect("generated.rs");
    let committed_bin = std::fs::read(dir.join("sigdb.bin")).expect("sigdb.bin");
    assert!(
        committed_rs == rs && committed_bin == blob,
        "src/sigdb/generated.rs is stale: run `cargo run -p pqbench-detect --bin gen-sigdb`"
    );
    let db = sigdb::builtin();
    assert_eq!(db.len(), sigs.len());
    for (a, b) in db.iter().zip(&sigs) {
        assert_eq!(
            (a.algorithm, a.constant, a.layout, a.bytes),
            (&*b.algorithm, &*b.constant, &*b.layout, &b.bytes[..])
        );
        assert!(a.bytes.len() >= generator::MIN_LEN);
    }
    assert_eq!(Scanner::new(&db).stride(), generator::MIN_LEN - 3);
    let words = sigdb::builtin_word_sets();
    assert_eq!(words.len(), sets.len());
    for (a, b) in words.iter().zip(&sets) {
        assert_eq!(
            (
                a.algorithm,
                a.constant,
                a.family,
                a.weight,
                a.min_distinct,
                a.width
            ),
            (
                &*b.algorithm,
                &*b.constant,
                b.family,
                b.weight,
                b.min_distinct,
                b.width
            )
        );
        let got: Vec<u64> = (0..a.len()).filter_map(|i| a.word(i)).collect();
        assert_eq!(got, b.words);
    }
}

#[test]
fn word_sets_are_specific_context_evidence() {
    let all = sigdb::builtin_word_sets();
    // The public-key limb sets are checked in `limb_sets_are_chance_guarded`.
    let sets: Vec<_> = all.into_iter().filter(|s| !is_limb_set(s)).collect();
    for s in &sets {
        // Never public-key evidence; enough words needed to rule out chance.
        assert!(!s.family.quantum_vulnerable(), "{}", s.constant);
        assert!(usize::from(s.min_distinct) <= s.len(), "{}", s.constant);
        assert!(s.min_distinct >= 2, "{}", s.constant);
        for i in 0..s.len() {
            let w = s.word(i).expect("word");
            // No word is shared by two sets (SHA-512 high halves are SHA-256's K
            // and IV, the first four SHA-1 IV words are MD5's: left out).
            for t in sets.iter().filter(|t| t.constant != s.constant) {
                assert!(
                    (0..t.len()).all(|j| t.word(j) != Some(w)),
                    "{:#x} in {} and {}",
                    w,
                    s.constant,
                    t.constant
                );
            }
        }
    }
    let find = |c: &str| sets.iter().find(|s| s.constant == c).expect(c);
    assert_eq!(find("sha1.k").word(0), Some(0x5a82_7999));
    assert_eq!(find("sha1.iv").word(4), Some(0xc3d2_e1f0));
    assert_eq!(find("sha256.iv").word(0), Some(0x6a09_e667));
    assert_eq!(find("sha512.k").word(0), Some(0xd728_ae22));
    assert_eq!(find("md5.t").word(63), Some(0xeb86_d391));
    assert_eq!(find("aes.fixslice64-shiftrows").width, 8);
}

#[test]
fn limb_sets_are_chance_guarded() {
    let limb: Vec<_> = sigdb::builtin_word_sets()
        .into_iter()
        .filter(is_limb_set)
        .collect();
    assert!(limb.len() >= 12, "{}", limb.len());
    for s in &limb {
        assert_eq!((s.family, s.width), (Family::Ecc, 8), "{}", s.constant);
        // Several distinct limbs, at least one needing a full 64-bit
        // immediate; strong only when two such limbs are required.
        assert!(s.min_distinct >= 2 && usize::from(s.min_distinct) <= s.len());
        let need = required_imm64(s);
        assert!(need >= 1, "{}", s.constant);
        assert_eq!(
            s.weight >= sigdb::STRONG_WEIGHT,
            need >= 2,
            "{}",
            s.constant
        );
    }
    let find = |c: &str| limb.iter().find(|s| s.constant == c).expect(c);
    // P-256 order: limbs f3b9cac2fc632551, bce6faada7179e84, -1,
    // ffffffff00000000 and the Montgomery factor -n^-1 mod 2^64.
    let n = find("p-256.n-limbs64");
    let words: Vec<u64> = (0..n.len()).filter_map(|i| n.word(i)).collect();
    for w in [
        0xf3b9_cac2_fc63_2551,
        0xbce6_faad_a717_9e84,
        0xccd1_c8aa_ee00_bc4f,
    ] {
        assert!(words.contains(&w), "{w:#x}");
    }
    assert_eq!(
        0xf3b9_cac2_fc63_2551u64.wrapping_mul(0xccd1_c8aa_ee00_bc4f),
        u64::MAX
    );
    // dalek's scalar52 LFACTOR.
    assert_eq!(
        generator::mont_factor(0x5812_631a_5cf5_d3ed, 52),
        0x0005_1da3_1254_7e1b
    );
    // P-256, P-384, P-521 and Curve448 p: only bitmasks (0xffffffff00000000),
    // near-bitmasks (0xffffffff00000001) and small values: no set.
    assert!(needs_imm64(0xffff_ffff_0000_0001));
    for c in [
        "p-256.p-limbs64",
        "p-384.p-limbs64",
        "p-521.p-limbs64",
        "448.p-r56",
    ] {
        assert!(limb.iter().all(|s| s.constant != c), "{c}");
    }
    // Curve25519 p in radix 2^51 (p, 2p, 4p, 16p): strong.
    assert!(find("25519.p-r51").weight >= sigdb::STRONG_WEIGHT);
}

#[test]
fn curve448_constants() {
    let p = generator::p448();
    assert_eq!(
        p,
        big(
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        )
    );
    let one = Big::from_u64(1);
    let pm1 = p.sub(&one);
    assert_eq!(Big::from_u64(3).powmod(&pm1, &p), one);
    // d = -39081: d + 39081 = 0 mod p.
    let d = generator::ed448_d();
    assert!(d.add(&Big::from_u64(39_081)).rem(&p).is_zero());
    // RFC 8032 base point on x^2 + y^2 = 1 + d x^2 y^2 (decimal x from the RFC).
    let (x, y) = (big(generator::ED448_BX), big(generator::ED448_BY));
    assert_eq!(
        x,
        generator::from_dec(
            "224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710"
        )
    );
    let (x2, y2) = (x.mulmod(&x, &p), y.mulmod(&y, &p));
    let lhs = x2.add(&y2).rem(&p);
    let rhs = one.add(&d.mulmod(&x2, &p).mulmod(&y2, &p)).rem(&p);
    assert_eq!(lhs, rhs, "Ed448 base point not on the curve");
    // The order is prime (Fermat base 2) and L * B is the identity's order:
    // check primality and the RFC's hex form.
    let l = generator::ed448_order();
    assert_eq!(
        l,
        big(
            "3fffffffffffffffffffffffffffffffffffffffffffffffffffffff7cca23e9c44edb49aed63690216cc2728dc58f552378c292ab5844f3"
        )
    );
    assert_eq!(Big::from_u64(2).powmod(&l.sub(&one), &l), one);
    let db = sigdb::builtin();
    for (cst, layout) in [
        ("448.p", "r56-le64"),
        ("448.p", "r28-le32"),
        ("448.l", "le"),
        ("448.l", "be64-limbs"),
        ("448.d", "r56-le64"),
        ("448.d-twisted", "r56-le64"),
        ("448.bx", "be"),
    ] {
        assert!(
            db.iter().any(|s| s.constant == cst && s.layout == layout),
            "{cst} {layout} missing"
        );
    }
}

#[test]
fn every_family_and_required_layout_is_present() {
    let db = sigdb::builtin();
    for fam in Family::ALL {
        assert!(db.iter().any(|s| s.family == fam), "{fam} missing");
    }
    for layout in [
        "be",
        "le",
        "le32-limbs",
        "le64-limbs",
        "be32-limbs",
        "r26-le32",
        "i31-le32",
        "mont64-le",
        "mont-i31-le32",
        "r25.5-le32",
        "r51-le64",
        "r25.5s-le32",
        "r16-le64",
        "r56-le64",
        "r28-le32",
        "ascii-hex-upper",
    ] {
        assert!(
            db.iter().any(|s| s.layout == layout),
            "layout {layout} missing"
        );
    }
    for alg in [
        "p-256",
        "p-384",
        "p-521",
        "secp256k1",
        "brainpoolp256r1",
        "brainpoolp384r1",
        "curve25519",
        "ed25519",
        "curve448",
        "ed448",
        "modp-dh",
        "ffdhe",
        "rsa",
        "rsa-pkcs1v15",
        "aes",
        "sha-256",
        "sha-512",
        "sha-1",
        "md5",
        "keccak",
        "crc32",
        "ml-kem",
        "ml-dsa",
        "mbedtls",
        "wolfssl",
        "openssl",
        "bearssl",
        "micro-ecc",
        "tinycrypt",
        "libsodium",
        "rustcrypto",
    ] {
        assert!(
            db.iter().any(|s| s.algorithm == alg),
            "algorithm {alg} missing"
        );
    }
}

#[test]
fn weierstrass_curve_constants_satisfy_their_equations() {
    for c in CURVES {
        let p = big(c.p);
        let (a, b, x, y) = (big(c.a), big(c.b), big(c.gx), big(c.gy));
        let lhs = y.mulmod(&y, &p);
        let x3 = x.mulmod(&x, &p).mulmod(&x, &p);
        let rhs = x3.add(&a.mulmod(&x, &p)).add(&b).rem(&p);
        assert_eq!(lhs, rhs, "{}: G is not on the curve", c.name);
        // p is (probably) prime: Fermat test base 3.
        let pm1 = p.sub(&Big::from_u64(1));
        assert_eq!(
            Big::from_u64(3).powmod(&pm1, &p),
            Big::from_u64(1),
            "{}",
            c.name
        );
    }
}

#[test]
fn curve25519_constants() {
    let p = big(c25519::P);
    assert_eq!(p, Big::from_u64(1).shl(255).sub(&Big::from_u64(19)));
    let d = big(c25519::D);
    let minus = |v: u64| p.sub(&Big::from_u64(v));
    assert_eq!(d.mulmod(&Big::from_u64(121_666), &p), minus(121_665));
    assert_eq!(d.add(&d).rem(&p), big(c25519::D2));
    let i = big(c25519::SQRT_M1);
    assert_eq!(i.mulmod(&i, &p), minus(1));
    let (x, y) = (big(c25519::BX), big(c25519::BY));
    assert_eq!(y.mulmod(&Big::from_u64(5), &p), Big::from_u64(4));
    let (x2, y2) = (x.mulmod(&x, &p), y.mulmod(&y, &p));
    let lhs = y2.add(&p.sub(&x2)).rem(&p);
    let rhs = Big::from_u64(1)
        .add(&d.mulmod(&x2, &p).mulmod(&y2, &p))
        .rem(&p);
    assert_eq!(lhs, rhs, "Ed25519 base point not on the curve");
    let l = big(c25519::L);
    assert_eq!(
        Big::from_u64(2).powmod(&l.sub(&Big::from_u64(1)), &l),
        Big::from_u64(1)
    );
}

#[test]
fn derived_tables_match_published_values() {
    let s = generator::aes_sbox();
    assert_eq!(s[..4], [0x63, 0x7c, 0x77, 0x7b]);
    assert_eq!(s[255], 0x16);
    let k = generator::sha256_k();
    assert_eq!((k[0], k[63]), (0x428a_2f98, 0xc671_78f2));
    let k = generator::sha512_k();
    assert_eq!(
        (k[0], k[79]),
        (0x428a_2f98_d728_ae22, 0x6c44_198c_4a47_5817)
    );
    let t = generator::md5_t();
    assert_eq!((t[0], t[63]), (0xd76a_a478, 0xeb86_d391));
    let rc = generator::keccak_rc();
    assert_eq!((rc[0], rc[1], rc[23]), (1, 0x8082, 0x8000_0000_8000_8008));
    let crc = generator::crc32_table();
    assert_eq!((crc[1], crc[255]), (0x7707_3096, 0x2d02_ef8d));
    let db = sigdb::builtin();
    let find = |cst: &str, layout: &str| {
        db.iter()
            .find(|s| s.constant == cst && s.layout == layout)
            .map(|s| s.bytes.to_vec())
    };
    // pq-crystals/kyber ref: zetas[] = {-1044, -758, -359, -1517, ...} (Montgomery, centered).
    let z = find("ml-kem.zetas-mont", "le@0").expect("ml-kem zetas");
    let z: Vec<i16> = z
        .chunks(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(z[..4], [-1044, -758, -359, -1517]);
    // pq-crystals/dilithium ref: zetas[] = {0, 25847, -2608894, -518909, ...}.
    let z = find("ml-dsa.zetas-mont", "le@0").expect("ml-dsa zetas");
    let z: Vec<i32> = z
        .chunks(4)
        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    assert_eq!(z[..3], [25847, -2_608_894, -518_909]);
    // ref10 fe d = {-10913610, 13857413, -15372611, ...} (signed 25.5-bit).
    let d = find("25519.d", "r25.5s-le32").expect("ref10 d");
    let d: Vec<i32> = d
        .chunks(4)
        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    assert_eq!(d[..3], [-10_913_610, 13_857_413, -15_372_611]);
    // TweetNaCl gf D = {0x78a3, 0x1359, 0x4dca, ...}.
    let d = find("25519.d", "r16-le64").expect("tweetnacl d");
    assert_eq!(d[..8], 0x78a3u64.to_le_bytes());
    assert_eq!(d[8..16], 0x1359u64.to_le_bytes());
    // P-256 p in BearSSL i31 form starts with the header 0x108.
    let p = find("p-256.p", "i31-le32").expect("p-256 i31");
    assert_eq!(p[..4], [0x08, 0x01, 0, 0]);
}
