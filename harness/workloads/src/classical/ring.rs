//! Classical workloads from `ring` (feature `ring`, host only): ECDSA P-256 /
//! P-384 sign and verify (fixed-width signatures), Ed25519, RSA-2048/3072
//! PKCS#1 v1.5 / SHA-256 sign and verify. Keys and messages come from
//! [`super::seeded`] (the RustCrypto ones).
//!
//! Not offered: ring has no RSA encryption, and its key agreement (ECDH,
//! X25519) takes only ephemeral private keys it generates itself and consumes
//! in one agreement, so a seeded, repeatable `ecdh.dh` / `x25519.dh` cannot be
//! timed alone; the interop tests still check that ring agrees with the others.
//! ECDSA signing in ring is randomised (system RNG), not RFC 6979.

use super::seeded::{self, *};
use super::{ECDSA_P256, ECDSA_P384, ED25519, RSA_2048, RSA_3072};
use super::{RSA2048_DER, RSA3072_DER};
use crate::Workload;
use crate::pqc_op::OpWorkload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;
use ring::rand::SystemRandom;
use ring::signature::{self as sig, KeyPair};

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "ring";

/// ECDSA key pair from a scalar and its SEC1 public point.
pub fn ecdsa_key(
    alg: &'static sig::EcdsaSigningAlgorithm,
    scalar: &[u8],
    public: &[u8],
) -> Option<sig::EcdsaKeyPair> {
    sig::EcdsaKeyPair::from_private_key_and_public_key(alg, scalar, public, &SystemRandom::new())
        .ok()
}

/// Verifies with any ring verification algorithm.
pub fn verify(alg: &'static dyn sig::VerificationAlgorithm, pk: &[u8], m: &[u8], s: &[u8]) -> bool {
    sig::UnparsedPublicKey::new(alg, pk).verify(m, s).is_ok()
}

/// Ed25519 key pair from its 32-byte seed.
pub fn ed25519_key(seed32: &[u8]) -> Option<sig::Ed25519KeyPair> {
    sig::Ed25519KeyPair::from_seed_unchecked(seed32).ok()
}

/// RSA key pair from PKCS#8 DER.
pub fn rsa_key(der: &[u8]) -> Option<sig::RsaKeyPair> {
    sig::RsaKeyPair::from_pkcs8(der).ok()
}

/// RSA PKCS#1 v1.5 / SHA-256 signature.
pub fn rsa_sign(k: &sig::RsaKeyPair, m: &[u8]) -> Option<Vec<u8>> {
    let mut out = alloc::vec![0u8; k.public().modulus_len()];
    k.sign(&sig::RSA_PKCS1_SHA256, &SystemRandom::new(), m, &mut out)
        .ok()?;
    Some(out)
}

/// A key pair (or not), its public key bytes, a message and a signature of it.
pub struct SignState<K> {
    key: Option<K>,
    public: Vec<u8>,
    msg: [u8; 32],
    sig: Vec<u8>,
    rng: SystemRandom,
}

fn ecdsa_state(
    alg: &'static sig::EcdsaSigningAlgorithm,
    scalar: &[u8],
    public: Vec<u8>,
    msg: [u8; 32],
) -> SignState<sig::EcdsaKeyPair> {
    let rng = SystemRandom::new();
    let key = ecdsa_key(alg, scalar, &public);
    let sig = key
        .as_ref()
        .and_then(|k| k.sign(&rng, &msg).ok())
        .map(|s| s.as_ref().to_vec())
        .unwrap_or_default();
    SignState {
        key,
        public,
        msg,
        sig,
        rng,
    }
}

fn p256_state(seed: u64) -> SignState<sig::EcdsaKeyPair> {
    ecdsa_state(
        &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
        &p256_scalar(seed, ECDSA_P256_STREAM),
        p256_public(seed, ECDSA_P256_STREAM),
        seeded::message(seed, ECDSA_P256_STREAM + 1),
    )
}

/// ECDSA P-384 state. ring cannot compute a public point from a scalar, so
/// the point comes from AWS-LC: ring's P-384 rows need feature `aws-lc` too.
#[cfg(feature = "aws-lc")]
fn p384_state(seed: u64) -> SignState<sig::EcdsaKeyPair> {
    let scalar = p384_scalar(seed, ECDSA_P384_STREAM);
    ecdsa_state(
        &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        &scalar,
        super::aws_lc::ec_public(&aws_lc_rs::agreement::ECDH_P384, &scalar).unwrap_or_default(),
        seeded::message(seed, ECDSA_P384_STREAM + 1),
    )
}

