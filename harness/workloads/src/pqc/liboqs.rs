//! liboqs implementations through the `oqs` crate (Open Quantum Safe; liboqs
//! 0.13.0 built from source by `oqs-sys` with CMake, bindings by bindgen):
//! ML-KEM (mlkem-native code in liboqs 0.13) and ML-DSA (pq-crystals
//! reference / AVX2 code). Host only, opt-in (feature `liboqs`): the build
//! needs `cmake` and `libclang` and takes minutes. liboqs 0.13 has no FIPS 205
//! SLH-DSA (only SPHINCS+ round 3), so no SLH-DSA workloads come from here.
//!
//! Seeds: ML-KEM keys come from the seed through `OQS_KEM_keypair_derand`
//! (the same d‖z as the RustCrypto workload, so identical keys); the `oqs`
//! crate has no seeded encapsulation, signing or ML-DSA keygen, so those draw
//! liboqs's (OS) randomness; the keys, ciphertexts and signatures given to
//! decaps / sign / verify are the RustCrypto workload's, from the seed.

use super::op::{MESSAGE_LEN, OpWorkload, bytes, rng10};
use super::rustcrypto::{self as rc, CTX, messages};
use super::sizes;
use crate::Workload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "liboqs";

/// ML-KEM (FIPS 203): keygen, encaps, decaps.
pub mod mlkem {
    use super::*;
    #[allow(deprecated)] // the FIPS 203 expanded decapsulation key is liboqs's format
    use ml_kem::ExpandedKeyEncoding;
    use oqs::kem::{Algorithm, Kem};

    /// A liboqs KEM object for `alg` (initialises liboqs once).
    ///
    /// # Panics
    /// If liboqs was built without that algorithm (the feature enables all three).
    pub fn kem(alg: Algorithm) -> Kem {
        oqs::init();
        Kem::new(alg).expect("liboqs built with ML-KEM (oqs feature ml_kem)")
    }

    /// Key pair from the 64-byte seed d‖z (FIPS 203 ML-KEM.KeyGen_internal),
    /// encoded: (encapsulation key, expanded decapsulation key).
    pub fn key_pair_derand(kem: &Kem, d_z: &[u8; 64]) -> Option<(Vec<u8>, Vec<u8>)> {
        let seed = kem.keypair_seed_from_bytes(d_z)?;
        let (pk, sk) = kem.keypair_derand(seed).ok()?;
        Some((pk.into_vec(), sk.into_vec()))
    }

    /// Encapsulation (liboqs randomness) to an encoded key: (ciphertext, shared
    /// secret); `None` if the key length is wrong.
    pub fn encaps(kem: &Kem, ek: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let pk = kem.public_key_from_bytes(ek)?;
        let (ct, ss) = kem.encapsulate(pk).ok()?;
        Some((ct.into_vec(), ss.into_vec()))
    }

    /// Decapsulation with an encoded (expanded) decapsulation key; `None` if a
    /// length is wrong.
    pub fn decaps(kem: &Kem, dk: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
        let sk = kem.secret_key_from_bytes(dk)?;
        let ct = kem.ciphertext_from_bytes(ct)?;
        Some(kem.decapsulate(sk, ct).ok()?.into_vec())
    }

    macro_rules! set {
        ($m:ident, $alg:ident, $rc:ident, $label:literal, $sizes:expr) => {
            /// Workloads for one parameter set.
            pub mod $m {
                use super::*;

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-kem.keygen", IMPL, $label],
                            s,
                            |seed| {
                                let k = kem(Algorithm::$alg);
                                (k, bytes::<64>(&mut rng10(seed, 0x4b45_4d00)))
                            },
                            |(k, d_z)| {
                                if let Some(seed) = k.keypair_seed_from_bytes(black_box(&d_z[..])) {
                                    black_box(k.keypair_derand(seed)).ok();
                                }
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.encaps", IMPL, $label],
                            s,
                            |seed| {
                                let dk = rc::mlkem::$rc::key_pair(seed);
                                (kem(Algorithm::$alg), rc::mlkem::$rc::ek_bytes(&dk))
                            },
                            |(k, ek)| {
                                if let Some(pk) = k.public_key_from_bytes(black_box(ek)) {
                                    black_box(k.encapsulate(pk)).ok();
                                }
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-kem.decaps", IMPL, $label],
                            s,
                            |seed| {
                                let dk = rc::mlkem::$rc::key_pair(seed);
                                let m = bytes::<32>(&mut rng10(seed, 0x4b45_4d01));
                                let (ct, _) = rc::mlkem::$rc::encaps(dk.encapsulation_key(), m);
                                #[allow(deprecated)]
                                let sk = dk.to_expanded_bytes().to_vec();
                                (kem(Algorithm::$alg), sk, ct)
                            },
                            |(k, sk, ct)| {
                                if let (Some(sk), Some(ct)) = (
                                    k.secret_key_from_bytes(sk),
                                    k.ciphertext_from_bytes(black_box(ct)),
                                ) {
                                    black_box(k.decapsulate(sk, ct)).ok();
                                }
                            },
                        ),
                    ]
                }
            }
        };
    }

    set!(mlkem512, MlKem512, p512, "512", sizes::ML_KEM_512);
    set!(mlkem768, MlKem768, p768, "768", sizes::ML_KEM_768);
    set!(mlkem1024, MlKem1024, p1024, "1024", sizes::ML_KEM_1024);
}

