//! RSA-2048 PKCS#1 v1.5 / SHA-256 signatures and RSA-OAEP / SHA-256
//! ciphertexts across implementations (the embedded key; one RustCrypto
//! private-key operation each, slow in debug builds).

use super::SEED;
use pqbench_workloads::classical::seeded::{RSA_STREAM, message};
use pqbench_workloads::classical::{RSA_2048, RSA2048_DER, rsa_key_checked};

fn rustcrypto_sign(m: &[u8]) -> Vec<u8> {
    use rsa::signature::{SignatureEncoding, Signer};
    let k = rsa_key_checked(RSA2048_DER).expect("key");
    rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(k)
        .sign(m)
        .to_vec()
}

fn rustcrypto_verify(m: &[u8], s: &[u8]) -> bool {
    use rsa::signature::Verifier;
    let k = rsa_key_checked(RSA2048_DER).expect("key").to_public_key();
    rsa::pkcs1v15::Signature::try_from(s).is_ok_and(|s| {
        rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(k)
            .verify(m, &s)
            .is_ok()
    })
}

#[test]
fn rsa_2048_signatures_are_identical_and_verify_across() {
    let m = message(SEED, RSA_STREAM);
    let reference = rustcrypto_sign(&m);
    assert_eq!(reference.len() as u64, RSA_2048.signature);
    let mut sigs: Vec<(&str, Vec<u8>)> = Vec::new();
    #[cfg(feature = "openssl")]
    {
        use ::openssl::hash::MessageDigest;
        use pqbench_workloads::classical::openssl as o;
        let k = o::rsa_key(RSA2048_DER).expect("key");
        sigs.push((
            "openssl",
            o::sign(&k, MessageDigest::sha256(), &m).expect("sign"),
        ));
        assert!(o::verify(&k, MessageDigest::sha256(), &m, &reference));
        assert!(!o::verify(&k, MessageDigest::sha256(), &m[1..], &reference));
    }
    #[cfg(feature = "ring")]
    {
        use ::ring::signature::KeyPair;
        use pqbench_workloads::classical::ring as r;
        let k = r::rsa_key(RSA2048_DER).expect("key");
        sigs.push(("ring", r::rsa_sign(&k, &m).expect("sign")));
        let pk = k.public_key().as_ref();
        assert!(r::verify(
            &::ring::signature::RSA_PKCS1_2048_8192_SHA256,
            pk,
            &m,
            &reference
        ));
        assert!(!r::verify(
            &::ring::signature::RSA_PKCS1_2048_8192_SHA256,
            pk,
            &m[1..],
            &reference
        ));
    }
    #[cfg(feature = "aws-lc")]
    {
        use aws_lc_rs::signature::KeyPair;
        use pqbench_workloads::classical::aws_lc as a;
        let k = a::rsa_key(RSA2048_DER).expect("key");
        sigs.push(("aws-lc", a::rsa_sign(&k, &m).expect("sign")));
        let pk = k.public_key().as_ref();
        assert!(a::verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            pk,
            &m,
            &reference
        ));
    }
    assert!(!sigs.is_empty());
    for (who, s) in sigs {
        assert_eq!(s, reference, "{who}: PKCS#1 v1.5 is deterministic");
        assert!(rustcrypto_verify(&m, &s), "RustCrypto verifies {who}");
    }
}

#[test]
fn rsa_2048_oaep_ciphertexts_decrypt_across() {
    let m = message(SEED, RSA_STREAM);
    let k = rsa_key_checked(RSA2048_DER).expect("key");
    let oaep = || rsa::Oaep::<rsa::sha2::Sha256>::new();
    let mut rng = pqbench_workloads::pqc_op::rng10(SEED, 1);
    let ct_rc = k
        .to_public_key()
        .encrypt(&mut rng, oaep(), &m)
        .expect("encrypt");
    // (who, ciphertext) and (who, decrypt) pairs.
    let mut cts: Vec<(&str, Vec<u8>)> = vec![("rustcrypto", ct_rc)];
    type Dec = Box<dyn Fn(&[u8]) -> Option<Vec<u8>>>;
    let mut decs: Vec<(&str, Dec)> = Vec::new();
    #[cfg(feature = "openssl")]
    {
        use pqbench_workloads::classical::openssl as o;
        let ko = o::rsa_key(RSA2048_DER).expect("key");
        cts.push(("openssl", o::rsa_encrypt(&ko, &m).expect("encrypt")));
        decs.push(("openssl", Box::new(move |c| o::rsa_decrypt(&ko, c))));
    }
    #[cfg(feature = "aws-lc")]
    {
        use pqbench_workloads::classical::aws_lc as a;
        let (dk, pk) = a::rsa_oaep_keys(RSA2048_DER).expect("key");
        cts.push(("aws-lc", a::rsa_encrypt(&pk, &m).expect("encrypt")));
        decs.push(("aws-lc", Box::new(move |c| a::rsa_decrypt(&dk, c))));
    }
    assert!(cts.len() >= 2 || decs.is_empty());
    for (who, ct) in &cts {
        assert_eq!(ct.len() as u64, RSA_2048.ciphertext, "{who}");
        for (by, dec) in &decs {
            assert_eq!(
                dec(ct).as_deref(),
                Some(&m[..]),
                "{by} decrypts {who}'s ciphertext"
            );
            let mut bad = ct.clone();
            bad[10] ^= 1;
            assert_eq!(dec(&bad), None, "{by} rejects a corrupted ciphertext");
        }
    }
    // RustCrypto decrypts the last production ciphertext (one slow private op).
    if let Some((who, ct)) = cts.iter().rev().find(|(w, _)| *w != "rustcrypto") {
        assert_eq!(
            k.decrypt(oaep(), ct).ok().as_deref(),
            Some(&m[..]),
            "RustCrypto decrypts {who}'s"
        );
    }
}
