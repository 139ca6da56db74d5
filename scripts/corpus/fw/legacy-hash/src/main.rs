//! SHA-1 and MD5 (RustCrypto): legacy update-file checksums.
#![cfg_attr(target_os = "none", no_std, no_main)]
use md5::Md5;
use sha1::{Digest, Sha1};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..20].copy_from_slice(&Sha1::digest(input));
    out[20..36].copy_from_slice(&Md5::digest(input));
    out
}

fw_common::fw_main!(work);
