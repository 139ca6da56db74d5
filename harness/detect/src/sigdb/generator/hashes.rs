//! SHA-1, SHA-2, MD5 and Keccak constants, derived from their definitions
//! (prime roots, sines, the Keccak LFSR).

use super::emit::{Out, u32s, u64s};
use super::layouts::{group_windows, table_windows};
use crate::sigdb::Family;
use crate::sigdb::bignum::Big;
use std::vec::Vec;

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

pub(super) fn sha(o: &mut Out) {
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

pub(super) fn hashes(o: &mut Out) {
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

/// Round-constant tables in 16-byte groups (e.g. SHA-256 K in lanes of four).
pub(super) fn grouped(o: &mut Out) {
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
