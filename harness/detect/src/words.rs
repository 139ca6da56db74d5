//! Constants encoded in instructions: the second detection kernel.
//!
//! Compilers rarely keep small constant tables (SHA-1's K, MD5's T, SHA-256's
//! K when the rounds are unrolled, the masks of fixsliced AES) as contiguous
//! bytes: on Thumb-2 a 32-bit constant becomes a `MOVW Rd, #lo16` /
//! `MOVT Rd, #hi16` pair (the halves scattered over the instruction
//! encoding), on x86-64 an `imm32`/`disp32` operand (`add`, `lea`) or the
//! `imm64` of `movabs`, on Thumb-1 and elsewhere a literal-pool word next to
//! the code. The byte-pattern scanner ([`crate::scan`]) cannot see them: its
//! patterns are at least 11 contiguous bytes.
//!
//! [`WordMatcher`] looks for the words of each [`WordSet`] in one pass over a
//! segment, reading one halfword per even offset: a 64 Ki-bit table says
//! whether it is one of the two 16-bit grams indexed per word (every
//! occurrence of a word, at any byte offset, contains exactly one of them at
//! an even offset; candidates are verified against the whole word), or the
//! first halfword of a Thumb instruction that writes a register's low half
//! (`MOVW`, `MOV.W`, `MOVS`) or its high half (`MOVT`): a `MOVT` completing
//! a low-half write of the same register at most [`MOVW_MOVT_REACH`] bytes
//! before yields the 32-bit value the pair loads. [`WordMatcher::qualify`]
//! then keeps only the matches of sets of which `min_distinct` distinct words
//! lie within [`WINDOW`] bytes of each other, so that a lone word (which
//! random data or unrelated code can contain) is never reported.

use crate::sigdb::WordSet;
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

/// Bytes within which a set's `min_distinct` words must lie.
pub const WINDOW: u64 = 1 << 16;
/// Largest distance (bytes) from a MOVW to the MOVT of the same register
/// that completes it (compilers schedule the pair within a few instructions).
pub const MOVW_MOVT_REACH: usize = 64;

/// How a word was encoded where it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    /// A Thumb-2 `MOVW Rd, #lo16` + `MOVT Rd, #hi16` pair (offset of the MOVW).
    MovwMovt,
    /// Four little-endian bytes at any offset: an x86 `imm32`/`disp32`
    /// operand, a literal-pool or data word.
    Le32,
    /// Eight little-endian bytes at any offset: x86-64 `movabs` `imm64`, a
    /// 64-bit literal or data word.
    Le64,
}

impl Encoding {
    /// Layout name used in signatures and reports.
    pub fn layout(self) -> &'static str {
        match self {
            Encoding::MovwMovt => "thumb2-movw-movt",
            Encoding::Le32 => "imm32-le",
            Encoding::Le64 => "imm64-le",
        }
    }

    /// The encodings a word of `width` bytes is looked for in.
    pub fn for_width(width: u8) -> &'static [Encoding] {
        match width {
            4 => &[Encoding::MovwMovt, Encoding::Le32],
            8 => &[Encoding::Le64],
            _ => &[],
        }
    }
}

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
struct Pairing {
    /// Last low-half write per register: (offset + 1, low 16 bits); 0 = none.
    last: [(usize, u16); 16],
    /// Whether `MOVS Rd, #imm8` counts as a low-half write.
    movs: bool,
}

/// True when the halfword `hw1` can start an instruction the pairing
/// tracks: `MOVS Rd, #imm8` (T1), `MOVW`/`MOVT` (T3/T1), `MOV.W` (T2).
#[inline(always)]
fn pairing_candidate(hw1: u16) -> bool {
    hw1 & 0xf800 == 0x2000 || hw1 & 0xfb70 == 0xf240 || hw1 & 0xfbef == 0xf04f
}

impl Pairing {
    const fn new(movs: bool) -> Self {
        Pairing {
            last: [(0, 0); 16],
            movs,
        }
    }

