//! SHA3-256 and SHAKE128 (RustCrypto sha3, Keccak-f[1600]).
#![cfg_attr(target_os = "none", no_std, no_main)]
use sha3::digest::{ExtendableOutput, Update, XofReader};
use sha3::{Digest, Sha3_256, Shake128};

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&Sha3_256::digest(input));
    let mut x = Shake128::default();
    x.update(input);
    x.finalize_xof().read(&mut out[32..]);
    out
}

fw_common::fw_main!(work);
