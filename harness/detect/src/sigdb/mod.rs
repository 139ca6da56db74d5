//! The signature database: byte patterns derived from canonical constants.
//!
//! The built-in database is GENERATED: [`generator`] (feature `std`) derives every
//! pattern, in every memory layout real libraries use, from the canonical
//! constants in [`generator`]'s tables; the `gen-sigdb` binary writes the result to
//! `src/sigdb/generated.rs` + `src/sigdb/sigdb.bin`, which are committed (so the
//! `no_std` firmware needs no generator) and checked against a fresh
//! generation by a test.

#[cfg(feature = "std")]
pub mod bignum;
mod generated;
#[cfg(feature = "std")]
pub mod generator;

use alloc::vec::Vec;
use core::fmt;

/// What a signature is evidence of. `Rsa`, `Ecc` and `Dh` are quantum-vulnerable
/// public-key cryptography; the others are context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// RSA (keys, PKCS#1 structures).
    Rsa,
    /// Elliptic-curve cryptography (ECDSA, ECDH, X25519, Ed25519).
    Ecc,
    /// Finite-field Diffie-Hellman / DSA.
    Dh,
    /// AES.
    Aes,
    /// SHA-1 and SHA-2.
    Sha,
    /// Other hashes: MD5, Keccak/SHA-3.
    Hash,
    /// Post-quantum cryptography (ML-KEM, ML-DSA).
    Pqc,
    /// CRC (not cryptography: a false-positive control).
    Crc,
    /// A crypto library fingerprint (version or characteristic string).
    Lib,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 9] = [
        Family::Rsa,
        Family::Ecc,
        Family::Dh,
        Family::Aes,
        Family::Sha,
        Family::Hash,
        Family::Pqc,
        Family::Crc,
        Family::Lib,
    ];

    /// Lower-case name used in labels, JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            Family::Rsa => "rsa",
            Family::Ecc => "ecc",
            Family::Dh => "dh",
            Family::Aes => "aes",
            Family::Sha => "sha",
            Family::Hash => "hash",
            Family::Pqc => "pqc",
            Family::Crc => "crc",
            Family::Lib => "lib",
        }
    }

    /// Parses a [`name`](Family::name).
    pub fn from_name(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == s)
    }

    /// True for the public-key families a quantum computer breaks.
    pub fn quantum_vulnerable(self) -> bool {
        matches!(self, Family::Rsa | Family::Ecc | Family::Dh)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Weight (per mille) from which a signature counts as strong evidence.
pub const STRONG_WEIGHT: u16 = 500;

/// One pattern of the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Algorithm the pattern is evidence of, e.g. `p-256`, `aes`, `sha-256`.
    pub algorithm: &'static str,
    /// The canonical constant it was derived from, e.g. `p-256.p`, `aes.sbox`.
    pub constant: &'static str,
    /// Family of the algorithm.
    pub family: Family,
    /// Memory layout, e.g. `be`, `le`, `be32-limbs`, `r26-le32`, `i31-le32`, `mont64-le`.
    pub layout: &'static str,
    /// Evidence weight in per mille (1000 = enough on its own for a finding).
    pub weight: u16,
    /// The bytes.
    pub bytes: &'static [u8],
}

impl Signature {
    /// Whether this signature is strong evidence (see [`STRONG_WEIGHT`]).
    pub fn is_strong(&self) -> bool {
        self.weight >= STRONG_WEIGHT
    }
}

/// The built-in database (generated from canonical constants).
pub fn builtin() -> Vec<Signature> {
    generated::ENTRIES
        .iter()
        .filter_map(|&[alg, cst, layout, weight, off, len]| {
            let (algorithm, family) = *generated::ALGORITHMS.get(alg as usize)?;
            let bytes =
                generated::BLOB.get(off as usize..(off as usize).checked_add(len as usize)?)?;
            Some(Signature {
                algorithm,
                constant: generated::CONSTANTS.get(cst as usize).copied()?,
                family,
                layout: generated::LAYOUTS.get(layout as usize).copied()?,
                weight: weight as u16,
                bytes,
            })
        })
        .collect()
}

/// A set of machine words (constants that compilers emit as instruction
/// immediates or scattered literal-pool words rather than as a contiguous
/// table), matched by [`crate::words`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordSet {
    /// Algorithm the words are evidence of.
    pub algorithm: &'static str,
    /// The canonical constant (table) they come from, e.g. `sha256.k`.
    pub constant: &'static str,
    /// Family of the algorithm (never a public-key family in the built-in sets).
    pub family: Family,
    /// Evidence weight (per mille) once `min_distinct` words are found.
    pub weight: u16,
    /// Distinct words of the set needed within [`crate::words::WINDOW`] bytes.
    pub min_distinct: u16,
    /// Word width in bytes (4 or 8).
    pub width: u8,
    /// The words, little-endian, `width` bytes each.
    pub bytes: &'static [u8],
}

impl WordSet {
    /// Number of words.
    pub fn len(&self) -> usize {
        self.bytes.len() / usize::from(self.width.max(1))
    }

    /// True when the set has no word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The little-endian bytes of word `i`.
    pub fn word_bytes(&self, i: usize) -> &'static [u8] {
        let w = usize::from(self.width);
        self.bytes.get(i * w..(i + 1) * w).unwrap_or(&[])
    }

    /// Word `i` as a number (`None` when out of range).
    pub fn word(&self, i: usize) -> Option<u64> {
        let b = self.word_bytes(i);
        if b.is_empty() {
            return None;
        }
        let mut le = [0u8; 8];
        le[..b.len()].copy_from_slice(b);
        Some(u64::from_le_bytes(le))
    }
}

/// The built-in word sets (generated with the database).
pub fn builtin_word_sets() -> Vec<WordSet> {
    generated::WORD_SETS
        .iter()
        .filter_map(|&[alg, cst, weight, min, width, off, count]| {
            let (algorithm, family) = *generated::ALGORITHMS.get(alg as usize)?;
            let len = (count as usize).checked_mul(width as usize)?;
            let bytes = generated::BLOB.get(off as usize..(off as usize).checked_add(len)?)?;
            Some(WordSet {
                algorithm,
                constant: generated::CONSTANTS.get(cst as usize).copied()?,
                family,
                weight: weight as u16,
                min_distinct: min as u16,
                width: width as u8,
                bytes,
            })
        })
        .collect()
}
