//! Classical baselines a PQC retrofit replaces: X25519 (`x25519-dalek`),
//! Ed25519 (`ed25519-dalek`), ECDSA P-256 (`p256`), deterministic from the
//! host's seed.

use super::seeded;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;
use pqbench_workloads::{BenchId, StaticMetric, Workload};

/// Which algorithm a workload times; a type parameter of [`Classical`]
/// (`const A: u8`), so every workload is its own type with its own code
/// (the host attributes code size per workload from the call graph).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Algo {
    X25519,
    Ed25519Sign,
    Ed25519Verify,
    P256Sign,
    P256Verify,
}

const X25519: u8 = 0;
const ED25519_SIGN: u8 = 1;
const ED25519_VERIFY: u8 = 2;
const P256_SIGN: u8 = 3;
const P256_VERIFY: u8 = 4;

struct Classical<const A: u8> {
    secret: [u8; 32],
    peer: [u8; 32],
    msg: [u8; 32],
    x_secret: Option<x25519_dalek::StaticSecret>,
    x_peer: Option<x25519_dalek::PublicKey>,
    ed_sk: Option<ed25519_dalek::SigningKey>,
    ed_sig: Option<ed25519_dalek::Signature>,
    p_sk: Option<p256::ecdsa::SigningKey>,
    p_sig: Option<p256::ecdsa::Signature>,
}

impl<const A: u8> Classical<A> {
    const ALGO: Algo = match A {
        X25519 => Algo::X25519,
        ED25519_SIGN => Algo::Ed25519Sign,
        ED25519_VERIFY => Algo::Ed25519Verify,
        P256_SIGN => Algo::P256Sign,
        _ => Algo::P256Verify,
    };

    fn new() -> Self {
        Classical {
            secret: [0; 32],
            peer: [0; 32],
            msg: [0; 32],
            x_secret: None,
            x_peer: None,
            ed_sk: None,
            ed_sig: None,
            p_sk: None,
            p_sig: None,
        }
    }
}

impl<const A: u8> Workload for Classical<A> {
    fn id(&self) -> BenchId {
        let (name, imp, params) = match Self::ALGO {
            Algo::X25519 => ("x25519.dh", "dalek", "x25519"),
            Algo::Ed25519Sign => ("ed25519.sign", "dalek", "ed25519"),
            Algo::Ed25519Verify => ("ed25519.verify", "dalek", "ed25519"),
            Algo::P256Sign => ("ecdsa.sign", "rustcrypto", "p256"),
            Algo::P256Verify => ("ecdsa.verify", "rustcrypto", "p256"),
        };
        BenchId::new("classical", name, imp, params)
    }

    fn setup(&mut self, seed: u64) {
        self.secret = seeded::<32>(seed, 0x3000);
        self.peer = seeded::<32>(seed, 0x3001);
        self.msg = seeded::<32>(seed, 0x3002);
        match Self::ALGO {
            Algo::X25519 => {
                self.x_secret = Some(x25519_dalek::StaticSecret::from(self.secret));
                let peer = x25519_dalek::StaticSecret::from(self.peer);
                self.x_peer = Some(x25519_dalek::PublicKey::from(&peer));
            }
            Algo::Ed25519Sign | Algo::Ed25519Verify => {
                use ed25519_dalek::Signer;
                let sk = ed25519_dalek::SigningKey::from_bytes(&self.secret);
                self.ed_sig = Some(sk.sign(&self.msg));
                self.ed_sk = Some(sk);
            }
            Algo::P256Sign | Algo::P256Verify => {
                use p256::ecdsa::signature::Signer;
                // A seed that is not a valid scalar (probability ~2^-32) is
                // replaced by its hash-free tweak: clear the top byte.
                let mut bytes = self.secret;
                bytes[0] &= 0x7F;
                if let Ok(sk) = p256::ecdsa::SigningKey::from_bytes(&bytes.into()) {
                    self.p_sig = Some(sk.sign(&self.msg));
                    self.p_sk = Some(sk);
                }
            }
        }
    }

    fn run(&mut self) {
        match Self::ALGO {
            Algo::X25519 => {
                if let (Some(s), Some(p)) = (&self.x_secret, &self.x_peer) {
                    black_box(black_box(s).diffie_hellman(p));
                }
            }
            Algo::Ed25519Sign => {
                use ed25519_dalek::Signer;
                if let Some(sk) = &self.ed_sk {
                    black_box(black_box(sk).sign(&self.msg));
                }
            }
            Algo::Ed25519Verify => {
                use ed25519_dalek::Verifier;
                if let (Some(sk), Some(sig)) = (&self.ed_sk, &self.ed_sig) {
                    let _ = black_box(sk.verifying_key().verify(black_box(&self.msg), sig));
                }
            }
            Algo::P256Sign => {
                use p256::ecdsa::signature::Signer;
                if let Some(sk) = &self.p_sk {
                    let sig: p256::ecdsa::Signature = black_box(sk).sign(&self.msg);
                    black_box(sig);
                }
            }
            Algo::P256Verify => {
                use p256::ecdsa::signature::Verifier;
                if let (Some(sk), Some(sig)) = (&self.p_sk, &self.p_sig) {
                    let _ = black_box(sk.verifying_key().verify(black_box(&self.msg), sig));
                }
            }
        }
    }

    fn static_metrics(&self) -> Vec<StaticMetric> {
        let (pk, sig) = match Self::ALGO {
            Algo::X25519 => (32, 0),
            Algo::Ed25519Sign | Algo::Ed25519Verify => (32, 64),
            Algo::P256Sign | Algo::P256Verify => (33, 64),
        };
        let mut v = alloc::vec![StaticMetric {
            name: "public_key_bytes",
            value: pk,
            unit: "bytes"
        }];
        if sig > 0 {
            v.push(StaticMetric {
                name: "signature_bytes",
                value: sig,
                unit: "bytes",
            });
        }
        v
    }
}

/// Constructors of the classical workloads, in list order.
pub const CTORS: &[super::Ctor] = &[
    || -> Box<dyn Workload> { Box::new(Classical::<X25519>::new()) },
    || -> Box<dyn Workload> { Box::new(Classical::<ED25519_SIGN>::new()) },
    || -> Box<dyn Workload> { Box::new(Classical::<ED25519_VERIFY>::new()) },
    || -> Box<dyn Workload> { Box::new(Classical::<P256_SIGN>::new()) },
    || -> Box<dyn Workload> { Box::new(Classical::<P256_VERIFY>::new()) },
];
