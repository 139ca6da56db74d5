//! ECDSA, Ed25519, ECDH and X25519 across implementations.

use super::SEED;
use pqbench_workloads::classical::seeded::*;
use pqbench_workloads::classical::{ECDSA_P256, ED25519, p256_secret};

type Signer = fn(&[u8]) -> Vec<u8>;
type Checker = fn(&[u8], &[u8], &[u8]) -> bool;
type Impls = (Vec<(&'static str, Signer)>, Vec<(&'static str, Checker)>);

/// P-256 / SHA-256 signers (fixed-width `r || s`) and verifiers by implementation.
fn p256_impls() -> Impls {
    let mut signers: Vec<(&'static str, Signer)> = vec![("rustcrypto", |m| {
        use p256::ecdsa::signature::Signer;
        let sk = p256::ecdsa::SigningKey::from(p256_secret(SEED, ECDSA_P256_STREAM));
        let s: p256::ecdsa::Signature = sk.sign(m);
        s.to_bytes().to_vec()
    })];
    let mut checkers: Vec<(&'static str, Checker)> = vec![("rustcrypto", |pk, m, s| {
        use p256::ecdsa::signature::Verifier;
        let (Ok(vk), Ok(sig)) = (
            p256::ecdsa::VerifyingKey::from_sec1_bytes(pk),
            p256::ecdsa::Signature::from_slice(s),
        ) else {
            return false;
        };
        vk.verify(m, &sig).is_ok()
    })];
    #[cfg(feature = "openssl")]
    {
        use ::openssl::{hash::MessageDigest, nid::Nid};
        use pqbench_workloads::classical::openssl as o;
        signers.push(("openssl", |m| {
            let k = o::ec_key(Nid::X9_62_PRIME256V1, &p256_scalar(SEED, ECDSA_P256_STREAM))
                .expect("key");
            let der = o::sign(&k, MessageDigest::sha256(), m).expect("sign");
            o::der_to_fixed(&der, 32).expect("DER signature")
        }));
        checkers.push(("openssl", |pk, m, s| {
            let k = o::ec_public(Nid::X9_62_PRIME256V1, pk).expect("point");
            o::fixed_to_der(s).is_some_and(|der| o::verify(&k, MessageDigest::sha256(), m, &der))
        }));
    }
    #[cfg(feature = "ring")]
    {
        use ::ring::signature as rs;
        use pqbench_workloads::classical::ring as r;
        signers.push(("ring", |m| {
            let pk = p256_public(SEED, ECDSA_P256_STREAM);
            let k = r::ecdsa_key(
                &rs::ECDSA_P256_SHA256_FIXED_SIGNING,
                &p256_scalar(SEED, ECDSA_P256_STREAM),
                &pk,
            )
            .expect("key");
            k.sign(&::ring::rand::SystemRandom::new(), m)
                .expect("sign")
                .as_ref()
                .to_vec()
        }));
        checkers.push(("ring", |pk, m, s| {
            r::verify(&rs::ECDSA_P256_SHA256_FIXED, pk, m, s)
        }));
    }
    #[cfg(feature = "aws-lc")]
    {
        use aws_lc_rs::signature as asig;
        use pqbench_workloads::classical::aws_lc as a;
        signers.push(("aws-lc", |m| {
            let pk = p256_public(SEED, ECDSA_P256_STREAM);
            let k = a::ecdsa_key(
                &asig::ECDSA_P256_SHA256_FIXED_SIGNING,
                &p256_scalar(SEED, ECDSA_P256_STREAM),
                &pk,
            )
            .expect("key");
            k.sign(&aws_lc_rs::rand::SystemRandom::new(), m)
                .expect("sign")
                .as_ref()
                .to_vec()
        }));
        checkers.push(("aws-lc", |pk, m, s| {
            a::verify(&asig::ECDSA_P256_SHA256_FIXED, pk, m, s)
        }));
    }
    (signers, checkers)
}

