//! Generator of the signature database from canonical constants.
//!
//! Canonical values are written once (curve parameters as printed by
//! `openssl ecparam -param_enc explicit -text`, RFC/FIPS constants) or derived
//! from their definition (AES S-box from GF(2^8) inversion, SHA round constants
//! from prime roots, Keccak round constants from the LFSR, CRC table from the
//! polynomial, NTT zetas from the root of unity). Every bignum is then emitted
//! in every layout real libraries use.

use super::Family;
use super::bignum::Big;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

/// Shortest pattern the database admits (the scanner's stride depends on it).
pub const MIN_LEN: usize = 11;

/// One generated signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenSig {
    /// Algorithm.
    pub algorithm: String,
    /// Canonical constant.
    pub constant: String,
    /// Family.
    pub family: Family,
    /// Layout name.
    pub layout: String,
    /// Weight per mille.
    pub weight: u16,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// A short-Weierstrass curve `y^2 = x^3 + ax + b` over `p`, canonical hex.
pub struct Curve {
    /// Name used as the algorithm.
    pub name: &'static str,
    /// Field prime.
    pub p: &'static str,
    /// Coefficient a.
    pub a: &'static str,
    /// Coefficient b.
    pub b: &'static str,
    /// Base point x.
    pub gx: &'static str,
    /// Base point y.
    pub gy: &'static str,
    /// Group order.
    pub n: &'static str,
}

/// Curves, values from `openssl ecparam -name X -param_enc explicit -text` (OpenSSL 3.0).
pub const CURVES: &[Curve] = &[
    Curve {
        name: "p-256",
        p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        a: "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
        b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        gx: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        gy: "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        n: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    },
    Curve {
        name: "p-384",
        p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc",
        b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        gx: "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
        gy: "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        n: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
    },
    Curve {
        name: "p-521",
        p: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        a: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
        b: "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        gx: "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
        gy: "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
        n: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    },
    Curve {
        name: "secp256k1",
        p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f",
        a: "0",
        b: "7",
        gx: "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        gy: "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
        n: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
    },
    Curve {
        name: "brainpoolp256r1",
        p: "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
        a: "7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9",
        b: "26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6",
        gx: "8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262",
        gy: "547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
        n: "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7",
    },
    Curve {
        name: "brainpoolp384r1",
        p: "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53",
        a: "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826",
        b: "04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c11",
        gx: "1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e",
        gy: "8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315",
        n: "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565",
    },
];

/// Curve25519 / Ed25519 (RFC 7748, RFC 8032).
pub mod c25519 {
    /// p = 2^255 - 19.
    pub const P: &str = "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed";
    /// Edwards d = -121665/121666 mod p.
    pub const D: &str = "52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3";
    /// 2d mod p.
    pub const D2: &str = "2406d9dc56dffce7198e80f2eef3d13000e0149a8283b156ebd69b9426b2f159";
    /// sqrt(-1) mod p.
    pub const SQRT_M1: &str = "2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0";
    /// Ed25519 base point x.
    pub const BX: &str = "216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a";
    /// Ed25519 base point y = 4/5.
    pub const BY: &str = "6666666666666666666666666666666666666666666666666666666666666658";
    /// Group order L = 2^252 + 27742317777372353535851937790883648493.
    pub const L: &str = "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";
}

/// Leading 256 bits of the RFC 2409/3526 MODP primes (every size shares them:
/// 2^64 ones, then the binary expansion of pi).
pub const MODP_PREFIX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74";
/// Leading 256 bits of the RFC 7919 ffdhe primes (2^64 ones, then e).
pub const FFDHE_PREFIX: &str = "ffffffffffffffffadf85458a2bb4a9aafdc5620273d3cf1d8b9c583ce2d3695";

fn hex(s: &str) -> Vec<u8> {
    let d: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
    d.chunks(2)
        .map(|c| {
            let v = |x: u8| (x as char).to_digit(16).unwrap_or(0) as u8;
            (v(c[0]) << 4) | v(c[1])
        })
        .collect()
}

fn big(s: &str) -> Big {
    Big::from_hex(s).unwrap_or_else(Big::zero)
}

/// Fewest distinct 4-byte grams a pattern needs: rejects degenerate values
/// (zero, all-ones runs such as 2^521 - 1 in most layouts) that erased or
/// zero-filled flash would match.
pub const MIN_DISTINCT_GRAMS: usize = 6;

fn has_clean_window(p: &[u8]) -> bool {
    let dirty =
        |g: &[u8]| g.iter().filter(|&&x| x == 0).count() >= 2 || g.iter().all(|&x| x == g[0]);
    (0..=p.len().saturating_sub(MIN_LEN))
        .any(|s| (0..MIN_LEN - 3).all(|j| !dirty(&p[s + j..s + j + 4])))
}

fn distinct_grams(b: &[u8]) -> usize {
    b.windows(4).collect::<BTreeSet<_>>().len()
}

struct Out {
    sigs: Vec<GenSig>,
    seen: BTreeSet<Vec<u8>>,
}

impl Out {
    fn push(
        &mut self,
        alg: &str,
        cst: &str,
        family: Family,
        layout: &str,
        weight: u16,
        bytes: Vec<u8>,
    ) {
        if bytes.len() < MIN_LEN || distinct_grams(&bytes) < MIN_DISTINCT_GRAMS {
            return;
        }
        // Small-word tables (AES Rcon as u32: 0x01000000, ...) must have a
        // window without zero-heavy grams: those are everywhere in code.
        // Bignums and sparse tables (Keccak) are kept regardless.
        if layout.starts_with("u32") && !has_clean_window(&bytes) {
            return;
        }
        if !self.seen.insert(bytes.clone()) {
            return;
        }
        self.sigs.push(GenSig {
            algorithm: alg.to_string(),
            constant: cst.to_string(),
            family,
            layout: layout.to_string(),
            weight,
            bytes,
        });
    }
}

fn words_u32(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|&w| {
            let w = w as u32;
            if be { w.to_be_bytes() } else { w.to_le_bytes() }
        })
        .collect()
}

