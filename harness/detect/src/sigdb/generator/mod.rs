//! Generator of the signature database from canonical constants.
//!
//! Canonical values are written once (curve parameters as printed by
//! `openssl ecparam -param_enc explicit -text`, RFC/FIPS constants) or derived
//! from their definition (AES S-box from GF(2^8) inversion, SHA round constants
//! from prime roots, Keccak round constants from the LFSR, CRC table from the
//! polynomial, NTT zetas from the root of unity). Every bignum is then emitted
//! in every layout real libraries use.
//!
//! * `emit`: the sink that filters and deduplicates signatures, and the byte
//!   packing of words;
//! * `layouts`: the memory layouts of bignums (limbs, radixes, Montgomery
//!   forms, BearSSL) and the windows of constant tables;
//! * `curves`, `ffdh`, `containers`: public-key constants (elliptic curves,
//!   Curve25519, `curve448` Curve448/Ed448, finite-field DH primes, DER/PEM structures);
//! * `aes`, `hashes`, `crc`, `pqc`: symmetric, hash, CRC and ML-KEM/ML-DSA
//!   tables derived from their definitions;
//! * `libraries`: library fingerprint strings;
//! * `word_sets`, `limb_sets`: the word sets of [`crate::words`] (symmetric
//!   words, public-key limbs);
//! * `render`: `generated.rs` and `sigdb.bin`.

mod aes;
mod containers;
mod crc;
mod curve448;
mod curves;
mod emit;
mod ffdh;
mod hashes;
mod layouts;
mod libraries;
mod limb_sets;
mod pqc;
mod render;
mod word_sets;

use super::Family;
use emit::Out;
use std::collections::BTreeSet;
use std::string::String;
use std::vec::Vec;

pub use aes::{AES_FIXSLICE32_SHIFTROWS, AES_FIXSLICE64_SHIFTROWS, aes_sbox};
pub use crc::crc32_table;
pub use curve448::{ED448_BX, ED448_BY, ed448_d, ed448_order, from_dec, p448};
pub use curves::{CURVES, Curve, c25519};
pub use emit::MIN_DISTINCT_GRAMS;
pub use ffdh::{FFDHE_PREFIX, MODP_PREFIX};
pub use hashes::{SHA1_IV, keccak_rc, md5_t, sha1_k, sha256_iv, sha256_k, sha512_k};
pub use limb_sets::{limb_sets, mont_factor};
pub use render::render;
pub use word_sets::{GenWordSet, generate_word_sets};

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

/// Generates the whole database.
pub fn generate() -> Vec<GenSig> {
    let mut o = Out {
        sigs: Vec::new(),
        seen: BTreeSet::new(),
    };
    curves::curves(&mut o);
    curves::curve25519(&mut o);
    curve448::curve448(&mut o);
    ffdh::ffdh(&mut o);
    containers::containers(&mut o);
    aes::aes(&mut o);
    hashes::sha(&mut o);
    hashes::hashes(&mut o);
    hashes::grouped(&mut o);
    crc::crc(&mut o);
    pqc::pqc(&mut o);
    libraries::libraries(&mut o);
    o.sigs
}
