//! Decoding of the 64-bit values RV64 code builds in integer registers:
//! `lui`, `li` (`addi rd, x0, imm`, `c.li`, `c.lui`), then `addi(w)`,
//! `slli`/`srli`/`srai`, `ori`/`xori`/`andi` on a register holding a known
//! value, and `add`/`sub`/`or`/`xor`/`and` of two such registers: the
//! sequences GCC and LLVM emit for 64-bit constants (`lui; addiw; slli;
//! addi; ...` chains, `li -1; srli` masks, halves built apart and combined
//! with `slli; add`).
//!
//! The sweep is linear from the first byte: an instruction's length comes
//! from its low bits (`11`: 4 bytes, else a 2-byte compressed instruction),
//! so with the C extension 32-bit instructions start at any 2-byte
//! boundary and are followed as the disassembler does. A sweep that starts
//! inside an instruction (a region cut from the middle of code, data in
//! text) falls back in step within a few instructions, as paths through
//! the same offset merge. Values are tracked per register (an abstract
//! interpretation of constants only): any other instruction that writes a
//! register forgets its value, and a value is used as a source only when
//! it was last written at most [`RV_REACH`] bytes before.

/// Largest distance (bytes) from the instruction that last wrote a
/// register's known value to an instruction that builds on it.
pub const RV_REACH: usize = 64;

/// Per register: (offset of the first instruction, offset of the last, value).
type Reg = Option<(usize, usize, u64)>;

fn sext32(v: u64) -> u64 {
    v as u32 as i32 as i64 as u64
}

/// Sign-extends the low `bits` bits of `v`.
fn sext(v: u32, bits: u32) -> u64 {
    (((v as u64) << (64 - bits)) as i64 >> (64 - bits)) as u64
}

/// What one instruction does to the register file.
enum Step {
    /// Writes `rd` with a value computed from known sources (`None`: unknown).
    Write(usize, Option<(usize, u64)>),
    /// Writes no integer register this decoder tracks.
    Nothing,
}

struct Regs {
    r: [Reg; 32],
}

impl Regs {
    /// (first, value) of register `x` as a source at offset `i`.
    fn get(&self, x: usize, i: usize) -> Option<(usize, u64)> {
        if x == 0 {
            return Some((i, 0));
        }
        self.r[x]
            .filter(|&(_, last, _)| i - last <= RV_REACH)
            .map(|(first, _, v)| (first, v))
    }

    fn un(&self, x: usize, i: usize, op: impl Fn(u64) -> u64) -> Option<(usize, u64)> {
        self.get(x, i).map(|(first, v)| (first, op(v)))
    }

    fn bin(
        &self,
        a: usize,
        b: usize,
        i: usize,
        op: impl Fn(u64, u64) -> u64,
    ) -> Option<(usize, u64)> {
        let (fa, va) = self.get(a, i)?;
        let (fb, vb) = self.get(b, i)?;
        Some((fa.min(fb), op(va, vb)))
    }
}