fn words_u16(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|&w| {
            let w = w as u16;
            if be { w.to_be_bytes() } else { w.to_le_bytes() }
        })
        .collect()
}

fn words_u64(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|&w| if be { w.to_be_bytes() } else { w.to_le_bytes() })
        .collect()
}

/// BearSSL's encoded bit length for i31 (`(len / 31) << 5 | len % 31`) and i15.
fn bearssl_header(bits: usize, radix: usize) -> u64 {
    let shift = if radix == 31 { 5 } else { 4 };
    (((bits / radix) << shift) + bits % radix) as u64
}

/// Emits `v` (a value modulo a `bits`-bit modulus) in every plain layout.
#[allow(clippy::too_many_arguments)]
fn bignum_layouts(
    o: &mut Out,
    alg: &str,
    cst: &str,
    fam: Family,
    w: u16,
    v: &Big,
    bits: usize,
    radix_forms: bool,
) {
    let nbytes = bits.div_ceil(8);
    o.push(alg, cst, fam, "be", w, v.to_be(nbytes));
    o.push(alg, cst, fam, "le", w, v.to_le(nbytes));
    let n32 = bits.div_ceil(32);
    let n64 = bits.div_ceil(64);
    o.push(alg, cst, fam, "le32-limbs", w, v.to_le(4 * n32));
    o.push(alg, cst, fam, "le64-limbs", w, v.to_le(8 * n64));
    o.push(
        alg,
        cst,
        fam,
        "be32-limbs",
        w,
        words_u32(&v.limbs(32, n32), true),
    );
    o.push(
        alg,
        cst,
        fam,
        "be64-limbs",
        w,
        words_u64(&v.limbs(64, n64), true),
    );
    if !radix_forms {
        return;
    }
    for radix in [26usize, 25, 28, 30, 13] {
        let n = bits.div_ceil(radix);
        let l = v.limbs(radix, n);
        o.push(
            alg,
            cst,
            fam,
            &format!("r{radix}-le32"),
            w,
            words_u32(&l, false),
        );
        o.push(
            alg,
            cst,
            fam,
            &format!("r{radix}-be32"),
            w,
            words_u32(&l, true),
        );
    }
    for radix in [52usize, 56, 58] {
        let l = v.limbs(radix, bits.div_ceil(radix));
        o.push(
            alg,
            cst,
            fam,
            &format!("r{radix}-le64"),
            w,
            words_u64(&l, false),
        );
    }
    // BearSSL i31 / i15: header word with the modulus bit length, then limbs.
    let mut i31 = vec![bearssl_header(bits, 31)];
    i31.extend(v.limbs(31, bits.div_ceil(31)));
    o.push(alg, cst, fam, "i31-le32", w, words_u32(&i31, false));
    o.push(alg, cst, fam, "i31-be32", w, words_u32(&i31, true));
    let mut i15 = vec![bearssl_header(bits, 15)];
    i15.extend(v.limbs(15, bits.div_ceil(15)));
    o.push(alg, cst, fam, "i15-le16", w, words_u16(&i15, false));
    o.push(alg, cst, fam, "i15-be16", w, words_u16(&i15, true));
}

/// Emits the Montgomery forms `v * R mod m` libraries store, for the usual R.
#[allow(clippy::too_many_arguments)]
fn montgomery_layouts(
    o: &mut Out,
    alg: &str,
    cst: &str,
    fam: Family,
    w: u16,
    v: &Big,
    m: &Big,
    bits: usize,
) {
    let n32 = bits.div_ceil(32);
    let n64 = bits.div_ceil(64);
    let m64 = v.to_montgomery(64 * n64, m);
    o.push(alg, cst, fam, "mont64-le", w, m64.to_le(8 * n64));
    o.push(
        alg,
        cst,
        fam,
        "mont64-be64-limbs",
        w,
        words_u64(&m64.limbs(64, n64), true),
    );
    let m32 = v.to_montgomery(32 * n32, m);
    o.push(alg, cst, fam, "mont32-le", w, m32.to_le(4 * n32));
    o.push(
        alg,
        cst,
        fam,
        "mont32-be32-limbs",
        w,
        words_u32(&m32.limbs(32, n32), true),
    );
    let n31 = bits.div_ceil(31);
    let mi31 = v.to_montgomery(31 * n31, m);
    let mut i31 = vec![bearssl_header(bits, 31)];
    i31.extend(mi31.limbs(31, n31));
    o.push(alg, cst, fam, "mont-i31-le32", w, words_u32(&i31, false));
    o.push(alg, cst, fam, "mont-i31-be32", w, words_u32(&i31, true));
    let n15 = bits.div_ceil(15);
    let mi15 = v.to_montgomery(15 * n15, m);
    let mut i15 = vec![bearssl_header(bits, 15)];
    i15.extend(mi15.limbs(15, n15));
    o.push(alg, cst, fam, "mont-i15-le16", w, words_u16(&i15, false));
}

