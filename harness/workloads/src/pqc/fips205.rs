//! The `fips205` crate (integritychain): a second pure-Rust FIPS 205 SLH-DSA,
//! `no_std`, next to RustCrypto's `slh-dsa`.
//!
//! The workloads take the same seeded inputs as the RustCrypto ones: keys from
//! the same 48 seeded bytes (`SK.seed ‖ SK.prf ‖ PK.seed`, FIPS 205
//! `slh_keygen_internal` through `keygen_from_seed`), the same 16 seeded
//! messages, pure SLH-DSA with the empty context and deterministic signing
//! (`hedged = false`, so `opt_rand = PK.seed`). The crate speaks `rand_core`
//! 0.6, so its generator argument is [`Rng06`], an adapter over the seeded
//! ChaCha20 of [`rng10`]; deterministic signing draws nothing from it.

use super::op::{OpWorkload, bytes, rng10};
use super::rustcrypto::{CTX, messages};
use super::sizes;
use crate::Workload;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;

/// Implementation label used in benchmark ids.
pub const IMPL: &str = "fips205";

/// Seed stream of the key material (the RustCrypto SLH-DSA one).
const KEY_STREAM: u64 = 0x534c_4800;
/// Seed stream of the messages (the RustCrypto SLH-DSA one).
const MSG_STREAM: u64 = 0x534c_4801;
/// Seed stream of the [`Rng06`] handed to the signer.
const SIGN_STREAM: u64 = 0x534c_4802;

/// A `rand_core` 0.6 generator (the version `fips205` 0.5 speaks) over the
/// seeded ChaCha20 of [`rng10`].
pub struct Rng06(rand_chacha010::ChaCha20Rng);

impl Rng06 {
    /// Seeded like [`rng10`].
    pub fn new(seed: u64, stream: u64) -> Self {
        Self(rng10(seed, stream))
    }
}

impl fips205::RngCore for Rng06 {
    fn next_u32(&mut self) -> u32 {
        rand_core010::Rng::next_u32(&mut self.0)
    }

    fn next_u64(&mut self) -> u64 {
        rand_core010::Rng::next_u64(&mut self.0)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand_core010::Rng::fill_bytes(&mut self.0, dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), fips205::RngError> {
        rand_core010::Rng::fill_bytes(&mut self.0, dest);
        Ok(())
    }
}

impl fips205::CryptoRng for Rng06 {}

/// `SK.seed`, `SK.prf`, `PK.seed` (n = 16 bytes each) from 48 seeded bytes, in
/// the order RustCrypto's `slh_keygen_internal` takes them.
pub fn split_seeds(s: &[u8; 48]) -> [[u8; 16]; 3] {
    let mut out = [[0u8; 16]; 3];
    for (o, c) in out.iter_mut().zip(s.chunks_exact(16)) {
        o.copy_from_slice(c);
    }
    out
}

/// SLH-DSA (FIPS 205): keygen, sign, verify for SHA2-128f, SHAKE-128f, SHA2-128s.
pub mod slhdsa {
    use super::*;
    use fips205::traits::{KeyGen, SerDes, Signer, Verifier};

