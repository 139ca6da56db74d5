//! Curve448 / Ed448 (RFC 7748, RFC 8032): every constant derived from its
//! definition (the prime, `d = -39081`, the group order from its decimal
//! offset) except the Ed448 base point, checked against the curve equation by
//! the tests; emitted in the layouts of real implementations (bytes, 32/64-bit
//! limbs, OpenSSL's 8 x 56-bit limbs in 64-bit words, 16 x 28-bit limbs in
//! 32-bit words).

use super::curves::ascii_hex;
use super::emit::{Out, big, words_u64};
use super::layouts::bignum_layouts;
use crate::sigdb::Family;
use crate::sigdb::bignum::Big;
use std::format;

/// The decimal `c` of the Ed448 group order `L = 2^446 - c` (RFC 8032 §5.2).
pub const ORDER_OFFSET_DEC: &str =
    "13818066809895115352007386748515426880336692474882178609894547503885";
/// Ed448 base point x (RFC 8032 §5.2, as hex).
pub const ED448_BX: &str = "4f1970c66bed0ded221d15a622bf36da9e146570470f1767ea6de324a3d3a46412ae1af72ab66511433b80e18b00938e2626a82bc70cc05e";
/// Ed448 base point y.
pub const ED448_BY: &str = "693f46716eb6bc248876203756c9c7624bea73736ca3984087789c1e05a0c2d73ad3ff1ce67c39c4fdbd132c4ed7c8ad9808795bf230fa14";
/// The Montgomery ladder constant `(A - 2) / 4` for `A = 156326`.
pub const A24: u64 = 39_081;

/// Parses a decimal string (digits only).
pub fn from_dec(s: &str) -> Big {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .fold(Big::zero(), |acc, c| {
            acc.mul(&Big::from_u64(10))
                .add(&Big::from_u64(u64::from(c - b'0')))
        })
}

/// `p = 2^448 - 2^224 - 1`.
pub fn p448() -> Big {
    let one = Big::from_u64(1);
    one.shl(448).sub(&one.shl(224)).sub(&one)
}

/// The Ed448 / Curve448 group order `2^446 - c`.
pub fn ed448_order() -> Big {
    Big::from_u64(1).shl(446).sub(&from_dec(ORDER_OFFSET_DEC))
}

/// Edwards `d = -39081 mod p`.
pub fn ed448_d() -> Big {
    p448().sub(&Big::from_u64(A24))
}

pub(super) fn curve448(o: &mut Out) {
    let p = p448();
    let fam = Family::Ecc;
    for (alg, cst, v) in [
        ("curve448", "p", p.clone()),
        ("ed448", "l", ed448_order()),
        ("ed448", "d", ed448_d()),
        // OpenSSL's twisted d = -39082 (the 4-isogenous curve it computes on).
        ("ed448", "d-twisted", p.sub(&Big::from_u64(A24 + 1))),
        ("ed448", "bx", big(ED448_BX)),
        ("ed448", "by", big(ED448_BY)),
    ] {
        let full = format!("448.{cst}");
        // Plain layouts plus every radix, among them r28-le32 (16 x 28 bits
        // in 32-bit words) and r56-le64 (OpenSSL: 8 x 56 bits in 64-bit words).
        bignum_layouts(o, alg, &full, fam, 1000, &v, 448, true);
        o.push(
            alg,
            &full,
            fam,
            "r56-be64",
            1000,
            words_u64(&v.limbs(56, 8), true),
        );
        // ASCII hex (libgcrypt's curve tables).
        let hex: std::string::String = v.to_be(56).iter().map(|b| format!("{b:02x}")).collect();
        ascii_hex(o, alg, &full, fam, &hex);
    }
    // a24 = 39081 is not emitted: in any limb layout it is one short word
    // followed by zeros, which the admission filter rejects as degenerate.
}
