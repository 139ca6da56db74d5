//! Elliptic-curve constants: the short-Weierstrass curves and Curve25519 /
//! Ed25519, in every bignum layout.

use super::emit::{Out, big, words_u32, words_u64};
use super::layouts::{bignum_layouts, limbs_2625, limbs_2625_signed, montgomery_layouts};
use crate::sigdb::Family;
use crate::sigdb::bignum::Big;
use std::format;

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

pub(super) fn curves(o: &mut Out) {
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

/// Emits a constant as upper- and lower-case ASCII hex without leading zeros.
pub(super) fn ascii_hex(o: &mut Out, alg: &str, cst: &str, fam: Family, hex: &str) {
    let t = hex.trim_start_matches('0');
    for (layout, text) in [
        ("ascii-hex-upper", t.to_ascii_uppercase()),
        ("ascii-hex-lower", t.to_ascii_lowercase()),
    ] {
        o.push(alg, cst, fam, layout, 900, text.into_bytes());
    }
}

pub(super) fn curve25519(o: &mut Out) {
    use c25519::*;
    let p = big(P);
    let fam = Family::Ecc;
    for (alg, cst, v_hex) in [
        ("curve25519", "p", P),
        ("ed25519", "d", D),
        ("ed25519", "2d", D2),
        ("curve25519", "sqrt-m1", SQRT_M1),
        ("ed25519", "bx", BX),
        ("ed25519", "by", BY),
        ("ed25519", "l", L),
    ] {
        let full = format!("25519.{cst}");
        let v = big(v_hex);
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
        // ref10 / SUPERCOP: signed 25.5-bit limbs (int32, centred).
        let signed = limbs_2625_signed(&v);
        o.push(
            alg,
            &full,
            fam,
            "r25.5s-le32",
            1000,
            words_u32(&signed, false),
        );
        o.push(
            alg,
            &full,
            fam,
            "r25.5s-be32",
            1000,
            words_u32(&signed, true),
        );
        // TweetNaCl: 16 x int64 holding 16 bits each.
        o.push(
            alg,
            &full,
            fam,
            "r16-le64",
            1000,
            words_u64(&v.limbs(16, 16), false),
        );
        // ASCII hex (libgcrypt's curve tables: "0x1000...5CF5D3ED").
        ascii_hex(o, alg, &full, fam, v_hex);
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
        o.push(
            "curve25519",
            &full,
            fam,
            "r16-le64",
            200,
            words_u64(&b.limbs(16, 16), false),
        );
    }
}
