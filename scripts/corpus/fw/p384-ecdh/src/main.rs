//! ECDH P-384 key agreement (RustCrypto p384).
#![cfg_attr(target_os = "none", no_std, no_main)]
use p384::{ecdh::diffie_hellman, SecretKey};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let (Ok(a), Ok(b)) = (SecretKey::from_slice(&input[..48]), SecretKey::from_slice(&input[16..])) {
        let shared = diffie_hellman(a.to_nonzero_scalar(), b.public_key().as_affine());
        out[..48].copy_from_slice(shared.raw_secret_bytes());
    }
    out
}

fw_common::fw_main!(work);
