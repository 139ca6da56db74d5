//! RSA-2048 PKCS#1 v1.5 signature verification with an embedded
//! SubjectPublicKeyInfo (RustCrypto rsa): a typical secure-boot check.
#![cfg_attr(target_os = "none", no_std, no_main)]
extern crate alloc;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};

static VENDOR_KEY: &[u8] = include_bytes!("vendor_key.der");

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let Ok(pk) = RsaPublicKey::from_public_key_der(core::hint::black_box(VENDOR_KEY)) {
        let digest = Sha256::digest(input);
        let sig = alloc::vec![input[0]; 256];
        let ok = pk.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &sig).is_ok();
        out[0] = u8::from(ok);
        out[1..33].copy_from_slice(&digest);
    }
    out
}

fw_common::fw_main!(work);