#[test]
fn ecdsa_p256_signatures_verify_across_implementations() {
    let pk = p256_public(SEED, ECDSA_P256_STREAM);
    assert_eq!(pk.len() as u64, ECDSA_P256.public_key);
    let msg = message(SEED, ECDSA_P256_STREAM + 1);
    let (signers, checkers) = p256_impls();
    assert!(signers.len() >= 2, "no production implementation enabled");
    for (who, sign) in &signers {
        let sig = sign(&msg);
        assert_eq!(sig.len() as u64, ECDSA_P256.signature, "{who}");
        for (by, check) in &checkers {
            assert!(check(&pk, &msg, &sig), "{by} rejects {who}'s signature");
            let mut bad = msg;
            bad[0] ^= 1;
            assert!(
                !check(&pk, &bad, &sig),
                "{by} accepts {who}'s signature of another message"
            );
        }
    }
}

#[cfg(all(feature = "openssl", feature = "aws-lc"))]
#[test]
fn ecdsa_p384_signatures_verify_across_implementations() {
    use ::openssl::{hash::MessageDigest, nid::Nid};
    use aws_lc_rs::signature as asig;
    use pqbench_workloads::classical::{ECDSA_P384, aws_lc as a, openssl as o};
    let d = p384_scalar(SEED, ECDSA_P384_STREAM);
    let msg = message(SEED, ECDSA_P384_STREAM + 1);
    let ko = o::ec_key(Nid::SECP384R1, &d).expect("openssl key");
    let pk = o::ec_public_bytes(&ko).expect("point");
    assert_eq!(pk.len() as u64, ECDSA_P384.public_key);
    assert_eq!(
        a::ec_public(&aws_lc_rs::agreement::ECDH_P384, &d).as_deref(),
        Some(&pk[..]),
        "same scalar, same point"
    );
    let ka = a::ecdsa_key(&asig::ECDSA_P384_SHA384_FIXED_SIGNING, &d, &pk).expect("aws-lc key");
    let s_o = o::der_to_fixed(
        &o::sign(&ko, MessageDigest::sha384(), &msg).expect("sign"),
        48,
    )
    .expect("der");
    let s_a = ka
        .sign(&aws_lc_rs::rand::SystemRandom::new(), &msg)
        .expect("sign")
        .as_ref()
        .to_vec();
    let mut sigs = vec![s_o, s_a];
    #[cfg(feature = "ring")]
    {
        let kr = pqbench_workloads::classical::ring::ecdsa_key(
            &::ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            &d,
            &pk,
        )
        .expect("ring key");
        sigs.push(
            kr.sign(&::ring::rand::SystemRandom::new(), &msg)
                .expect("sign")
                .as_ref()
                .to_vec(),
        );
    }
    for s in &sigs {
        assert_eq!(s.len() as u64, ECDSA_P384.signature);
        let der = o::fixed_to_der(s).expect("der");
        assert!(o::verify(&ko, MessageDigest::sha384(), &msg, &der));
        assert!(a::verify(&asig::ECDSA_P384_SHA384_FIXED, &pk, &msg, s));
        assert!(!a::verify(
            &asig::ECDSA_P384_SHA384_FIXED,
            &pk,
            &msg[1..],
            s
        ));
        #[cfg(feature = "ring")]
        assert!(pqbench_workloads::classical::ring::verify(
            &::ring::signature::ECDSA_P384_SHA384_FIXED,
            &pk,
            &msg,
            s
        ));
    }
}

