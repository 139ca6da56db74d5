//! Classical public-key workloads, the algorithms PQC replaces (RustCrypto
//! and dalek crates, `no_std` + `alloc`):
//!
//! | id | operation |
//! |----|-----------|
//! | `classical/x25519.{keygen,dh}/rustcrypto/-` | X25519 (x25519-dalek) |
//! | `classical/ed25519.{keygen,sign,verify}/rustcrypto/-` | Ed25519 (ed25519-dalek) |
//! | `classical/ecdsa.{keygen,sign,verify}/rustcrypto/p256` | ECDSA P-256 / SHA-256, RFC 6979 (p256) |
//! | `classical/ecdh.{keygen,dh}/rustcrypto/p256` | ECDH P-256 (p256) |
//! | `classical/rsa.{sign,verify}/rustcrypto/{2048,3072}` | RSA PKCS#1 v1.5 / SHA-256, blinded (rsa) |
//! | `classical/rsa.{encrypt,decrypt}/rustcrypto/{2048,3072}` | RSA-OAEP / SHA-256 (rsa) |
//! | `classical/rsa.keygen/rustcrypto/{2048,3072}` | RSA key generation (long; see [`rsa_keygen_workloads`]) |
//!
//! Production implementations of the same operations, with the same ids
//! shape, seeds and inputs, live in [`openssl`] (feature `openssl`: the
//! system OpenSSL), [`ring`] (feature `ring`) and [`aws_lc`] (feature
//! `aws-lc`: AWS-LC through `aws-lc-rs`), host only; each also offers
//! ECDSA P-384 / ECDH P-384 where the library has them (`.../p384`), using
//! the seeded helpers of [`seeded`].
//!
//! RSA operations use fixed keys embedded in the crate (generated once with
//! `openssl genpkey`), because generating an RSA key per setup costs seconds;
//! key generation itself is its own benchmark, kept out of [`workloads`] so a
//! default run stays short.

#[cfg(feature = "aws-lc")]
pub mod aws_lc;
#[cfg(feature = "openssl")]
pub mod openssl;
#[cfg(feature = "ring")]
pub mod ring;
pub mod seeded;

use crate::Workload;
use crate::pqc_op::{OpWorkload, Sizes, bytes, rng10};
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "rustcrypto";

/// Message signed or encrypted by the classical workloads (bytes).
pub const MESSAGE_LEN: usize = 32;

const fn sizes(pk: u64, sk: u64, ct: u64, sig: u64, ss: u64) -> Sizes {
    Sizes {
        public_key: pk,
        secret_key: sk,
        ciphertext: ct,
        signature: sig,
        shared_secret: ss,
    }
}

/// X25519 sizes.
pub const X25519: Sizes = sizes(32, 32, 0, 0, 32);
/// Ed25519 sizes.
pub const ED25519: Sizes = sizes(32, 32, 0, 64, 0);
/// ECDSA P-256 sizes (SEC1 uncompressed public key, fixed-width r||s signature).
pub const ECDSA_P256: Sizes = sizes(65, 32, 0, 64, 0);
/// ECDH P-256 sizes (SEC1 uncompressed public key).
pub const ECDH_P256: Sizes = sizes(65, 32, 0, 0, 32);
/// ECDSA P-384 sizes (SEC1 uncompressed public key, fixed-width r||s signature).
pub const ECDSA_P384: Sizes = sizes(97, 48, 0, 96, 0);
/// ECDH P-384 sizes (SEC1 uncompressed public key).
pub const ECDH_P384: Sizes = sizes(97, 48, 0, 0, 48);
/// RSA-2048 sizes (modulus-sized public key, signature and ciphertext; PKCS#8 DER secret key).
pub const RSA_2048: Sizes = sizes(256, RSA2048_DER.len() as u64, 256, 256, 0);
/// RSA-3072 sizes.
pub const RSA_3072: Sizes = sizes(384, RSA3072_DER.len() as u64, 384, 384, 0);

/// Embedded RSA-2048 private key, PKCS#8 DER.
pub const RSA2048_DER: &[u8] = include_bytes!("keys/rsa2048.pk8.der");
/// Embedded RSA-3072 private key, PKCS#8 DER.
pub const RSA3072_DER: &[u8] = include_bytes!("keys/rsa3072.pk8.der");

/// A valid P-256 secret scalar drawn from the seed (rejection-sampled).
pub fn p256_secret(seed: u64, stream: u64) -> p256::SecretKey {
    let mut rng = rng10(seed, stream);
    loop {
        let b = bytes::<32>(&mut rng);
        if let Ok(sk) = p256::SecretKey::from_slice(&b) {
            return sk;
        }
    }
}

/// Parses an embedded RSA key; the keys are compiled in and checked by tests.
pub fn rsa_key(der: &[u8]) -> Option<rsa::RsaPrivateKey> {
    rsa_key_checked(der).ok()
}

/// Parses an RSA key, keeping the error for diagnostics.
pub fn rsa_key_checked(der: &[u8]) -> Result<rsa::RsaPrivateKey, rsa::pkcs8::Error> {
    use rsa::pkcs8::DecodePrivateKey;
    rsa::RsaPrivateKey::from_pkcs8_der(der)
}

