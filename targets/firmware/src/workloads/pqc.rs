//! PQC workloads on the RustCrypto crates, deterministic from the host's
//! seed: ML-KEM-512/768/1024 (`ml-kem`), ML-DSA-44/65/87 (`ml-dsa`),
//! SLH-DSA-SHA2-128f (`slh-dsa`). Keys, messages and randomness come from the
//! seed in `setup`; `run` performs exactly one operation.

use super::seeded;
use alloc::boxed::Box;
#[allow(unused_imports)]
use alloc::vec::Vec;
#[cfg(feature = "mlkem")]
use core::hint::black_box;
#[allow(unused_imports)]
use pqbench_workloads::{BenchId, StaticMetric, Workload};

/// Which operation of a scheme a workload times. It is a type parameter
/// of each workload (`const O: u8`), so every workload is its own type and
/// its code is its own: the host attributes code size per workload from the
/// image's call graph.
#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)]
enum Op {
    Keygen,
    Encaps,
    Decaps,
    Sign,
    Verify,
}

#[allow(dead_code)]
const KEYGEN: u8 = 0;
#[allow(dead_code)]
const ENCAPS: u8 = 1;
#[allow(dead_code)]
const DECAPS: u8 = 2;
#[allow(dead_code)]
const SIGN: u8 = 3;
#[allow(dead_code)]
const VERIFY: u8 = 4;

impl Op {
    #[allow(dead_code)]
    const fn of(o: u8) -> Op {
        match o {
            KEYGEN => Op::Keygen,
            ENCAPS => Op::Encaps,
            DECAPS => Op::Decaps,
            SIGN => Op::Sign,
            _ => Op::Verify,
        }
    }
}

#[allow(dead_code)]
fn metric(name: &'static str, value: u64) -> StaticMetric {
    StaticMetric {
        name,
        value,
        unit: "bytes",
    }
}

#[cfg(feature = "mlkem")]
mod mlkem {
    use super::*;
    use ml_kem::kem::Decapsulate;
    use ml_kem::{B32, Ciphertext, EncapsulateDeterministic, KemCore};

    pub struct MlKem<K: KemCore, const O: u8> {
        pub level: u16,
        pub d: B32,
        pub z: B32,
        pub m: B32,
        pub keys: Option<Box<(K::DecapsulationKey, K::EncapsulationKey)>>,
        pub ct: Option<Box<Ciphertext<K>>>,
    }

    impl<K: KemCore, const O: u8> MlKem<K, O> {
        const OP: Op = Op::of(O);

        pub fn new(level: u16) -> Self {
            Self {
                level,
                d: B32::default(),
                z: B32::default(),
                m: B32::default(),
                keys: None,
                ct: None,
            }
        }
    }

    /// FIPS 203 sizes: (encapsulation key, decapsulation key, ciphertext).
    fn sizes(level: u16) -> (u64, u64, u64) {
        match level {
            512 => (800, 1632, 768),
            768 => (1184, 2400, 1088),
            _ => (1568, 3168, 1568),
        }
    }

    impl<K: KemCore + Send, const O: u8> Workload for MlKem<K, O>
    where
        K::DecapsulationKey: Send,
        K::EncapsulationKey: Send,
    {
        fn id(&self) -> BenchId {
            let name = match Self::OP {
                Op::Keygen => "ml-kem.keygen",
                Op::Encaps => "ml-kem.encaps",
                _ => "ml-kem.decaps",
            };
            BenchId::new("pqc", name, "rustcrypto", &alloc::format!("{}", self.level))
        }

        fn setup(&mut self, seed: u64) {
            let stream = u64::from(self.level) << 8;
            self.d = B32::from(seeded::<32>(seed, stream));
            self.z = B32::from(seeded::<32>(seed, stream + 1));
            self.m = B32::from(seeded::<32>(seed, stream + 2));
            if Self::OP != Op::Keygen {
                let (dk, ek) = K::generate_deterministic(&self.d, &self.z);
                if Self::OP == Op::Decaps
                    && let Ok((ct, _)) = ek.encapsulate_deterministic(&self.m)
                {
                    self.ct = Some(Box::new(ct));
                }
                self.keys = Some(Box::new((dk, ek)));
            }
        }

        fn run(&mut self) {
            match Self::OP {
                Op::Keygen => {
                    black_box(K::generate_deterministic(black_box(&self.d), &self.z));
                }
                Op::Encaps => {
                    if let Some(keys) = &self.keys {
                        let ek = &keys.1;
                        let _ = black_box(black_box(ek).encapsulate_deterministic(&self.m));
                    }
                }
                _ => {
                    if let (Some(keys), Some(ct)) = (&self.keys, &self.ct) {
                        let _ = black_box(black_box(&keys.0).decapsulate(ct));
                    }
                }
            }
        }

        fn static_metrics(&self) -> Vec<StaticMetric> {
            let (ek, dk, ct) = sizes(self.level);
            alloc::vec![
                metric("public_key_bytes", ek),
                metric("secret_key_bytes", dk),
                metric("ciphertext_bytes", ct),
            ]
        }
    }
}