#[test]
fn ed25519_signatures_are_identical_and_verify_across() {
    use ed25519_dalek::ed25519::signature::{Signer, Verifier};
    let sk = ed25519_dalek::SigningKey::from_bytes(&raw32(SEED, ED25519_STREAM));
    let vk = sk.verifying_key();
    let msg = message(SEED, ED25519_STREAM + 1);
    let reference = sk.sign(&msg).to_bytes().to_vec();
    assert_eq!(reference.len() as u64, ED25519.signature);
    let mut sigs: Vec<(&str, Vec<u8>)> = Vec::new();
    #[cfg(feature = "openssl")]
    {
        use ::openssl::pkey::Id;
        use pqbench_workloads::classical::openssl as o;
        let k = o::raw_key(Id::ED25519, &raw32(SEED, ED25519_STREAM)).expect("key");
        assert_eq!(k.raw_public_key().expect("pk"), vk.to_bytes());
        sigs.push(("openssl", o::ed25519_sign(&k, &msg).expect("sign")));
        assert!(o::ed25519_verify(&k, &msg, &reference));
    }
    #[cfg(feature = "ring")]
    {
        use pqbench_workloads::classical::ring as r;
        let k = r::ed25519_key(&raw32(SEED, ED25519_STREAM)).expect("key");
        sigs.push(("ring", k.sign(&msg).as_ref().to_vec()));
        assert!(r::verify(
            &::ring::signature::ED25519,
            vk.as_bytes(),
            &msg,
            &reference
        ));
        assert!(!r::verify(
            &::ring::signature::ED25519,
            vk.as_bytes(),
            &msg[1..],
            &reference
        ));
    }
    #[cfg(feature = "aws-lc")]
    {
        use pqbench_workloads::classical::aws_lc as a;
        let k = a::ed25519_key(&raw32(SEED, ED25519_STREAM)).expect("key");
        sigs.push(("aws-lc", k.sign(&msg).as_ref().to_vec()));
        assert!(a::verify(
            &aws_lc_rs::signature::ED25519,
            vk.as_bytes(),
            &msg,
            &reference
        ));
    }
    assert!(!sigs.is_empty());
    for (who, s) in sigs {
        assert_eq!(s, reference, "{who}: Ed25519 is deterministic");
        let sig = ed25519_dalek::Signature::from_slice(&s).expect("64 bytes");
        assert!(vk.verify(&msg, &sig).is_ok(), "dalek verifies {who}");
    }
}

/// The RustCrypto shared secrets: (X25519, ECDH P-256).
fn rustcrypto_secrets() -> (Vec<u8>, Vec<u8>) {
    use x25519_dalek::{PublicKey, StaticSecret};
    let a = StaticSecret::from(raw32(SEED, X25519_STREAM));
    let b = StaticSecret::from(raw32(SEED, X25519_STREAM + 1));
    let x = a.diffie_hellman(&PublicKey::from(&b)).as_bytes().to_vec();
    let a = p256_secret(SEED, ECDH_P256_STREAM);
    let b = p256_secret(SEED, ECDH_P256_STREAM + 1);
    let e = p256::ecdh::diffie_hellman(a.to_nonzero_scalar(), b.public_key().as_affine());
    (x, e.raw_secret_bytes().to_vec())
}