fn curves(o: &mut Out) {
    for c in CURVES {
        let p = big(c.p);
        let bits = p.bits();
        let n = big(c.n);
        let fam = Family::Ecc;
        for (cst, v, w) in [
            ("p", &p, 1000),
            ("b", &big(c.b), 1000),
            ("gx", &big(c.gx), 1000),
            ("gy", &big(c.gy), 1000),
            ("n", &n, 1000),
            ("a", &big(c.a), 800),
        ] {
            if v.bits() < 64 {
                continue; // a = 0, b = 7: not distinctive
            }
            bignum_layouts(
                o,
                c.name,
                &format!("{}.{cst}", c.name),
                fam,
                w,
                v,
                bits,
                true,
            );
        }
        for (cst, v) in [
            ("b", big(c.b)),
            ("gx", big(c.gx)),
            ("gy", big(c.gy)),
            ("one", Big::from_u64(1)),
            ("a", big(c.a)),
        ] {
            if cst != "one" && v.bits() < 64 {
                continue;
            }
            montgomery_layouts(
                o,
                c.name,
                &format!("{}.{cst}", c.name),
                fam,
                1000,
                &v,
                &p,
                bits,
            );
        }
        // R^2 mod p and R^2 mod n (Montgomery conversion constants).
        for (cst, m) in [("r2-mod-p", &p), ("r2-mod-n", &n)] {
            let n64 = bits.div_ceil(64);
            let n32 = bits.div_ceil(32);
            let full = format!("{}.{cst}", c.name);
            let r2 = Big::from_u64(1).shl(2 * 64 * n64).rem(m);
            o.push(c.name, &full, fam, "le64-limbs", 1000, r2.to_le(8 * n64));
            let r2 = Big::from_u64(1).shl(2 * 32 * n32).rem(m);
            o.push(c.name, &full, fam, "le32-limbs", 1000, r2.to_le(4 * n32));
            o.push(
                c.name,
                &full,
                fam,
                "be32-limbs",
                1000,
                words_u32(&r2.limbs(32, n32), true),
            );
        }
        // ASCII hex of the prime and order (OpenSSL/mbedTLS tables, PEM tooling).
        for (cst, s) in [("p", c.p), ("n", c.n)] {
            let t = s.trim_start_matches('0');
            let full = format!("{}.{cst}", c.name);
            o.push(
                c.name,
                &full,
                fam,
                "ascii-hex-upper",
                900,
                t.to_ascii_uppercase().into_bytes(),
            );
            o.push(
                c.name,
                &full,
                fam,
                "ascii-hex-lower",
                900,
                t.to_ascii_lowercase().into_bytes(),
            );
        }
    }
}

fn curve25519(o: &mut Out) {
    use c25519::*;
    let p = big(P);
    let fam = Family::Ecc;
    for (alg, cst, v) in [
        ("curve25519", "p", P),
        ("ed25519", "d", D),
        ("ed25519", "2d", D2),
        ("curve25519", "sqrt-m1", SQRT_M1),
        ("ed25519", "bx", BX),
        ("ed25519", "by", BY),
        ("ed25519", "l", L),
    ] {
        let full = format!("25519.{cst}");
        let v = big(v);
        bignum_layouts(o, alg, &full, fam, 1000, &v, 255, false);
        // 25.5-bit (ref10, dalek u32), 51-bit (donna64, dalek u64) limbs.
        o.push(
            alg,
            &full,
            fam,
            "r25.5-le32",
            1000,
            words_u32(&limbs_2625(&v), false),
        );
        o.push(
            alg,
            &full,
            fam,
            "r25.5-be32",
            1000,
            words_u32(&limbs_2625(&v), true),
        );
        o.push(
            alg,
            &full,
            fam,
            "r51-le64",
            1000,
            words_u64(&v.limbs(51, 5), false),
        );
        if cst != "l" && cst != "p" {
            let m = v.to_montgomery(256, &p);
            o.push(alg, &full, fam, "mont64-le", 1000, m.to_le(32));
        }
    }
    // The Montgomery-ladder constant a24 = 121665 (or 121666): short, weak evidence.
    for (cst, v) in [("a24", 121_665u64), ("a24+1", 121_666)] {
        let full = format!("25519.{cst}");
        let b = Big::from_u64(v);
        o.push(
            "curve25519",
            &full,
            fam,
            "r51-le64",
            200,
            words_u64(&b.limbs(51, 5), false),
        );
        o.push(
            "curve25519",
            &full,
            fam,
            "r25.5-le32",
            200,
            words_u32(&limbs_2625(&b), false),
        );
        o.push("curve25519", &full, fam, "le64-limbs", 200, b.to_le(32));
    }
}

/// Alternating 26/25-bit limbs (10 limbs for 255 bits).
fn limbs_2625(v: &Big) -> Vec<u64> {
    let mut out = Vec::new();
    let mut pos = 0;
    for i in 0..10 {
        let r = if i % 2 == 0 { 26 } else { 25 };
        let mut x = 0u64;
        for j in 0..r {
            if v.bit(pos + j) {
                x |= 1 << j;
            }
        }
        out.push(x);
        pos += r;
    }
    out
}

fn ffdh(o: &mut Out) {
    for (alg, prefix) in [("modp-dh", MODP_PREFIX), ("ffdhe", FFDHE_PREFIX)] {
        let v = big(prefix);
        let cst = format!("{alg}.p-prefix");
        // A prefix of a longer prime: only layouts where it stays contiguous.
        o.push(alg, &cst, Family::Dh, "be", 1000, v.to_be(32));
        o.push(alg, &cst, Family::Dh, "le", 1000, v.to_le(32));
        o.push(
            alg,
            &cst,
            Family::Dh,
            "be32-limbs",
            1000,
            words_u32(&v.limbs(32, 8), true),
        );
        o.push(
            alg,
            &cst,
            Family::Dh,
            "be64-limbs",
            1000,
            words_u64(&v.limbs(64, 4), true),
        );
        o.push(
            alg,
            &cst,
            Family::Dh,
            "ascii-hex-upper",
            1000,
            prefix.to_ascii_uppercase().into_bytes(),
        );
        o.push(
            alg,
            &cst,
            Family::Dh,
            "ascii-hex-lower",
            1000,
            prefix.to_ascii_lowercase().into_bytes(),
        );
    }
    o.push(
        "dh",
        "pem.dh-params",
        Family::Dh,
        "ascii",
        700,
        b"-----BEGIN DH PARAMETERS-----".to_vec(),
    );
    o.push(
        "dsa",
        "pem.dsa-key",
        Family::Dh,
        "ascii",
        700,
        b"-----BEGIN DSA PRIVATE KEY-----".to_vec(),
    );
    // DER AlgorithmIdentifier of dhpublicnumber (1.2.840.10046.2.1) and id-dsa (1.2.840.10040.4.1).
    o.push(
        "dh",
        "oid.dhpublicnumber",
        Family::Dh,
        "der",
        400,
        hex("06072a8648ce3e0201"),
    );
    o.push(
        "dsa",
        "oid.id-dsa",
        Family::Dh,
        "der",
        400,
        hex("06072a8648ce380401"),
    );
}