#[cfg(feature = "mldsa")]
mod mldsa {
    use super::*;
    use core::hint::black_box;
    use ml_dsa::{B32, MlDsaParams, Signature, SigningKey, VerifyingKey};

    pub struct MlDsa<P: MlDsaParams, const O: u8> {
        pub level: u16,
        pub seed: B32,
        pub msg: [u8; 32],
        pub counter: u32,
        pub sk: Option<Box<SigningKey<P>>>,
        pub vk: Option<Box<VerifyingKey<P>>>,
        pub sig: Option<Box<Signature<P>>>,
    }

    impl<P: MlDsaParams, const O: u8> MlDsa<P, O> {
        const OP: Op = Op::of(O);

        pub fn new(level: u16) -> Self {
            Self {
                level,
                seed: B32::default(),
                msg: [0; 32],
                counter: 0,
                sk: None,
                vk: None,
                sig: None,
            }
        }
    }

    /// FIPS 204 sizes: (public key, secret key, signature).
    fn sizes(level: u16) -> (u64, u64, u64) {
        match level {
            44 => (1312, 2560, 2420),
            65 => (1952, 4032, 3309),
            _ => (2592, 4896, 4627),
        }
    }

    impl<P: MlDsaParams + Send, const O: u8> Workload for MlDsa<P, O>
    where
        SigningKey<P>: Send,
        VerifyingKey<P>: Send,
        Signature<P>: Send,
    {
        fn id(&self) -> BenchId {
            let name = match Self::OP {
                Op::Keygen => "ml-dsa.keygen",
                Op::Sign => "ml-dsa.sign",
                _ => "ml-dsa.verify",
            };
            BenchId::new("pqc", name, "rustcrypto", &alloc::format!("{}", self.level))
        }

        fn setup(&mut self, seed: u64) {
            let stream = 0x1000 + u64::from(self.level);
            self.seed = B32::from(seeded::<32>(seed, stream));
            self.msg = seeded::<32>(seed, stream + 0x100);
            self.counter = 0;
            if Self::OP != Op::Keygen {
                let sk = Box::new(SigningKey::<P>::from_seed(&self.seed));
                if Self::OP == Op::Verify {
                    self.sig = sk
                        .expanded_key()
                        .sign_deterministic(&self.msg, b"")
                        .ok()
                        .map(Box::new);
                    self.vk = Some(Box::new(sk.expanded_key().verifying_key()));
                }
                self.sk = Some(sk);
            }
        }

        fn run(&mut self) {
            match Self::OP {
                Op::Keygen => {
                    black_box(SigningKey::<P>::from_seed(black_box(&self.seed)));
                }
                Op::Sign => {
                    // A new message each time: signing time varies with the
                    // message (rejection sampling), so samples show the spread.
                    self.counter = self.counter.wrapping_add(1);
                    self.msg[..4].copy_from_slice(&self.counter.to_le_bytes());
                    if let Some(sk) = &self.sk {
                        let _ = black_box(sk.expanded_key().sign_deterministic(&self.msg, b""));
                    }
                }
                _ => {
                    if let (Some(vk), Some(sig)) = (&self.vk, &self.sig) {
                        black_box(vk.verify_with_context(black_box(&self.msg), b"", sig));
                    }
                }
            }
        }

        fn static_metrics(&self) -> Vec<StaticMetric> {
            let (pk, sk, sig) = sizes(self.level);
            alloc::vec![
                metric("public_key_bytes", pk),
                metric("secret_key_bytes", sk),
                metric("signature_bytes", sig),
            ]
        }
    }
}

