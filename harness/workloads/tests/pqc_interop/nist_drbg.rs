//! The NIST known-answer-test generators' AES-256 CTR_DRBG (NIST's `rng.c`,
//! as carried by PQClean in `test/common/nistkatrng.c`), without
//! personalisation string or reseeding.

use aes::Aes256;
use aes::cipher::{BlockEncrypt, KeyInit};

/// The DRBG state: key and counter block.
pub struct Drbg {
    key: [u8; 32],
    v: [u8; 16],
}

fn increment(v: &mut [u8; 16]) {
    for b in v.iter_mut().rev() {
        *b = b.wrapping_add(1);
        if *b != 0 {
            break;
        }
    }
}

fn aes(key: &[u8; 32], block: &[u8; 16]) -> [u8; 16] {
    let mut b = (*block).into();
    Aes256::new(key.into()).encrypt_block(&mut b);
    b.into()
}

impl Drbg {
    /// `nist_kat_init(entropy, NULL, 256)`.
    pub fn new(entropy: &[u8; 48]) -> Self {
        let mut d = Drbg {
            key: [0; 32],
            v: [0; 16],
        };
        d.update(Some(entropy));
        d
    }

    fn update(&mut self, provided: Option<&[u8; 48]>) {
        let mut temp = [0u8; 48];
        for chunk in temp.chunks_exact_mut(16) {
            increment(&mut self.v);
            chunk.copy_from_slice(&aes(&self.key, &self.v));
        }
        if let Some(p) = provided {
            temp.iter_mut().zip(p).for_each(|(t, p)| *t ^= p);
        }
        self.key.copy_from_slice(&temp[..32]);
        self.v.copy_from_slice(&temp[32..]);
    }

    /// `randombytes(buf, N)`.
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(16) {
            increment(&mut self.v);
            chunk.copy_from_slice(&aes(&self.key, &self.v)[..chunk.len()]);
        }
        self.update(None);
        out
    }
}

/// The DRBG seeded with 0, 1, …, 47, as in `nistkat.c`.
pub fn kat_master() -> Drbg {
    let mut entropy = [0u8; 48];
    entropy
        .iter_mut()
        .enumerate()
        .for_each(|(i, e)| *e = i as u8);
    Drbg::new(&entropy)
}
