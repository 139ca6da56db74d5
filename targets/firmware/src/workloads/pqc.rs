//! PQC workloads on the RustCrypto crates, deterministic from the host's
//! seed: ML-KEM-512/768/1024 (`ml-kem`), ML-DSA-44/65/87 (`ml-dsa`),
//! SLH-DSA-SHA2-128f (`slh-dsa`). Keys, messages and randomness come from the
//! seed in `setup`; `run` performs exactly one operation.

use super::seeded;
use alloc::boxed::Box;
use alloc::vec::Vec;
#[cfg(feature = "mlkem")]
use core::hint::black_box;
#[allow(unused_imports)]
use pqbench_workloads::{BenchId, StaticMetric, Workload};

/// Which operation of a scheme a workload times.
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

    pub struct MlKem<K: KemCore> {
        pub op: Op,
        pub level: u16,
        pub d: B32,
        pub z: B32,
        pub m: B32,
        pub keys: Option<Box<(K::DecapsulationKey, K::EncapsulationKey)>>,
        pub ct: Option<Box<Ciphertext<K>>>,
    }

    impl<K: KemCore> MlKem<K> {
        pub fn new(op: Op, level: u16) -> Self {
            Self {
                op,
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

    impl<K: KemCore + Send> Workload for MlKem<K>
    where
        K::DecapsulationKey: Send,
        K::EncapsulationKey: Send,
    {
        fn id(&self) -> BenchId {
            let name = match self.op {
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
            if self.op != Op::Keygen {
                let (dk, ek) = K::generate_deterministic(&self.d, &self.z);
                if self.op == Op::Decaps
                    && let Ok((ct, _)) = ek.encapsulate_deterministic(&self.m)
                {
                    self.ct = Some(Box::new(ct));
                }
                self.keys = Some(Box::new((dk, ek)));
            }
        }

        fn run(&mut self) {
            match self.op {
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

    pub struct MlDsa<P: MlDsaParams> {
        pub op: Op,
        pub level: u16,
        pub seed: B32,
        pub msg: [u8; 32],
        pub counter: u32,
        pub sk: Option<Box<SigningKey<P>>>,
        pub vk: Option<Box<VerifyingKey<P>>>,
        pub sig: Option<Box<Signature<P>>>,
    }

    impl<P: MlDsaParams> MlDsa<P> {
        pub fn new(op: Op, level: u16) -> Self {
            Self {
                op,
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

    impl<P: MlDsaParams + Send> Workload for MlDsa<P>
    where
        SigningKey<P>: Send,
        VerifyingKey<P>: Send,
        Signature<P>: Send,
    {
        fn id(&self) -> BenchId {
            let name = match self.op {
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
            if self.op != Op::Keygen {
                let sk = Box::new(SigningKey::<P>::from_seed(&self.seed));
                if self.op == Op::Verify {
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
            match self.op {
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

    pub struct SlhDsa {
        pub op: Op,
        pub seeds: [u8; 48],
        pub msg: [u8; 32],
        pub sk: Option<Box<SigningKey<Sha2_128f>>>,
        pub sig: Option<Box<Signature<Sha2_128f>>>,
    }

    fn keygen(seeds: &[u8; 48]) -> SigningKey<Sha2_128f> {
        SigningKey::slh_keygen_internal(&seeds[..16], &seeds[16..32], &seeds[32..])
    }

    impl Workload for SlhDsa {
        fn id(&self) -> BenchId {
            let name = match self.op {
                Op::Keygen => "slh-dsa.keygen",
                Op::Sign => "slh-dsa.sign",
                _ => "slh-dsa.verify",
            };
            BenchId::new("pqc", name, "rustcrypto", "sha2-128f")
        }

        fn setup(&mut self, seed: u64) {
            self.seeds = seeded::<48>(seed, 0x2000);
            self.msg = seeded::<32>(seed, 0x2001);
            if self.op != Op::Keygen {
                let sk = Box::new(keygen(&self.seeds));
                if self.op == Op::Verify {
                    self.sig = Some(Box::new(sk.slh_sign_internal(&[&self.msg], None)));
                }
                self.sk = Some(sk);
            }
        }

        fn run(&mut self) {
            match self.op {
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

/// The PQC workloads of the enabled features.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    #[allow(unused_mut)]
    let mut v: Vec<Box<dyn Workload>> = Vec::new();
    #[cfg(feature = "mlkem")]
    for op in [Op::Keygen, Op::Encaps, Op::Decaps] {
        use ml_kem::{MlKem512, MlKem768, MlKem1024};
        v.push(Box::new(mlkem::MlKem::<MlKem512>::new(op, 512)));
        v.push(Box::new(mlkem::MlKem::<MlKem768>::new(op, 768)));
        v.push(Box::new(mlkem::MlKem::<MlKem1024>::new(op, 1024)));
    }
    #[cfg(feature = "mldsa")]
    for op in [Op::Keygen, Op::Sign, Op::Verify] {
        use ml_dsa::{MlDsa44, MlDsa65, MlDsa87};
        v.push(Box::new(mldsa::MlDsa::<MlDsa44>::new(op, 44)));
        v.push(Box::new(mldsa::MlDsa::<MlDsa65>::new(op, 65)));
        v.push(Box::new(mldsa::MlDsa::<MlDsa87>::new(op, 87)));
    }
    #[cfg(feature = "slhdsa")]
    for op in [Op::Keygen, Op::Sign, Op::Verify] {
        v.push(Box::new(slhdsa::SlhDsa {
            op,
            seeds: [0; 48],
            msg: [0; 32],
            sk: None,
            sig: None,
        }));
    }
    v
}
