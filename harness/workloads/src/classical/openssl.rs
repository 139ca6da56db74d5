//! Classical workloads from the system OpenSSL (libssl-dev, through the
//! `openssl` crate; feature `openssl`, host only): ECDSA and ECDH on P-256 and
//! P-384, X25519, Ed25519, RSA-2048/3072 PKCS#1 v1.5 / SHA-256 sign / verify
//! and RSA-OAEP / SHA-256 (MGF1-SHA-256) encrypt / decrypt. Keys and messages
//! come from [`super::seeded`], so they are the RustCrypto ones.
//!
//! Each operation builds its EVP context (`Signer`, `Deriver`, …) inside the
//! timed region, as a one-shot caller does; `openssl speed` reuses contexts,
//! which makes its figures a little lower. ECDSA signatures are DER (OpenSSL's
//! encoding); [`der_to_fixed`] / [`fixed_to_der`] convert for the interop tests.

use super::seeded::{self, *};
use super::{ECDH_P256, ECDH_P384, ECDSA_P256, ECDSA_P384, ED25519, RSA_2048, RSA_3072, X25519};
use super::{RSA2048_DER, RSA3072_DER};
use crate::Workload;
use crate::pqc_op::OpWorkload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;
use openssl::bn::{BigNum, BigNumContext};
use openssl::derive::Deriver;
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::ecdsa::EcdsaSig;
use openssl::encrypt::{Decrypter, Encrypter};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{HasPublic, Id, PKey, PKeyRef, Private, Public};
use openssl::rsa::Padding;
use openssl::sign::{Signer, Verifier};

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "openssl";

/// The linked OpenSSL's version string (`OpenSSL 3.0.19 27 Jan 2026`).
pub fn version() -> &'static str {
    openssl::version::version()
}

/// An EC private key from a big-endian scalar on curve `nid`.
pub fn ec_key(nid: Nid, scalar: &[u8]) -> Option<PKey<Private>> {
    let group = EcGroup::from_curve_name(nid).ok()?;
    let d = BigNum::from_slice(scalar).ok()?;
    let mut ctx = BigNumContext::new().ok()?;
    let mut q = EcPoint::new(&group).ok()?;
    q.mul_generator2(&group, &d, &mut ctx).ok()?;
    PKey::from_ec_key(EcKey::from_private_components(&group, &d, &q).ok()?).ok()
}

/// SEC1 uncompressed public point of an EC key.
pub fn ec_public_bytes<T: HasPublic>(k: &PKeyRef<T>) -> Option<Vec<u8>> {
    let ec = k.ec_key().ok()?;
    let mut ctx = BigNumContext::new().ok()?;
    ec.public_key()
        .to_bytes(ec.group(), PointConversionForm::UNCOMPRESSED, &mut ctx)
        .ok()
}

/// An EC public key from a SEC1 point on curve `nid`.
pub fn ec_public(nid: Nid, point: &[u8]) -> Option<PKey<Public>> {
    let group = EcGroup::from_curve_name(nid).ok()?;
    let mut ctx = BigNumContext::new().ok()?;
    let p = EcPoint::from_bytes(&group, point, &mut ctx).ok()?;
    PKey::from_ec_key(EcKey::from_public_key(&group, &p).ok()?).ok()
}

/// Signs `msg` with digest `md` (ECDSA: DER; RSA: PKCS#1 v1.5).
pub fn sign(k: &PKeyRef<Private>, md: MessageDigest, msg: &[u8]) -> Option<Vec<u8>> {
    let mut s = Signer::new(md, k).ok()?;
    if k.id() == Id::RSA {
        s.set_rsa_padding(Padding::PKCS1).ok()?;
    }
    s.sign_oneshot_to_vec(msg).ok()
}

/// Verifies a signature made by [`sign`].
pub fn verify<T: HasPublic>(k: &PKeyRef<T>, md: MessageDigest, msg: &[u8], sig: &[u8]) -> bool {
    let Ok(mut v) = Verifier::new(md, k) else {
        return false;
    };
    if k.id() == Id::RSA && v.set_rsa_padding(Padding::PKCS1).is_err() {
        return false;
    }
    v.verify_oneshot(sig, msg).unwrap_or(false)
}

