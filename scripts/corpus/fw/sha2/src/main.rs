//! SHA-256 and SHA-512 (RustCrypto sha2): firmware image integrity check.
#![cfg_attr(target_os = "none", no_std, no_main)]
use sha2::{Digest, Sha256, Sha512};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&Sha256::digest(input));
    let d = Sha512::digest(&out[..32]);
    out[32..].copy_from_slice(&d[..32]);
    out
}

fw_common::fw_main!(work);
