//! ECDSA secp256k1 sign and verify (RustCrypto k256).
#![cfg_attr(target_os = "none", no_std, no_main)]
use k256::ecdsa::signature::{Signer, Verifier};
use k256::ecdsa::{Signature, SigningKey};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let Ok(sk) = SigningKey::from_slice(&input[..32]) {
        let sig: Signature = sk.sign(&input[32..]);
        let ok = sk.verifying_key().verify(&input[..32], &sig).is_ok();
        out.copy_from_slice(&sig.to_bytes());
        out[0] ^= u8::from(ok);
    }
    out
}

fw_common::fw_main!(work);
