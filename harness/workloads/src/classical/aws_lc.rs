//! Classical workloads from AWS-LC through `aws-lc-rs` (feature `aws-lc`,
//! host only): ECDSA P-256 / P-384 sign and verify (fixed-width signatures),
//! ECDH P-256 / P-384 and X25519 (seeded static private keys), Ed25519,
//! RSA-2048/3072 PKCS#1 v1.5 / SHA-256 sign and verify and RSA-OAEP / SHA-256
//! (MGF1-SHA-256) encrypt / decrypt. Keys and messages come from
//! [`super::seeded`] (the RustCrypto ones). The peer's public key is parsed
//! inside the timed key agreement, as in a protocol. ECDSA signing in AWS-LC
//! is randomised, not RFC 6979.

use super::seeded::{self, *};
use super::{ECDH_P256, ECDH_P384, ECDSA_P256, ECDSA_P384, ED25519, RSA_2048, RSA_3072, X25519};
use super::{RSA2048_DER, RSA3072_DER};
use crate::Workload;
use crate::pqc_op::OpWorkload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use aws_lc_rs::agreement::{self, ECDH_P256 as DH_P256, ECDH_P384 as DH_P384};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{
    OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, OaepPublicEncryptingKey, PrivateDecryptingKey,
};
use aws_lc_rs::signature::{self as sig, KeyPair};
use core::hint::black_box;

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "aws-lc";

/// A static key-agreement private key from raw bytes (EC scalar or X25519).
pub fn dh_key(alg: &'static agreement::Algorithm, raw: &[u8]) -> Option<agreement::PrivateKey> {
    agreement::PrivateKey::from_private_key(alg, raw).ok()
}

/// Public key (SEC1 uncompressed for EC, raw for X25519) of a raw private key.
pub fn ec_public(alg: &'static agreement::Algorithm, raw: &[u8]) -> Option<Vec<u8>> {
    let k = dh_key(alg, raw)?;
    Some(k.compute_public_key().ok()?.as_ref().to_vec())
}

/// Shared secret of `k` with the encoded `peer` public key.
pub fn agree(k: &agreement::PrivateKey, peer: &[u8]) -> Option<Vec<u8>> {
    let peer = agreement::UnparsedPublicKey::new(k.algorithm(), peer);
    agreement::agree(k, peer, (), |s| Ok(s.to_vec())).ok()
}

/// ECDSA key pair from a scalar and its SEC1 public point.
pub fn ecdsa_key(
    alg: &'static sig::EcdsaSigningAlgorithm,
    scalar: &[u8],
    public: &[u8],
) -> Option<sig::EcdsaKeyPair> {
    sig::EcdsaKeyPair::from_private_key_and_public_key(alg, scalar, public).ok()
}

/// Verifies with any aws-lc-rs verification algorithm.
pub fn verify(alg: &'static dyn sig::VerificationAlgorithm, pk: &[u8], m: &[u8], s: &[u8]) -> bool {
    sig::UnparsedPublicKey::new(alg, pk).verify(m, s).is_ok()
}

/// Ed25519 key pair from its 32-byte seed.
pub fn ed25519_key(seed32: &[u8]) -> Option<sig::Ed25519KeyPair> {
    sig::Ed25519KeyPair::from_seed_unchecked(seed32).ok()
}

/// RSA signing key pair from PKCS#8 DER.
pub fn rsa_key(der: &[u8]) -> Option<sig::RsaKeyPair> {
    sig::RsaKeyPair::from_pkcs8(der).ok()
}

/// RSA PKCS#1 v1.5 / SHA-256 signature.
pub fn rsa_sign(k: &sig::RsaKeyPair, m: &[u8]) -> Option<Vec<u8>> {
    let mut out = alloc::vec![0u8; k.public_modulus_len()];
    k.sign(&sig::RSA_PKCS1_SHA256, &SystemRandom::new(), m, &mut out)
        .ok()?;
    Some(out)
}

/// RSA-OAEP decryption key and its public encryption key from PKCS#8 DER.
pub fn rsa_oaep_keys(der: &[u8]) -> Option<(OaepPrivateDecryptingKey, OaepPublicEncryptingKey)> {
    let k = PrivateDecryptingKey::from_pkcs8(der).ok()?;
    let pk = OaepPublicEncryptingKey::new(k.public_key()).ok()?;
    Some((OaepPrivateDecryptingKey::new(k).ok()?, pk))
}

/// RSA-OAEP / SHA-256 encryption.
pub fn rsa_encrypt(pk: &OaepPublicEncryptingKey, m: &[u8]) -> Option<Vec<u8>> {
    let mut out = alloc::vec![0u8; pk.ciphertext_size()];
    let n = pk
        .encrypt(&OAEP_SHA256_MGF1SHA256, m, &mut out, None)
        .ok()?
        .len();
    out.truncate(n);
    Some(out)
}

/// RSA-OAEP / SHA-256 decryption.
pub fn rsa_decrypt(k: &OaepPrivateDecryptingKey, ct: &[u8]) -> Option<Vec<u8>> {
    let mut out = alloc::vec![0u8; k.min_output_size()];
    let n = k
        .decrypt(&OAEP_SHA256_MGF1SHA256, ct, &mut out, None)
        .ok()?
        .len();
    out.truncate(n);
    Some(out)
}

/// A key (or not), its public key bytes, a message and a signature of it.
pub struct SignState<K> {
    key: Option<K>,
    public: Vec<u8>,
    msg: [u8; 32],
    sig: Vec<u8>,
}