fn containers(o: &mut Out) {
    let r = Family::Rsa;
    let e = Family::Ecc;
    // OIDs and AlgorithmIdentifiers (DER).
    o.push(
        "rsa",
        "oid.rsaEncryption",
        r,
        "der",
        400,
        hex("06092a864886f70d010101"),
    );
    o.push(
        "rsa",
        "algid.rsaEncryption",
        r,
        "der",
        600,
        hex("300d06092a864886f70d0101010500"),
    );
    o.push(
        "rsa",
        "pkcs8.rsa-prefix",
        r,
        "der",
        700,
        hex("020100300d06092a864886f70d010101050004"),
    );
    o.push(
        "rsa",
        "oid.sha256WithRSAEncryption",
        r,
        "der",
        400,
        hex("06092a864886f70d01010b"),
    );
    o.push(
        "rsa",
        "oid.rsassa-pss",
        r,
        "der",
        400,
        hex("06092a864886f70d01010a"),
    );
    o.push(
        "rsa",
        "pkcs1.pub-2048",
        r,
        "der",
        400,
        hex("3082010a0282010100"),
    );
    o.push(
        "rsa",
        "pkcs1.priv-2048",
        r,
        "der",
        400,
        hex("020100028201010000"),
    );
    for (name, prefix) in [
        ("digestinfo.md5", "3020300c06082a864886f70d020505000410"),
        ("digestinfo.sha1", "3021300906052b0e03021a05000414"),
        (
            "digestinfo.sha224",
            "302d300d06096086480165030402040500041c",
        ),
        (
            "digestinfo.sha256",
            "3031300d060960864801650304020105000420",
        ),
        (
            "digestinfo.sha384",
            "3041300d060960864801650304020205000430",
        ),
        (
            "digestinfo.sha512",
            "3051300d060960864801650304020305000440",
        ),
    ] {
        o.push("rsa-pkcs1v15", name, r, "der", 700, hex(prefix));
    }
    o.push(
        "ecdsa",
        "algid.ec-p256",
        e,
        "der",
        700,
        hex("301306072a8648ce3d020106082a8648ce3d030107"),
    );
    o.push(
        "ecdsa",
        "algid.ec-p384",
        e,
        "der",
        700,
        hex("301006072a8648ce3d020106052b81040022"),
    );
    o.push(
        "ecdsa",
        "algid.ec-p521",
        e,
        "der",
        700,
        hex("301006072a8648ce3d020106052b81040023"),
    );
    o.push(
        "ecdsa",
        "algid.ec-secp256k1",
        e,
        "der",
        700,
        hex("301006072a8648ce3d020106052b8104000a"),
    );
    o.push(
        "ecdsa",
        "spki.p256",
        e,
        "der",
        800,
        hex("3059301306072a8648ce3d020106082a8648ce3d030107034200"),
    );
    o.push(
        "ecdsa",
        "oid.ecdsa-with-sha256",
        e,
        "der",
        400,
        hex("06082a8648ce3d040302"),
    );
    o.push(
        "x25519",
        "spki.x25519",
        e,
        "der",
        700,
        hex("302a300506032b656e032100"),
    );
    o.push(
        "ed25519",
        "spki.ed25519",
        e,
        "der",
        700,
        hex("302a300506032b6570032100"),
    );
    o.push(
        "ecdsa",
        "oid.prime256v1",
        e,
        "der",
        400,
        hex("06082a8648ce3d030107"),
    );
    for (alg, fam, pem) in [
        ("rsa", r, "-----BEGIN RSA PUBLIC KEY-----"),
        ("rsa", r, "-----BEGIN RSA PRIVATE KEY-----"),
        ("ecdsa", e, "-----BEGIN EC PRIVATE KEY-----"),
        ("ecdsa", e, "-----BEGIN EC PARAMETERS-----"),
    ] {
        o.push(
            alg,
            &format!(
                "pem.{}",
                &pem[11..pem.len() - 5]
                    .to_ascii_lowercase()
                    .replace(' ', "-")
            ),
            fam,
            "ascii",
            700,
            pem.as_bytes().to_vec(),
        );
    }
}

fn xtime(x: u8) -> u8 {
    (x << 1) ^ if x & 0x80 != 0 { 0x1b } else { 0 }
}

fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    r
}

/// The AES S-box from its definition: inversion in GF(2^8) then the affine map.
pub fn aes_sbox() -> [u8; 256] {
    let mut s = [0u8; 256];
    for (x, out) in s.iter_mut().enumerate() {
        let inv = if x == 0 {
            0
        } else {
            (1..=255u8).find(|&y| gmul(x as u8, y) == 1).unwrap_or(0)
        };
        let mut b = inv;
        for k in 1..5 {
            b ^= inv.rotate_left(k);
        }
        *out = b ^ 0x63;
    }
    s
}

fn u32s(ws: &[u32], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|w| if be { w.to_be_bytes() } else { w.to_le_bytes() })
        .collect()
}

fn u64s(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|w| if be { w.to_be_bytes() } else { w.to_le_bytes() })
        .collect()
}

