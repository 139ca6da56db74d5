//! RustCrypto implementations (`ml-kem`, `ml-dsa`, `slh-dsa`): pure Rust,
//! `no_std` + `alloc`, so the same workloads run in the Cortex-M firmware.
//!
//! Every key, message and randomness comes from the seed through
//! [`rng10`](super::op::rng10): keygen uses the FIPS "internal" seeded entry
//! points, encapsulation and signing use the deterministic variants fed with
//! seeded randomness.

use super::op::{MESSAGE_LEN, MESSAGES, OpWorkload, bytes, rng10};
use super::sizes;
use crate::Workload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "rustcrypto";

/// Context string passed to ML-DSA and SLH-DSA (empty, the default of FIPS 204/205).
pub const CTX: &[u8] = b"";

/// Seeded messages: [`MESSAGES`] of [`MESSAGE_LEN`] bytes.
pub fn messages(seed: u64, stream: u64) -> Vec<[u8; MESSAGE_LEN]> {
    let mut rng = rng10(seed, stream);
    (0..MESSAGES)
        .map(|_| bytes::<MESSAGE_LEN>(&mut rng))
        .collect()
}

/// ML-KEM over one parameter set: keygen, encaps, decaps.
pub mod mlkem {
    use super::*;
    use ml_kem::kem::{Decapsulate, KeyExport};
    use ml_kem::{B32, DecapsulationKey, EncapsulationKey, Seed};

    macro_rules! mlkem_set {
        ($m:ident, $p:ty, $label:literal, $sizes:expr) => {
            /// Workloads for one parameter set.
            pub mod $m {
                use super::*;
                type P = $p;

                /// Seeded key pair.
                pub fn key_pair(seed: u64) -> DecapsulationKey<P> {
                    DecapsulationKey::<P>::from_seed(Seed::from(bytes::<64>(&mut rng10(
                        seed,
                        0x4b45_4d00,
                    ))))
                }

                /// Encoded encapsulation key.
                pub fn ek_bytes(dk: &DecapsulationKey<P>) -> Vec<u8> {
                    dk.encapsulation_key().to_bytes().to_vec()
                }

                /// Deterministic encapsulation with message `m`.
                pub fn encaps(ek: &EncapsulationKey<P>, m: [u8; 32]) -> (Vec<u8>, [u8; 32]) {
                    let (ct, k) = ek.encapsulate_deterministic(&B32::from(m));
                    (ct.to_vec(), k.into())
                }

                /// Decapsulation of an encoded ciphertext; `None` if its length is wrong.
                pub fn decaps(dk: &DecapsulationKey<P>, ct: &[u8]) -> Option<[u8; 32]> {
                    let ct = ml_kem::Ciphertext::<P>::try_from(ct).ok()?;
                    Some(dk.decapsulate(&ct).into())
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-kem.keygen", IMPL, $label],
                            s,
                            |seed| bytes::<64>(&mut rng10(seed, 0x4b45_4d00)),
                            |seed| {
                                black_box(DecapsulationKey::<P>::from_seed(Seed::from(
                                    *black_box(&*seed),
                                )));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.encaps", IMPL, $label],
                            s,
                            |seed| {
                                let dk = key_pair(seed);
                                let m = bytes::<32>(&mut rng10(seed, 0x4b45_4d01));
                                (dk.encapsulation_key().clone(), B32::from(m))
                            },
                            |(ek, m)| {
                                black_box(ek.encapsulate_deterministic(black_box(m)));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.decaps", IMPL, $label],
                            s,
                            |seed| {
                                let dk = key_pair(seed);
                                let m = bytes::<32>(&mut rng10(seed, 0x4b45_4d01));
                                let (ct, _) = dk
                                    .encapsulation_key()
                                    .encapsulate_deterministic(&B32::from(m));
                                (dk, ct)
                            },
                            |(dk, ct)| {
                                black_box(dk.decapsulate(black_box(ct)));
                            },
                        ),
                    ]
                }
            }
        };
    }

