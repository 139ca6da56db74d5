//! AWS-LC's ML-KEM (FIPS 203) through `aws-lc-rs` (`aws_lc_rs::kem`; feature
//! `aws-lc`, host only): keygen, encaps, decaps for ML-KEM-512/768/1024.
//!
//! aws-lc-rs exposes no seeded entry points: key generation and encapsulation
//! draw from AWS-LC's own RNG, so `ml-kem.keygen` and the randomness of
//! `ml-kem.encaps` are not reproducible from the seed (their timing does not
//! depend on the values). Keys are imported instead: `encaps` encapsulates to
//! the RustCrypto encapsulation key of the seed, and `decaps` loads the
//! RustCrypto decapsulation key (FIPS 203 encoding) and decapsulates the
//! RustCrypto ciphertext, so the same seed gives the same inputs as in the
//! other implementations. The interop tests decapsulate across (both ways)
//! and check the first NIST KAT record's shared secret by decapsulation.

use super::op::{OpWorkload, bytes, rng10};
use super::sizes;
use crate::Workload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use aws_lc_rs::kem::{
    AlgorithmId, Ciphertext, DecapsulationKey, EncapsulationKey, ML_KEM_512, ML_KEM_768,
    ML_KEM_1024,
};
use core::hint::black_box;

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "aws-lc";

/// An aws-lc-rs ML-KEM algorithm.
pub type Alg = aws_lc_rs::kem::Algorithm<AlgorithmId>;

/// The algorithm of a parameter set named `mlkem512`, `mlkem768` or `mlkem1024`.
pub fn alg(name: &str) -> Option<&'static Alg> {
    match name {
        "mlkem512" => Some(&ML_KEM_512),
        "mlkem768" => Some(&ML_KEM_768),
        "mlkem1024" => Some(&ML_KEM_1024),
        _ => None,
    }
}

/// Decapsulation key from its FIPS 203 encoding (`dk`, 1632/2400/3168 bytes).
pub fn decaps_key(alg: &'static Alg, dk: &[u8]) -> Option<DecapsulationKey<AlgorithmId>> {
    DecapsulationKey::new(alg, dk).ok()
}

/// Encapsulation key from its FIPS 203 encoding.
pub fn encaps_key(alg: &'static Alg, ek: &[u8]) -> Option<EncapsulationKey<AlgorithmId>> {
    EncapsulationKey::new(alg, ek).ok()
}

/// Randomised encapsulation to an encoded key: (ciphertext, shared secret).
pub fn encaps(alg: &'static Alg, ek: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (ct, ss) = encaps_key(alg, ek)?.encapsulate().ok()?;
    Some((ct.as_ref().to_vec(), ss.as_ref().to_vec()))
}

/// Decapsulation of an encoded ciphertext with an encoded decapsulation key.
pub fn decaps(alg: &'static Alg, dk: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
    let k = decaps_key(alg, dk)?;
    Some(k.decapsulate(Ciphertext::from(ct)).ok()?.as_ref().to_vec())
}

/// A fresh key pair from AWS-LC's RNG: (encoded `ek`, encoded `dk`).
pub fn generate(alg: &'static Alg) -> Option<(Vec<u8>, Vec<u8>)> {
    let k = DecapsulationKey::generate(alg).ok()?;
    let ek = k
        .encapsulation_key()
        .ok()?
        .key_bytes()
        .ok()?
        .as_ref()
        .to_vec();
    let dk = k.key_bytes().ok()?.as_ref().to_vec();
    Some((ek, dk))
}

macro_rules! set {
    ($rc:ident, $alg:ident, $label:literal, $sizes:expr) => {{
        use super::rustcrypto::mlkem::$rc as rc;
        /// The RustCrypto key of the seed: (encoded `ek`, encoded `dk`).
        fn keys(seed: u64) -> (Vec<u8>, Vec<u8>) {
            #[allow(deprecated)]
            use ml_kem::ExpandedKeyEncoding;
            let dk = rc::key_pair(seed);
            #[allow(deprecated)]
            let dkb = dk.to_expanded_bytes().to_vec();
            (rc::ek_bytes(&dk), dkb)
        }
        let s = $sizes;
        vec_boxed![
            OpWorkload::new(
                ["pqc", "ml-kem.keygen", IMPL, $label],
                s,
                |_| (),
                |_| {
                    black_box(DecapsulationKey::generate(black_box(&$alg)).ok());
                }
            ),
            OpWorkload::new(
                ["pqc", "ml-kem.encaps", IMPL, $label],
                s,
                |seed| encaps_key(&$alg, &keys(seed).0),
                |k| {
                    if let Some(k) = k {
                        black_box(black_box(&*k).encapsulate().ok());
                    }
                },
            ),
            OpWorkload::new(
                ["pqc", "ml-kem.decaps", IMPL, $label],
                s,
                |seed| {
                    let dk = rc::key_pair(seed);
                    let m = bytes::<32>(&mut rng10(seed, 0x4b45_4d01));
                    let (ct, _) = rc::encaps(dk.encapsulation_key(), m);
                    (decaps_key(&$alg, &keys(seed).1), ct)
                },
                |(k, ct)| {
                    if let Some(k) = k {
                        black_box(k.decapsulate(Ciphertext::from(black_box(&ct[..]))).ok());
                    }
                },
            ),
        ]
    }};
}

/// Every AWS-LC ML-KEM workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out: Vec<Box<dyn Workload>> = set!(p512, ML_KEM_512, "512", sizes::ML_KEM_512);
    out.extend(set!(p768, ML_KEM_768, "768", sizes::ML_KEM_768));
    out.extend(set!(p1024, ML_KEM_1024, "1024", sizes::ML_KEM_1024));
    out
}