fn x25519() -> Vec<Box<dyn Workload>> {
    use x25519_dalek::{PublicKey, StaticSecret};
    vec_boxed![
        OpWorkload::new(
            ["classical", "x25519.keygen", IMPL, "-"],
            X25519,
            |seed| StaticSecret::from(bytes::<32>(&mut rng10(seed, 0x7825_0000))),
            |sk| {
                black_box(PublicKey::from(black_box(&*sk)));
            },
        ),
        OpWorkload::new(
            ["classical", "x25519.dh", IMPL, "-"],
            X25519,
            |seed| {
                let a = StaticSecret::from(bytes::<32>(&mut rng10(seed, 0x7825_0000)));
                let b = StaticSecret::from(bytes::<32>(&mut rng10(seed, 0x7825_0001)));
                (a, PublicKey::from(&b))
            },
            |(a, pb)| {
                black_box(a.diffie_hellman(black_box(pb)));
            },
        ),
    ]
}

fn ed25519() -> Vec<Box<dyn Workload>> {
    use ed25519_dalek::ed25519::signature::{Signer, Verifier};
    use ed25519_dalek::{Signature, SigningKey};
    vec_boxed![
        OpWorkload::new(
            ["classical", "ed25519.keygen", IMPL, "-"],
            ED25519,
            |seed| bytes::<32>(&mut rng10(seed, 0xed25_0000)),
            |s| {
                black_box(SigningKey::from_bytes(black_box(&*s)).verifying_key());
            },
        ),
        OpWorkload::new(
            ["classical", "ed25519.sign", IMPL, "-"],
            ED25519,
            |seed| {
                let sk = SigningKey::from_bytes(&bytes::<32>(&mut rng10(seed, 0xed25_0000)));
                (sk, bytes::<MESSAGE_LEN>(&mut rng10(seed, 0xed25_0001)))
            },
            |(sk, m)| {
                black_box(sk.sign(black_box(&m[..])));
            },
        ),
        OpWorkload::new(
            ["classical", "ed25519.verify", IMPL, "-"],
            ED25519,
            |seed| {
                let sk = SigningKey::from_bytes(&bytes::<32>(&mut rng10(seed, 0xed25_0000)));
                let m = bytes::<MESSAGE_LEN>(&mut rng10(seed, 0xed25_0001));
                let sig: Signature = sk.sign(&m);
                (sk.verifying_key(), m, sig)
            },
            |(vk, m, sig)| {
                black_box(vk.verify(black_box(&m[..]), sig).is_ok());
            },
        ),
    ]
}

fn p256() -> Vec<Box<dyn Workload>> {
    use p256::ecdsa::signature::{Signer, Verifier};
    use p256::ecdsa::{Signature, SigningKey};
    vec_boxed![
        OpWorkload::new(
            ["classical", "ecdsa.keygen", IMPL, "p256"],
            ECDSA_P256,
            |seed| p256_secret(seed, 0xec00_0000),
            |sk| {
                black_box(black_box(&*sk).public_key());
            },
        ),
        OpWorkload::new(
            ["classical", "ecdsa.sign", IMPL, "p256"],
            ECDSA_P256,
            |seed| {
                let sk = SigningKey::from(p256_secret(seed, 0xec00_0000));
                (sk, bytes::<MESSAGE_LEN>(&mut rng10(seed, 0xec00_0001)))
            },
            |(sk, m)| {
                let sig: Signature = sk.sign(black_box(&m[..]));
                black_box(sig);
            },
        ),
        OpWorkload::new(
            ["classical", "ecdsa.verify", IMPL, "p256"],
            ECDSA_P256,
            |seed| {
                let sk = SigningKey::from(p256_secret(seed, 0xec00_0000));
                let m = bytes::<MESSAGE_LEN>(&mut rng10(seed, 0xec00_0001));
                let sig: Signature = sk.sign(&m);
                (*sk.verifying_key(), m, sig)
            },
            |(vk, m, sig)| {
                black_box(vk.verify(black_box(&m[..]), sig).is_ok());
            },
        ),
        OpWorkload::new(
            ["classical", "ecdh.keygen", IMPL, "p256"],
            ECDH_P256,
            |seed| p256_secret(seed, 0xecd0_0000),
            |sk| {
                black_box(black_box(&*sk).public_key());
            },
        ),
        OpWorkload::new(
            ["classical", "ecdh.dh", IMPL, "p256"],
            ECDH_P256,
            |seed| {
                let a = p256_secret(seed, 0xecd0_0000);
                let b = p256_secret(seed, 0xecd0_0001);
                (a, b.public_key())
            },
            |(a, pb)| {
                black_box(p256::ecdh::diffie_hellman(
                    a.to_nonzero_scalar(),
                    black_box(pb).as_affine(),
                ));
            },
        ),
    ]
}