fn ecdsa_sign(s: &mut SignState<sig::EcdsaKeyPair>) {
    if let Some(k) = &s.key {
        black_box(k.sign(&s.rng, black_box(&s.msg)).ok());
    }
}

fn ed25519_state(seed: u64) -> SignState<sig::Ed25519KeyPair> {
    let key = ed25519_key(&raw32(seed, ED25519_STREAM));
    let msg = seeded::message(seed, ED25519_STREAM + 1);
    let public = key
        .as_ref()
        .map(|k| k.public_key().as_ref().to_vec())
        .unwrap_or_default();
    let sig = key
        .as_ref()
        .map(|k| k.sign(&msg).as_ref().to_vec())
        .unwrap_or_default();
    SignState {
        key,
        public,
        msg,
        sig,
        rng: SystemRandom::new(),
    }
}

fn rsa_state(der: &[u8], seed: u64) -> SignState<sig::RsaKeyPair> {
    let key = rsa_key(der);
    let msg = seeded::message(seed, RSA_STREAM);
    let public = key
        .as_ref()
        .map(|k| k.public().as_ref().to_vec())
        .unwrap_or_default();
    let sig = key
        .as_ref()
        .and_then(|k| rsa_sign(k, &msg))
        .unwrap_or_default();
    SignState {
        key,
        public,
        msg,
        sig,
        rng: SystemRandom::new(),
    }
}

fn run_verify<K>(s: &mut SignState<K>, alg: &'static dyn sig::VerificationAlgorithm) {
    black_box(verify(alg, &s.public, black_box(&s.msg), &s.sig));
}

/// Every ring classical workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    #[allow(unused_mut)]
    let mut out = vec_boxed![
        OpWorkload::new(
            ["classical", "ecdsa.sign", IMPL, "p256"],
            ECDSA_P256,
            p256_state,
            ecdsa_sign
        ),
        OpWorkload::new(
            ["classical", "ecdsa.verify", IMPL, "p256"],
            ECDSA_P256,
            p256_state,
            |s| run_verify(s, &sig::ECDSA_P256_SHA256_FIXED)
        ),
        OpWorkload::new(
            ["classical", "ed25519.sign", IMPL, "-"],
            ED25519,
            ed25519_state,
            |s| {
                if let Some(k) = &s.key {
                    black_box(k.sign(black_box(&s.msg)));
                }
            }
        ),
        OpWorkload::new(
            ["classical", "ed25519.verify", IMPL, "-"],
            ED25519,
            ed25519_state,
            |s| run_verify(s, &sig::ED25519)
        ),
        OpWorkload::new(
            ["classical", "rsa.sign", IMPL, "2048"],
            RSA_2048,
            |s| rsa_state(RSA2048_DER, s),
            rsa_run_sign
        ),
        OpWorkload::new(
            ["classical", "rsa.verify", IMPL, "2048"],
            RSA_2048,
            |s| rsa_state(RSA2048_DER, s),
            |s| run_verify(s, &sig::RSA_PKCS1_2048_8192_SHA256)
        ),
        OpWorkload::new(
            ["classical", "rsa.sign", IMPL, "3072"],
            RSA_3072,
            |s| rsa_state(RSA3072_DER, s),
            rsa_run_sign
        ),
        OpWorkload::new(
            ["classical", "rsa.verify", IMPL, "3072"],
            RSA_3072,
            |s| rsa_state(RSA3072_DER, s),
            |s| run_verify(s, &sig::RSA_PKCS1_2048_8192_SHA256)
        ),
    ];
    #[cfg(feature = "aws-lc")]
    out.extend(vec_boxed![
        OpWorkload::new(
            ["classical", "ecdsa.sign", IMPL, "p384"],
            ECDSA_P384,
            p384_state,
            ecdsa_sign
        ),
        OpWorkload::new(
            ["classical", "ecdsa.verify", IMPL, "p384"],
            ECDSA_P384,
            p384_state,
            |s| run_verify(s, &sig::ECDSA_P384_SHA384_FIXED)
        ),
    ]);
    out
}

fn rsa_run_sign(s: &mut SignState<sig::RsaKeyPair>) {
    if let Some(k) = &s.key {
        let mut out = [0u8; 512];
        let n = k.public().modulus_len().min(out.len());
        black_box(
            k.sign(
                &sig::RSA_PKCS1_SHA256,
                &s.rng,
                black_box(&s.msg),
                &mut out[..n],
            )
            .ok(),
        );
    }
}