fn ecdsa_state(
    alg: &'static sig::EcdsaSigningAlgorithm,
    scalar: &[u8],
    public: Vec<u8>,
    msg: [u8; 32],
) -> SignState<sig::EcdsaKeyPair> {
    let key = ecdsa_key(alg, scalar, &public);
    let sig = key
        .as_ref()
        .and_then(|k| k.sign(&SystemRandom::new(), &msg).ok())
        .map(|s| s.as_ref().to_vec())
        .unwrap_or_default();
    SignState {
        key,
        public,
        msg,
        sig,
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

fn p384_state(seed: u64) -> SignState<sig::EcdsaKeyPair> {
    let scalar = p384_scalar(seed, ECDSA_P384_STREAM);
    ecdsa_state(
        &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        &scalar,
        ec_public(&DH_P384, &scalar).unwrap_or_default(),
        seeded::message(seed, ECDSA_P384_STREAM + 1),
    )
}

fn ecdsa_sign(s: &mut SignState<sig::EcdsaKeyPair>) {
    if let Some(k) = &s.key {
        black_box(k.sign(&SystemRandom::new(), black_box(&s.msg)).ok());
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
    }
}

/// RSA state: signing key, OAEP key, message, signature and ciphertext.
pub struct RsaState {
    sign: SignState<sig::RsaKeyPair>,
    oaep: Option<(OaepPrivateDecryptingKey, OaepPublicEncryptingKey)>,
    ct: Vec<u8>,
}

fn rsa_state(der: &[u8], seed: u64) -> RsaState {
    let key = rsa_key(der);
    let msg = seeded::message(seed, RSA_STREAM);
    let public = key
        .as_ref()
        .map(|k| k.public_key().as_ref().to_vec())
        .unwrap_or_default();
    let sig = key
        .as_ref()
        .and_then(|k| rsa_sign(k, &msg))
        .unwrap_or_default();
    let oaep = rsa_oaep_keys(der);
    let ct = oaep
        .as_ref()
        .and_then(|(_, pk)| rsa_encrypt(pk, &msg))
        .unwrap_or_default();
    RsaState {
        sign: SignState {
            key,
            public,
            msg,
            sig,
        },
        oaep,
        ct,
    }
}

fn rsa_run_sign(s: &mut RsaState) {
    if let Some(k) = &s.sign.key {
        black_box(rsa_sign(k, black_box(&s.sign.msg)));
    }
}

fn rsa_run_encrypt(s: &mut RsaState) {
    if let Some((_, pk)) = &s.oaep {
        black_box(rsa_encrypt(pk, black_box(&s.sign.msg)));
    }
}

fn rsa_run_decrypt(s: &mut RsaState) {
    if let Some((k, _)) = &s.oaep {
        black_box(rsa_decrypt(k, black_box(&s.ct)));
    }
}

fn run_verify<K>(s: &mut SignState<K>, alg: &'static dyn sig::VerificationAlgorithm) {
    black_box(verify(alg, &s.public, black_box(&s.msg), &s.sig));
}

type DhState = (Option<agreement::PrivateKey>, Vec<u8>);

fn dh_state(alg: &'static agreement::Algorithm, a: &[u8], b: &[u8]) -> DhState {
    (dh_key(alg, a), ec_public(alg, b).unwrap_or_default())
}

fn run_agree((k, peer): &mut DhState) {
    if let Some(k) = k {
        black_box(agree(k, black_box(peer)));
    }
}

/// Every AWS-LC classical workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
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
            |s| { run_verify(s, &sig::ECDSA_P256_SHA256_FIXED) }
        ),
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
            |s| { run_verify(s, &sig::ECDSA_P384_SHA384_FIXED) }
        ),
        OpWorkload::new(
            ["classical", "ecdh.dh", IMPL, "p256"],
            ECDH_P256,
            |seed| dh_state(
                &DH_P256,
                &p256_scalar(seed, ECDH_P256_STREAM),
                &p256_scalar(seed, ECDH_P256_STREAM + 1)
            ),
            run_agree
        ),
        OpWorkload::new(
            ["classical", "ecdh.dh", IMPL, "p384"],
            ECDH_P384,
            |seed| dh_state(
                &DH_P384,
                &p384_scalar(seed, ECDH_P384_STREAM),
                &p384_scalar(seed, ECDH_P384_STREAM + 1)
            ),
            run_agree
        ),
        OpWorkload::new(
            ["classical", "x25519.dh", IMPL, "-"],
            X25519,
            |seed| dh_state(
                &agreement::X25519,
                &raw32(seed, X25519_STREAM),
                &raw32(seed, X25519_STREAM + 1)
            ),
            run_agree
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
            |s| { run_verify(s, &sig::ED25519) }
        ),
    ];
    let rsa_verify = |s: &mut RsaState| run_verify(&mut s.sign, &sig::RSA_PKCS1_2048_8192_SHA256);
    out.extend(rsa_workloads!(
        IMPL,
        "2048",
        RSA2048_DER,
        RSA_2048,
        rsa_state,
        [rsa_run_sign, rsa_verify, rsa_run_encrypt, rsa_run_decrypt]
    ));
    out.extend(rsa_workloads!(
        IMPL,
        "3072",
        RSA3072_DER,
        RSA_3072,
        rsa_state,
        [rsa_run_sign, rsa_verify, rsa_run_encrypt, rsa_run_decrypt]
    ));
    out
}