/// DER ECDSA signature to fixed-width `r || s` (`n` bytes each).
pub fn der_to_fixed(der: &[u8], n: i32) -> Option<Vec<u8>> {
    let sig = EcdsaSig::from_der(der).ok()?;
    let mut out = sig.r().to_vec_padded(n).ok()?;
    out.extend(sig.s().to_vec_padded(n).ok()?);
    Some(out)
}

/// Fixed-width `r || s` ECDSA signature to DER.
pub fn fixed_to_der(sig: &[u8]) -> Option<Vec<u8>> {
    let (r, s) = sig.split_at(sig.len() / 2);
    let sig =
        EcdsaSig::from_private_components(BigNum::from_slice(r).ok()?, BigNum::from_slice(s).ok()?)
            .ok()?;
    sig.to_der().ok()
}

/// Key agreement (ECDH, X25519) of `k` with `peer`.
pub fn derive<T: HasPublic>(k: &PKeyRef<Private>, peer: &PKeyRef<T>) -> Option<Vec<u8>> {
    let mut d = Deriver::new(k).ok()?;
    d.set_peer(peer).ok()?;
    d.derive_to_vec().ok()
}

/// A raw X25519 or Ed25519 private key (`id` = [`Id::X25519`] / [`Id::ED25519`]).
pub fn raw_key(id: Id, bytes: &[u8]) -> Option<PKey<Private>> {
    PKey::private_key_from_raw_bytes(bytes, id).ok()
}

/// A raw X25519 or Ed25519 public key.
pub fn raw_public(id: Id, bytes: &[u8]) -> Option<PKey<Public>> {
    PKey::public_key_from_raw_bytes(bytes, id).ok()
}

/// Ed25519 signature of `msg`.
pub fn ed25519_sign(k: &PKeyRef<Private>, msg: &[u8]) -> Option<Vec<u8>> {
    Signer::new_without_digest(k)
        .ok()?
        .sign_oneshot_to_vec(msg)
        .ok()
}

/// Ed25519 verification.
pub fn ed25519_verify<T: HasPublic>(k: &PKeyRef<T>, msg: &[u8], sig: &[u8]) -> bool {
    Verifier::new_without_digest(k)
        .and_then(|mut v| v.verify_oneshot(sig, msg))
        .unwrap_or(false)
}

/// An RSA key from PKCS#8 DER (the embedded keys).
pub fn rsa_key(der: &[u8]) -> Option<PKey<Private>> {
    PKey::private_key_from_pkcs8(der).ok()
}

/// RSA-OAEP / SHA-256 (MGF1-SHA-256) encryption.
pub fn rsa_encrypt<T: HasPublic>(k: &PKeyRef<T>, msg: &[u8]) -> Option<Vec<u8>> {
    let mut e = Encrypter::new(k).ok()?;
    e.set_rsa_padding(Padding::PKCS1_OAEP).ok()?;
    e.set_rsa_oaep_md(MessageDigest::sha256()).ok()?;
    e.set_rsa_mgf1_md(MessageDigest::sha256()).ok()?;
    let mut out = alloc::vec![0u8; e.encrypt_len(msg).ok()?];
    let n = e.encrypt(msg, &mut out).ok()?;
    out.truncate(n);
    Some(out)
}

/// RSA-OAEP / SHA-256 decryption.
pub fn rsa_decrypt(k: &PKeyRef<Private>, ct: &[u8]) -> Option<Vec<u8>> {
    let mut d = Decrypter::new(k).ok()?;
    d.set_rsa_padding(Padding::PKCS1_OAEP).ok()?;
    d.set_rsa_oaep_md(MessageDigest::sha256()).ok()?;
    d.set_rsa_mgf1_md(MessageDigest::sha256()).ok()?;
    let mut out = alloc::vec![0u8; d.decrypt_len(ct).ok()?];
    let n = d.decrypt(ct, &mut out).ok()?;
    out.truncate(n);
    Some(out)
}

