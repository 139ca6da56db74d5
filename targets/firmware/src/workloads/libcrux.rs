//! libcrux's portable ML-KEM-512/768/1024 (`libcrux-ml-kem`, no_std, its
//! portable backend: the Thumb targets have no SIMD it uses), with the
//! host's inputs: key-generation randomness from stream `0x4b45_4d00`,
//! encapsulation randomness from stream `0x4b45_4d01` — the same ids and
//! inputs as the host's `pqc/ml-kem.*/libcrux/*` workloads.
//!
//! `check_digest` as for PQClean (`pqclean/mlkem.rs`): the first four bytes
//! of SHA3-256 of the encapsulation key for keygen (libcrux, like PQClean,
//! keeps it in the decapsulation key), of the shared secret for encaps and
//! decaps.

use super::seeded;
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::hint::black_box;
use pqbench_workloads::{BenchId, StaticMetric, Workload};

fn first4(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

macro_rules! set {
    ($m:ident, $kpt:ident, $ctt:ident, $level:literal, $pk:literal, $sk:literal, $ct:literal) => {
        /// One parameter set.
        pub mod $m {
            use super::*;
            use libcrux_ml_kem::$m as k;

            /// One operation (`O`: keygen 0, encaps 1, decaps 2).
            pub struct W<const O: u8> {
                r: [u8; 64],
                m: [u8; 32],
                kp: Option<Box<k::$kpt>>,
                ct: Option<Box<k::$ctt>>,
                check: u32,
            }

            impl<const O: u8> W<O> {
                /// The workload.
                pub fn new() -> Self {
                    Self {
                        r: [0; 64],
                        m: [0; 32],
                        kp: None,
                        ct: None,
                        check: 0,
                    }
                }
            }

            impl<const O: u8> Workload for W<O> {
                fn id(&self) -> BenchId {
                    let name = match O {
                        0 => "ml-kem.keygen",
                        1 => "ml-kem.encaps",
                        _ => "ml-kem.decaps",
                    };
                    BenchId::new("pqc", name, "libcrux", stringify!($level))
                }

                fn setup(&mut self, seed: u64) {
                    self.r = seeded::<64>(seed, 0x4b45_4d00);
                    self.m = seeded::<32>(seed, 0x4b45_4d01);
                    let kp = Box::new(k::generate_key_pair(self.r));
                    let sk = kp.private_key().as_slice();
                    self.check = first4(&sk[$sk - 64..]);
                    if O != 0 {
                        let (ct, ss) = k::encapsulate(kp.public_key(), self.m);
                        self.check = first4(&ss);
                        if O == 2 {
                            let ss = k::decapsulate(kp.private_key(), &ct);
                            self.check = first4(&ss);
                        }
                        self.ct = Some(Box::new(ct));
                    }
                    self.kp = Some(kp);
                }

                fn run(&mut self) {
                    match O {
                        0 => {
                            black_box(k::generate_key_pair(*black_box(&self.r)));
                        }
                        1 => {
                            if let Some(kp) = &self.kp {
                                black_box(k::encapsulate(black_box(kp.public_key()), self.m));
                            }
                        }
                        _ => {
                            if let (Some(kp), Some(ct)) = (&self.kp, &self.ct) {
                                black_box(k::decapsulate(kp.private_key(), black_box(ct)));
                            }
                        }
                    }
                }

                fn static_metrics(&self) -> Vec<StaticMetric> {
                    let b = |name, value: u64| StaticMetric {
                        name,
                        value,
                        unit: "bytes",
                    };
                    vec![
                        b("public_key_bytes", $pk),
                        b("secret_key_bytes", $sk),
                        b("ciphertext_bytes", $ct),
                        StaticMetric {
                            name: "check_digest",
                            value: u64::from(self.check),
                            unit: "u32",
                        },
                    ]
                }
            }
        }
    };
}

set!(
    mlkem512,
    MlKem512KeyPair,
    MlKem512Ciphertext,
    512,
    800,
    1632,
    768
);
set!(
    mlkem768,
    MlKem768KeyPair,
    MlKem768Ciphertext,
    768,
    1184,
    2400,
    1088
);
set!(
    mlkem1024,
    MlKem1024KeyPair,
    MlKem1024Ciphertext,
    1024,
    1568,
    3168,
    1568
);

/// Constructors, in list order.
pub const CTORS: &[super::Ctor] = &[
    || -> Box<dyn Workload> { Box::new(mlkem512::W::<0>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem768::W::<0>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem1024::W::<0>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem512::W::<1>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem768::W::<1>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem1024::W::<1>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem512::W::<2>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem768::W::<2>::new()) },
    || -> Box<dyn Workload> { Box::new(mlkem1024::W::<2>::new()) },
];
