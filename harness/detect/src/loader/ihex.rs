//! Intel HEX (I8HEX/I16HEX/I32HEX).

use super::{Format, Image, LoadError, Segment, append, decode_hex, lines};
use alloc::vec::Vec;

/// Loads Intel HEX text.
pub fn load_ihex(bytes: &[u8]) -> Result<Image<'static>, LoadError> {
    let mut segs: Vec<Segment<'static>> = Vec::new();
    let mut base = 0u64;
    let mut entry = None;
    let mut rec = Vec::new();
    for (line, text) in lines(bytes) {
        let bad = |reason| LoadError::BadRecord { line, reason };
        let Some(hex) = text.strip_prefix(b":") else {
            return Err(bad("record does not start with ':'"));
        };
        if !decode_hex(hex, &mut rec) {
            return Err(bad("invalid hex digits"));
        }
        if rec.len() < 5 {
            return Err(bad("record shorter than 5 bytes"));
        }
        let n = rec[0] as usize;
        if rec.len() != n + 5 {
            return Err(bad("byte count does not match record length"));
        }
        if rec.iter().fold(0u8, |a, &b| a.wrapping_add(b)) != 0 {
            return Err(bad("checksum mismatch"));
        }
        let offset = u64::from(u16::from_be_bytes([rec[1], rec[2]]));
        let data = &rec[4..4 + n];
        match rec[3] {
            0 => append(&mut segs, base + offset, data),
            1 => break,
            2 if n == 2 => base = u64::from(u16::from_be_bytes([data[0], data[1]])) << 4,
            3 if n == 4 => {
                let cs = u64::from(u16::from_be_bytes([data[0], data[1]]));
                entry = Some((cs << 4) + u64::from(u16::from_be_bytes([data[2], data[3]])));
            }
            4 if n == 2 => base = u64::from(u16::from_be_bytes([data[0], data[1]])) << 16,
            5 if n == 4 => {
                entry = Some(u64::from(u32::from_be_bytes([
                    data[0], data[1], data[2], data[3],
                ])))
            }
            2..=5 => return Err(bad("wrong data length for an address record")),
            _ => return Err(bad("unknown record type")),
        }
    }
    Ok(Image {
        format: Format::IntelHex,
        machine: None,
        entry,
        segments: segs,
    })
}
