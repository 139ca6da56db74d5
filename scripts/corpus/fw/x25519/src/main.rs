//! X25519 key agreement (x25519-dalek / curve25519-dalek).
#![cfg_attr(target_os = "none", no_std, no_main)]
use x25519_dalek::{PublicKey, StaticSecret};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    a.copy_from_slice(&input[..32]);
    b.copy_from_slice(&input[32..]);
    let sa = StaticSecret::from(a);
    let pb = PublicKey::from(&StaticSecret::from(b));
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(sa.diffie_hellman(&pb).as_bytes());
    out[32..].copy_from_slice(pb.as_bytes());
    out
}

fw_common::fw_main!(work);
