//! Thumb-2 instruction decoding: `MOVW`/`MOVT` (and the `MOV.W`/`MOVS` that
//! set a low half), and the pairing of a low-half write with the `MOVT` that
//! completes the same register into a 32-bit value.

use super::MOVW_MOVT_REACH;

/// A decoded Thumb-2 `MOVW` (encoding T3) or `MOVT` (encoding T1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mov16 {
    /// `MOVT` (writes the top half) rather than `MOVW`.
    pub top: bool,
    /// Destination register.
    pub rd: u8,
    /// The 16-bit immediate `imm4:i:imm3:imm8`.
    pub imm16: u16,
}

/// Decodes a 32-bit Thumb instruction (first halfword `hw1`, second `hw2`)
/// as `MOVW`/`MOVT` (ARMv7-M Architecture Reference Manual: `MOV`
/// (immediate) encoding T3, `MOVT` encoding T1):
///
/// ```text
/// MOVW: 1 1 1 1 0 i 1 0 0 1 0 0 imm4 | 0 imm3 Rd imm8
/// MOVT: 1 1 1 1 0 i 1 0 1 1 0 0 imm4 | 0 imm3 Rd imm8
/// ```
#[inline]
pub fn decode_mov16(hw1: u16, hw2: u16) -> Option<Mov16> {
    if hw2 & 0x8000 != 0 {
        return None;
    }
    let top = match hw1 & 0xfbf0 {
        0xf240 => false,
        0xf2c0 => true,
        _ => return None,
    };
    let imm16 =
        ((hw1 & 0xf) << 12) | (((hw1 >> 10) & 1) << 11) | (((hw2 >> 12) & 7) << 8) | (hw2 & 0xff);
    Some(Mov16 {
        top,
        rd: ((hw2 >> 8) & 0xf) as u8,
        imm16,
    })
}

/// Encodes `MOVW`/`MOVT Rd, #imm16` as the four bytes a little-endian Thumb-2
/// image holds (inverse of [`decode_mov16`]; `rd` is masked to 4 bits).
pub fn encode_mov16(m: Mov16) -> [u8; 4] {
    let i = m.imm16;
    let hw1 = if m.top { 0xf2c0 } else { 0xf240 } | ((i >> 11) & 1) << 10 | (i >> 12);
    let hw2 = ((i >> 8) & 7) << 12 | u16::from(m.rd & 0xf) << 8 | (i & 0xff);
    let (a, b) = (hw1.to_le_bytes(), hw2.to_le_bytes());
    [a[0], a[1], b[0], b[1]]
}

#[inline(always)]
fn half(code: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([code[i], code[i + 1]])
}

/// `ThumbExpandImm` (ARMv7-M Architecture Reference Manual, modified
/// immediate constants): the 32-bit value of a Thumb-2 modified immediate
/// `i:imm3:imm8` (bits above the low 12 are ignored).
pub fn thumb_expand_imm(imm12: u16) -> u32 {
    let imm8 = u32::from(imm12 & 0xff);
    if imm12 & 0xc00 == 0 {
        match (imm12 >> 8) & 3 {
            0 => imm8,
            1 => imm8 << 16 | imm8,
            2 => imm8 << 24 | imm8 << 8,
            _ => imm8 * 0x0101_0101,
        }
    } else {
        (0x80 | u32::from(imm12 & 0x7f)).rotate_right(u32::from((imm12 >> 7) & 0x1f))
    }
}

/// Per-register state of the MOVW/MOVT pairing ([`movw_movt_pairs`]).
#[derive(Clone, Copy)]
pub(super) struct Pairing {
    /// Last low-half write per register: (offset + 1, low 16 bits); 0 = none.
    last: [(usize, u16); 16],
    /// Whether `MOVS Rd, #imm8` counts as a low-half write.
    movs: bool,
}

/// True when the halfword `hw1` can start an instruction the pairing
/// tracks: `MOVS Rd, #imm8` (T1), `MOVW`/`MOVT` (T3/T1), `MOV.W` (T2).
#[inline(always)]
pub(super) fn pairing_candidate(hw1: u16) -> bool {
    hw1 & 0xf800 == 0x2000 || hw1 & 0xfb70 == 0xf240 || hw1 & 0xfbef == 0xf04f
}

impl Pairing {
    pub(super) const fn new(movs: bool) -> Self {
        Pairing {
            last: [(0, 0); 16],
            movs,
        }
    }

    /// Decodes the instruction at even offset `i` (first halfword `hw1`);
    /// returns `(offset of the low-half write, value)` when it is a MOVT
    /// completing one.
    #[inline]
    pub(super) fn step(&mut self, code: &[u8], i: usize, hw1: u16) -> Option<(usize, u32)> {
        if hw1 & 0xf800 == 0x2000 {
            // MOVS Rd, #imm8 (T1, 16-bit): 0 0 1 0 0 Rd imm8.
            if self.movs {
                self.last[usize::from((hw1 >> 8) & 7)] = (i + 1, hw1 & 0xff);
            }
            return None;
        }
        let hw2 = match code.get(i + 2..i + 4) {
            Some(b) => u16::from_le_bytes([b[0], b[1]]),
            None => return None,
        };
        if hw1 & 0xfb70 == 0xf240 {
            let m = decode_mov16(hw1, hw2)?;
            let slot = &mut self.last[usize::from(m.rd)];
            if !m.top {
                *slot = (i + 1, m.imm16);
            } else if slot.0 != 0 && i - (slot.0 - 1) <= MOVW_MOVT_REACH {
                return Some((slot.0 - 1, u32::from(m.imm16) << 16 | u32::from(slot.1)));
            }
        } else if hw1 & 0xfbef == 0xf04f && hw2 & 0x8000 == 0 {
            // MOV{S}.W Rd, #const (T2): 11110 i 0 0010 S 1111 | 0 imm3 Rd imm8.
            let imm12 = ((hw1 >> 10) & 1) << 11 | ((hw2 >> 12) & 7) << 8 | (hw2 & 0xff);
            self.last[usize::from((hw2 >> 8) & 0xf)] = (i + 1, thumb_expand_imm(imm12) as u16);
        }
        None
    }
}

/// Calls `f(offset of the low-half instruction, value)` for every 32-bit
/// value built by a Thumb-2 `MOVT Rd, #hi16` completing, at most
/// [`MOVW_MOVT_REACH`] bytes before it, an instruction that set the low half
/// of the same register: `MOVW Rd, #imm16` (T3), or, when the low half is a
/// modified immediate, `MOV.W Rd, #const` (T2) or `MOVS Rd, #imm8` (T1),
/// which compilers prefer then. Every even offset is decoded (instruction
/// boundaries are not known).
pub fn movw_movt_pairs(code: &[u8], f: impl FnMut(usize, u32)) {
    pairs_with(code, true, f)
}

/// [`movw_movt_pairs`], with `MOVS` low-half writes tracked or not.
pub(super) fn pairs_with(code: &[u8], movs: bool, mut f: impl FnMut(usize, u32)) {
    let mut p = Pairing::new(movs);
    let mut i = 0;
    while i + 2 <= code.len() {
        let hw1 = half(code, i);
        if pairing_candidate(hw1)
            && let Some((o, v)) = p.step(code, i, hw1)
        {
            f(o, v);
        }
        i += 2;
    }
}
