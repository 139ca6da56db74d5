//! The memory layouts of bignums (byte orders, limbs of every radix,
//! Montgomery forms, BearSSL headers) and the windows of constant tables.

use super::emit::{Out, words_u16, words_u32, words_u64};
use crate::sigdb::Family;
use crate::sigdb::bignum::Big;
use std::format;
use std::vec;
use std::vec::Vec;

/// BearSSL's encoded bit length for i31 (`(len / 31) << 5 | len % 31`) and i15.
fn bearssl_header(bits: usize, radix: usize) -> u64 {
    let shift = if radix == 31 { 5 } else { 4 };
    (((bits / radix) << shift) + bits % radix) as u64
}

/// Emits `v` (a value modulo a `bits`-bit modulus) in every plain layout.
#[allow(clippy::too_many_arguments)]
pub(super) fn bignum_layouts(
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
pub(super) fn montgomery_layouts(
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

/// Alternating 26/25-bit limbs (10 limbs for 255 bits).
pub(super) fn limbs_2625(v: &Big) -> Vec<u64> {
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

/// Alternating 26/25-bit limbs in ref10's signed (centred) form: each limb
/// in `[-2^(r-1), 2^(r-1))`, the carry out of the top limb folded into the
/// first as `19 * carry` (2^255 = 19 mod p), as two's-complement words.
pub(super) fn limbs_2625_signed(v: &Big) -> Vec<u64> {
    let mut out: Vec<i64> = limbs_2625(v).into_iter().map(|x| x as i64).collect();
    let mut carry = 0;
    for (i, l) in out.iter_mut().enumerate() {
        let r = if i % 2 == 0 { 26 } else { 25 };
        let x = *l + carry;
        carry = i64::from(x >= 1 << (r - 1));
        *l = x - (carry << r);
    }
    out[0] += 19 * carry;
    out.into_iter().map(|x| x as u64).collect()
}

/// Emits every `win`-aligned `win`-byte group of a table (implementations that
/// regroup a table, e.g. round constants in lanes of four, keep the groups).
#[allow(clippy::too_many_arguments)]
pub(super) fn group_windows(
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

/// Emits windows of a word table (a table may be split or partly stored).
#[allow(clippy::too_many_arguments)]
pub(super) fn table_windows(
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
