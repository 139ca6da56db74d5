//! The signature sink ([`Out`]: admission filters and deduplication) and the
//! packing of words into bytes.

use super::{GenSig, MIN_LEN};
use crate::sigdb::Family;
use crate::sigdb::bignum::Big;
use std::collections::BTreeSet;
use std::string::ToString;
use std::vec::Vec;

pub(super) fn hex(s: &str) -> Vec<u8> {
    let d: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
    d.chunks(2)
        .map(|c| {
            let v = |x: u8| (x as char).to_digit(16).unwrap_or(0) as u8;
            (v(c[0]) << 4) | v(c[1])
        })
        .collect()
}

pub(super) fn big(s: &str) -> Big {
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

/// Collects the signatures that pass the admission filters, once each.
pub(super) struct Out {
    /// Admitted signatures, in emission order.
    pub(super) sigs: Vec<GenSig>,
    /// Byte patterns already admitted.
    pub(super) seen: BTreeSet<Vec<u8>>,
}

impl Out {
    /// Admits a signature unless it is too short, degenerate or a duplicate.
    pub(super) fn push(
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

pub(super) fn words_u32(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|&w| {
            let w = w as u32;
            if be { w.to_be_bytes() } else { w.to_le_bytes() }
        })
        .collect()
}

pub(super) fn words_u16(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|&w| {
            let w = w as u16;
            if be { w.to_be_bytes() } else { w.to_le_bytes() }
        })
        .collect()
}

pub(super) fn words_u64(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|&w| if be { w.to_be_bytes() } else { w.to_le_bytes() })
        .collect()
}

pub(super) fn u32s(ws: &[u32], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|w| if be { w.to_be_bytes() } else { w.to_le_bytes() })
        .collect()
}

pub(super) fn u64s(ws: &[u64], be: bool) -> Vec<u8> {
    ws.iter()
        .flat_map(|w| if be { w.to_be_bytes() } else { w.to_le_bytes() })
        .collect()
}
