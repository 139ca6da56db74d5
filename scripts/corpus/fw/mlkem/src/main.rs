//! ML-KEM-768 key generation, encapsulation and decapsulation (RustCrypto ml-kem).
#![cfg_attr(target_os = "none", no_std, no_main)]
use ml_kem::kem::Decapsulate;
use ml_kem::{EncapsulateDeterministic, KemCore, MlKem768, B32};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let d = B32::try_from(&input[..32]).unwrap_or_default();
    let z = B32::try_from(&input[32..]).unwrap_or_default();
    let (dk, ek) = MlKem768::generate_deterministic(&d, &z);
    let mut out = [0u8; 64];
    if let Ok((ct, ss)) = ek.encapsulate_deterministic(&d) {
        out[..32].copy_from_slice(&ss);
        if let Ok(ss2) = dk.decapsulate(&ct) {
            out[32..].copy_from_slice(&ss2);
        }
    }
    out
}

fw_common::fw_main!(work);
