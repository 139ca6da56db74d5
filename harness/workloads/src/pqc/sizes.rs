//! Standard sizes in bytes (FIPS 203 Table 3, FIPS 204 Table 2, FIPS 205
//! Table 2), the static metrics of every PQC workload.

use super::op::Sizes;

const fn kem(pk: u64, sk: u64, ct: u64) -> Sizes {
    Sizes {
        public_key: pk,
        secret_key: sk,
        ciphertext: ct,
        signature: 0,
        shared_secret: 32,
    }
}

const fn sig(pk: u64, sk: u64, sig: u64) -> Sizes {
    Sizes {
        public_key: pk,
        secret_key: sk,
        ciphertext: 0,
        signature: sig,
        shared_secret: 0,
    }
}

/// ML-KEM-512.
pub const ML_KEM_512: Sizes = kem(800, 1632, 768);
/// ML-KEM-768.
pub const ML_KEM_768: Sizes = kem(1184, 2400, 1088);
/// ML-KEM-1024.
pub const ML_KEM_1024: Sizes = kem(1568, 3168, 1568);
/// ML-DSA-44.
pub const ML_DSA_44: Sizes = sig(1312, 2560, 2420);
/// ML-DSA-65.
pub const ML_DSA_65: Sizes = sig(1952, 4032, 3309);
/// ML-DSA-87.
pub const ML_DSA_87: Sizes = sig(2592, 4896, 4627);
/// SLH-DSA-*-128f (SHA2 and SHAKE).
pub const SLH_DSA_128F: Sizes = sig(32, 64, 17088);
/// SLH-DSA-*-128s.
pub const SLH_DSA_128S: Sizes = sig(32, 64, 7856);
