//! Seeded inputs shared by every classical implementation: the same seed
//! gives the same keys and messages in RustCrypto, OpenSSL, ring and AWS-LC
//! (the interop tests rely on it). Streams match the RustCrypto workloads.

use super::{MESSAGE_LEN, p256_secret};
use crate::pqc_op::{bytes, rng10};
use alloc::vec::Vec;

/// Stream of the X25519 secret of party A (B is `+ 1`).
pub const X25519_STREAM: u64 = 0x7825_0000;
/// Stream of the Ed25519 seed (the message is `+ 1`).
pub const ED25519_STREAM: u64 = 0xed25_0000;
/// Stream of the ECDSA P-256 scalar (the message is `+ 1`).
pub const ECDSA_P256_STREAM: u64 = 0xec00_0000;
/// Stream of the ECDH P-256 scalar of party A (B is `+ 1`).
pub const ECDH_P256_STREAM: u64 = 0xecd0_0000;
/// Stream of the ECDSA P-384 scalar (the message is `+ 1`).
pub const ECDSA_P384_STREAM: u64 = 0xec38_0000;
/// Stream of the ECDH P-384 scalar of party A (B is `+ 1`).
pub const ECDH_P384_STREAM: u64 = 0xecd3_0000;
/// Stream of the RSA message (the first [`MESSAGE_LEN`] bytes).
pub const RSA_STREAM: u64 = 0x5253_4100;

/// 32 raw bytes (X25519 secret, Ed25519 seed) from a stream.
pub fn raw32(seed: u64, stream: u64) -> [u8; 32] {
    bytes::<32>(&mut rng10(seed, stream))
}

/// The message signed or encrypted under `stream`.
pub fn message(seed: u64, stream: u64) -> [u8; MESSAGE_LEN] {
    bytes::<MESSAGE_LEN>(&mut rng10(seed, stream))
}

/// Big-endian P-256 secret scalar (the one RustCrypto uses).
pub fn p256_scalar(seed: u64, stream: u64) -> [u8; 32] {
    p256_secret(seed, stream).to_bytes().into()
}

/// SEC1 uncompressed public point of [`p256_scalar`].
pub fn p256_public(seed: u64, stream: u64) -> Vec<u8> {
    use p256::elliptic_curve::sec1::ToSec1Point;
    p256_secret(seed, stream)
        .public_key()
        .to_sec1_point(false)
        .as_bytes()
        .to_vec()
}

/// Big-endian P-384 secret scalar: 48 seeded bytes, redrawn while the first
/// byte is `0xff` or all are zero, so that it lies in `[1, n)` (the group
/// order starts `0xffff…`, so every value below `0xff00…` is smaller).
pub fn p384_scalar(seed: u64, stream: u64) -> [u8; 48] {
    let mut rng = rng10(seed, stream);
    loop {
        let b = bytes::<48>(&mut rng);
        if b[0] != 0xff && b.iter().any(|x| *x != 0) {
            return b;
        }
    }
}
