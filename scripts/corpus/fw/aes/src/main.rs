//! AES-128 and AES-256 block encryption (RustCrypto aes).
#![cfg_attr(target_os = "none", no_std, no_main)]
use aes::cipher::{generic_array::GenericArray, BlockDecrypt, BlockEncrypt, KeyInit};
use aes::{Aes128, Aes256};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = *input;
    let k128 = Aes128::new(GenericArray::from_slice(&input[..16]));
    let k256 = Aes256::new(GenericArray::from_slice(&input[16..48]));
    let (a, b) = out.split_at_mut(32);
    k128.encrypt_block(GenericArray::from_mut_slice(&mut a[..16]));
    k256.encrypt_block(GenericArray::from_mut_slice(&mut b[..16]));
    k256.decrypt_block(GenericArray::from_mut_slice(&mut b[16..32]));
    out
}

fw_common::fw_main!(work);