#[test]
fn key_agreement_agrees_across_implementations() {
    let (x_rc, e_rc) = rustcrypto_secrets();
    let mut checked = 0;
    #[cfg(feature = "openssl")]
    {
        use ::openssl::{nid::Nid, pkey::Id};
        use pqbench_workloads::classical::openssl as o;
        let a = o::raw_key(Id::X25519, &raw32(SEED, X25519_STREAM)).expect("key");
        let b = o::raw_key(Id::X25519, &raw32(SEED, X25519_STREAM + 1)).expect("key");
        let pb = o::raw_public(Id::X25519, &b.raw_public_key().expect("pk")).expect("pk");
        assert_eq!(o::derive(&a, &pb), Some(x_rc.clone()), "openssl X25519");
        let a =
            o::ec_key(Nid::X9_62_PRIME256V1, &p256_scalar(SEED, ECDH_P256_STREAM)).expect("key");
        let pb = o::ec_public(
            Nid::X9_62_PRIME256V1,
            &p256_public(SEED, ECDH_P256_STREAM + 1),
        )
        .expect("point");
        assert_eq!(o::derive(&a, &pb), Some(e_rc.clone()), "openssl ECDH P-256");
        checked += 1;
    }
    #[cfg(feature = "aws-lc")]
    {
        use aws_lc_rs::agreement::{ECDH_P256, X25519};
        use pqbench_workloads::classical::aws_lc as a;
        let k = a::dh_key(&X25519, &raw32(SEED, X25519_STREAM)).expect("key");
        let pb = a::ec_public(&X25519, &raw32(SEED, X25519_STREAM + 1)).expect("pk");
        assert_eq!(a::agree(&k, &pb), Some(x_rc.clone()), "aws-lc X25519");
        let k = a::dh_key(&ECDH_P256, &p256_scalar(SEED, ECDH_P256_STREAM)).expect("key");
        let pb = p256_public(SEED, ECDH_P256_STREAM + 1);
        assert_eq!(a::agree(&k, &pb), Some(e_rc.clone()), "aws-lc ECDH P-256");
        // Invalid point: an error, not a panic or a secret.
        assert_eq!(a::agree(&k, &pb[1..]), None);
        checked += 1;
    }
    #[cfg(all(feature = "openssl", feature = "aws-lc"))]
    {
        use ::openssl::nid::Nid;
        use pqbench_workloads::classical::{aws_lc as a, openssl as o};
        let (da, db) = (
            p384_scalar(SEED, ECDH_P384_STREAM),
            p384_scalar(SEED, ECDH_P384_STREAM + 1),
        );
        let ka = o::ec_key(Nid::SECP384R1, &da).expect("key");
        let pb = a::ec_public(&aws_lc_rs::agreement::ECDH_P384, &db).expect("point");
        let s_o = o::derive(&ka, &o::ec_public(Nid::SECP384R1, &pb).expect("point"));
        let k = a::dh_key(&aws_lc_rs::agreement::ECDH_P384, &da).expect("key");
        assert_eq!(
            s_o,
            a::agree(&k, &pb),
            "ECDH P-384: openssl and aws-lc agree"
        );
        assert_eq!(s_o.map(|s| s.len()), Some(48));
    }
    #[cfg(feature = "ring")]
    {
        // ring's keys are ephemeral: ring agrees with B's seeded public key;
        // RustCrypto, with B's private key, agrees with ring's public key.
        use ::ring::agreement as ra;
        let rng = ::ring::rand::SystemRandom::new();
        let eph = ra::EphemeralPrivateKey::generate(&ra::X25519, &rng).expect("key");
        let pub_r = eph.compute_public_key().expect("pk").as_ref().to_vec();
        let b = x25519_dalek::StaticSecret::from(raw32(SEED, X25519_STREAM + 1));
        let pb = x25519_dalek::PublicKey::from(&b);
        let s_r = ra::agree_ephemeral(
            eph,
            &ra::UnparsedPublicKey::new(&ra::X25519, pb.as_bytes()),
            |s| s.to_vec(),
        )
        .expect("agree");
        let pr: [u8; 32] = pub_r.try_into().expect("32 bytes");
        let s_rc = b.diffie_hellman(&x25519_dalek::PublicKey::from(pr));
        assert_eq!(s_r, s_rc.as_bytes(), "ring X25519");
        let eph = ra::EphemeralPrivateKey::generate(&ra::ECDH_P256, &rng).expect("key");
        let pub_r = eph.compute_public_key().expect("pk").as_ref().to_vec();
        let pb = p256_public(SEED, ECDH_P256_STREAM + 1);
        let s_r = ra::agree_ephemeral(eph, &ra::UnparsedPublicKey::new(&ra::ECDH_P256, &pb), |s| {
            s.to_vec()
        })
        .expect("agree");
        let peer = p256::PublicKey::from_sec1_bytes(&pub_r).expect("point");
        let s_rc = p256::ecdh::diffie_hellman(
            p256_secret(SEED, ECDH_P256_STREAM + 1).to_nonzero_scalar(),
            peer.as_affine(),
        );
        assert_eq!(s_r, s_rc.raw_secret_bytes().to_vec(), "ring ECDH P-256");
        checked += 1;
    }
    assert!(checked > 0);
}