/// Decodes the 32-bit instruction `w` at offset `i`.
fn step32(regs: &Regs, w: u32, i: usize) -> Step {
    let rd = ((w >> 7) & 31) as usize;
    let f3 = (w >> 12) & 7;
    let rs1 = ((w >> 15) & 31) as usize;
    let rs2 = ((w >> 20) & 31) as usize;
    let f7 = w >> 25;
    let imm = sext(w >> 20, 12);
    let sh = (w >> 20) & 63;
    let value = match w & 0x7f {
        // LUI
        0x37 => Some((i, sext(w & 0xffff_f000, 32))),
        // OP-IMM
        0x13 => match (f3, w >> 26) {
            (0, _) => regs.un(rs1, i, |v| v.wrapping_add(imm)),
            (4, _) => regs.un(rs1, i, |v| v ^ imm),
            (6, _) => regs.un(rs1, i, |v| v | imm),
            (7, _) => regs.un(rs1, i, |v| v & imm),
            (1, 0) => regs.un(rs1, i, |v| v << sh),
            (5, 0) => regs.un(rs1, i, |v| v >> sh),
            (5, 0x10) => regs.un(rs1, i, |v| ((v as i64) >> sh) as u64),
            _ => None,
        },
        // OP-IMM-32
        0x1b => match (f3, f7) {
            (0, _) => regs.un(rs1, i, |v| sext32(v.wrapping_add(imm))),
            (1, 0) => regs.un(rs1, i, |v| sext32(v << (sh & 31))),
            (5, 0) => regs.un(rs1, i, |v| sext32(u64::from(v as u32 >> (sh & 31)))),
            (5, 0x20) => regs.un(rs1, i, |v| ((v as i32) >> (sh & 31)) as i64 as u64),
            _ => None,
        },
        // OP
        0x33 => match (f3, f7) {
            (0, 0) => regs.bin(rs1, rs2, i, u64::wrapping_add),
            (0, 0x20) => regs.bin(rs1, rs2, i, u64::wrapping_sub),
            (4, 0) => regs.bin(rs1, rs2, i, |a, b| a ^ b),
            (6, 0) => regs.bin(rs1, rs2, i, |a, b| a | b),
            (7, 0) => regs.bin(rs1, rs2, i, |a, b| a & b),
            _ => None,
        },
        // OP-32
        0x3b => match (f3, f7) {
            (0, 0) => regs.bin(rs1, rs2, i, |a, b| sext32(a.wrapping_add(b))),
            (0, 0x20) => regs.bin(rs1, rs2, i, |a, b| sext32(a.wrapping_sub(b))),
            _ => None,
        },
        // LOAD, AUIPC, JAL, JALR, AMO, SYSTEM (CSR reads): write rd.
        0x03 | 0x17 | 0x6f | 0x67 | 0x2f | 0x73 => None,
        // OP-FP: compares, conversions to integer, fmv.x, fclass write an
        // integer register.
        0x53 if matches!(w >> 27, 0x14 | 0x18 | 0x1c) => None,
        // OP-V: vsetvli / vsetivli / vsetvl write rd.
        0x57 if f3 == 7 => None,
        _ => return Step::Nothing,
    };
    Step::Write(rd, value)
}

/// Decodes the 16-bit compressed instruction `h` at offset `i` (RV64C).
fn step16(regs: &Regs, h: u16, i: usize) -> Step {
    let h = u32::from(h);
    let f3 = h >> 13;
    let rd = ((h >> 7) & 31) as usize;
    let rs2 = ((h >> 2) & 31) as usize;
    // rd'/rs1' in bits 9:7, rs2'/rd' in bits 4:2 (x8..x15).
    let rdp = (((h >> 7) & 7) + 8) as usize;
    let rs2p = (((h >> 2) & 7) + 8) as usize;
    let imm6 = sext(((h >> 12) & 1) << 5 | ((h >> 2) & 31), 6);
    let sh = ((h >> 12) & 1) << 5 | ((h >> 2) & 31);
    match (h & 3, f3) {
        // c.addi4spn, c.lw, c.ld: write rd' (bits 4:2).
        (0, 0 | 2 | 3) => Step::Write(rs2p, None),
        (1, 0) => Step::Write(rd, regs.un(rd, i, |v| v.wrapping_add(imm6))),
        (1, 1) => Step::Write(rd, regs.un(rd, i, |v| sext32(v.wrapping_add(imm6)))),
        (1, 2) => Step::Write(rd, Some((i, imm6))),
        // c.addi16sp writes sp, which is never a known value.
        (1, 3) if rd == 2 => Step::Write(2, None),
        (1, 3) => Step::Write(rd, Some((i, imm6 << 12))),
        (1, 4) => {
            let v = match ((h >> 10) & 3, (h >> 12) & 1, (h >> 5) & 3) {
                (0, _, _) => regs.un(rdp, i, |v| v >> sh),
                (1, _, _) => regs.un(rdp, i, |v| ((v as i64) >> sh) as u64),
                (2, _, _) => regs.un(rdp, i, |v| v & imm6),
                (3, 0, 0) => regs.bin(rdp, rs2p, i, u64::wrapping_sub),
                (3, 0, 1) => regs.bin(rdp, rs2p, i, |a, b| a ^ b),
                (3, 0, 2) => regs.bin(rdp, rs2p, i, |a, b| a | b),
                (3, 0, 3) => regs.bin(rdp, rs2p, i, |a, b| a & b),
                (3, 1, 0) => regs.bin(rdp, rs2p, i, |a, b| sext32(a.wrapping_sub(b))),
                (3, 1, 1) => regs.bin(rdp, rs2p, i, |a, b| sext32(a.wrapping_add(b))),
                _ => None,
            };
            Step::Write(rdp, v)
        }
        (2, 0) => Step::Write(rd, regs.un(rd, i, |v| v << sh)),
        // c.lwsp, c.ldsp.
        (2, 2 | 3) => Step::Write(rd, None),
        (2, 4) => match ((h >> 12) & 1, rs2) {
            (0, 0) => Step::Nothing,                           // c.jr
            (0, _) => Step::Write(rd, regs.un(rs2, i, |v| v)), // c.mv
            (1, 0) if rd == 0 => Step::Nothing,                // c.ebreak
            (1, 0) => Step::Write(1, None),                    // c.jalr writes ra
            (1, _) => Step::Write(rd, regs.bin(rd, rs2, i, u64::wrapping_add)),
            _ => Step::Nothing,
        },
        _ => Step::Nothing,
    }
}

