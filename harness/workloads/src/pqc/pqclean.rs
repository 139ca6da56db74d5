//! PQClean implementations through the `pqcrypto-*` crates (`pqcrypto-mlkem`,
//! `pqcrypto-mldsa`, `pqcrypto-sphincsplus`): portable C from the PQClean
//! project, compiled by the crates' build scripts, with the AVX2 variants
//! chosen at run time when the CPU has AVX2. Host only (feature `pqclean`).
//!
//! The `pqcrypto` API draws key-generation, encapsulation and signing
//! randomness from the operating system (`pqcrypto-internals` → `getrandom`)
//! and offers no seeded entry points. To keep the timed inputs comparable with
//! the other implementations, the encaps / decaps / sign / verify workloads
//! load keys, ciphertexts and signatures made from the seed by the RustCrypto
//! code (standard FIPS encodings, which PQClean accepts); only the randomness
//! *inside* PQClean's keygen, encapsulation and (hedged) signing is not seeded.
//!
//! SPHINCS+ here is PQClean's round-3.1 "simple" SPHINCS+, **not** FIPS 205
//! SLH-DSA (FIPS 205 changed the message hashing and address encoding, so the
//! two are not byte compatible and do not verify each other's signatures).
//! Its workloads are labelled scheme `sphincsplus`, params `<hash>-128{f,s}-simple`.

use super::op::{MESSAGE_LEN, OpWorkload, bytes, rng10};
use super::rustcrypto::{self as rc, CTX, messages};
use super::sizes;
use crate::Workload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;
use pqcrypto_traits::kem::{
    Ciphertext as _, PublicKey as KemPublicKey, SecretKey as KemSecretKey, SharedSecret as _,
};
use pqcrypto_traits::sign::{
    DetachedSignature as _, PublicKey as SignPublicKey, SecretKey as SignSecretKey,
};

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "pqclean";

/// ML-KEM (FIPS 203): keygen, encaps, decaps.
pub mod mlkem {
    use super::*;
    #[allow(deprecated)]
    // the expanded (FIPS 203) decapsulation-key encoding is what PQClean takes
    use ml_kem::ExpandedKeyEncoding;

    macro_rules! set {
        ($m:ident, $rc:ident, $label:literal, $sizes:expr) => {
            /// Workloads and helpers for one parameter set.
            pub mod $m {
                use super::*;
                use pqcrypto_mlkem::$m as k;

                /// A fresh key pair (OS randomness), encoded: (encapsulation key, decapsulation key).
                pub fn key_pair() -> (Vec<u8>, Vec<u8>) {
                    let (pk, sk) = k::keypair();
                    (pk.as_bytes().to_vec(), sk.as_bytes().to_vec())
                }

                /// Encapsulation (OS randomness) to an encoded key: (ciphertext, shared
                /// secret); `None` if the key length is wrong.
                pub fn encaps(ek: &[u8]) -> Option<(Vec<u8>, [u8; 32])> {
                    let pk = k::PublicKey::from_bytes(ek).ok()?;
                    let (ss, ct) = k::encapsulate(&pk);
                    Some((ct.as_bytes().to_vec(), ss.as_bytes().try_into().ok()?))
                }

                /// Decapsulation with an encoded (expanded, 2400-byte style) decapsulation
                /// key; `None` if a length is wrong.
                pub fn decaps(dk: &[u8], ct: &[u8]) -> Option<[u8; 32]> {
                    let sk = k::SecretKey::from_bytes(dk).ok()?;
                    let ct = k::Ciphertext::from_bytes(ct).ok()?;
                    k::decapsulate(&ct, &sk).as_bytes().try_into().ok()
                }

                /// The seeded RustCrypto key pair in PQClean's types.
                fn seeded(seed: u64) -> (k::PublicKey, k::SecretKey) {
                    let dk = rc::mlkem::$rc::key_pair(seed);
                    let ek = rc::mlkem::$rc::ek_bytes(&dk);
                    #[allow(deprecated)]
                    let expanded = dk.to_expanded_bytes();
                    (
                        k::PublicKey::from_bytes(&ek).expect("FIPS 203 encapsulation key size"),
                        k::SecretKey::from_bytes(expanded.as_slice())
                            .expect("FIPS 203 decapsulation key size"),
                    )
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-kem.keygen", IMPL, $label],
                            s,
                            |_seed| (),
                            |()| {
                                black_box(k::keypair());
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.encaps", IMPL, $label],
                            s,
                            |seed| seeded(seed).0,
                            |pk| {
                                black_box(k::encapsulate(black_box(&*pk)));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.decaps", IMPL, $label],
                            s,
                            |seed| {
                                let (_, sk) = seeded(seed);
                                let dk = rc::mlkem::$rc::key_pair(seed);
                                let m = bytes::<32>(&mut rng10(seed, 0x4b45_4d01));
                                let (ct, _) = rc::mlkem::$rc::encaps(dk.encapsulation_key(), m);
                                let ct = k::Ciphertext::from_bytes(&ct)
                                    .expect("FIPS 203 ciphertext size");
                                (sk, ct)
                            },
                            |(sk, ct)| {
                                black_box(k::decapsulate(black_box(&*ct), sk));
                            },
                        ),
                    ]
                }
            }
        };
    }

