//! ML-KEM and ML-DSA NTT twiddle tables, from the roots of unity.

use super::emit::{Out, words_u16, words_u32};
use super::layouts::table_windows;
use crate::sigdb::Family;
use std::vec::Vec;

fn bitrev(x: usize, bits: u32) -> usize {
    x.reverse_bits() >> (usize::BITS - bits)
}

fn powmod_u64(b: u64, e: u64, m: u64) -> u64 {
    let (mut acc, mut base, mut e) = (1u64, b % m, e);
    while e > 0 {
        if e & 1 == 1 {
            acc = acc * base % m;
        }
        base = base * base % m;
        e >>= 1;
    }
    acc
}

fn centered(v: u64, q: u64) -> i64 {
    if v > q / 2 {
        v as i64 - q as i64
    } else {
        v as i64
    }
}

pub(super) fn pqc(o: &mut Out) {
    let f = Family::Pqc;
    // ML-KEM: q = 3329, zeta = 17, 7-bit bit reversal.
    let q = 3329u64;
    let z: Vec<u64> = (0..128)
        .map(|i| powmod_u64(17, bitrev(i, 7) as u64, q))
        .collect();
    let g: Vec<u64> = (0..128)
        .map(|i| powmod_u64(17, 2 * bitrev(i, 7) as u64 + 1, q))
        .collect();
    let mont = |v: &u64| centered(v * 65536 % q, q) as i16 as u16 as u64;
    let zm: Vec<u64> = z.iter().map(mont).collect();
    for (cst, tab) in [
        ("ml-kem.zetas", &z),
        ("ml-kem.gammas", &g),
        ("ml-kem.zetas-mont", &zm),
    ] {
        let le = words_u16(tab, false);
        let be = words_u16(tab, true);
        table_windows(o, "ml-kem", cst, f, 1000, &le, Some(&be), 32);
        let wide_le = words_u32(tab, false);
        table_windows(o, "ml-kem", cst, f, 1000, &wide_le, None, 32);
    }
    // ML-DSA: q = 8380417, zeta = 1753, 8-bit bit reversal.
    let q = 8_380_417u64;
    let z: Vec<u64> = (0..256)
        .map(|i| powmod_u64(1753, bitrev(i, 8) as u64, q))
        .collect();
    let zm: Vec<u64> = z
        .iter()
        .map(|v| centered((v << 32) % q, q) as i32 as u32 as u64)
        .collect();
    for (cst, tab) in [("ml-dsa.zetas", &z), ("ml-dsa.zetas-mont", &zm)] {
        // skip entry 0 (1 or its Montgomery form, often stored differently)
        let le = words_u32(&tab[1..], false);
        let be = words_u32(&tab[1..], true);
        table_windows(o, "ml-dsa", cst, f, 1000, &le, Some(&be), 32);
    }
}
