//! Public-key limb sets for [`crate::words::LimbMatcher`]: the 64-bit limbs
//! (and radix-2^51/2^52/2^56 limbs) of moduli that reduction code loads as
//! instruction immediates, with the Montgomery factor `-m^-1 mod 2^r`.

use super::curve448::{ed448_order, p448};
use super::curves::{CURVES, c25519};
use super::emit::big;
use super::word_sets::{GenWordSet, word_set};
use crate::sigdb::Family;
use crate::sigdb::bignum::Big;
use crate::words::imm64::distinctive;
use std::format;
use std::vec::Vec;

/// `-m^-1 mod 2^bits` from the low limb `m0` (odd), by Newton iteration.
pub fn mont_factor(m0: u64, bits: u32) -> u64 {
    let mut inv: u64 = 1;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(m0.wrapping_mul(inv)));
    }
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    };
    inv.wrapping_neg() & mask
}

/// Distinct non-zero limbs of `v` in radix `radix` (`count` limbs).
fn limbs(v: &Big, radix: usize, count: usize) -> Vec<u64> {
    v.limbs(radix, count)
        .into_iter()
        .filter(|&l| l != 0)
        .collect()
}

/// A limb set, weighted by its chance guard: strong (1000) when it has two
/// or more [`distinctive`] limbs (two of them must then be found), weak
/// (450: adds to other evidence, never a finding alone) when only one; sets
/// with none (P-384 p, P-521 p, Curve448 p: bitmasks and small values that
/// any code loads) are not emitted.
fn limb_set(alg: &str, cst: &str, words: &[u64]) -> Option<GenWordSet> {
    let mut s = word_set(alg, cst, Family::Ecc, 0, 0, 8, words);
    let wide = s.words.iter().filter(|&&w| distinctive(w)).count();
    if wide == 0 || s.words.len() < 2 {
        return None;
    }
    s.weight = if wide >= 2 { 1000 } else { 450 };
    s.min_distinct = s.words.len().min(3) as u16;
    Some(s)
}

/// Every limb set.
pub fn limb_sets() -> Vec<GenWordSet> {
    let mut out = Vec::new();
    let mut push = |alg: &str, cst: &str, words: Vec<u64>| {
        if let Some(s) = limb_set(alg, cst, &words) {
            out.push(s);
        }
    };
    let with_factor = |v: &Big, radix: usize, count: usize, bits: u32| {
        let mut w = limbs(v, radix, count);
        w.push(mont_factor(v.limbs(64, 1)[0], bits));
        w
    };
    for c in CURVES {
        for (cst, v) in [("p", big(c.p)), ("n", big(c.n))] {
            let n64 = v.bits().div_ceil(64);
            push(
                c.name,
                &format!("{}.{cst}-limbs64", c.name),
                with_factor(&v, 64, n64, 64),
            );
        }
    }
    let p25519 = big(c25519::P);
    push(
        "curve25519",
        "25519.p-limbs64",
        with_factor(&p25519, 64, 4, 64),
    );
    // Radix 2^51 (donna64, dalek): p and the multiples 2p, 4p, 16p that
    // subtraction adds before it subtracts.
    let mut r51 = Vec::new();
    for k in [1u64, 2, 4, 16] {
        let two51 = 1u64 << 51;
        r51.push(k * (two51 - 19));
        r51.push(k * (two51 - 1));
    }
    push("curve25519", "25519.p-r51", r51);
    let l = big(c25519::L);
    push("ed25519", "25519.l-limbs64", with_factor(&l, 64, 4, 64));
    // dalek scalar52: L in 5 x 52 bits and LFACTOR = -L^-1 mod 2^52.
    push("ed25519", "25519.l-r52", with_factor(&l, 52, 5, 52));
    let p = p448();
    push("curve448", "448.p-limbs64", with_factor(&p, 64, 7, 64));
    // OpenSSL curve448: 8 x 56-bit limbs; p and 2p (added before subtracting).
    let two56 = 1u64 << 56;
    push(
        "curve448",
        "448.p-r56",
        std::vec![two56 - 1, two56 - 2, 2 * (two56 - 1), 2 * (two56 - 2)],
    );
    push(
        "ed448",
        "448.l-limbs64",
        with_factor(&ed448_order(), 64, 7, 64),
    );
    out
}