    mlkem_set!(p512, ml_kem::MlKem512, "512", sizes::ML_KEM_512);
    mlkem_set!(p768, ml_kem::MlKem768, "768", sizes::ML_KEM_768);
    mlkem_set!(p1024, ml_kem::MlKem1024, "1024", sizes::ML_KEM_1024);
}

/// ML-DSA over one parameter set: keygen, sign, verify.
pub mod mldsa {
    use super::*;
    use ml_dsa::{B32, ExpandedSigningKey, Keypair, Signature, SigningKey, VerifyingKey};

    macro_rules! mldsa_set {
        ($m:ident, $p:ty, $label:literal, $sizes:expr) => {
            /// Workloads for one parameter set.
            pub mod $m {
                use super::*;
                type P = $p;

                /// Seeded key pair (FIPS 204 ML-DSA.KeyGen_internal from a 32-byte seed).
                pub fn key_pair(seed: u64) -> SigningKey<P> {
                    SigningKey::<P>::from_seed(&B32::from(bytes::<32>(&mut rng10(
                        seed,
                        0x4453_4100,
                    ))))
                }

                /// Encoded verifying key.
                pub fn vk_bytes(sk: &SigningKey<P>) -> Vec<u8> {
                    sk.verifying_key().encode().to_vec()
                }

                /// Deterministic (hedging-free) signature of `msg` with [`CTX`], encoded.
                pub fn sign(sk: &SigningKey<P>, msg: &[u8]) -> Option<Vec<u8>> {
                    let sig = sk.expanded_key().sign_deterministic(msg, CTX).ok()?;
                    Some(sig.encode().to_vec())
                }

                /// Verifies an encoded signature against an encoded verifying key.
                pub fn verify(vk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
                    let Ok(vk) = ml_dsa::EncodedVerifyingKey::<P>::try_from(vk) else {
                        return false;
                    };
                    let Ok(sig) = ml_dsa::EncodedSignature::<P>::try_from(sig) else {
                        return false;
                    };
                    let Some(sig) = Signature::<P>::decode(&sig) else {
                        return false;
                    };
                    VerifyingKey::<P>::decode(&vk).verify_with_context(msg, CTX, &sig)
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-dsa.keygen", IMPL, $label],
                            s,
                            |seed| B32::from(bytes::<32>(&mut rng10(seed, 0x4453_4100))),
                            |xi| {
                                black_box(SigningKey::<P>::from_seed(black_box(xi)));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-dsa.sign", IMPL, $label],
                            s,
                            |seed| {
                                let sk: ExpandedSigningKey<P> =
                                    key_pair(seed).expanded_key().clone();
                                (sk, messages(seed, 0x4453_4101), 0usize)
                            },
                            |(sk, msgs, i)| {
                                *i = (*i + 1) % msgs.len();
                                black_box(sk.sign_deterministic(black_box(&msgs[*i]), CTX).ok());
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-dsa.verify", IMPL, $label],
                            s,
                            |seed| {
                                let sk = key_pair(seed);
                                let msgs = messages(seed, 0x4453_4101);
                                let sigs: Vec<Signature<P>> = msgs
                                    .iter()
                                    .filter_map(|m| {
                                        sk.expanded_key().sign_deterministic(m, CTX).ok()
                                    })
                                    .collect();
                                (sk.verifying_key(), msgs, sigs, 0usize)
                            },
                            |(vk, msgs, sigs, i)| {
                                *i = (*i + 1) % sigs.len().max(1);
                                if let Some(sig) = sigs.get(*i) {
                                    black_box(vk.verify_with_context(
                                        black_box(&msgs[*i]),
                                        CTX,
                                        sig,
                                    ));
                                }
                            },
                        ),
                    ]
                }
            }
        };
    }

    mldsa_set!(p44, ml_dsa::MlDsa44, "44", sizes::ML_DSA_44);
    mldsa_set!(p65, ml_dsa::MlDsa65, "65", sizes::ML_DSA_65);
    mldsa_set!(p87, ml_dsa::MlDsa87, "87", sizes::ML_DSA_87);
}