    set!(mlkem512, p512, "512", sizes::ML_KEM_512);
    set!(mlkem768, p768, "768", sizes::ML_KEM_768);
    set!(mlkem1024, p1024, "1024", sizes::ML_KEM_1024);
}

/// ML-DSA (FIPS 204): keygen, sign (hedged: PQClean always mixes in fresh
/// randomness), verify.
pub mod mldsa {
    use super::*;

    macro_rules! set {
        ($m:ident, $rc:ident, $label:literal, $sizes:expr) => {
            /// Workloads and helpers for one parameter set.
            pub mod $m {
                use super::*;
                use pqcrypto_mldsa::$m as d;

                /// A fresh key pair (OS randomness), encoded: (verifying key, signing key).
                pub fn key_pair() -> (Vec<u8>, Vec<u8>) {
                    let (pk, sk) = d::keypair();
                    (pk.as_bytes().to_vec(), sk.as_bytes().to_vec())
                }

                /// Hedged signature of `msg` with [`CTX`] under an encoded signing key;
                /// `None` if the key length is wrong.
                pub fn sign(sk: &[u8], msg: &[u8]) -> Option<Vec<u8>> {
                    let sk = d::SecretKey::from_bytes(sk).ok()?;
                    Some(d::detached_sign_ctx(msg, CTX, &sk).as_bytes().to_vec())
                }

                /// Verifies an encoded signature against an encoded verifying key.
                pub fn verify(vk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
                    let (Ok(vk), Ok(sig)) = (
                        d::PublicKey::from_bytes(vk),
                        d::DetachedSignature::from_bytes(sig),
                    ) else {
                        return false;
                    };
                    d::verify_detached_signature_ctx(&sig, msg, CTX, &vk).is_ok()
                }

                /// The seeded RustCrypto key pair in PQClean's types.
                fn seeded(seed: u64) -> (d::PublicKey, d::SecretKey) {
                    let sk = rc::mldsa::$rc::key_pair(seed);
                    #[allow(deprecated)] // FIPS 204 skEncode, the form PQClean takes
                    let expanded = sk.expanded_key().to_expanded();
                    (
                        d::PublicKey::from_bytes(&rc::mldsa::$rc::vk_bytes(&sk))
                            .expect("FIPS 204 verifying key size"),
                        d::SecretKey::from_bytes(expanded.as_slice())
                            .expect("FIPS 204 signing key size"),
                    )
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-dsa.keygen", IMPL, $label],
                            s,
                            |_seed| (),
                            |()| {
                                black_box(d::keypair());
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-dsa.sign", IMPL, $label],
                            s,
                            |seed| (seeded(seed).1, messages(seed, 0x4453_4101), 0usize),
                            |(sk, msgs, i)| {
                                *i = (*i + 1) % msgs.len();
                                let m: &[u8; MESSAGE_LEN] = black_box(&msgs[*i]);
                                black_box(d::detached_sign_ctx(m, CTX, sk));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-dsa.verify", IMPL, $label],
                            s,
                            |seed| {
                                // The RustCrypto workload's deterministic signatures, so
                                // both verify exactly the same inputs.
                                let rsk = rc::mldsa::$rc::key_pair(seed);
                                let msgs = messages(seed, 0x4453_4101);
                                let sigs: Vec<d::DetachedSignature> = msgs
                                    .iter()
                                    .filter_map(|m| rc::mldsa::$rc::sign(&rsk, m))
                                    .filter_map(|s| d::DetachedSignature::from_bytes(&s).ok())
                                    .collect();
                                (seeded(seed).0, msgs, sigs, 0usize)
                            },
                            |(pk, msgs, sigs, i)| {
                                *i = (*i + 1) % sigs.len().max(1);
                                if let Some(sig) = sigs.get(*i) {
                                    black_box(
                                        d::verify_detached_signature_ctx(
                                            sig,
                                            black_box(&msgs[*i]),
                                            CTX,
                                            pk,
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

    set!(mldsa44, p44, "44", sizes::ML_DSA_44);
    set!(mldsa65, p65, "65", sizes::ML_DSA_65);
    set!(mldsa87, p87, "87", sizes::ML_DSA_87);
}

/// SPHINCS+ round 3.1 ("simple" instances), the pre-standard ancestor of
/// SLH-DSA: same sizes and cost structure, different (incompatible) hashing.
pub mod sphincsplus {
    use super::*;

    macro_rules! set {
        ($m:ident, $label:literal, $sizes:expr) => {
            /// Workloads and helpers for one parameter set.
            pub mod $m {
                use super::*;
                use pqcrypto_sphincsplus::$m as d;

                /// A fresh key pair (OS randomness), encoded: (public key, secret key).
                pub fn key_pair() -> (Vec<u8>, Vec<u8>) {
                    let (pk, sk) = d::keypair();
                    (pk.as_bytes().to_vec(), sk.as_bytes().to_vec())
                }

                /// Signature of `msg` (randomised) under an encoded secret key; `None` if
                /// the key length is wrong.
                pub fn sign(sk: &[u8], msg: &[u8]) -> Option<Vec<u8>> {
                    let sk = d::SecretKey::from_bytes(sk).ok()?;
                    Some(d::detached_sign(msg, &sk).as_bytes().to_vec())
                }

                /// Verifies an encoded signature against an encoded public key.
                pub fn verify(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
                    let (Ok(pk), Ok(sig)) = (
                        d::PublicKey::from_bytes(pk),
                        d::DetachedSignature::from_bytes(sig),
                    ) else {
                        return false;
                    };
                    d::verify_detached_signature(&sig, msg, &pk).is_ok()
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "sphincsplus.keygen", IMPL, $label],
                            s,
                            |_seed| (),
                            |()| {
                                black_box(d::keypair());
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "sphincsplus.sign", IMPL, $label],
                            s,
                            |seed| (d::keypair().1, messages(seed, 0x534c_4801), 0usize),
                            |(sk, msgs, i)| {
                                *i = (*i + 1) % msgs.len();
                                black_box(d::detached_sign(black_box(&msgs[*i]), sk));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "sphincsplus.verify", IMPL, $label],
                            s,
                            |seed| {
                                let (pk, sk) = d::keypair();
                                let msg = messages(seed, 0x534c_4801)[0];
                                let sig = d::detached_sign(&msg, &sk);
                                (pk, msg, sig)
                            },
                            |(pk, msg, sig)| {
                                black_box(
                                    d::verify_detached_signature(sig, black_box(&*msg), pk).is_ok(),
                                );
                            },
                        ),
                    ]
                }
            }
        };
    }

    set!(
        sphincssha2128fsimple,
        "sha2-128f-simple",
        sizes::SLH_DSA_128F
    );
    set!(
        sphincsshake128fsimple,
        "shake-128f-simple",
        sizes::SLH_DSA_128F
    );
    set!(
        sphincssha2128ssimple,
        "sha2-128s-simple",
        sizes::SLH_DSA_128S
    );
}

/// Every PQClean workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out = Vec::new();
    out.extend(mlkem::mlkem512::workloads());
    out.extend(mlkem::mlkem768::workloads());
    out.extend(mlkem::mlkem1024::workloads());
    out.extend(mldsa::mldsa44::workloads());
    out.extend(mldsa::mldsa65::workloads());
    out.extend(mldsa::mldsa87::workloads());
    out.extend(sphincsplus::sphincssha2128fsimple::workloads());
    out.extend(sphincsplus::sphincsshake128fsimple::workloads());
    out.extend(sphincsplus::sphincssha2128ssimple::workloads());
    out
}
