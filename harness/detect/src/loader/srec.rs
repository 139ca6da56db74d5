//! Motorola S-record (S19/S28/S37).

use super::{Format, Image, LoadError, Segment, append, decode_hex, lines};
use alloc::vec::Vec;

/// Loads S-record text.
pub fn load_srec(bytes: &[u8]) -> Result<Image<'static>, LoadError> {
    let mut segs: Vec<Segment<'static>> = Vec::new();
    let mut entry = None;
    let mut rec = Vec::new();
    for (line, text) in lines(bytes) {
        let bad = |reason| LoadError::BadRecord { line, reason };
        let [b'S', kind, hex @ ..] = text else {
            return Err(bad("record does not start with 'S' and a type digit"));
        };
        if !decode_hex(hex, &mut rec) {
            return Err(bad("invalid hex digits"));
        }
        let Some((&count, body)) = rec.split_first() else {
            return Err(bad("empty record"));
        };
        if body.len() != count as usize || body.is_empty() {
            return Err(bad("byte count does not match record length"));
        }
        let sum = rec.iter().fold(0u8, |a, &b| a.wrapping_add(b));
        if sum != 0xff {
            return Err(bad("checksum mismatch"));
        }
        let payload = &body[..body.len() - 1];
        let addr_len = match kind {
            b'0' | b'1' | b'5' | b'9' => 2,
            b'2' | b'6' | b'8' => 3,
            b'3' | b'7' => 4,
            _ => return Err(bad("unknown record type")),
        };
        if payload.len() < addr_len {
            return Err(bad("record shorter than its address"));
        }
        let addr = payload[..addr_len]
            .iter()
            .fold(0u64, |a, &b| (a << 8) | u64::from(b));
        let data = &payload[addr_len..];
        match kind {
            b'1' | b'2' | b'3' => append(&mut segs, addr, data),
            b'7' | b'8' | b'9' => {
                entry = Some(addr);
                break;
            }
            _ => {} // S0 header, S5/S6 record counts
        }
    }
    Ok(Image {
        format: Format::SRecord,
        machine: None,
        entry,
        segments: segs,
    })
}