/// ML-DSA (FIPS 204): keygen, sign (liboqs signs hedged), verify.
pub mod mldsa {
    use super::*;
    use oqs::sig::{Algorithm, Sig};

    /// A liboqs signature object for `alg` (initialises liboqs once).
    ///
    /// # Panics
    /// If liboqs was built without that algorithm (the feature enables all three).
    pub fn sig(alg: Algorithm) -> Sig {
        oqs::init();
        Sig::new(alg).expect("liboqs built with ML-DSA (oqs feature ml_dsa)")
    }

    /// A fresh key pair (liboqs randomness), encoded: (verifying key, signing key).
    pub fn key_pair(sig: &Sig) -> Option<(Vec<u8>, Vec<u8>)> {
        let (pk, sk) = sig.keypair().ok()?;
        Some((pk.into_vec(), sk.into_vec()))
    }

    /// Signature of `msg` with [`CTX`] under an encoded signing key; `None` if
    /// the key length is wrong.
    pub fn sign(sig: &Sig, sk: &[u8], msg: &[u8]) -> Option<Vec<u8>> {
        let sk = sig.secret_key_from_bytes(sk)?;
        Some(sig.sign_with_ctx_str(msg, CTX, sk).ok()?.into_vec())
    }

    /// Verifies an encoded signature against an encoded verifying key.
    pub fn verify(sig: &Sig, vk: &[u8], msg: &[u8], signature: &[u8]) -> bool {
        let (Some(vk), Some(s)) = (
            sig.public_key_from_bytes(vk),
            sig.signature_from_bytes(signature),
        ) else {
            return false;
        };
        sig.verify_with_ctx_str(msg, s, CTX, vk).is_ok()
    }

    macro_rules! set {
        ($m:ident, $alg:ident, $rc:ident, $label:literal, $sizes:expr) => {
            /// Workloads for one parameter set.
            pub mod $m {
                use super::*;

                /// The seeded RustCrypto key pair, encoded: (verifying key, signing key).
                fn seeded(seed: u64) -> (Vec<u8>, Vec<u8>) {
                    let sk = rc::mldsa::$rc::key_pair(seed);
                    #[allow(deprecated)] // FIPS 204 skEncode, the form liboqs takes
                    let expanded = sk.expanded_key().to_expanded().to_vec();
                    (rc::mldsa::$rc::vk_bytes(&sk), expanded)
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "ml-dsa.keygen", IMPL, $label],
                            s,
                            |_seed| sig(Algorithm::$alg),
                            |d| {
                                black_box(d.keypair()).ok();
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "ml-dsa.sign", IMPL, $label],
                            s,
                            |seed| {
                                let (_, sk) = seeded(seed);
                                (
                                    sig(Algorithm::$alg),
                                    sk,
                                    messages(seed, 0x4453_4101),
                                    0usize,
                                )
                            },
                            |(d, sk, msgs, i)| {
                                *i = (*i + 1) % msgs.len();
                                let m: &[u8; MESSAGE_LEN] = black_box(&msgs[*i]);
                                if let Some(sk) = d.secret_key_from_bytes(sk) {
                                    black_box(d.sign_with_ctx_str(m, CTX, sk)).ok();
                                }
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
                                let sigs: Vec<Vec<u8>> = msgs
                                    .iter()
                                    .filter_map(|m| rc::mldsa::$rc::sign(&rsk, m))
                                    .collect();
                                (sig(Algorithm::$alg), seeded(seed).0, msgs, sigs, 0usize)
                            },
                            |(d, vk, msgs, sigs, i)| {
                                *i = (*i + 1) % sigs.len().max(1);
                                if let Some(s) = sigs.get(*i) {
                                    black_box(verify(d, vk, black_box(&msgs[*i]), s));
                                }
                            },
                        ),
                    ]
                }
            }
        };
    }

    set!(mldsa44, MlDsa44, p44, "44", sizes::ML_DSA_44);
    set!(mldsa65, MlDsa65, p65, "65", sizes::ML_DSA_65);
    set!(mldsa87, MlDsa87, p87, "87", sizes::ML_DSA_87);
}

/// Every liboqs workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out = Vec::new();
    out.extend(mlkem::mlkem512::workloads());
    out.extend(mlkem::mlkem768::workloads());
    out.extend(mlkem::mlkem1024::workloads());
    out.extend(mldsa::mldsa44::workloads());
    out.extend(mldsa::mldsa65::workloads());
    out.extend(mldsa::mldsa87::workloads());
    out
}
