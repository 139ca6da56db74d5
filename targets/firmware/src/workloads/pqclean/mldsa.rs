//! PQClean's clean ML-DSA-44/65/87 (FIPS 204) on the board: keygen, sign,
//! verify, with the inputs of the host's workloads: the key seed `ξ` from
//! stream `0x4453_4100`, 16 messages of 32 bytes from stream `0x4453_4101`
//! (signed in turn, empty context). PQClean's signing is hedged: its 32
//! random bytes are served as zeros, which is FIPS 204's deterministic
//! variant — the signatures the host's RustCrypto workloads make and its
//! PQClean verify workload checks.
//!
//! `check_digest` (first four bytes, little endian): of `tr` = SHAKE256(pk)
//! for keygen (PQClean keeps it in the secret key), of the signature of the
//! second message (the first one `run` signs) for sign and verify (verify
//! reports 0 unless all 16 signatures verified in setup).

use super::super::seeded;
use super::{coins, first4};
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::hint::black_box;
use pqbench_workloads::{BenchId, StaticMetric, Workload};

/// Messages per workload, like the host's (`pqc::op::MESSAGES`).
const MESSAGES: usize = 16;
/// Bytes per message.
const MESSAGE_LEN: usize = 32;

type SignFn =
    unsafe extern "C" fn(*mut u8, *mut usize, *const u8, usize, *const u8, usize, *const u8) -> i32;
type VerifyFn =
    unsafe extern "C" fn(*const u8, usize, *const u8, usize, *const u8, usize, *const u8) -> i32;

/// One parameter set's C entry points and sizes.
pub struct Api {
    level: u16,
    size: super::ObjSize,
    pk: usize,
    sk: usize,
    sig: usize,
    keypair: unsafe extern "C" fn(*mut u8, *mut u8) -> i32,
    sign: SignFn,
    verify: VerifyFn,
}

macro_rules! api {
    ($name:ident, $level:literal, $pk:literal, $sk:literal, $sig:literal, $kp:ident, $sign:ident, $verify:ident) => {
        unsafe extern "C" {
            fn $kp(pk: *mut u8, sk: *mut u8) -> i32;
            fn $sign(
                sig: *mut u8,
                siglen: *mut usize,
                m: *const u8,
                mlen: usize,
                ctx: *const u8,
                ctxlen: usize,
                sk: *const u8,
            ) -> i32;
            fn $verify(
                sig: *const u8,
                siglen: usize,
                m: *const u8,
                mlen: usize,
                ctx: *const u8,
                ctxlen: usize,
                pk: *const u8,
            ) -> i32;
        }
        /// The parameter set's entry points.
        pub const $name: Api = Api {
            level: $level,
            size: super::sizes::$name,
            pk: $pk,
            sk: $sk,
            sig: $sig,
            keypair: $kp,
            sign: $sign,
            verify: $verify,
        };
    };
}

api!(
    ML_DSA_44,
    44,
    1312,
    2560,
    2420,
    PQCLEAN_MLDSA44_CLEAN_crypto_sign_keypair,
    PQCLEAN_MLDSA44_CLEAN_crypto_sign_signature_ctx,
    PQCLEAN_MLDSA44_CLEAN_crypto_sign_verify_ctx
);
api!(
    ML_DSA_65,
    65,
    1952,
    4032,
    3309,
    PQCLEAN_MLDSA65_CLEAN_crypto_sign_keypair,
    PQCLEAN_MLDSA65_CLEAN_crypto_sign_signature_ctx,
    PQCLEAN_MLDSA65_CLEAN_crypto_sign_verify_ctx
);
api!(
    ML_DSA_87,
    87,
    2592,
    4896,
    4627,
    PQCLEAN_MLDSA87_CLEAN_crypto_sign_keypair,
    PQCLEAN_MLDSA87_CLEAN_crypto_sign_signature_ctx,
    PQCLEAN_MLDSA87_CLEAN_crypto_sign_verify_ctx
);

/// Buffers of one workload, on the heap so that the measured stack is the
/// C code's own.
struct Bufs {
    pk: Vec<u8>,
    sk: Vec<u8>,
    msgs: Vec<[u8; MESSAGE_LEN]>,
    /// One signature per message (verify), or one (sign).
    sigs: Vec<Vec<u8>>,
}