/// Calls `f(offset, value)` for every value an RV64 instruction of `data`
/// computes from constants alone (see the module notes): after the `lui`
/// or `li` that starts it and after each step that builds on it (offset of
/// the first instruction; for a combination of two registers, the earlier
/// first one). Little-endian, linear sweep from offset 0 with the C
/// extension's 2-byte instructions.
pub fn riscv64_values(data: &[u8], mut f: impl FnMut(usize, u64)) {
    let mut regs = Regs { r: [None; 32] };
    // No register holds a usable value after this offset: until a start,
    // the other instructions can only write unknown values, so they are
    // skipped (same result, much faster on ordinary code).
    let mut live_until = 0usize;
    let mut i = 0;
    while let Some(b) = data.get(i..i + 2) {
        let lo = u16::from_le_bytes([b[0], b[1]]);
        let (step, len) = if lo & 3 == 3 {
            let Some(c) = data.get(i + 2..i + 4) else {
                break;
            };
            let w = u32::from(lo) | u32::from(u16::from_le_bytes([c[0], c[1]])) << 16;
            if i > live_until && !starts32(w) {
                i += 4;
                continue;
            }
            (step32(&regs, w, i), 4)
        } else {
            // c.li, c.lui (and c.addi16sp, which writes no known value).
            if i > live_until && !(lo & 3 == 1 && matches!(lo >> 13, 2 | 3)) {
                i += 2;
                continue;
            }
            (step16(&regs, lo, i), 2)
        };
        if let Step::Write(rd, v) = step
            && rd != 0
        {
            regs.r[rd] = v.map(|(first, v)| (first, i, v));
            if let Some((first, v)) = v {
                live_until = live_until.max(i + RV_REACH);
                f(first, v);
            }
        }
        i += len;
    }
}

/// True when the 32-bit instruction `w` computes a value from `x0` and
/// immediates alone: `lui`, an OP-IMM(-32) on `x0` (`li`), an OP(-32) of
/// `x0` with itself.
fn starts32(w: u32) -> bool {
    let rs1 = (w >> 15) & 31;
    let rs2 = (w >> 20) & 31;
    match w & 0x7f {
        0x37 => true,
        0x13 | 0x1b => rs1 == 0,
        0x33 | 0x3b => rs1 == 0 && rs2 == 0,
        _ => false,
    }
}