    /// Decodes the instruction at even offset `i` (first halfword `hw1`);
    /// returns `(offset of the low-half write, value)` when it is a MOVT
    /// completing one.
    #[inline]
    fn step(&mut self, code: &[u8], i: usize, hw1: u16) -> Option<(usize, u32)> {
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
fn pairs_with(code: &[u8], movs: bool, mut f: impl FnMut(usize, u32)) {
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

/// One occurrence of a word of a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WordMatch {
    /// Offset in the scanned buffer (for pairs: of the low-half write).
    pub offset: usize,
    /// Index of the set.
    pub set: u32,
    /// Index of the word in the set.
    pub word: u32,
    /// How it was encoded.
    pub encoding: Encoding,
}

/// A word, indexed by one of its two 16-bit grams.
#[derive(Clone, Copy, Debug)]
struct GramEntry {
    gram: u16,
    /// Offset of the gram in the word.
    delta: u8,
    set: u32,
    word: u32,
    bytes: &'static [u8],
}

const BITMAP_WORDS: usize = 1 << 10;

/// How common a 16-bit gram is in code and data (lower is rarer).
fn gram_badness(g: [u8; 2]) -> u32 {
    let common = |b: u8| matches!(b, 0x00 | 0xff | 0x0f | 0x48 | 0x89 | 0x8b);
    u32::from(common(g[0])) + u32::from(common(g[1])) + 4 * u32::from(g[0] == g[1])
}

fn set_bit(bits: &mut [u64; BITMAP_WORDS], h: u16) {
    bits[usize::from(h >> 6)] |= 1 << (h & 63);
}

#[inline(always)]
fn bit(bits: &[u64; BITMAP_WORDS], h: u16) -> bool {
    bits[usize::from(h >> 6)] >> (h & 63) & 1 != 0
}

/// The compiled word sets.
///
/// A word of `w` bytes occurring at offset `o` contains exactly one even
/// offset among `o + k`, `o + k + 1` (for the `k` chosen per word, the pair of
/// its 16-bit grams that is rarest): the scan reads one halfword at every
/// even offset, tests it in a 64 Ki-bit table (the grams, plus the first
/// halfwords of the Thumb instructions the MOVW/MOVT pairing decodes), and
/// verifies the few candidates, so every occurrence is reported exactly once.
#[derive(Clone, Debug)]
pub struct WordMatcher {
    /// Grams and pairing candidates.
    hot: Box<[u64; BITMAP_WORDS]>,
    grams: Box<[u64; BITMAP_WORDS]>,
    /// Sorted by gram.
    entries: Vec<GramEntry>,
    /// 4-byte words by value, for MOVW/MOVT results: (value, set, word).
    values: Vec<(u32, u32, u32)>,
    /// (min_distinct, number of words) per set.
    sets: Vec<(u16, u32)>,
    /// Whether `MOVS` low-half writes are decoded (only when a word needs it).
    movs: bool,
}

impl WordMatcher {
    /// Compiles `sets` (sets of widths other than 4 and 8 are ignored).
    pub fn new(sets: &[WordSet]) -> Self {
        let mut grams = Box::new([0u64; BITMAP_WORDS]);
        let mut entries = Vec::new();
        let mut values = Vec::new();
        for (si, s) in sets.iter().enumerate() {
            if !matches!(s.width, 4 | 8) {
                continue;
            }
            for wi in 0..s.len() {
                let bytes = s.word_bytes(wi);
                let g = |k: usize| [bytes[k], bytes[k + 1]];
                let k = (0..bytes.len() - 2)
                    .min_by_key(|&k| gram_badness(g(k)) + gram_badness(g(k + 1)))
                    .unwrap_or(0);
                for delta in [k, k + 1] {
                    let gram = u16::from_le_bytes(g(delta));
                    set_bit(&mut grams, gram);
                    entries.push(GramEntry {
                        gram,
                        delta: delta as u8,
                        set: si as u32,
                        word: wi as u32,
                        bytes,
                    });
                }
                if s.width == 4 {
                    let v = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                    values.push((v, si as u32, wi as u32));
                }
            }
        }
        entries.sort_by_key(|e| (e.gram, e.delta, e.set, e.word));
        values.sort_unstable();
        // `MOVS Rd, #imm8` (3% of all halfwords) matters only for words whose
        // low half is below 256: decoded only when a set has one.
        let movs = values.iter().any(|v| v.0 & 0xffff < 0x100);
        let mut hot = grams.clone();
        for h in 0..=u16::MAX {
            if pairing_candidate(h) && (movs || h & 0xf800 != 0x2000) {
                set_bit(&mut hot, h);
            }
        }
        WordMatcher {
            hot,
            grams,
            entries,
            values,
            sets: sets
                .iter()
                .map(|s| (s.min_distinct, s.len() as u32))
                .collect(),
            movs,
        }
    }

    #[cold]
    fn verify(&self, data: &[u8], i: usize, gram: u16, f: &mut impl FnMut(WordMatch)) {
        let start = self.entries.partition_point(|e| e.gram < gram);
        for e in self.entries[start..].iter().take_while(|e| e.gram == gram) {
            let Some(o) = i.checked_sub(usize::from(e.delta)) else {
                continue;
            };
            if data.get(o..o + e.bytes.len()) == Some(e.bytes) {
                f(WordMatch {
                    offset: o,
                    set: e.set,
                    word: e.word,
                    encoding: if e.bytes.len() == 8 {
                        Encoding::Le64
                    } else {
                        Encoding::Le32
                    },
                });
            }
        }
    }

    fn value(&self, offset: usize, v: u32, f: &mut impl FnMut(WordMatch)) {
        let start = self.values.partition_point(|x| x.0 < v);
        for &(_, set, word) in self.values[start..].iter().take_while(|x| x.0 == v) {
            f(WordMatch {
                offset,
                set,
                word,
                encoding: Encoding::MovwMovt,
            });
        }
    }

    /// Reports every word of every set found in `data`, as little-endian
    /// bytes at any offset or as a Thumb-2 MOVW/MOVT pair. One pass, one
    /// table probe per two bytes; never panics, allocates nothing.
    pub fn scan(&self, data: &[u8], mut f: impl FnMut(WordMatch)) {
        let mut pairing = Pairing::new(self.movs);
        let mut i = 0;
        for pair in data.chunks_exact(2) {
            let h = u16::from_le_bytes([pair[0], pair[1]]);
            if bit(&self.hot, h) {
                if bit(&self.grams, h) {
                    self.verify(data, i, h, &mut f);
                }
                if pairing_candidate(h)
                    && let Some((o, v)) = pairing.step(data, i, h)
                {
                    self.value(o, v, &mut f);
                }
            }
            i += 2;
        }
    }

    /// Keeps the matches `(position, match, payload)` that lie in a window of
    /// [`WINDOW`] bytes (by position, e.g. the file offset) holding at least
    /// `min_distinct` distinct words of their set; returns them sorted by
    /// (set, position).
    pub fn qualify<T>(&self, mut matches: Vec<(u64, WordMatch, T)>) -> Vec<(u64, WordMatch, T)> {
        matches.sort_by_key(|(pos, m, _)| (m.set, *pos, m.word, m.encoding));
        let mut keep = vec![false; matches.len()];
        let mut start = 0;
        while start < matches.len() {
            let set = matches[start].1.set;
            let end = start + matches[start..].partition_point(|(_, m, _)| m.set == set);
            let (min, n) = self
                .sets
                .get(set as usize)
                .copied()
                .unwrap_or((u16::MAX, 0));
            let min = u32::from(min.max(1));
            let mut count = vec![0u32; n as usize];
            let (mut distinct, mut l, mut marked) = (0u32, start, start);
            for r in start..end {
                let w = matches[r].1.word as usize;
                if let Some(c) = count.get_mut(w) {
                    *c += 1;
                    distinct += u32::from(*c == 1);
                }
                while matches[r].0 - matches[l].0 >= WINDOW {
                    if let Some(c) = count.get_mut(matches[l].1.word as usize) {
                        *c -= 1;
                        distinct -= u32::from(*c == 0);
                    }
                    l += 1;
                }
                if distinct >= min {
                    for k in keep.iter_mut().take(r + 1).skip(marked.max(l)) {
                        *k = true;
                    }
                    marked = r + 1;
                }
            }
            start = end;
        }
        matches
            .into_iter()
            .zip(keep)
            .filter_map(|(m, k)| k.then_some(m))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigdb::Family;

    // Hand-assembled from the ARMv7-M ARM bit layout:
    // movw r0, #0x7999: imm16 = 0111 1 001 10011001 -> imm4=7 i=1 imm3=1 imm8=0x99
    //   hw1 = 11110 1 100100 0111 = 0xf647, hw2 = 0 001 0000 10011001 = 0x1099
    // movt r0, #0x5a82: imm16 = 0101 1 010 10000010 -> imm4=5 i=1 imm3=2 imm8=0x82
    //   hw1 = 11110 1 101100 0101 = 0xf6c5, hw2 = 0 010 0000 10000010 = 0x2082
    // movw r12, #0x0300: imm4=0 i=0 imm3=3 imm8=0 -> 0xf240, 0x3c00
    // movt r12, #0x0c0f: imm4=0 i=1 imm3=4 imm8=0x0f -> 0xf6c0, 0x4c0f
    const MOVW_R0_7999: [u8; 4] = [0x47, 0xf6, 0x99, 0x10];
    const MOVT_R0_5A82: [u8; 4] = [0xc5, 0xf6, 0x82, 0x20];
    const MOVW_R12_0300: [u8; 4] = [0x40, 0xf2, 0x00, 0x3c];
    const MOVT_R12_0C0F: [u8; 4] = [0xc0, 0xf6, 0x0f, 0x4c];

    #[test]
    fn decodes_hand_assembled_movw_movt() {
        let d = |b: [u8; 4]| {
            decode_mov16(
                u16::from_le_bytes([b[0], b[1]]),
                u16::from_le_bytes([b[2], b[3]]),
            )
        };
        let m = |top, rd, imm16| Some(Mov16 { top, rd, imm16 });
        assert_eq!(d(MOVW_R0_7999), m(false, 0, 0x7999));
        assert_eq!(d(MOVT_R0_5A82), m(true, 0, 0x5a82));
        assert_eq!(d(MOVW_R12_0300), m(false, 12, 0x0300));
        assert_eq!(d(MOVT_R12_0C0F), m(true, 12, 0x0c0f));
        // Bit 15 of the second halfword set: not MOVW (another encoding).
        assert_eq!(d([0x47, 0xf6, 0x99, 0x90]), None);
        // MOV.W (T2, modified immediate) and a 16-bit instruction are not MOVW.
        assert_eq!(d([0x4f, 0xf0, 0x01, 0x00]), None);
        assert_eq!(d([0x70, 0x47, 0x00, 0x00]), None);
        let e = |top, rd, imm16| encode_mov16(Mov16 { top, rd, imm16 });
        assert_eq!(e(false, 0, 0x7999), MOVW_R0_7999);
        assert_eq!(e(true, 0, 0x5a82), MOVT_R0_5A82);
        assert_eq!(e(false, 12, 0x0300), MOVW_R12_0300);
        assert_eq!(e(true, 12, 0x0c0f), MOVT_R12_0C0F);
    }

    #[test]
    fn encode_decode_round_trip_every_immediate() {
        for imm16 in 0..=u16::MAX {
            for (top, rd) in [(false, 3u8), (true, 14)] {
                let b = encode_mov16(Mov16 { top, rd, imm16 });
                let got = decode_mov16(
                    u16::from_le_bytes([b[0], b[1]]),
                    u16::from_le_bytes([b[2], b[3]]),
                );
                assert_eq!(got, Some(Mov16 { top, rd, imm16 }));
            }
        }
    }

    #[test]
    fn pairs_need_the_same_register_and_order_within_reach() {
        let nop = [0x00, 0xbf]; // 16-bit NOP
        let mut code = Vec::new();
        code.extend_from_slice(&MOVW_R0_7999);
        code.extend_from_slice(&MOVW_R12_0300);
        code.extend_from_slice(&nop);
        code.extend_from_slice(&MOVT_R12_0C0F);
        code.extend_from_slice(&MOVT_R0_5A82);
        let mut got = Vec::new();
        movw_movt_pairs(&code, |o, v| got.push((o, v)));
        assert_eq!(got, [(4, 0x0c0f_0300), (0, 0x5a82_7999)]);
        // MOVT before MOVW: no pair; too far apart: no pair.
        let mut rev = MOVT_R0_5A82.to_vec();
        rev.extend_from_slice(&MOVW_R0_7999);
        got.clear();
        movw_movt_pairs(&rev, |o, v| got.push((o, v)));
        assert!(got.is_empty());
        let mut far = MOVW_R0_7999.to_vec();
        far.extend(core::iter::repeat_n(nop, MOVW_MOVT_REACH / 2).flatten());
        far.extend_from_slice(&MOVT_R0_5A82);
        movw_movt_pairs(&far, |o, v| got.push((o, v)));
        assert!(got.is_empty());
        // Unaligned (odd) offsets are not instruction starts.
        let mut odd = vec![0u8];
        odd.extend_from_slice(&code);
        movw_movt_pairs(&odd, |o, v| got.push((o, v)));
        assert!(got.is_empty());
    }

    #[test]
    fn thumb_expand_imm_cases() {
        // ARMv7-M ARM A5.3.2 examples: 00 -> 0x000000XY, 01 -> 0x00XY00XY,
        // 10 -> 0xXY00XY00, 11 -> 0xXYXYXYXY, else 1bcdefgh rotated.
        assert_eq!(thumb_expand_imm(0x0ab), 0xab);
        assert_eq!(thumb_expand_imm(0x1ab), 0x00ab_00ab);
        assert_eq!(thumb_expand_imm(0x2ab), 0xab00_ab00);
        assert_eq!(thumb_expand_imm(0x3ab), 0xabab_abab);
        // rotation 8 (imm12 = 0100 0 0000000): 0x80 ror 8 = 0x8000_0000.
        assert_eq!(thumb_expand_imm(0x400), 0x8000_0000);
        // imm12 = 11110 1000000: 0xc0 ror 30 = 0x300; 11010 1000000: ror 26 = 0x3000.
        assert_eq!(thumb_expand_imm(0xf40), 0x300);
        assert_eq!(thumb_expand_imm(0xd40), 0x3000);
    }

    #[test]
    fn movt_completes_mov_w_and_movs() {
        // Hand-assembled: `mov.w r4, #0x300` = f44f 7440 (T2, S=0, i=1
        // imm3=7 imm8=0x40: 0xc0 ror 30), later `movt r4, #0x0c0f` = f6c0 440f
        // (the bytes the thumbv7em -Os RustCrypto `aes` corpus image has for
        // that MOVT; its low half there is `movw r4, #0x300` = f240 3400).
        let mut code = vec![0x4f, 0xf4, 0x40, 0x74];
        code.extend_from_slice(&[0x00, 0xbf, 0x00, 0xbf]);
        code.extend_from_slice(&[0xc0, 0xf6, 0x0f, 0x44]);
        // movs r3, #0x99 = 2399; movt r3, #0x5a82 = f6c5 2382
        code.extend_from_slice(&[0x99, 0x23, 0xc5, 0xf6, 0x82, 0x23]);
        let mut got = Vec::new();
        movw_movt_pairs(&code, |o, v| got.push((o, v)));
        assert_eq!(got, [(0, 0x0c0f_0300), (12, 0x5a82_0099)]);
    }

    fn set(constant: &'static str, min: u16, width: u8, bytes: &'static [u8]) -> WordSet {
        WordSet {
            algorithm: "t",
            constant,
            family: Family::Sha,
            weight: 1000,
            min_distinct: min,
            width,
            bytes,
        }
    }

    #[test]
    fn finds_words_in_every_encoding() {
        let sets = [
            set("k", 2, 4, &[0x99, 0x79, 0x82, 0x5a, 0x00, 0x03, 0x0f, 0x0c]),
            set("w", 1, 8, &[0x00, 0x00, 0x0f, 0x00, 0xff, 0x00, 0xf0, 0x00]),
        ];
        let m = WordMatcher::new(&sets);
        let mut img = vec![0x11u8; 7];
        img.extend_from_slice(&MOVW_R0_7999); // 7: odd, not decoded as Thumb
        img.push(0x22); // 11
        img.extend_from_slice(&MOVW_R12_0300); // 12
        img.extend_from_slice(&MOVT_R12_0C0F); // 16
        img.extend_from_slice(&[0x05, 0x99, 0x79, 0x82, 0x5a]); // 20: imm32 at 21
        img.extend_from_slice(&[0x48, 0xb8, 0, 0, 0x0f, 0, 0xff, 0, 0xf0, 0]); // movabs at 25
        img.extend_from_slice(&[0, 0, 0x0f, 0, 0xff, 0, 0xf0]); // truncated imm64
        let mut got = Vec::new();
        m.scan(&img, |x| got.push(x));
        got.sort();
        let w = |offset, set, word, encoding| WordMatch {
            offset,
            set,
            word,
            encoding,
        };
        assert_eq!(
            got,
            [
                w(12, 0, 1, Encoding::MovwMovt),
                w(21, 0, 0, Encoding::Le32),
                w(27, 1, 0, Encoding::Le64),
            ]
        );
    }

    #[test]
    fn movs_is_decoded_when_a_word_needs_it() {
        let sets = [set("k", 1, 4, &[0x99, 0x00, 0x82, 0x5a])];
        let m = WordMatcher::new(&sets);
        assert!(m.movs);
        // movs r3, #0x99 = 2399; movt r3, #0x5a82 = f6c5 2382
        let code = [0x00, 0xbf, 0x99, 0x23, 0xc5, 0xf6, 0x82, 0x23];
        let mut got = Vec::new();
        m.scan(&code, |w| got.push((w.offset, w.encoding)));
        assert_eq!(got, [(2, Encoding::MovwMovt)]);
    }

    #[test]
    fn qualify_needs_enough_distinct_words_in_one_window() {
        let sets = [set(
            "k",
            3,
            4,
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        )];
        let m = WordMatcher::new(&sets);
        let at = |pos: u64, word: u32| {
            (
                pos,
                WordMatch {
                    offset: pos as usize,
                    set: 0,
                    word,
                    encoding: Encoding::Le32,
                },
                (),
            )
        };
        // Word 0 three times: one distinct word, not enough.
        assert!(m.qualify(vec![at(0, 0), at(8, 0), at(16, 0)]).is_empty());
        // Three distinct words, but spread over more than one window.
        assert!(
            m.qualify(vec![at(0, 0), at(WINDOW, 1), at(2 * WINDOW, 2)])
                .is_empty()
        );
        // Three distinct words in a window, a fourth far away is dropped.
        let got = m.qualify(vec![at(5 * WINDOW, 3), at(100, 2), at(0, 0), at(50, 1)]);
        assert_eq!(
            got.iter().map(|(p, _, _)| *p).collect::<Vec<_>>(),
            [0, 50, 100]
        );
        // An unknown set index is never reported.
        let mut bad = at(0, 0);
        bad.1.set = 7;
        assert!(m.qualify(vec![bad, bad, bad]).is_empty());
    }

    #[test]
    fn scan_equals_a_naive_search_at_every_alignment() {
        let sets = crate::sigdb::builtin_word_sets();
        let m = WordMatcher::new(&sets);
        let mut x = 0x853c_49e6_748f_ea9bu64;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut data: Vec<u8> = (0..20_000).map(|_| rnd() as u8).collect();
        // Plant words of every set at every alignment, some overlapping.
        for k in 0..400 {
            let s = &sets[k % sets.len()];
            let w = s.word_bytes(rnd() as usize % s.len());
            let at = (rnd() as usize % (data.len() - 8)) & !7 | (k % 8);
            data[at..at + w.len()].copy_from_slice(w);
        }
        // And MOVW/MOVT pairs of 4-byte words.
        for k in 0..50 {
            let s = &sets[k % 6];
            let v = s.word(rnd() as usize % s.len()).unwrap_or(0) as u32;
            let at = (rnd() as usize % (data.len() - 16)) & !1;
            let lo = encode_mov16(Mov16 {
                top: false,
                rd: 2,
                imm16: v as u16,
            });
            let hi = encode_mov16(Mov16 {
                top: true,
                rd: 2,
                imm16: (v >> 16) as u16,
            });
            data[at..at + 4].copy_from_slice(&lo);
            data[at + 4..at + 8].copy_from_slice(&hi);
        }
        let mut got = Vec::new();
        m.scan(&data, |w| got.push(w));
        got.sort();
        let mut want = Vec::new();
        for o in 0..data.len() {
            for (si, s) in sets.iter().enumerate() {
                for wi in 0..s.len() {
                    let b = s.word_bytes(wi);
                    if data.get(o..o + b.len()) == Some(b) {
                        let encoding = if b.len() == 8 {
                            Encoding::Le64
                        } else {
                            Encoding::Le32
                        };
                        want.push(WordMatch {
                            offset: o,
                            set: si as u32,
                            word: wi as u32,
                            encoding,
                        });
                    }
                }
            }
        }
        // No built-in word has a low half below 256: MOVS is not decoded.
        assert!(!m.movs);
        pairs_with(&data, false, |o, v| {
            for (si, s) in sets.iter().enumerate().filter(|(_, s)| s.width == 4) {
                for wi in 0..s.len() {
                    if s.word(wi) == Some(u64::from(v)) {
                        want.push(WordMatch {
                            offset: o,
                            set: si as u32,
                            word: wi as u32,
                            encoding: Encoding::MovwMovt,
                        });
                    }
                }
            }
        });
        want.sort();
        assert!(want.len() >= 400, "{}", want.len());
        assert_eq!(got, want);
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let sets = crate::sigdb::builtin_word_sets();
        let m = WordMatcher::new(&sets);
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 0..300 {
            let buf: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Bias towards MOVW/MOVT opcode bytes.
                    if x.is_multiple_of(5) { 0xf2 } else { x as u8 }
                })
                .collect();
            let mut all = Vec::new();
            m.scan(&buf, |w| all.push((w.offset as u64, w, ())));
            for (_, w, _) in &all {
                assert!(w.offset < buf.len());
            }
            let _ = m.qualify(all);
        }
    }
}
