//! Hybrid key exchange X25519 + ML-KEM-768 combined with SHA-256 (the
//! post-quantum retrofit pattern).
#![cfg_attr(target_os = "none", no_std, no_main)]
use ml_kem::{EncapsulateDeterministic, KemCore, MlKem768, B32};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut a = [0u8; 32];
    a.copy_from_slice(&input[..32]);
    let peer = PublicKey::from(&StaticSecret::from(a.map(|x| x ^ 0x5c)));
    let classical = StaticSecret::from(a).diffie_hellman(&peer);
    let d = B32::try_from(&input[32..]).unwrap_or_default();
    let (_dk, ek) = MlKem768::generate_deterministic(&d, &d);
    let mut out = [0u8; 64];
    if let Ok((_ct, ss)) = ek.encapsulate_deterministic(&d) {
        let mut h = Sha256::new();
        h.update(classical.as_bytes());
        h.update(ss);
        out[..32].copy_from_slice(&h.finalize());
    }
    out
}

fw_common::fw_main!(work);
