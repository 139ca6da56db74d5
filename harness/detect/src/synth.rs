//! Seeded synthetic firmware images for benchmarks and tests: a mix of
//! machine-code-like bytes, literal pools, ASCII string tables, erased
//! (0xFF) and zero-filled regions and high-entropy blobs, with database
//! patterns planted at known places (about one per 64 KiB).

use crate::sigdb::Signature;
use alloc::vec::Vec;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const WORDS: &[&[u8]] = &[
    b"sensor",
    b"frame",
    b"temperature",
    b"gateway",
    b"uplink",
    b"error",
    b"retry",
    b"config",
    b"flash",
    b"boot",
    b"%d.%02d",
    b"panicked at",
    b"index out of bounds",
    b"called `Option::unwrap()`",
    b"src/main.rs",
    b"\n",
];

/// A `len`-byte synthetic image from `seed`, with every `stride`-th
/// signature of `plant` written into it (none if `plant` is empty).
/// Returns the image and the planted (offset, signature index) pairs.
pub fn firmware(seed: u64, len: usize, plant: &[Signature]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut r = XorShift(seed | 1);
    let mut out = Vec::with_capacity(len);
    let mut planted = Vec::new();
    let mut next_plant = 0usize;
    let mut plant_at = 32 << 10;
    while out.len() < len {
        let block = 256 + (r.next() % 4096) as usize;
        match r.next() % 10 {
            0..=4 => {
                // Thumb-2-like code: 16-bit halfwords from a skewed distribution.
                for _ in 0..block / 2 {
                    let x = r.next();
                    let op = [
                        0x4600u16, 0x6800, 0xb500, 0xbd00, 0xf000, 0x2000, 0x4770, 0xe7fe,
                    ][(x & 7) as usize];
                    out.extend_from_slice(&(op | ((x >> 8) as u16 & 0x00ff)).to_le_bytes());
                }
            }
            5 => {
                // Literal pool: addresses and small constants.
                for _ in 0..block / 4 {
                    let x = r.next();
                    let w = if x & 1 == 0 {
                        0x0800_0000 | ((x >> 8) as u32 & 0x000f_fffc)
                    } else {
                        (x >> 40) as u32 & 0xffff
                    };
                    out.extend_from_slice(&w.to_le_bytes());
                }
            }
            6 => {
                let start = out.len();
                while out.len() < start + block {
                    out.extend_from_slice(WORDS[(r.next() % WORDS.len() as u64) as usize]);
                    out.push(b' ');
                }
            }
            7 => out.resize(out.len() + block, 0xff),
            8 => out.resize(out.len() + block, 0x00),
            _ => {
                for _ in 0..block / 8 {
                    out.extend_from_slice(&r.next().to_le_bytes());
                }
            }
        }
        if !plant.is_empty() && out.len() >= plant_at {
            let s = &plant[next_plant % plant.len()];
            planted.push((out.len(), next_plant % plant.len()));
            out.extend_from_slice(s.bytes);
            next_plant += 97;
            plant_at += 64 << 10;
        }
    }
    out.truncate(len);
    planted.retain(|&(o, i)| o + plant[i].bytes.len() <= len);
    (out, planted)
}
