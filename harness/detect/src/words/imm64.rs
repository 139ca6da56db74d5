//! Decoding of the 64-bit values instructions load into a register: x86-64
//! `movabs r64, imm64`, `mov r32, imm32` (zero-extended), `mov r64, simm32`
//! and `or r64, -1`; AArch64 `MOVZ`/`MOVN` followed by `MOVK`s into the same
//! register, and `MOV Xd, #bitmask` (`ORR` immediate with `XZR`). RISC-V
//! (RV64) is decoded by [`super::riscv`].

/// Which instruction set a value was decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Isa {
    /// x86-64.
    X86_64,
    /// AArch64 (A64, little-endian).
    Aarch64,
    /// RV64 (little-endian, with the C extension).
    Riscv64,
}

/// Largest distance (bytes) from the `MOVZ`/`MOVN` that starts a register
/// value to a `MOVK` that continues it.
pub const MOVK_REACH: usize = 64;

/// True when `v` needs a full 64-bit immediate: neither a zero-extended
/// 32-bit value nor a sign-extended one (x86-64 loads those with a 5- or
/// 7-byte `mov`, AArch64 with one `MOVZ`/`MOVN`/`ORR`; they are common in
/// any code: masks, -1, small counts).
pub fn needs_imm64(v: u64) -> bool {
    let s = v as i64;
    v > u64::from(u32::MAX) && !(i64::from(i32::MIN)..0).contains(&s)
}

/// True when `v` is an AArch64 64-bit logical immediate: an element of 2,
/// 4, ..., 64 bits holding one rotated run of ones, replicated (masks such
/// as `0xffffffff00000000`, `2^56 - 2`, `0x0000000100000001`).
pub fn is_bitmask(v: u64) -> bool {
    if v == 0 || v == u64::MAX {
        return false;
    }
    // Smallest period of the pattern.
    let size = [2u32, 4, 8, 16, 32]
        .into_iter()
        .find(|&n| replicates(v, n))
        .unwrap_or(64);
    let mask = if size == 64 {
        u64::MAX
    } else {
        (1u64 << size) - 1
    };
    let e = v & mask;
    let ones = e.count_ones();
    let run = (1u64 << ones) - 1;
    (0..size).any(|r| {
        let rot = if r == 0 {
            e
        } else {
            ((e >> r) | (e << (size - r))) & mask
        };
        rot == run
    })
}

fn replicates(v: u64, size: u32) -> bool {
    let mask = (1u64 << size) - 1;
    let e = v & mask;
    (0..64 / size).all(|k| (v >> (k * size)) & mask == e)
}

/// True when `v` is evidence as an immediate: it needs a full 64-bit
/// immediate ([`needs_imm64`]) and neither it nor `v +- 1` is a bitmask
/// ([`is_bitmask`]). Structured values (`0xffffffff00000000`,
/// `0x100000001`, `2^56 - 2`, `0xffffffff00000001`) are what ordinary
/// optimised code loads to store two 32-bit fields at once or to mask
/// pointers: measured on a Rust library (librsvg) that loads the P-384
/// prime's limbs `0xffffffff00000000` and `0x100000001` for such reasons.
pub fn distinctive(v: u64) -> bool {
    needs_imm64(v)
        && !is_bitmask(v)
        && !is_bitmask(v.wrapping_add(1))
        && !is_bitmask(v.wrapping_sub(1))
}