/// SLH-DSA (FIPS 205): keygen, sign, verify for SHA2-128f, SHAKE-128f, SHA2-128s.
pub mod slhdsa {
    use super::*;
    use slh_dsa::{Signature, SigningKey, VerifyingKey};

    macro_rules! slh_set {
        ($m:ident, $p:ty, $label:literal, $sizes:expr) => {
            /// Workloads for one parameter set.
            pub mod $m {
                use super::*;
                type P = $p;

                /// Seeded key pair (FIPS 205 slh_keygen_internal).
                pub fn key_pair(seed: u64) -> SigningKey<P> {
                    let s = bytes::<48>(&mut rng10(seed, 0x534c_4800));
                    SigningKey::<P>::slh_keygen_internal(&s[..16], &s[16..32], &s[32..])
                }

                /// Deterministic signature of `msg` with [`CTX`], encoded.
                pub fn sign(sk: &SigningKey<P>, msg: &[u8]) -> Option<Vec<u8>> {
                    let sig = sk.try_sign_with_context(msg, CTX, None).ok()?;
                    Some(sig.to_bytes().to_vec())
                }

                /// Verifies an encoded signature against an encoded verifying key.
                pub fn verify(vk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
                    let (Ok(vk), Ok(sig)) = (
                        VerifyingKey::<P>::try_from(vk),
                        Signature::<P>::try_from(sig),
                    ) else {
                        return false;
                    };
                    vk.try_verify_with_context(msg, CTX, &sig).is_ok()
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "slh-dsa.keygen", IMPL, $label],
                            s,
                            |seed| bytes::<48>(&mut rng10(seed, 0x534c_4800)),
                            |s| {
                                let s = black_box(&*s);
                                black_box(SigningKey::<P>::slh_keygen_internal(
                                    &s[..16],
                                    &s[16..32],
                                    &s[32..],
                                ));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "slh-dsa.sign", IMPL, $label],
                            s,
                            |seed| (key_pair(seed), messages(seed, 0x534c_4801), 0usize),
                            |(sk, msgs, i)| {
                                *i = (*i + 1) % msgs.len();
                                black_box(
                                    sk.try_sign_with_context(black_box(&msgs[*i]), CTX, None)
                                        .ok(),
                                );
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "slh-dsa.verify", IMPL, $label],
                            s,
                            |seed| {
                                let sk = key_pair(seed);
                                let msg = messages(seed, 0x534c_4801)[0];
                                let sig = sk.try_sign_with_context(&msg, CTX, None).ok();
                                let vk: VerifyingKey<P> = sk.as_ref().clone();
                                (vk, msg, sig)
                            },
                            |(vk, msg, sig)| {
                                if let Some(sig) = sig {
                                    black_box(
                                        vk.try_verify_with_context(black_box(&*msg), CTX, sig)
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

    slh_set!(
        sha2_128f,
        slh_dsa::Sha2_128f,
        "sha2-128f",
        sizes::SLH_DSA_128F
    );
    slh_set!(
        shake_128f,
        slh_dsa::Shake128f,
        "shake-128f",
        sizes::SLH_DSA_128F
    );
    slh_set!(
        sha2_128s,
        slh_dsa::Sha2_128s,
        "sha2-128s",
        sizes::SLH_DSA_128S
    );
}

/// Every RustCrypto PQC workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out = Vec::new();
    out.extend(mlkem::p512::workloads());
    out.extend(mlkem::p768::workloads());
    out.extend(mlkem::p1024::workloads());
    out.extend(mldsa::p44::workloads());
    out.extend(mldsa::p65::workloads());
    out.extend(mldsa::p87::workloads());
    out.extend(slhdsa::sha2_128f::workloads());
    out.extend(slhdsa::shake_128f::workloads());
    out.extend(slhdsa::sha2_128s::workloads());
    out
}
