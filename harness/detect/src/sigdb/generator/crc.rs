//! The CRC-32 table (not cryptography: a false-positive control).

use super::emit::{Out, u32s};
use super::layouts::table_windows;
use crate::sigdb::Family;
use std::vec::Vec;

/// The reflected CRC-32 (IEEE 802.3, poly 0xEDB88320) table.
pub fn crc32_table() -> Vec<u32> {
    (0..256u32)
        .map(|i| {
            (0..8).fold(i, |c, _| {
                if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
        .collect()
}

pub(super) fn crc(o: &mut Out) {
    let t = crc32_table();
    table_windows(
        o,
        "crc32",
        "crc32.table",
        Family::Crc,
        1000,
        &u32s(&t, false),
        Some(&u32s(&t, true)),
        32,
    );
}