/// Private key, its public half, a message and a signature of it.
type SignState = (
    Option<PKey<Private>>,
    Option<PKey<Public>>,
    [u8; 32],
    Vec<u8>,
);

fn ec_sign_state(nid: Nid, md: MessageDigest, scalar: &[u8], msg: [u8; 32]) -> SignState {
    let k = ec_key(nid, scalar);
    let pk = k
        .as_ref()
        .and_then(|k| ec_public_bytes(k))
        .and_then(|b| ec_public(nid, &b));
    let sig = k
        .as_ref()
        .and_then(|k| sign(k, md, &msg))
        .unwrap_or_default();
    (k, pk, msg, sig)
}

fn ecdh_state(nid: Nid, a: &[u8], b: &[u8]) -> (Option<PKey<Private>>, Option<PKey<Public>>) {
    let pb = ec_key(nid, b)
        .and_then(|k| ec_public_bytes(&k))
        .and_then(|p| ec_public(nid, &p));
    (ec_key(nid, a), pb)
}

fn run_sign((k, _, m, _): &mut SignState, md: MessageDigest) {
    if let Some(k) = k {
        black_box(sign(k, md, black_box(&m[..])));
    }
}

fn run_verify((_, pk, m, sig): &mut SignState, md: MessageDigest) {
    if let Some(pk) = pk {
        black_box(verify(pk, md, black_box(&m[..]), sig));
    }
}

fn run_derive((a, pb): &mut (Option<PKey<Private>>, Option<PKey<Public>>)) {
    if let (Some(a), Some(pb)) = (a, pb) {
        black_box(derive(a, black_box(pb)));
    }
}

fn ec() -> Vec<Box<dyn Workload>> {
    vec_boxed![
        OpWorkload::new(
            ["classical", "ecdsa.sign", IMPL, "p256"],
            ECDSA_P256,
            p256_sign_state,
            |s| run_sign(s, MessageDigest::sha256()),
        ),
        OpWorkload::new(
            ["classical", "ecdsa.verify", IMPL, "p256"],
            ECDSA_P256,
            p256_sign_state,
            |s| run_verify(s, MessageDigest::sha256()),
        ),
        OpWorkload::new(
            ["classical", "ecdsa.sign", IMPL, "p384"],
            ECDSA_P384,
            p384_sign_state,
            |s| run_sign(s, MessageDigest::sha384()),
        ),
        OpWorkload::new(
            ["classical", "ecdsa.verify", IMPL, "p384"],
            ECDSA_P384,
            p384_sign_state,
            |s| run_verify(s, MessageDigest::sha384()),
        ),
        OpWorkload::new(
            ["classical", "ecdh.dh", IMPL, "p256"],
            ECDH_P256,
            |seed| ecdh_state(
                Nid::X9_62_PRIME256V1,
                &p256_scalar(seed, ECDH_P256_STREAM),
                &p256_scalar(seed, ECDH_P256_STREAM + 1),
            ),
            run_derive,
        ),
        OpWorkload::new(
            ["classical", "ecdh.dh", IMPL, "p384"],
            ECDH_P384,
            |seed| ecdh_state(
                Nid::SECP384R1,
                &p384_scalar(seed, ECDH_P384_STREAM),
                &p384_scalar(seed, ECDH_P384_STREAM + 1),
            ),
            run_derive,
        ),
    ]
}

/// ECDSA P-256 / SHA-256 state for `seed` (the RustCrypto key and message).
pub fn p256_sign_state(seed: u64) -> SignState {
    ec_sign_state(
        Nid::X9_62_PRIME256V1,
        MessageDigest::sha256(),
        &p256_scalar(seed, ECDSA_P256_STREAM),
        seeded::message(seed, ECDSA_P256_STREAM + 1),
    )
}