#[cfg(feature = "slhdsa")]
mod slhdsa {
    use super::*;
    use core::hint::black_box;
    use slh_dsa::{Sha2_128f, Signature, SigningKey};

    pub struct SlhDsa<const O: u8> {
        pub seeds: [u8; 48],
        pub msg: [u8; 32],
        pub sk: Option<Box<SigningKey<Sha2_128f>>>,
        pub sig: Option<Box<Signature<Sha2_128f>>>,
    }

    fn keygen(seeds: &[u8; 48]) -> SigningKey<Sha2_128f> {
        SigningKey::slh_keygen_internal(&seeds[..16], &seeds[16..32], &seeds[32..])
    }

    impl<const O: u8> SlhDsa<O> {
        const OP: Op = Op::of(O);

        pub fn new() -> Self {
            Self {
                seeds: [0; 48],
                msg: [0; 32],
                sk: None,
                sig: None,
            }
        }
    }

    impl<const O: u8> Workload for SlhDsa<O> {
        fn id(&self) -> BenchId {
            let name = match Self::OP {
                Op::Keygen => "slh-dsa.keygen",
                Op::Sign => "slh-dsa.sign",
                _ => "slh-dsa.verify",
            };
            BenchId::new("pqc", name, "rustcrypto", "sha2-128f")
        }

        fn setup(&mut self, seed: u64) {
            self.seeds = seeded::<48>(seed, 0x2000);
            self.msg = seeded::<32>(seed, 0x2001);
            if Self::OP != Op::Keygen {
                let sk = Box::new(keygen(&self.seeds));
                if Self::OP == Op::Verify {
                    self.sig = Some(Box::new(sk.slh_sign_internal(&[&self.msg], None)));
                }
                self.sk = Some(sk);
            }
        }

        fn run(&mut self) {
            match Self::OP {
                Op::Keygen => {
                    black_box(keygen(black_box(&self.seeds)));
                }
                Op::Sign => {
                    if let Some(sk) = &self.sk {
                        black_box(sk.slh_sign_internal(&[black_box(&self.msg)], None));
                    }
                }
                _ => {
                    if let (Some(sk), Some(sig)) = (&self.sk, &self.sig) {
                        let vk: &slh_dsa::VerifyingKey<Sha2_128f> = (**sk).as_ref();
                        let _ = black_box(vk.slh_verify_internal(&[black_box(&self.msg)], sig));
                    }
                }
            }
        }

        fn static_metrics(&self) -> Vec<StaticMetric> {
            alloc::vec![
                metric("public_key_bytes", 32),
                metric("secret_key_bytes", 64),
                metric("signature_bytes", 17088),
            ]
        }
    }
}

/// Constructors of the PQC workloads of the enabled features, in list order.
pub const CTORS: &[super::Ctor] = &[
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem512, KEYGEN>::new(512)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem768, KEYGEN>::new(768)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem1024, KEYGEN>::new(1024)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem512, ENCAPS>::new(512)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem768, ENCAPS>::new(768)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem1024, ENCAPS>::new(1024)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem512, DECAPS>::new(512)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem768, DECAPS>::new(768)) },
    #[cfg(feature = "mlkem")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<ml_kem::MlKem1024, DECAPS>::new(1024)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa44, KEYGEN>::new(44)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa65, KEYGEN>::new(65)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa87, KEYGEN>::new(87)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa44, SIGN>::new(44)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa65, SIGN>::new(65)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa87, SIGN>::new(87)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa44, VERIFY>::new(44)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa65, VERIFY>::new(65)) },
    #[cfg(feature = "mldsa")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<ml_dsa::MlDsa87, VERIFY>::new(87)) },
    #[cfg(feature = "slhdsa")]
    || -> Box<dyn Workload> { Box::new(slhdsa::SlhDsa::<KEYGEN>::new()) },
    #[cfg(feature = "slhdsa")]
    || -> Box<dyn Workload> { Box::new(slhdsa::SlhDsa::<SIGN>::new()) },
    #[cfg(feature = "slhdsa")]
    || -> Box<dyn Workload> { Box::new(slhdsa::SlhDsa::<VERIFY>::new()) },
];
