//! CRC-32 of a received frame (crc32fast): a checksum, not cryptography.
#![cfg_attr(target_os = "none", no_std, no_main)]

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = *input;
    let c = crc32fast::hash(input);
    out[60..].copy_from_slice(&c.to_le_bytes());
    out
}

fw_common::fw_main!(work);