/// State of an RSA workload: key, padding-independent inputs and a seeded RNG
/// for blinding / OAEP randomness.
pub struct RsaState {
    key: Option<rsa::RsaPrivateKey>,
    msg: [u8; MESSAGE_LEN],
    sig: Vec<u8>,
    ct: Vec<u8>,
    rng: rand_chacha010::ChaCha20Rng,
}

fn rsa_state(der: &'static [u8], seed: u64) -> RsaState {
    use rsa::pkcs1v15::SigningKey;
    use rsa::sha2::Sha256;
    use rsa::signature::{RandomizedSigner, SignatureEncoding};
    let mut rng = rng10(seed, 0x5253_4100);
    let msg = bytes::<MESSAGE_LEN>(&mut rng);
    let key = rsa_key(der);
    let (sig, ct) = match &key {
        Some(k) => {
            let sig = SigningKey::<Sha256>::new(k.clone())
                .try_sign_with_rng(&mut rng, &msg)
                .map(|s| s.to_vec())
                .unwrap_or_default();
            let ct = k
                .to_public_key()
                .encrypt(&mut rng, rsa::Oaep::<Sha256>::new(), &msg)
                .unwrap_or_default();
            (sig, ct)
        }
        None => (Vec::new(), Vec::new()),
    };
    RsaState {
        key,
        msg,
        sig,
        ct,
        rng,
    }
}

fn rsa_sign(s: &mut RsaState) {
    use rsa::pkcs1v15::SigningKey;
    use rsa::sha2::Sha256;
    use rsa::signature::RandomizedSigner;
    if let Some(k) = &s.key {
        // Cloning the key into the padding wrapper is a few hundred ns next to
        // a millisecond private-key operation.
        let sk = SigningKey::<Sha256>::new(k.clone());
        black_box(sk.try_sign_with_rng(&mut s.rng, black_box(&s.msg)).ok());
    }
}

fn rsa_verify(s: &mut RsaState) {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::sha2::Sha256;
    use rsa::signature::Verifier;
    if let (Some(k), Ok(sig)) = (&s.key, Signature::try_from(s.sig.as_slice())) {
        let vk = VerifyingKey::<Sha256>::new(k.to_public_key());
        black_box(vk.verify(black_box(&s.msg), &sig).is_ok());
    }
}

fn rsa_encrypt(s: &mut RsaState) {
    use rsa::sha2::Sha256;
    if let Some(k) = &s.key {
        let pk = k.as_ref();
        black_box(
            pk.encrypt(&mut s.rng, rsa::Oaep::<Sha256>::new(), black_box(&s.msg))
                .ok(),
        );
    }
}

fn rsa_decrypt(s: &mut RsaState) {
    use rsa::sha2::Sha256;
    if let Some(k) = &s.key {
        black_box(k.decrypt(rsa::Oaep::<Sha256>::new(), black_box(&s.ct)).ok());
    }
}

fn rsa() -> Vec<Box<dyn Workload>> {
    let mut out = rsa_workloads!(
        IMPL,
        "2048",
        RSA2048_DER,
        RSA_2048,
        rsa_state,
        [rsa_sign, rsa_verify, rsa_encrypt, rsa_decrypt]
    );
    out.extend(rsa_workloads!(
        IMPL,
        "3072",
        RSA3072_DER,
        RSA_3072,
        rsa_state,
        [rsa_sign, rsa_verify, rsa_encrypt, rsa_decrypt]
    ));
    out
}

/// RSA key generation (`classical/rsa.keygen/rustcrypto/{2048,3072}`): seconds
/// per operation and highly variable (prime search), so it is not part of
/// [`workloads`]; benches and `pqbench run --long` style callers add it.
pub fn rsa_keygen_workloads() -> Vec<Box<dyn Workload>> {
    fn run(bits: usize, rng: &mut rand_chacha010::ChaCha20Rng) {
        black_box(rsa::RsaPrivateKey::new(rng, bits).ok());
    }
    vec_boxed![
        OpWorkload::new(
            ["classical", "rsa.keygen", IMPL, "2048"],
            RSA_2048,
            |seed| rng10(seed, 0x5253_4b00),
            |rng| run(2048, rng)
        ),
        OpWorkload::new(
            ["classical", "rsa.keygen", IMPL, "3072"],
            RSA_3072,
            |seed| rng10(seed, 0x5253_4b00),
            |rng| run(3072, rng)
        ),
    ]
}

/// Every classical workload except RSA key generation.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out = x25519();
    out.extend(ed25519());
    out.extend(p256());
    out.extend(rsa());
    #[cfg(feature = "openssl")]
    out.extend(openssl::workloads());
    #[cfg(feature = "ring")]
    out.extend(ring::workloads());
    #[cfg(feature = "aws-lc")]
    out.extend(aws_lc::workloads());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rsa_keys_parse_with_their_sizes() {
        use rsa::traits::PublicKeyParts;
        for (der, bytes) in [(RSA2048_DER, 256), (RSA3072_DER, 384)] {
            let k = rsa_key_checked(der);
            let k = k.expect("embedded key parses");
            assert_eq!(k.size(), bytes);
        }
    }
}
