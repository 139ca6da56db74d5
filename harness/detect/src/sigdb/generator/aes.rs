//! AES: the S-box and T-tables derived from GF(2^8), the round constants,
//! and the fixsliced ShiftRows masks.

use super::emit::{Out, u32s};
use super::layouts::table_windows;
use crate::sigdb::Family;
use std::format;
use std::vec::Vec;

fn xtime(x: u8) -> u8 {
    (x << 1) ^ if x & 0x80 != 0 { 0x1b } else { 0 }
}

fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    r
}

/// The AES S-box from its definition: inversion in GF(2^8) then the affine map.
pub fn aes_sbox() -> [u8; 256] {
    let mut s = [0u8; 256];
    for (x, out) in s.iter_mut().enumerate() {
        let inv = if x == 0 {
            0
        } else {
            (1..=255u8).find(|&y| gmul(x as u8, y) == 1).unwrap_or(0)
        };
        let mut b = inv;
        for k in 1..5 {
            b ^= inv.rotate_left(k);
        }
        *out = b ^ 0x63;
    }
    s
}

pub(super) fn aes(o: &mut Out) {
    let s = aes_sbox();
    let mut inv = [0u8; 256];
    for (i, &v) in s.iter().enumerate() {
        inv[v as usize] = i as u8;
    }
    let f = Family::Aes;
    table_windows(o, "aes", "aes.sbox", f, 1000, &s, None, 32);
    table_windows(o, "aes", "aes.inv-sbox", f, 1000, &inv, None, 32);
    let te0: Vec<u32> = s
        .iter()
        .map(|&v| u32::from_be_bytes([gmul(v, 2), v, v, gmul(v, 3)]))
        .collect();
    let td0: Vec<u32> = inv
        .iter()
        .map(|&v| u32::from_be_bytes([gmul(v, 14), gmul(v, 9), gmul(v, 13), gmul(v, 11)]))
        .collect();
    for k in 0..4u32 {
        let te: Vec<u32> = te0.iter().map(|w| w.rotate_right(8 * k)).collect();
        let td: Vec<u32> = td0.iter().map(|w| w.rotate_right(8 * k)).collect();
        table_windows(
            o,
            "aes",
            &format!("aes.te{k}"),
            f,
            1000,
            &u32s(&te, false),
            Some(&u32s(&te, true)),
            32,
        );
        table_windows(
            o,
            "aes",
            &format!("aes.td{k}"),
            f,
            1000,
            &u32s(&td, false),
            Some(&u32s(&td, true)),
            32,
        );
    }
    let mut rcon = [0u32; 10];
    let mut r = 1u8;
    for slot in rcon.iter_mut() {
        *slot = (r as u32) << 24;
        r = xtime(r);
    }
    o.push("aes", "aes.rcon", f, "u32-le", 700, u32s(&rcon, false));
    o.push("aes", "aes.rcon", f, "u32-be", 700, u32s(&rcon, true));
    let bytes: Vec<u8> = core::iter::once(0x8d)
        .chain(rcon.iter().map(|w| (w >> 24) as u8))
        .collect();
    o.push("aes", "aes.rcon", f, "bytes-8d", 300, bytes);
}

/// Masks of fixsliced AES (Adomnicai and Peyrin, TCHES 2021; RustCrypto
/// `aes` soft backend): ShiftRows on the 32-bit fixsliced state
/// (`shift_rows_1`/`_3` and their inverses use `0x0c0f0300` and
/// `0x030f0c00`) and on the 64-bit state (`0x00f000ff000f0000`,
/// `0x000f00ff00f00000`). Generic masks of the same code (`0x33003300`,
/// `0x0f0f0f0f`, `0x55555555`, ...) are left out: any bit-manipulation code
/// has them.
pub const AES_FIXSLICE32_SHIFTROWS: [u32; 2] = [0x0c0f_0300, 0x030f_0c00];
/// See [`AES_FIXSLICE32_SHIFTROWS`].
pub const AES_FIXSLICE64_SHIFTROWS: [u64; 2] = [0x00f0_00ff_000f_0000, 0x000f_00ff_00f0_0000];