    macro_rules! fips205_set {
        ($m:ident, $p:ident, $label:literal, $sizes:expr) => {
            /// Workloads for one parameter set.
            pub mod $m {
                use super::*;
                use fips205::$p::{KG, PK_LEN, PrivateKey, PublicKey, SIG_LEN, SK_LEN};

                /// Key pair from 48 seed bytes (`SK.seed ‖ SK.prf ‖ PK.seed`).
                pub fn key_pair_from_seed(s: &[u8; 48]) -> (PublicKey, PrivateKey) {
                    let [sk_seed, sk_prf, pk_seed] = split_seeds(s);
                    KG::keygen_from_seed(&sk_seed, &sk_prf, &pk_seed)
                }

                /// Seeded key pair: the RustCrypto key pair of the same seed.
                pub fn key_pair(seed: u64) -> (PublicKey, PrivateKey) {
                    key_pair_from_seed(&bytes::<48>(&mut rng10(seed, KEY_STREAM)))
                }

                /// Encoded public key (`PK.seed ‖ PK.root`).
                pub fn pk_bytes(pk: &PublicKey) -> Vec<u8> {
                    pk.clone().into_bytes().to_vec()
                }

                /// Encoded private key (`SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root`).
                pub fn sk_bytes(sk: &PrivateKey) -> Vec<u8> {
                    sk.clone().into_bytes().to_vec()
                }

                /// Decodes an encoded private key (the crate recomputes and
                /// checks `PK.root`, a full key generation).
                pub fn sk_from_bytes(sk: &[u8]) -> Option<PrivateKey> {
                    let sk: [u8; SK_LEN] = sk.try_into().ok()?;
                    PrivateKey::try_from_bytes(sk).ok()
                }

                /// Deterministic signature of `msg` with [`CTX`] (pure SLH-DSA).
                pub fn sign_array(sk: &PrivateKey, msg: &[u8]) -> Option<Box<[u8; SIG_LEN]>> {
                    let mut rng = Rng06::new(0, SIGN_STREAM);
                    sk.try_sign_with_rng(&mut rng, msg, CTX, false)
                        .ok()
                        .map(Box::new)
                }

                /// Deterministic signature of `msg` with [`CTX`], encoded.
                pub fn sign(sk: &PrivateKey, msg: &[u8]) -> Option<Vec<u8>> {
                    sign_array(sk, msg).map(|s| s.to_vec())
                }

                /// Verifies an encoded signature against an encoded public key.
                pub fn verify(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
                    let (Ok(pk), Ok(sig)) = (
                        <[u8; PK_LEN]>::try_from(pk),
                        <&[u8; SIG_LEN]>::try_from(sig),
                    ) else {
                        return false;
                    };
                    PublicKey::try_from_bytes(pk).is_ok_and(|pk| pk.verify(msg, sig, CTX))
                }

                pub(crate) fn workloads() -> Vec<Box<dyn Workload>> {
                    let s = $sizes;
                    vec_boxed![
                        OpWorkload::new(
                            ["pqc", "slh-dsa.keygen", IMPL, $label],
                            s,
                            |seed| bytes::<48>(&mut rng10(seed, KEY_STREAM)),
                            |s| {
                                black_box(key_pair_from_seed(black_box(&*s)));
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "slh-dsa.sign", IMPL, $label],
                            s,
                            |seed| {
                                let (_, sk) = key_pair(seed);
                                (
                                    sk,
                                    messages(seed, MSG_STREAM),
                                    0usize,
                                    Rng06::new(seed, SIGN_STREAM),
                                )
                            },
                            |(sk, msgs, i, rng)| {
                                *i = (*i + 1) % msgs.len();
                                black_box(
                                    sk.try_sign_with_rng(rng, black_box(&msgs[*i]), CTX, false)
                                        .ok(),
                                );
                            },
                        ),
                        OpWorkload::new(
                            ["pqc", "slh-dsa.verify", IMPL, $label],
                            s,
                            |seed| {
                                let (pk, sk) = key_pair(seed);
                                let msg = messages(seed, MSG_STREAM)[0];
                                let sig = sign_array(&sk, &msg);
                                (pk, msg, sig)
                            },
                            |(pk, msg, sig)| {
                                if let Some(sig) = sig {
                                    black_box(pk.verify(black_box(&*msg), sig, CTX));
                                }
                            },
                        ),
                    ]
                }
            }
        };
    }

    fips205_set!(
        sha2_128f,
        slh_dsa_sha2_128f,
        "sha2-128f",
        sizes::SLH_DSA_128F
    );
    fips205_set!(
        shake_128f,
        slh_dsa_shake_128f,
        "shake-128f",
        sizes::SLH_DSA_128F
    );
    fips205_set!(
        sha2_128s,
        slh_dsa_sha2_128s,
        "sha2-128s",
        sizes::SLH_DSA_128S
    );
}

/// Every `fips205` workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out = Vec::new();
    out.extend(slhdsa::sha2_128f::workloads());
    out.extend(slhdsa::shake_128f::workloads());
    out.extend(slhdsa::sha2_128s::workloads());
    out
}
