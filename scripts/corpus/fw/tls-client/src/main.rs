//! A TLS-like device client: ECDHE P-256, AES-128 record encryption,
//! SHA-256 transcript hash, ECDSA P-256 server-signature check.
#![cfg_attr(target_os = "none", no_std, no_main)]
use aes::cipher::{generic_array::GenericArray, BlockEncrypt, KeyInit};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, SigningKey};
use p256::{ecdh::diffie_hellman, SecretKey};
use sha2::{Digest, Sha256};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = [0u8; 64];
    let transcript = Sha256::digest(input);
    if let (Ok(a), Ok(b)) = (SecretKey::from_slice(&input[..32]), SecretKey::from_slice(&input[32..])) {
        let shared = diffie_hellman(a.to_nonzero_scalar(), b.public_key().as_affine());
        let key = Sha256::digest(shared.raw_secret_bytes());
        let cipher = aes::Aes128::new(GenericArray::from_slice(&key[..16]));
        let mut block = GenericArray::clone_from_slice(&transcript[..16]);
        cipher.encrypt_block(&mut block);
        out[..16].copy_from_slice(&block);
        if let (Ok(sk), Ok(sig)) = (SigningKey::from_slice(&key), Signature::from_slice(input)) {
            out[16] = u8::from(sk.verifying_key().verify(&transcript, &sig).is_ok());
        }
    }
    out
}

fw_common::fw_main!(work);
