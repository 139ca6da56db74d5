//! The word sets of [`crate::words`]: constants compilers turn into
//! instruction immediates.

use super::aes::{AES_FIXSLICE32_SHIFTROWS, AES_FIXSLICE64_SHIFTROWS};
use super::hashes::{SHA1_IV, md5_t, sha1_k, sha256_iv, sha256_k, sha512_k};
use crate::sigdb::Family;
use std::collections::BTreeSet;
use std::string::{String, ToString};
use std::vec;
use std::vec::Vec;

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

pub(super) fn word_set(
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

/// Word sets for [`crate::words`]: tables that compilers turn into
/// instruction immediates (Thumb-2 MOVW/MOVT, x86 `imm32`/`disp32`/`imm64`)
/// or scattered literal-pool words instead of contiguous tables, then the
/// public-key limb sets of [`crate::words::LimbMatcher`]. Only
/// values specific to one algorithm: the first four SHA-1 IV words are also
/// MD5's IV, so the SHA-1 IV set needs all five; SHA-512's K and IV high
/// halves are SHA-256's K and IV, so SHA-512 is matched on its low halves.
pub fn generate_word_sets() -> Vec<GenWordSet> {
    let w32 = |v: &[u32]| v.iter().map(|&x| u64::from(x)).collect::<Vec<u64>>();
    let sha512_lo: Vec<u64> = sha512_k().iter().map(|&k| k & 0xffff_ffff).collect();
    let mut sets = vec![
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
    ];
    // Public-key limbs loaded by instructions: matched by `LimbMatcher`.
    sets.extend(super::limb_sets::limb_sets());
    sets
}
