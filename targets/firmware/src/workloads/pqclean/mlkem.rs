//! PQClean's clean ML-KEM-512/768/1024 (FIPS 203) on the board: keygen,
//! encapsulation, decapsulation, with the inputs of the host's RustCrypto and
//! PQClean workloads: `d ‖ z` from stream `0x4b45_4d00` and the encapsulation
//! message `m` from stream `0x4b45_4d01` of the seeded ChaCha20 — so the
//! board's PQClean encapsulates to, and decapsulates with, the very key pair
//! the host's `pqc/ml-kem.*/pqclean/*` workloads load, and its keygen draws
//! that key pair's seed.
//!
//! Each workload reports `check_digest`: the first four bytes (little
//! endian) of its output's check value — `H(ek)` for keygen (PQClean keeps
//! SHA3-256 of the encapsulation key inside the decapsulation key), the
//! shared secret for encaps and decaps — which the host compares with its
//! own computation from the same seed.

use super::super::seeded;
use super::{coins, first4};
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::hint::black_box;
use pqbench_workloads::{BenchId, StaticMetric, Workload};

/// One parameter set's C entry points and sizes.
pub struct Api {
    level: u16,
    size: super::ObjSize,
    pk: usize,
    sk: usize,
    ct: usize,
    keypair: unsafe extern "C" fn(*mut u8, *mut u8) -> i32,
    enc: unsafe extern "C" fn(*mut u8, *mut u8, *const u8) -> i32,
    dec: unsafe extern "C" fn(*mut u8, *const u8, *const u8) -> i32,
}

macro_rules! api {
    ($name:ident, $level:literal, $pk:literal, $sk:literal, $ct:literal, $kp:ident, $enc:ident, $dec:ident) => {
        unsafe extern "C" {
            fn $kp(pk: *mut u8, sk: *mut u8) -> i32;
            fn $enc(ct: *mut u8, ss: *mut u8, pk: *const u8) -> i32;
            fn $dec(ss: *mut u8, ct: *const u8, sk: *const u8) -> i32;
        }
        /// The parameter set's entry points.
        pub const $name: Api = Api {
            level: $level,
            size: super::sizes::$name,
            pk: $pk,
            sk: $sk,
            ct: $ct,
            keypair: $kp,
            enc: $enc,
            dec: $dec,
        };
    };
}

api!(
    ML_KEM_512,
    512,
    800,
    1632,
    768,
    PQCLEAN_MLKEM512_CLEAN_crypto_kem_keypair,
    PQCLEAN_MLKEM512_CLEAN_crypto_kem_enc,
    PQCLEAN_MLKEM512_CLEAN_crypto_kem_dec
);
api!(
    ML_KEM_768,
    768,
    1184,
    2400,
    1088,
    PQCLEAN_MLKEM768_CLEAN_crypto_kem_keypair,
    PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc,
    PQCLEAN_MLKEM768_CLEAN_crypto_kem_dec
);
api!(
    ML_KEM_1024,
    1024,
    1568,
    3168,
    1568,
    PQCLEAN_MLKEM1024_CLEAN_crypto_kem_keypair,
    PQCLEAN_MLKEM1024_CLEAN_crypto_kem_enc,
    PQCLEAN_MLKEM1024_CLEAN_crypto_kem_dec
);

/// Buffers of one workload, on the heap so that the measured stack is the
/// C code's own.
struct Bufs {
    pk: Vec<u8>,
    sk: Vec<u8>,
    ct: Vec<u8>,
    ss: [u8; 32],
}

impl Api {
    fn keypair(&self, b: &mut Bufs) {
        crate::stack::mark_call();
        // SAFETY: `pk` and `sk` hold the parameter set's key sizes.
        unsafe { (self.keypair)(b.pk.as_mut_ptr(), b.sk.as_mut_ptr()) };
    }
    fn enc(&self, b: &mut Bufs) {
        crate::stack::mark_call();
        // SAFETY: `ct`, `ss` and `pk` hold the parameter set's sizes.
        unsafe { (self.enc)(b.ct.as_mut_ptr(), b.ss.as_mut_ptr(), b.pk.as_ptr()) };
    }
    fn dec(&self, b: &mut Bufs) {
        crate::stack::mark_call();
        // SAFETY: `ss`, `ct` and `sk` hold the parameter set's sizes.
        unsafe { (self.dec)(b.ss.as_mut_ptr(), b.ct.as_ptr(), b.sk.as_ptr()) };
    }
}

/// One operation (`O`: keygen 0, encaps 1, decaps 2) of one parameter set.
pub struct MlKem<const O: u8> {
    api: &'static Api,
    coins: [u8; 64],
    bufs: Option<Box<Bufs>>,
    check: u32,
}

impl<const O: u8> MlKem<O> {
    /// The workload for `api`.
    pub fn new(api: &'static Api) -> Self {
        Self {
            api,
            coins: [0; 64],
            bufs: None,
            check: 0,
        }
    }

    /// Loads the coins the timed operation draws.
    fn load_coins(&self) {
        if O == 0 {
            coins::load(&self.coins);
        } else {
            coins::load(&self.coins[..32]);
        }
    }
}

impl<const O: u8> Workload for MlKem<O> {
    fn id(&self) -> BenchId {
        let name = match O {
            0 => "ml-kem.keygen",
            1 => "ml-kem.encaps",
            _ => "ml-kem.decaps",
        };
        BenchId::new(
            "pqc",
            name,
            "pqclean",
            &alloc::format!("{}", self.api.level),
        )
    }

    fn setup(&mut self, seed: u64) {
        // The host's streams (`pqc::rustcrypto::mlkem`): d ‖ z, then m.
        let dz = seeded::<64>(seed, 0x4b45_4d00);
        let m = seeded::<32>(seed, 0x4b45_4d01);
        let mut b = Box::new(Bufs {
            pk: vec![0; self.api.pk],
            sk: vec![0; self.api.sk],
            ct: vec![0; self.api.ct],
            ss: [0; 32],
        });
        self.coins = dz;
        coins::load(&self.coins);
        self.api.keypair(&mut b);
        let sk_len = self.api.sk;
        self.check = first4(&b.sk[sk_len - 64..]);
        if O != 0 {
            coins::load(&m);
            self.api.enc(&mut b);
            self.check = first4(&b.ss);
            self.coins[..32].copy_from_slice(&m);
        }
        if O == 2 {
            b.ss = [0; 32];
            self.api.dec(&mut b);
            self.check = first4(&b.ss);
        }
        self.bufs = Some(b);
    }

    fn run(&mut self) {
        self.load_coins();
        if let Some(b) = self.bufs.as_deref_mut() {
            match O {
                0 => self.api.keypair(black_box(b)),
                1 => self.api.enc(black_box(b)),
                _ => self.api.dec(black_box(b)),
            }
            black_box(&b.ss);
        }
    }

    fn static_metrics(&self) -> Vec<StaticMetric> {
        let m = |name, value: usize| StaticMetric {
            name,
            value: value as u64,
            unit: "bytes",
        };
        vec![
            m("public_key_bytes", self.api.pk),
            m("secret_key_bytes", self.api.sk),
            m("ciphertext_bytes", self.api.ct),
            StaticMetric {
                name: "check_digest",
                value: u64::from(self.check),
                unit: "u32",
            },
        ]
        .into_iter()
        .chain(super::size_metrics(&self.api.size))
        .collect()
    }
}
