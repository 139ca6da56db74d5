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