impl Api {
    fn keypair(&self, b: &mut Bufs) {
        crate::stack::mark_call();
        // SAFETY: `pk` and `sk` hold the parameter set's key sizes.
        unsafe { (self.keypair)(b.pk.as_mut_ptr(), b.sk.as_mut_ptr()) };
    }
    /// Signs message `i` into signature slot `slot`.
    fn sign(&self, b: &mut Bufs, i: usize, slot: usize) {
        let mut len = 0usize;
        let (m, sig) = (&b.msgs[i], &mut b.sigs[slot]);
        crate::stack::mark_call();
        // SAFETY: `sig` holds the signature size, `m` is MESSAGE_LEN bytes,
        // the context is empty (a null pointer with length 0 is not read),
        // `sk` holds the secret-key size.
        unsafe {
            (self.sign)(
                sig.as_mut_ptr(),
                &mut len,
                m.as_ptr(),
                MESSAGE_LEN,
                core::ptr::null(),
                0,
                b.sk.as_ptr(),
            )
        };
    }
    /// Verifies signature `i` of message `i`.
    fn verify(&self, b: &Bufs, i: usize) -> bool {
        let (m, sig) = (&b.msgs[i], &b.sigs[i]);
        crate::stack::mark_call();
        // SAFETY: as in `sign`, with `pk` of the public-key size.
        let r = unsafe {
            (self.verify)(
                sig.as_ptr(),
                sig.len(),
                m.as_ptr(),
                MESSAGE_LEN,
                core::ptr::null(),
                0,
                b.pk.as_ptr(),
            )
        };
        r == 0
    }
}

/// One operation (`O`: keygen 0, sign 3, verify 4) of one parameter set.
pub struct MlDsa<const O: u8> {
    api: &'static Api,
    xi: [u8; 32],
    next: usize,
    bufs: Option<Box<Bufs>>,
    check: u32,
}

impl<const O: u8> MlDsa<O> {
    /// The workload for `api`.
    pub fn new(api: &'static Api) -> Self {
        Self {
            api,
            xi: [0; 32],
            next: 0,
            bufs: None,
            check: 0,
        }
    }
}

impl<const O: u8> Workload for MlDsa<O> {
    fn id(&self) -> BenchId {
        let name = match O {
            0 => "ml-dsa.keygen",
            3 => "ml-dsa.sign",
            _ => "ml-dsa.verify",
        };
        BenchId::new(
            "pqc",
            name,
            "pqclean",
            &alloc::format!("{}", self.api.level),
        )
    }

    fn setup(&mut self, seed: u64) {
        self.xi = seeded::<32>(seed, 0x4453_4100);
        let raw = seeded::<{ MESSAGES * MESSAGE_LEN }>(seed, 0x4453_4101);
        let msgs = raw
            .chunks_exact(MESSAGE_LEN)
            .map(|c| {
                let mut m = [0u8; MESSAGE_LEN];
                m.copy_from_slice(c);
                m
            })
            .collect();
        let slots = if O == 4 { MESSAGES } else { 1 };
        let mut b = Box::new(Bufs {
            pk: vec![0; self.api.pk],
            sk: vec![0; self.api.sk],
            msgs,
            sigs: vec![vec![0; self.api.sig]; slots],
        });
        coins::load(&self.xi);
        self.api.keypair(&mut b);
        self.check = first4(&b.sk[64..]);
        // Zero signing randomness: FIPS 204's deterministic signatures.
        coins::load(&[0; 32]);
        if O == 3 {
            self.api.sign(&mut b, 1, 0);
            self.check = first4(&b.sigs[0]);
        }
        if O == 4 {
            for i in 0..MESSAGES {
                self.api.sign(&mut b, i, i);
            }
            let all = (0..MESSAGES).all(|i| self.api.verify(&b, i));
            self.check = if all { first4(&b.sigs[1]) } else { 0 };
        }
        self.next = 0;
        self.bufs = Some(b);
    }

    fn run(&mut self) {
        if O == 0 {
            coins::load(&self.xi);
        } else {
            coins::load(&[0; 32]);
        }
        self.next = (self.next + 1) % MESSAGES;
        let i = self.next;
        if let Some(b) = self.bufs.as_deref_mut() {
            match O {
                0 => self.api.keypair(black_box(b)),
                3 => self.api.sign(black_box(b), i, 0),
                _ => {
                    black_box(self.api.verify(black_box(b), i));
                }
            }
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
            m("signature_bytes", self.api.sig),
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
