//! ML-DSA-44 deterministic signing and verification (RustCrypto ml-dsa).
#![cfg_attr(target_os = "none", no_std, no_main)]
use ml_dsa::{ExpandedSigningKey, MlDsa44, Seed};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let xi = Seed::try_from(&input[..32]).unwrap_or_default();
    let sk = ExpandedSigningKey::<MlDsa44>::from_seed(&xi);
    let mut out = [0u8; 64];
    if let Ok(sig) = sk.sign_deterministic(&input[32..], b"fw") {
        let ok = sk.verifying_key().verify_with_context(&input[32..], b"fw", &sig);
        out[..32].copy_from_slice(&sig.encode()[..32]);
        out[32] = u8::from(ok);
    }
    out
}

fw_common::fw_main!(work);
