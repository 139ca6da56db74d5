//! libcrux implementations (`libcrux-ml-kem`, `libcrux-ml-dsa`): formally
//! verified Rust from Cryspen, with runtime-dispatched AVX2/NEON backends.
//! Host only (feature `libcrux`).
//!
//! Seeds are drawn from the same streams as the RustCrypto workloads, so the
//! same seed gives byte-identical keys in both (checked by the interop tests).

use super::op::{MESSAGE_LEN, OpWorkload, bytes, rng10};
use super::rustcrypto::{CTX, messages};
use super::sizes;
use crate::Workload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "libcrux";

/// ML-KEM: keygen, encaps, decaps.
pub mod mlkem {
    use super::*;

    macro_rules! set {
        ($m:ident, $k:ident, $ct:ident, $label:literal, $sizes:expr) => {
            /// Workloads and helpers for one parameter set.
            pub mod $m {
                use super::*;
                use libcrux_ml_kem::$m as k;

                /// Seeded key pair (same seed stream as RustCrypto).
                pub fn key_pair(seed: u64) -> k::$k {
                    k::generate_key_pair(bytes::<64>(&mut rng10(seed, 0x4b45_4d00)))
                }

                /// Deterministic encapsulation to an encoded key; `None` if its length is wrong.
                pub fn encaps(ek: &[u8], m: [u8; 32]) -> Option<(Vec<u8>, [u8; 32])> {
                    let pk = libcrux_ml_kem::MlKemPublicKey::from(<[u8; _]>::try_from(ek).ok()?);
                    let (ct, ss) = k::encapsulate(&pk, m);
                    Some((ct.as_slice().to_vec(), ss))
                }

                /// Decapsulation of an encoded ciphertext; `None` if its length is wrong.
                pub fn decaps(kp: &k::$k, ct: &[u8]) -> Option<[u8; 32]> {
                    let ct = k::$ct::from(<[u8; _]>::try_from(ct).ok()?);
                    Some(k::decapsulate(kp.private_key(), &ct))
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-kem.keygen", IMPL, $label],
                            s,
                            |seed| bytes::<64>(&mut rng10(seed, 0x4b45_4d00)),
                            |r| {
                                black_box(k::generate_key_pair(*black_box(&*r)));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.encaps", IMPL, $label],
                            s,
                            |seed| {
                                let kp = key_pair(seed);
                                (
                                    kp.public_key().clone(),
                                    bytes::<32>(&mut rng10(seed, 0x4b45_4d01)),
                                )
                            },
                            |(pk, m)| {
                                black_box(k::encapsulate(black_box(pk), *m));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.decaps", IMPL, $label],
                            s,
                            |seed| {
                                let kp = key_pair(seed);
                                let m = bytes::<32>(&mut rng10(seed, 0x4b45_4d01));
                                let (ct, _) = k::encapsulate(kp.public_key(), m);
                                (kp, ct)
                            },
                            |(kp, ct)| {
                                black_box(k::decapsulate(kp.private_key(), black_box(ct)));
                            },
                        ),
                    ]
                }
            }
        };
    }

    set!(
        mlkem512,
        MlKem512KeyPair,
        MlKem512Ciphertext,
        "512",
        sizes::ML_KEM_512
    );
    set!(
        mlkem768,
        MlKem768KeyPair,
        MlKem768Ciphertext,
        "768",
        sizes::ML_KEM_768
    );
    set!(
        mlkem1024,
        MlKem1024KeyPair,
        MlKem1024Ciphertext,
        "1024",
        sizes::ML_KEM_1024
    );
}

/// ML-DSA: keygen, sign, verify.
pub mod mldsa {
    use super::*;

    macro_rules! set {
        ($m:ident, $kp:ident, $vk:ident, $sig:ident, $label:literal, $sizes:expr) => {
            /// Workloads and helpers for one parameter set.
            pub mod $m {
                use super::*;
                use libcrux_ml_dsa::$m as d;

                /// Seeded key pair (same seed stream as RustCrypto).
                pub fn key_pair(seed: u64) -> d::$kp {
                    d::generate_key_pair(bytes::<32>(&mut rng10(seed, 0x4453_4100)))
                }

                /// Deterministic signature (randomness 0^32, as FIPS 204's deterministic variant).
                pub fn sign(kp: &d::$kp, msg: &[u8]) -> Option<Vec<u8>> {
                    d::sign(&kp.signing_key, msg, CTX, [0u8; 32])
                        .ok()
                        .map(|s| s.as_slice().to_vec())
                }

                /// Verifies an encoded signature against an encoded verification key.
                pub fn verify(vk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
                    let (Ok(vk), Ok(sig)) = (<[u8; _]>::try_from(vk), <[u8; _]>::try_from(sig))
                    else {
                        return false;
                    };
                    d::verify(&d::$vk::new(vk), msg, CTX, &d::$sig::new(sig)).is_ok()
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-dsa.keygen", IMPL, $label],
                            s,
                            |seed| bytes::<32>(&mut rng10(seed, 0x4453_4100)),
                            |r| {
                                black_box(d::generate_key_pair(*black_box(&*r)));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-dsa.sign", IMPL, $label],
                            s,
                            |seed| (key_pair(seed), messages(seed, 0x4453_4101), 0usize),
                            |(kp, msgs, i)| {
                                *i = (*i + 1) % msgs.len();
                                let m: &[u8; MESSAGE_LEN] = black_box(&msgs[*i]);
                                black_box(d::sign(&kp.signing_key, m, CTX, [0u8; 32]).ok());
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-dsa.verify", IMPL, $label],
                            s,
                            |seed| {
                                let kp = key_pair(seed);
                                let msgs = messages(seed, 0x4453_4101);
                                let sigs: Vec<_> = msgs
                                    .iter()
                                    .filter_map(|m| {
                                        d::sign(&kp.signing_key, m, CTX, [0u8; 32]).ok()
                                    })
                                    .collect();
                                (kp, msgs, sigs, 0usize)
                            },
                            |(kp, msgs, sigs, i)| {
                                *i = (*i + 1) % sigs.len().max(1);
                                if let Some(sig) = sigs.get(*i) {
                                    black_box(
                                        d::verify(
                                            &kp.verification_key,
                                            black_box(&msgs[*i]),
                                            CTX,
                                            sig,
                                        )
                                        .is_ok(),
                                    );
                                }
                            },
                        ),
                    ]
                }
            }
        };
    }

    set!(
        ml_dsa_44,
        MLDSA44KeyPair,
        MLDSA44VerificationKey,
        MLDSA44Signature,
        "44",
        sizes::ML_DSA_44
    );
    set!(
        ml_dsa_65,
        MLDSA65KeyPair,
        MLDSA65VerificationKey,
        MLDSA65Signature,
        "65",
        sizes::ML_DSA_65
    );
    set!(
        ml_dsa_87,
        MLDSA87KeyPair,
        MLDSA87VerificationKey,
        MLDSA87Signature,
        "87",
        sizes::ML_DSA_87
    );
}

/// Every libcrux workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out = Vec::new();
    out.extend(mlkem::mlkem512::workloads());
    out.extend(mlkem::mlkem768::workloads());
    out.extend(mlkem::mlkem1024::workloads());
    out.extend(mldsa::ml_dsa_44::workloads());
    out.extend(mldsa::ml_dsa_65::workloads());
    out.extend(mldsa::ml_dsa_87::workloads());
    out
}