/// Calls `f(offset, value)` for every 64-bit register value an x86-64
/// instruction at any byte offset of `data` loads (offset of its first byte,
/// the REX prefix when present). Linear sweep at every offset: a few false
/// decodes inside other instructions are harmless because callers look the
/// values up in a small set and need several distinct ones close together.
pub fn x86_64_values(data: &[u8], mut f: impl FnMut(usize, u64)) {
    let n = data.len();
    let le32 = |i: usize| {
        data.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    for i in 0..n {
        let b = data[i];
        match b {
            0x48..=0x4f => {
                let Some(&op) = data.get(i + 1) else { continue };
                match op {
                    0xb8..=0xbf => {
                        if let Some(v) = data.get(i + 2..i + 10) {
                            let mut le = [0u8; 8];
                            le.copy_from_slice(v);
                            f(i, u64::from_le_bytes(le));
                        }
                    }
                    // mov r/m64, simm32 with a register operand.
                    0xc7 if data.get(i + 2).is_some_and(|m| m & 0xf8 == 0xc0) => {
                        if let Some(v) = le32(i + 3) {
                            f(i, v as i32 as i64 as u64);
                        }
                    }
                    // or r64, -1 (imm8 sign-extended).
                    0x83 if data.get(i + 2).is_some_and(|m| m & 0xf8 == 0xc8)
                        && data.get(i + 3) == Some(&0xff) =>
                    {
                        f(i, u64::MAX);
                    }
                    _ => {}
                }
            }
            // mov r32, imm32 (zero-extends into the 64-bit register).
            0xb8..=0xbf => {
                if let Some(v) = le32(i + 1) {
                    f(i, u64::from(v));
                }
            }
            _ => {}
        }
    }
}

/// Calls `f(offset, value)` for every x86-64 `movabs r64, imm64` (REX.W
/// prefix `0x48..=0x4f`, opcode `0xb8..=0xbf`) at any byte offset of
/// `data`, in offset order: the only x86-64 instruction that loads a value
/// needing a full 64-bit immediate ([`needs_imm64`]). The same values
/// [`x86_64_values`] reports for those instructions, found eight bytes at a
/// time: both bytes of the pair are tested in all lanes of a word at once.
pub fn x86_64_imm64(data: &[u8], mut f: impl FnMut(usize, u64)) {
    const TOP5: u64 = 0xf8f8_f8f8_f8f8_f8f8;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    /// High bit of each byte of `x` that is zero (exact, no carries).
    #[inline(always)]
    fn zero_bytes(x: u64) -> u64 {
        !(((x & LOW7) + LOW7) | x | LOW7)
    }
    let imm = |i: usize| {
        data.get(i + 2..i + 10)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
    };
    let mut i = 0;
    // Words at i, i + 7, ...: every pair (j, j + 1) lies inside one word.
    while let Some(w) = data.get(i..i + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let x = u64::from_le_bytes(w) & TOP5;
        let rex = zero_bytes(x ^ 0x4848_4848_4848_4848);
        let mov = zero_bytes(x ^ 0xb8b8_b8b8_b8b8_b8b8);
        let mut pairs = rex & (mov >> 8);
        while pairs != 0 {
            let j = pairs.trailing_zeros() as usize / 8;
            if let Some(v) = imm(i + j) {
                f(i + j, v);
            }
            pairs &= pairs - 1;
        }
        i += 7;
    }
    // The last pair starts (fewer than 8 bytes left).
    while i + 1 < data.len() {
        if data[i] & 0xf8 == 0x48
            && data[i + 1] & 0xf8 == 0xb8
            && let Some(v) = imm(i)
        {
            f(i, v);
        }
        i += 1;
    }
}

/// Decodes an AArch64 logical (bitmask) immediate `N:immr:imms` for a
/// 64-bit register (Arm ARM `DecodeBitMasks`); `None` when reserved.
pub fn a64_bitmask(n: u32, immr: u32, imms: u32) -> Option<u64> {
    let combined = (n << 6) | (!imms & 0x3f);
    if combined == 0 {
        return None;
    }
    let len = 31 - combined.leading_zeros();
    let size = 1u32 << len;
    let levels = size - 1;
    let s = imms & levels;
    let r = immr & levels;
    if s == levels {
        return None;
    }
    let ones = (1u64 << (s + 1)) - 1;
    let elem_mask = if size == 64 {
        u64::MAX
    } else {
        (1u64 << size) - 1
    };
    let elem = if r == 0 {
        ones
    } else {
        ((ones >> r) | (ones << (size - r))) & elem_mask
    };
    let mut v = 0u64;
    let mut k = 0;
    while k < 64 {
        v |= elem << k;
        k += size;
    }
    Some(v)
}

/// Calls `f(offset, value)` for every value an AArch64 move-immediate
/// sequence builds in a register: after the `MOVZ`/`MOVN` (64- or 32-bit)
/// or `MOV Xd, #bitmask` that starts it, and after each `MOVK` into the same
/// register at most [`MOVK_REACH`] bytes later (offset of the first
/// instruction). Instructions are read at 4-byte aligned offsets.
pub fn aarch64_values(data: &[u8], mut f: impl FnMut(usize, u64)) {
    // Per register: (offset of the first instruction, offset of the last, value).
    let mut regs: [Option<(usize, usize, u64)>; 32] = [None; 32];
    // Two instructions per 64-bit word: most are neither move-wide
    // (bits 28:23 = 100101) nor logical-immediate (100100) instructions,
    // the only ones decoded, and are skipped by one test of both lanes.
    const CLASS: u64 = 0x3e << 23 | 0x3e << 55;
    const WANT: u64 = 0x24 << 23 | 0x24 << 55;
    let mut pairs = data.chunks_exact(8);
    let mut i = 0;
    for pair in &mut pairs {
        let x = u64::from_le_bytes([
            pair[0], pair[1], pair[2], pair[3], pair[4], pair[5], pair[6], pair[7],
        ]);
        let y = (x ^ WANT) & CLASS;
        if y & 0xffff_ffff == 0 {
            aarch64_step(&mut regs, i, x as u32, &mut f);
        }
        if y >> 32 == 0 {
            aarch64_step(&mut regs, i + 4, (x >> 32) as u32, &mut f);
        }
        i += 8;
    }
    if let Some(c) = pairs.remainder().get(..4) {
        aarch64_step(
            &mut regs,
            i,
            u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            &mut f,
        );
    }
}

/// Decodes the instruction `w` at offset `i` for [`aarch64_values`].
#[inline(always)]
pub(super) fn aarch64_step(
    regs: &mut [Option<(usize, usize, u64)>; 32],
    i: usize,
    w: u32,
    f: &mut impl FnMut(usize, u64),
) {
    let rd = (w & 31) as usize;
    let imm = u64::from((w >> 5) & 0xffff);
    let hw = (w >> 21) & 3;
    let shift = 16 * hw;
    let start = match w & 0xff80_0000 {
        0xd280_0000 => Some(imm << shift),
        0x9280_0000 => Some(!(imm << shift)),
        0x5280_0000 if hw < 2 => Some(imm << shift),
        0x1280_0000 if hw < 2 => Some(!(imm << shift) & 0xffff_ffff),
        // ORR Xd, XZR, #bitmask (MOV alias).
        0xb200_0000 | 0xb280_0000 if (w >> 5) & 31 == 31 => {
            a64_bitmask((w >> 22) & 1, (w >> 16) & 0x3f, (w >> 10) & 0x3f)
        }
        _ => None,
    };
    if let Some(v) = start {
        regs[rd] = Some((i, i, v));
        f(i, v);
        return;
    }
    let wide = match w & 0xff80_0000 {
        0xf280_0000 => true,
        0x7280_0000 if hw < 2 => false,
        _ => return,
    };
    if let Some((first, last, v)) = regs[rd]
        && i - last <= MOVK_REACH
    {
        let mut v = (v & !(0xffff << shift)) | (imm << shift);
        if !wide {
            v &= 0xffff_ffff;
        }
        regs[rd] = Some((first, i, v));
        f(first, v);
    }
}
