//! A small unsigned big integer, just enough to derive signature layouts
//! (Montgomery forms, limb splits) and to check the canonical constants
//! (curve equations) in tests. Not constant time; never used on secrets.

use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// Unsigned integer as little-endian `u32` limbs, normalised (no high zero limbs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Big(Vec<u32>);

impl Big {
    /// Zero.
    pub fn zero() -> Self {
        Big(Vec::new())
    }

    /// From a small value.
    pub fn from_u64(v: u64) -> Self {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.norm();
        b
    }

    /// Parses big-endian hex (no prefix). Returns `None` on a non-hex digit.
    pub fn from_hex(s: &str) -> Option<Self> {
        let mut limbs = Vec::new();
        let digits: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
        for chunk in digits.rchunks(8) {
            let mut v = 0u32;
            for &c in chunk {
                v = (v << 4) | (c as char).to_digit(16)?;
            }
            limbs.push(v);
        }
        let mut b = Big(limbs);
        b.norm();
        Some(b)
    }

    fn norm(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// Number of significant bits.
    pub fn bits(&self) -> usize {
        match self.0.last() {
            None => 0,
            Some(&top) => 32 * (self.0.len() - 1) + (32 - top.leading_zeros() as usize),
        }
    }

    /// Bit `i`.
    pub fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }

    /// `self == 0`.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// Big-endian bytes, left-padded with zeros to `len` (truncated on the
    /// left if the value is longer).
    pub fn to_be(&self, len: usize) -> Vec<u8> {
        let mut le = self.to_le(len);
        le.reverse();
        le
    }

    /// Little-endian bytes, right-padded with zeros to `len`.
    pub fn to_le(&self, len: usize) -> Vec<u8> {
        let mut out: Vec<u8> = self.0.iter().flat_map(|l| l.to_le_bytes()).collect();
        out.resize(len, 0);
        out
    }

    /// The value split into `count` limbs of `radix` bits (least significant first).
    pub fn limbs(&self, radix: usize, count: usize) -> Vec<u64> {
        (0..count)
            .map(|k| {
                let mut v = 0u64;
                for j in 0..radix {
                    if self.bit(k * radix + j) {
                        v |= 1 << j;
                    }
                }
                v
            })
            .collect()
    }

    /// `self << n`.
    pub fn shl(&self, n: usize) -> Self {
        let mut out = vec![0u32; self.0.len() + n / 32 + 1];
        for (i, &l) in self.0.iter().enumerate() {
            let v = (l as u64) << (n % 32);
            out[i + n / 32] |= v as u32;
            out[i + n / 32 + 1] |= (v >> 32) as u32;
        }
        let mut b = Big(out);
        b.norm();
        b
    }

    /// `self + o`.
    pub fn add(&self, o: &Big) -> Self {
        let n = self.0.len().max(o.0.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let s = *self.0.get(i).unwrap_or(&0) as u64 + *o.0.get(i).unwrap_or(&0) as u64 + carry;
            out.push(s as u32);
            carry = s >> 32;
        }
        out.push(carry as u32);
        let mut b = Big(out);
        b.norm();
        b
    }

    /// `self * o`.
    pub fn mul(&self, o: &Big) -> Self {
        let mut out = vec![0u64; self.0.len() + o.0.len() + 1];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in o.0.iter().enumerate() {
                let t = out[i + j] + a as u64 * b as u64 + carry;
                out[i + j] = t & 0xffff_ffff;
                carry = t >> 32;
            }
            out[i + o.0.len()] += carry;
        }
        let mut b = Big(out.into_iter().map(|x| x as u32).collect());
        b.norm();
        b
    }

    /// `self >> 1`.
    pub fn shr1(&self) -> Self {
        let mut out = self.0.clone();
        for (i, o) in out.iter_mut().enumerate() {
            let hi = self.0.get(i + 1).copied().unwrap_or(0);
            *o = (self.0[i] >> 1) | (hi << 31);
        }
        let mut b = Big(out);
        b.norm();
        b
    }

    /// `self - o`; requires `self >= o`.
    pub fn sub(&self, o: &Big) -> Self {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut d = self.0[i] as i64 - *o.0.get(i).unwrap_or(&0) as i64 - borrow;
            borrow = 0;
            if d < 0 {
                d += 1 << 32;
                borrow = 1;
            }
            out.push(d as u32);
        }
        let mut b = Big(out);
        b.norm();
        b
    }

    /// `self mod m` (binary long division; slow but simple).
    pub fn rem(&self, m: &Big) -> Self {
        let mut r = Big::zero();
        for i in (0..self.bits()).rev() {
            r = r.shl(1);
            if self.bit(i) {
                r = r.add(&Big::from_u64(1));
            }
            if r.cmp(m) != Ordering::Less {
                r = r.sub(m);
            }
        }
        r
    }

    /// `(self * o) mod m`, for `self, o < m`.
    pub fn mulmod(&self, o: &Big, m: &Big) -> Self {
        let mut acc = Big::zero();
        for i in (0..o.bits()).rev() {
            acc = acc.shl(1).rem_small(m);
            if o.bit(i) {
                acc = acc.add(self).rem_small(m);
            }
        }
        acc
    }

    /// `self mod m` when `self < 2m`.
    fn rem_small(self, m: &Big) -> Self {
        if self.cmp(m) == Ordering::Less {
            self
        } else {
            self.sub(m)
        }
    }

    /// `self^e mod m`.
    pub fn powmod(&self, e: &Big, m: &Big) -> Self {
        let mut acc = Big::from_u64(1).rem(m);
        for i in (0..e.bits()).rev() {
            acc = acc.mulmod(&acc, m);
            if e.bit(i) {
                acc = acc.mulmod(self, m);
            }
        }
        acc
    }

    /// Montgomery form `self * 2^r_bits mod m`.
    pub fn to_montgomery(&self, r_bits: usize, m: &Big) -> Self {
        self.shl(r_bits).rem(m)
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Big {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }
}