/// Emits windows of a word table (a table may be split or partly stored).
#[allow(clippy::too_many_arguments)]
/// Emits every `win`-aligned `win`-byte group of a table (implementations that
/// regroup a table, e.g. round constants in lanes of four, keep the groups).
fn group_windows(
    o: &mut Out,
    alg: &str,
    cst: &str,
    fam: Family,
    w: u16,
    le: &[u8],
    be: &[u8],
    win: usize,
) {
    for start in (0..le.len().saturating_sub(win - 1)).step_by(win) {
        o.push(
            alg,
            cst,
            fam,
            &format!("le{win}@{start}"),
            w,
            le[start..start + win].to_vec(),
        );
        o.push(
            alg,
            cst,
            fam,
            &format!("be{win}@{start}"),
            w,
            be[start..start + win].to_vec(),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn table_windows(
    o: &mut Out,
    alg: &str,
    cst: &str,
    fam: Family,
    w: u16,
    bytes_le: &[u8],
    bytes_be: Option<&[u8]>,
    win: usize,
) {
    let step = (bytes_le.len() / 4).max(win);
    let mut start = 0;
    while start + win <= bytes_le.len() {
        o.push(
            alg,
            cst,
            fam,
            &format!("le@{start}"),
            w,
            bytes_le[start..start + win].to_vec(),
        );
        if let Some(be) = bytes_be {
            o.push(
                alg,
                cst,
                fam,
                &format!("be@{start}"),
                w,
                be[start..start + win].to_vec(),
            );
        }
        start += step;
    }
}

fn aes(o: &mut Out) {
    let s = aes_sbox();
    let mut inv = [0u8; 256];
    for (i, &v) in s.iter().enumerate() {
        inv[v as usize] = i as u8;
    }
    let f = Family::Aes;
    table_windows(o, "aes", "aes.sbox", f, 1000, &s, None, 32);
    table_windows(o, "aes", "aes.inv-sbox", f, 1000, &inv, None, 32);
    let te0: Vec<u32> = s
        .iter()
        .map(|&v| u32::from_be_bytes([gmul(v, 2), v, v, gmul(v, 3)]))
        .collect();
    let td0: Vec<u32> = inv
        .iter()
        .map(|&v| u32::from_be_bytes([gmul(v, 14), gmul(v, 9), gmul(v, 13), gmul(v, 11)]))
        .collect();
    for k in 0..4u32 {
        let te: Vec<u32> = te0.iter().map(|w| w.rotate_right(8 * k)).collect();
        let td: Vec<u32> = td0.iter().map(|w| w.rotate_right(8 * k)).collect();
        table_windows(
            o,
            "aes",
            &format!("aes.te{k}"),
            f,
            1000,
            &u32s(&te, false),
            Some(&u32s(&te, true)),
            32,
        );
        table_windows(
            o,
            "aes",
            &format!("aes.td{k}"),
            f,
            1000,
            &u32s(&td, false),
            Some(&u32s(&td, true)),
            32,
        );
    }
    let mut rcon = [0u32; 10];
    let mut r = 1u8;
    for slot in rcon.iter_mut() {
        *slot = (r as u32) << 24;
        r = xtime(r);
    }
    o.push("aes", "aes.rcon", f, "u32-le", 700, u32s(&rcon, false));
    o.push("aes", "aes.rcon", f, "u32-be", 700, u32s(&rcon, true));
    let bytes: Vec<u8> = core::iter::once(0x8d)
        .chain(rcon.iter().map(|w| (w >> 24) as u8))
        .collect();
    o.push("aes", "aes.rcon", f, "bytes-8d", 300, bytes);
}

fn isqrt(n: &Big) -> Big {
    let mut lo = Big::zero();
    let mut hi = Big::from_u64(1).shl(n.bits() / 2 + 1);
    // invariant: lo^2 <= n < hi^2
    while hi.cmp(&lo.add(&Big::from_u64(1))) == core::cmp::Ordering::Greater {
        let mid = lo.add(&hi).shr1();
        if mid.mul(&mid) <= *n {
            lo = mid
        } else {
            hi = mid
        }
    }
    lo
}

fn icbrt(n: &Big) -> Big {
    let mut lo = Big::zero();
    let mut hi = Big::from_u64(1).shl(n.bits() / 3 + 1);
    while hi.cmp(&lo.add(&Big::from_u64(1))) == core::cmp::Ordering::Greater {
        let mid = lo.add(&hi).shr1();
        if mid.mul(&mid).mul(&mid) <= *n {
            lo = mid
        } else {
            hi = mid
        }
    }
    lo
}

fn low_word(b: &Big, bits: usize) -> u64 {
    b.limbs(bits, 1)[0]
}

fn primes(n: usize) -> Vec<u64> {
    let mut v = Vec::new();
    let mut c = 2u64;
    while v.len() < n {
        if (2..c)
            .take_while(|d| d * d <= c)
            .all(|d| !c.is_multiple_of(d))
        {
            v.push(c);
        }
        c += 1;
    }
    v
}

/// SHA-256 round constants: first 32 bits of the fractional parts of the cube
/// roots of the first 64 primes.
pub fn sha256_k() -> Vec<u32> {
    primes(64)
        .iter()
        .map(|&p| low_word(&icbrt(&Big::from_u64(p).shl(96)), 32) as u32)
        .collect()
}

/// SHA-512 round constants (64 bits, first 80 primes).
pub fn sha512_k() -> Vec<u64> {
    primes(80)
        .iter()
        .map(|&p| low_word(&icbrt(&Big::from_u64(p).shl(192)), 64))
        .collect()
}

fn sha(o: &mut Out) {
    let f = Family::Sha;
    let pr = primes(16);
    let iv256 = sha256_iv();
    let iv512: Vec<u64> = pr[..8]
        .iter()
        .map(|&p| low_word(&isqrt(&Big::from_u64(p).shl(128)), 64))
        .collect();
    let iv384: Vec<u64> = pr[8..16]
        .iter()
        .map(|&p| low_word(&isqrt(&Big::from_u64(p).shl(128)), 64))
        .collect();
    o.push(
        "sha-256",
        "sha256.iv",
        f,
        "u32-le",
        900,
        u32s(&iv256, false),
    );
    o.push("sha-256", "sha256.iv", f, "u32-be", 900, u32s(&iv256, true));
    o.push(
        "sha-512",
        "sha512.iv",
        f,
        "u64-le",
        900,
        u64s(&iv512, false),
    );
    o.push("sha-512", "sha512.iv", f, "u64-be", 900, u64s(&iv512, true));
    o.push(
        "sha-384",
        "sha384.iv",
        f,
        "u64-le",
        900,
        u64s(&iv384, false),
    );
    o.push("sha-384", "sha384.iv", f, "u64-be", 900, u64s(&iv384, true));
    let k = sha256_k();
    table_windows(
        o,
        "sha-256",
        "sha256.k",
        f,
        1000,
        &u32s(&k, false),
        Some(&u32s(&k, true)),
        32,
    );
    let k = sha512_k();
    table_windows(
        o,
        "sha-512",
        "sha512.k",
        f,
        1000,
        &u64s(&k, false),
        Some(&u64s(&k, true)),
        32,
    );
    o.push("sha-1", "sha1.iv", f, "u32-le", 800, u32s(&SHA1_IV, false));
    o.push("sha-1", "sha1.iv", f, "u32-be", 800, u32s(&SHA1_IV, true));
    let k1 = sha1_k();
    o.push("sha-1", "sha1.k", f, "u32-le", 700, u32s(&k1, false));
    o.push("sha-1", "sha1.k", f, "u32-be", 700, u32s(&k1, true));
}

/// MD5's T[i] = floor(2^32 * |sin(i + 1)|).
pub fn md5_t() -> Vec<u32> {
    (1..=64)
        .map(|i: i32| (f64::from(i).sin().abs() * 4_294_967_296.0) as u32)
        .collect()
}

/// Keccak-f[1600] round constants from the LFSR x^8 + x^6 + x^5 + x^4 + 1.
pub fn keccak_rc() -> Vec<u64> {
    let mut r = 1u8;
    let mut lfsr = || {
        let bit = r & 1;
        r = if r & 0x80 != 0 {
            (r << 1) ^ 0x71
        } else {
            r << 1
        };
        bit
    };
    (0..24)
        .map(|_| {
            let mut rc = 0u64;
            for j in 0..7 {
                if lfsr() == 1 {
                    rc |= 1 << ((1 << j) - 1);
                }
            }
            rc
        })
        .collect()
}

fn hashes(o: &mut Out) {
    let t = md5_t();
    table_windows(
        o,
        "md5",
        "md5.t",
        Family::Hash,
        1000,
        &u32s(&t, false),
        Some(&u32s(&t, true)),
        32,
    );
    let rc = keccak_rc();
    table_windows(
        o,
        "keccak",
        "keccak.rc",
        Family::Hash,
        1000,
        &u64s(&rc, false),
        Some(&u64s(&rc, true)),
        48,
    );
}

/// The reflected CRC-32 (IEEE 802.3, poly 0xEDB88320) table.
pub fn crc32_table() -> Vec<u32> {
    (0..256u32)
        .map(|i| {
            (0..8).fold(i, |c, _| {
                if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
        .collect()
}

fn crc(o: &mut Out) {
    let t = crc32_table();
    table_windows(
        o,
        "crc32",
        "crc32.table",
        Family::Crc,
        1000,
        &u32s(&t, false),
        Some(&u32s(&t, true)),
        32,
    );
}

fn bitrev(x: usize, bits: u32) -> usize {
    x.reverse_bits() >> (usize::BITS - bits)
}

fn powmod_u64(b: u64, e: u64, m: u64) -> u64 {
    let (mut acc, mut base, mut e) = (1u64, b % m, e);
    while e > 0 {
        if e & 1 == 1 {
            acc = acc * base % m;
        }
        base = base * base % m;
        e >>= 1;
    }
    acc
}

fn centered(v: u64, q: u64) -> i64 {
    if v > q / 2 {
        v as i64 - q as i64
    } else {
        v as i64
    }
}

fn pqc(o: &mut Out) {
    let f = Family::Pqc;
    // ML-KEM: q = 3329, zeta = 17, 7-bit bit reversal.
    let q = 3329u64;
    let z: Vec<u64> = (0..128)
        .map(|i| powmod_u64(17, bitrev(i, 7) as u64, q))
        .collect();
    let g: Vec<u64> = (0..128)
        .map(|i| powmod_u64(17, 2 * bitrev(i, 7) as u64 + 1, q))
        .collect();
    let mont = |v: &u64| centered(v * 65536 % q, q) as i16 as u16 as u64;
    let zm: Vec<u64> = z.iter().map(mont).collect();
    for (cst, tab) in [
        ("ml-kem.zetas", &z),
        ("ml-kem.gammas", &g),
        ("ml-kem.zetas-mont", &zm),
    ] {
        let le = words_u16(tab, false);
        let be = words_u16(tab, true);
        table_windows(o, "ml-kem", cst, f, 1000, &le, Some(&be), 32);
        let wide_le = words_u32(tab, false);
        table_windows(o, "ml-kem", cst, f, 1000, &wide_le, None, 32);
    }
    // ML-DSA: q = 8380417, zeta = 1753, 8-bit bit reversal.
    let q = 8_380_417u64;
    let z: Vec<u64> = (0..256)
        .map(|i| powmod_u64(1753, bitrev(i, 8) as u64, q))
        .collect();
    let zm: Vec<u64> = z
        .iter()
        .map(|v| centered((v << 32) % q, q) as i32 as u32 as u64)
        .collect();
    for (cst, tab) in [("ml-dsa.zetas", &z), ("ml-dsa.zetas-mont", &zm)] {
        // skip entry 0 (1 or its Montgomery form, often stored differently)
        let le = words_u32(&tab[1..], false);
        let be = words_u32(&tab[1..], true);
        table_windows(o, "ml-dsa", cst, f, 1000, &le, Some(&be), 32);
    }
}

fn libraries(o: &mut Out) {
    let l = Family::Lib;
    for (lib, strings) in [
        (
            "mbedtls",
            &[
                "mbed TLS 2.",
                "Mbed TLS 3.",
                "mbedtls_ecp_",
                "mbedtls_rsa_",
                "mbedtls_ssl_",
                "mbedtls_pk_",
                "MBEDTLS_ERR_",
            ][..],
        ),
        (
            "wolfssl",
            &[
                "wolfSSL_Init",
                "wolfCrypt_Init",
                "wolfSSL Entering",
                "wolfSSL error",
                "wolfcrypt/src/",
            ],
        ),
        (
            "openssl",
            &[
                "OpenSSL 1.0.",
                "OpenSSL 1.1.",
                "OpenSSL 3.0.",
                "OpenSSL 3.1.",
                "OpenSSL 3.2.",
                "OPENSSL_init_",
                "crypto/evp/",
            ],
        ),
        (
            "bearssl",
            &[
                "br_ssl_engine_",
                "br_ec_prime_i31",
                "br_rsa_i31_",
                "br_ssl_client_",
            ],
        ),
        (
            "micro-ecc",
            &[
                "uECC_make_key",
                "uECC_shared_secret",
                "uECC_verify",
                "uECC_sign",
            ],
        ),
        (
            "tinycrypt",
            &[
                "tc_aes128_set_encrypt_key",
                "tc_sha256_init",
                "tc_ecc_",
                "tc_hmac_",
            ],
        ),
        (
            "libsodium",
            &[
                "sodium_init",
                "crypto_sign_ed25519",
                "crypto_box_curve25519",
                "libsodium",
            ],
        ),
        (
            "rustcrypto",
            &[
                "/p256-0.13.",
                "/p384-0.13.",
                "/k256-0.13.",
                "/rsa-0.9.",
                "/ml-kem-0.",
                "/ml-dsa-0.",
                "/curve25519-dalek-",
                "/ed25519-dalek-",
                "/x25519-dalek-",
                "/elliptic-curve-0.",
                "/crypto-bigint-0.",
                "/primeorder-0.",
                "/sha2-0.10.",
                "/sha3-0.10.",
                "/keccak-0.1.",
                "/crc32fast-1.",
                "/aes-0.8.",
                "/num-bigint-dig-",
            ],
        ),
    ] {
        for s in strings {
            o.push(
                lib,
                &format!("{lib}.string"),
                l,
                "ascii",
                1000,
                s.as_bytes().to_vec(),
            );
        }
    }
}

/// Round-constant tables in 16-byte groups (e.g. SHA-256 K in lanes of four).
fn grouped(o: &mut Out) {
    let k = sha256_k();
    group_windows(
        o,
        "sha-256",
        "sha256.k",
        Family::Sha,
        1000,
        &u32s(&k, false),
        &u32s(&k, true),
        16,
    );
    let k = sha512_k();
    group_windows(
        o,
        "sha-512",
        "sha512.k",
        Family::Sha,
        1000,
        &u64s(&k, false),
        &u64s(&k, true),
        16,
    );
    let t = md5_t();
    group_windows(
        o,
        "md5",
        "md5.t",
        Family::Hash,
        1000,
        &u32s(&t, false),
        &u32s(&t, true),
        16,
    );
    let rc = keccak_rc();
    group_windows(
        o,
        "keccak",
        "keccak.rc",
        Family::Hash,
        1000,
        &u64s(&rc, false),
        &u64s(&rc, true),
        16,
    );
}

/// A set of machine words whose presence as instruction immediates (or
/// isolated words) is evidence of an algorithm: the input of
/// [`crate::words`]. `min_distinct` distinct words of the set must be found
/// close together before any is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenWordSet {
    /// Algorithm.
    pub algorithm: String,
    /// Canonical constant the words come from.
    pub constant: String,
    /// Family.
    pub family: Family,
    /// Weight per mille of the set once `min_distinct` words are found.
    pub weight: u16,
    /// Distinct words needed (within [`crate::words::WINDOW`] bytes).
    pub min_distinct: u16,
    /// Word width in bytes: 4 (`imm32`, MOVW/MOVT pairs, literal pools) or 8
    /// (`imm64`, e.g. x86-64 `movabs`).
    pub width: u8,
    /// The words (distinct).
    pub words: Vec<u64>,
}

fn word_set(
    alg: &str,
    cst: &str,
    family: Family,
    weight: u16,
    min_distinct: u16,
    width: u8,
    words: &[u64],
) -> GenWordSet {
    let mut seen = BTreeSet::new();
    GenWordSet {
        algorithm: alg.to_string(),
        constant: cst.to_string(),
        family,
        weight,
        min_distinct,
        width,
        words: words.iter().copied().filter(|w| seen.insert(*w)).collect(),
    }
}

/// The 32-bit words of SHA-1's IV (the last one, `0xc3d2e1f0`, is not in MD5's).
pub const SHA1_IV: [u32; 5] = [
    0x6745_2301,
    0xefcd_ab89,
    0x98ba_dcfe,
    0x1032_5476,
    0xc3d2_e1f0,
];

/// SHA-1 round constants K = floor(2^30 * sqrt(n)), n = 2, 3, 5, 10.
pub fn sha1_k() -> Vec<u32> {
    [2u64, 3, 5, 10]
        .iter()
        .map(|&n| low_word(&isqrt(&Big::from_u64(n).shl(60)), 32) as u32)
        .collect()
}

/// SHA-256 IV: first 32 bits of the fractional parts of the square roots of
/// the first 8 primes.
pub fn sha256_iv() -> Vec<u32> {
    primes(8)
        .iter()
        .map(|&p| low_word(&isqrt(&Big::from_u64(p).shl(64)), 32) as u32)
        .collect()
}

/// Masks of fixsliced AES (Adomnicai and Peyrin, TCHES 2021; RustCrypto
/// `aes` soft backend): ShiftRows on the 32-bit fixsliced state
/// (`shift_rows_1`/`_3` and their inverses use `0x0c0f0300` and
/// `0x030f0c00`) and on the 64-bit state (`0x00f000ff000f0000`,
/// `0x000f00ff00f00000`). Generic masks of the same code (`0x33003300`,
/// `0x0f0f0f0f`, `0x55555555`, ...) are left out: any bit-manipulation code
/// has them.
pub const AES_FIXSLICE32_SHIFTROWS: [u32; 2] = [0x0c0f_0300, 0x030f_0c00];
/// See [`AES_FIXSLICE32_SHIFTROWS`].
pub const AES_FIXSLICE64_SHIFTROWS: [u64; 2] = [0x00f0_00ff_000f_0000, 0x000f_00ff_00f0_0000];

/// Word sets for [`crate::words`]: tables that compilers turn into
/// instruction immediates (Thumb-2 MOVW/MOVT, x86 `imm32`/`disp32`/`imm64`)
/// or scattered literal-pool words instead of contiguous tables. Only
/// values specific to one algorithm: the first four SHA-1 IV words are also
/// MD5's IV, so the SHA-1 IV set needs all five; SHA-512's K and IV high
/// halves are SHA-256's K and IV, so SHA-512 is matched on its low halves.
pub fn generate_word_sets() -> Vec<GenWordSet> {
    let w32 = |v: &[u32]| v.iter().map(|&x| u64::from(x)).collect::<Vec<u64>>();
    let sha512_lo: Vec<u64> = sha512_k().iter().map(|&k| k & 0xffff_ffff).collect();
    vec![
        word_set("sha-1", "sha1.k", Family::Sha, 700, 3, 4, &w32(&sha1_k())),
        word_set("sha-1", "sha1.iv", Family::Sha, 800, 5, 4, &w32(&SHA1_IV)),
        word_set(
            "sha-256",
            "sha256.k",
            Family::Sha,
            1000,
            8,
            4,
            &w32(&sha256_k()),
        ),
        word_set(
            "sha-256",
            "sha256.iv",
            Family::Sha,
            900,
            6,
            4,
            &w32(&sha256_iv()),
        ),
        word_set("sha-512", "sha512.k", Family::Sha, 1000, 8, 4, &sha512_lo),
        word_set("md5", "md5.t", Family::Hash, 1000, 8, 4, &w32(&md5_t())),
        word_set(
            "aes",
            "aes.fixslice32-shiftrows",
            Family::Aes,
            1000,
            2,
            4,
            &w32(&AES_FIXSLICE32_SHIFTROWS),
        ),
        word_set(
            "aes",
            "aes.fixslice64-shiftrows",
            Family::Aes,
            1000,
            2,
            8,
            &AES_FIXSLICE64_SHIFTROWS,
        ),
    ]
}

/// Generates the whole database.
pub fn generate() -> Vec<GenSig> {
    let mut o = Out {
        sigs: Vec::new(),
        seen: BTreeSet::new(),
    };
    curves(&mut o);
    curve25519(&mut o);
    ffdh(&mut o);
    containers(&mut o);
    aes(&mut o);
    sha(&mut o);
    hashes(&mut o);
    grouped(&mut o);
    crc(&mut o);
    pqc(&mut o);
    libraries(&mut o);
    o.sigs
}

/// Renders the generated database (byte patterns and word sets) as
/// (`generated.rs`, `sigdb.bin`).
pub fn render(sigs: &[GenSig], sets: &[GenWordSet]) -> (String, Vec<u8>) {
    let mut algs: Vec<(String, Family)> = Vec::new();
    let mut csts: Vec<String> = Vec::new();
    let mut lays: Vec<String> = Vec::new();
    let idx = |v: &mut Vec<String>, s: &str| match v.iter().position(|x| x == s) {
        Some(i) => i,
        None => {
            v.push(s.to_string());
            v.len() - 1
        }
    };
    let mut blob = Vec::new();
    let mut entries = String::new();
    for s in sigs {
        let a = match algs
            .iter()
            .position(|(n, f)| *n == s.algorithm && *f == s.family)
        {
            Some(i) => i,
            None => {
                algs.push((s.algorithm.clone(), s.family));
                algs.len() - 1
            }
        };
        let c = idx(&mut csts, &s.constant);
        let l = idx(&mut lays, &s.layout);
        let _ = writeln!(
            entries,
            "    [{a}, {c}, {l}, {}, {}, {}],",
            s.weight,
            blob.len(),
            s.bytes.len()
        );
        blob.extend_from_slice(&s.bytes);
    }
    let mut word_sets = String::new();
    for w in sets {
        let a = match algs
            .iter()
            .position(|(n, f)| *n == w.algorithm && *f == w.family)
        {
            Some(i) => i,
            None => {
                algs.push((w.algorithm.clone(), w.family));
                algs.len() - 1
            }
        };
        let c = idx(&mut csts, &w.constant);
        let _ = writeln!(
            word_sets,
            "    [{a}, {c}, {}, {}, {}, {}, {}],",
            w.weight,
            w.min_distinct,
            w.width,
            blob.len(),
            w.words.len()
        );
        for &x in &w.words {
            blob.extend_from_slice(&x.to_le_bytes()[..usize::from(w.width)]);
        }
    }
    let mut rs = String::new();
    rs.push_str("// @generated by `cargo run -p pqbench-detect --bin gen-sigdb`; do not edit.\n");
    rs.push_str("// Checked against a fresh generation by the test `sigdb_is_up_to_date`.\n");
    rs.push_str("use super::Family;\n\n");
    rs.push_str("/// (algorithm, family) by index.\n#[rustfmt::skip]\npub(super) const ALGORITHMS: &[(&str, Family)] = &[\n");
    for (n, f) in &algs {
        let _ = writeln!(rs, "    ({n:?}, Family::{f:?}),");
    }
    rs.push_str("];\n\n/// Constant names by index.\n#[rustfmt::skip]\npub(super) const CONSTANTS: &[&str] = &[\n");
    for c in &csts {
        let _ = writeln!(rs, "    {c:?},");
    }
    rs.push_str("];\n\n/// Layout names by index.\n#[rustfmt::skip]\npub(super) const LAYOUTS: &[&str] = &[\n");
    for l in &lays {
        let _ = writeln!(rs, "    {l:?},");
    }
    rs.push_str("];\n\n/// Pattern bytes, concatenated.\npub(super) static BLOB: &[u8] = include_bytes!(\"sigdb.bin\");\n\n");
    rs.push_str("/// [algorithm, constant, layout, weight, offset, length].\n#[rustfmt::skip]\npub(super) const ENTRIES: &[[u32; 6]] = &[\n");
    rs.push_str(&entries);
    rs.push_str("];\n\n/// Word sets: [algorithm, constant, weight, min_distinct, width, offset, count];\n/// the words are little-endian in `BLOB`.\n#[rustfmt::skip]\npub(super) const WORD_SETS: &[[u32; 7]] = &[\n");
    rs.push_str(&word_sets);
    rs.push_str("];\n");
    (rs, blob)
}
