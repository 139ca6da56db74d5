//! Ed25519 sign and verify (ed25519-dalek): signed firmware updates.
#![cfg_attr(target_os = "none", no_std, no_main)]
use ed25519_dalek::{Signer, SigningKey, Verifier};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&input[..32]);
    let sk = SigningKey::from_bytes(&seed);
    let sig = sk.sign(&input[32..]);
    let ok = sk.verifying_key().verify(&input[..32], &sig).is_ok();
    let mut out = sig.to_bytes();
    out[0] ^= u8::from(ok);
    out
}

fw_common::fw_main!(work);