/// ECDSA P-384 / SHA-384 state for `seed`.
pub fn p384_sign_state(seed: u64) -> SignState {
    ec_sign_state(
        Nid::SECP384R1,
        MessageDigest::sha384(),
        &p384_scalar(seed, ECDSA_P384_STREAM),
        seeded::message(seed, ECDSA_P384_STREAM + 1),
    )
}

fn curve25519() -> Vec<Box<dyn Workload>> {
    vec_boxed![
        OpWorkload::new(
            ["classical", "x25519.dh", IMPL, "-"],
            X25519,
            |seed| {
                let b = raw_key(Id::X25519, &raw32(seed, X25519_STREAM + 1))
                    .and_then(|k| k.raw_public_key().ok())
                    .and_then(|p| raw_public(Id::X25519, &p));
                (raw_key(Id::X25519, &raw32(seed, X25519_STREAM)), b)
            },
            run_derive,
        ),
        OpWorkload::new(
            ["classical", "ed25519.sign", IMPL, "-"],
            ED25519,
            ed25519_state,
            |(k, _, m, _)| {
                if let Some(k) = k {
                    black_box(ed25519_sign(k, black_box(&m[..])));
                }
            },
        ),
        OpWorkload::new(
            ["classical", "ed25519.verify", IMPL, "-"],
            ED25519,
            ed25519_state,
            |(_, pk, m, sig)| {
                if let Some(pk) = pk {
                    black_box(ed25519_verify(pk, black_box(&m[..]), sig));
                }
            },
        ),
    ]
}

fn ed25519_state(seed: u64) -> SignState {
    let k = raw_key(Id::ED25519, &raw32(seed, ED25519_STREAM));
    let m = seeded::message(seed, ED25519_STREAM + 1);
    let pk = k
        .as_ref()
        .and_then(|k| k.raw_public_key().ok())
        .and_then(|p| raw_public(Id::ED25519, &p));
    let sig = k
        .as_ref()
        .and_then(|k| ed25519_sign(k, &m))
        .unwrap_or_default();
    (k, pk, m, sig)
}

/// RSA key, message, a PKCS#1 v1.5 signature and an OAEP ciphertext of it.
type RsaState = (Option<PKey<Private>>, [u8; 32], Vec<u8>, Vec<u8>);

fn rsa_state(der: &[u8], seed: u64) -> RsaState {
    let k = rsa_key(der);
    let m = seeded::message(seed, RSA_STREAM);
    let sig = k
        .as_ref()
        .and_then(|k| sign(k, MessageDigest::sha256(), &m))
        .unwrap_or_default();
    let ct = k
        .as_ref()
        .and_then(|k| rsa_encrypt(k, &m))
        .unwrap_or_default();
    (k, m, sig, ct)
}

fn rsa() -> Vec<Box<dyn Workload>> {
    fn sign_op((k, m, _, _): &mut RsaState) {
        if let Some(k) = k {
            black_box(sign(k, MessageDigest::sha256(), black_box(&m[..])));
        }
    }
    fn verify_op((k, m, sig, _): &mut RsaState) {
        if let Some(k) = k {
            black_box(verify(k, MessageDigest::sha256(), black_box(&m[..]), sig));
        }
    }
    fn encrypt_op((k, m, _, _): &mut RsaState) {
        if let Some(k) = k {
            black_box(rsa_encrypt(k, black_box(&m[..])));
        }
    }
    fn decrypt_op((k, _, _, ct): &mut RsaState) {
        if let Some(k) = k {
            black_box(rsa_decrypt(k, black_box(ct)));
        }
    }
    let mut out = rsa_workloads!(
        IMPL,
        "2048",
        RSA2048_DER,
        RSA_2048,
        rsa_state,
        [sign_op, verify_op, encrypt_op, decrypt_op]
    );
    out.extend(rsa_workloads!(
        IMPL,
        "3072",
        RSA3072_DER,
        RSA_3072,
        rsa_state,
        [sign_op, verify_op, encrypt_op, decrypt_op]
    ));
    out
}

/// Every OpenSSL classical workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out = ec();
    out.extend(curve25519());
    out.extend(rsa());
    out
}
