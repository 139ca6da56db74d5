//! [`LimbMatcher`]: public-key constants carried in instructions, with a
//! chance guard.
//!
//! Special-modulus reduction code (P-256/P-384 field arithmetic, the scalar
//! Montgomery reduction mod the group order, Curve25519 in radix 2^51)
//! loads the limbs of its modulus, and the Montgomery factor
//! `-m^-1 mod 2^64`, as instruction immediates ([`super::imm64`]). A limb
//! alone is no evidence: `-1`, `0xffffffff` and `2^51 - 1` are everywhere,
//! and even a random-looking 64-bit value could be a coincidence of the
//! linear-sweep decoding. A limb set (a [`WordSet`] of a public-key family,
//! width 8) is therefore reported only when [`LIMB_WINDOW`] bytes of code
//! hold `min_distinct` distinct limbs of it, at least one of them (two when
//! the set has two) [`distinctive`]: a value that needs a full 64-bit
//! immediate and is no bitmask. The generator gives sets with fewer than
//! two such limbs a weak weight, so that they can add to other evidence but
//! never make a finding on their own, and leaves out sets with none.

use super::imm64::{Isa, aarch64_values, distinctive, x86_64_imm64, x86_64_values};
use super::riscv::{RV_REACH, riscv64_values};
use super::{Encoding, WordMatch};
use crate::sigdb::WordSet;
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

/// Bytes of code within which a limb set's `min_distinct` limbs must lie
/// (one reduction or multiplication function).
pub const LIMB_WINDOW: u64 = 4096;

/// Most hits kept per distinctive limb, per segment.
pub const MAX_WIDE_HITS: u32 = 256;

/// Bytes the second pass of [`LimbMatcher::scan`] decodes on each side of a
/// distinctive limb: the window, plus room for instructions, MOVK sequences
/// and RV64 chains of up to eight steps crossing its edges.
pub const DECODE_MARGIN: usize =
    LIMB_WINDOW as usize + max(super::imm64::MOVK_REACH, 8 * RV_REACH) + 16;

const fn max(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

/// ELF `e_machine` of x86-64 (the loaders map PE and Mach-O CPU types to it).
pub const EM_X86_64: u16 = 62;
/// ELF `e_machine` of AArch64.
pub const EM_AARCH64: u16 = 183;
/// ELF `e_machine` of RISC-V (decoded as RV64).
pub const EM_RISCV: u16 = 243;

/// The compiled limb sets (the public-key word sets of width 8).
#[derive(Clone, Debug)]
pub struct LimbMatcher {
    /// (value, set, word), sorted.
    values: Vec<(u64, u32, u32)>,
    /// One bit per 16-bit hash of a value: most decoded immediates are
    /// rejected by one probe, without a search.
    filter: Vec<u64>,
    /// Per set index: (min_distinct, number of limbs, limbs needing imm64
    /// required); `None` for sets this matcher ignores.
    sets: Vec<Option<(u16, u32, u32)>>,
}

/// True for the sets [`LimbMatcher`] handles (and [`super::WordMatcher`] ignores).
pub fn is_limb_set(s: &WordSet) -> bool {
    s.family.quantum_vulnerable() && s.width == 8
}

/// How many [`distinctive`] limbs a set's match must include.
pub fn required_imm64(s: &WordSet) -> u32 {
    let n = (0..s.len())
        .filter_map(|i| s.word(i))
        .filter(|&v| distinctive(v))
        .count();
    n.min(2) as u32
}

#[inline(always)]
fn hash16(v: u64) -> usize {
    (v.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
}

impl LimbMatcher {
    /// Compiles the limb sets among `sets` (indices are kept).
    pub fn new(sets: &[WordSet]) -> Self {
        let mut values = Vec::new();
        let mut info = Vec::with_capacity(sets.len());
        for (si, s) in sets.iter().enumerate() {
            if !is_limb_set(s) {
                info.push(None);
                continue;
            }
            for wi in 0..s.len() {
                if let Some(v) = s.word(wi) {
                    values.push((v, si as u32, wi as u32));
                }
            }
            info.push(Some((s.min_distinct, s.len() as u32, required_imm64(s))));
        }
        values.sort_unstable();
        let mut filter = vec![0u64; 1 << 10];
        for &(v, _, _) in &values {
            let h = hash16(v);
            filter[h >> 6] |= 1 << (h & 63);
        }
        LimbMatcher {
            values,
            filter,
            sets: info,
        }
    }

    /// True when no limb set was compiled.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Calls `f` for every limb loaded by an instruction of `data`, decoded
    /// as the instruction sets `machine` implies (ELF numbering; x86-64 and
    /// AArch64 when unknown: RV64 is decoded only for [`EM_RISCV`] images,
    /// as its sweep runs at about a third of their speed and raw RISC-V
    /// firmware is mostly RV32, whose limbs are 32-bit). With `wide_only`, x86-64 is searched for `movabs` only: the
    /// one instruction that can load a [`distinctive`] limb.
    fn decode(
        &self,
        data: &[u8],
        machine: Option<u16>,
        wide_only: bool,
        mut f: impl FnMut(WordMatch, u64),
    ) {
        let isas: &[Isa] = match machine {
            Some(EM_X86_64) => &[Isa::X86_64],
            Some(EM_AARCH64) => &[Isa::Aarch64],
            Some(EM_RISCV) => &[Isa::Riscv64],
            None => &[Isa::X86_64, Isa::Aarch64],
            Some(_) => &[],
        };
        for &isa in isas {
            let encoding = match isa {
                Isa::X86_64 => Encoding::X86Mov,
                Isa::Aarch64 => Encoding::A64Mov,
                Isa::Riscv64 => Encoding::RvLi,
            };
            let mut hit = |offset: usize, v: u64| {
                let h = hash16(v);
                if self.filter[h >> 6] >> (h & 63) & 1 == 0 {
                    return;
                }
                let start = self.values.partition_point(|x| x.0 < v);
                for &(_, set, word) in self.values[start..].iter().take_while(|x| x.0 == v) {
                    let m = WordMatch {
                        offset,
                        set,
                        word,
                        encoding,
                    };
                    f(m, v);
                }
            };
            match isa {
                Isa::X86_64 if wide_only => x86_64_imm64(data, &mut hit),
                Isa::X86_64 => x86_64_values(data, &mut hit),
                Isa::Aarch64 => aarch64_values(data, &mut hit),
                Isa::Riscv64 => riscv64_values(data, &mut hit),
            }
        }
    }

    /// Reports the limbs loaded by instructions of `data` that can matter:
    /// every [`distinctive`] limb (at most [`MAX_WIDE_HITS`] per limb), and
    /// the others (-1, `0xffffffff`, `2^51 - 1`, ...) only within
    /// [`LIMB_WINDOW`] bytes of a distinctive limb of the same set, at most one per
    /// 64 bytes per limb. So memory stays bounded however often `-1` occurs
    /// (a crafted input repeating it, or any large library), and no trivial
    /// limb a qualifying window needs is dropped by a count cap. One pass,
    /// then a second over the windows around distinctive limbs only.
    pub fn scan(&self, data: &[u8], machine: Option<u16>, mut f: impl FnMut(WordMatch)) {
        if self.values.is_empty() {
            return;
        }
        let mut wide: Vec<(u32, usize)> = Vec::new();
        let mut per_limb: BTreeMap<(u32, u32), u32> = BTreeMap::new();
        self.decode(data, machine, true, |m, v| {
            if distinctive(v) {
                let c = per_limb.entry((m.set, m.word)).or_insert(0);
                if *c < MAX_WIDE_HITS {
                    *c += 1;
                    wide.push((m.set, m.offset));
                    f(m);
                }
            }
        });
        if wide.is_empty() {
            return;
        }
        wide.sort_unstable();
        let reach = LIMB_WINDOW as usize;
        // The second pass decodes only the windows around distinctive limbs
        // (with a margin for instructions, MOVK sequences and RV64 chains of
        // up to eight steps crossing their edges; starts 4-byte aligned for
        // AArch64, hence even for RV64).
        let margin = DECODE_MARGIN;
        let mut around: Vec<usize> = wide.iter().map(|&(_, o)| o).collect();
        around.sort_unstable();
        let mut regions: Vec<(usize, usize)> = Vec::new();
        for o in around {
            let (a, b) = (o.saturating_sub(margin) & !3, (o + margin).min(data.len()));
            match regions.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => regions.push((a, b)),
            }
        }
        let mut last: BTreeMap<(u32, u32), usize> = BTreeMap::new();
        for (a, b) in regions {
            self.decode(&data[a..b], machine, false, |mut m, v| {
                if distinctive(v) {
                    return;
                }
                m.offset += a;
                let i = wide
                    .partition_point(|&(s, o)| (s, o) < (m.set, m.offset.saturating_sub(reach)));
                let near = wide
                    .get(i)
                    .is_some_and(|&(s, o)| s == m.set && o < m.offset.saturating_add(reach));
                if !near {
                    return;
                }
                let prev = last.entry((m.set, m.word)).or_insert(usize::MAX);
                if *prev != usize::MAX && m.offset < prev.saturating_add(64) {
                    return;
                }
                *prev = m.offset;
                f(m);
            });
        }
    }

    /// Keeps the matches `(position, match, payload)` of limb sets that lie
    /// in a window of [`LIMB_WINDOW`] bytes holding `min_distinct` distinct
    /// limbs of their set, among them the required number of limbs needing
    /// a 64-bit immediate; sorted by (set, position).
    pub fn qualify<T>(
        &self,
        sets: &[WordSet],
        mut matches: Vec<(u64, WordMatch, T)>,
    ) -> Vec<(u64, WordMatch, T)> {
        matches.sort_by_key(|(pos, m, _)| (m.set, *pos, m.word, m.encoding));
        let mut keep = vec![false; matches.len()];
        let mut start = 0;
        while start < matches.len() {
            let set = matches[start].1.set;
            let end = start + matches[start..].partition_point(|(_, m, _)| m.set == set);
            let Some(Some((min, n, need64))) = self.sets.get(set as usize).copied() else {
                start = end;
                continue;
            };
            let wide = |w: u32| {
                sets.get(set as usize)
                    .and_then(|s| s.word(w as usize))
                    .is_some_and(distinctive)
            };
            let mut count = vec![0u32; n as usize];
            let (mut distinct, mut distinct64, mut l, mut marked) = (0u32, 0u32, start, start);
            for r in start..end {
                let w = matches[r].1.word;
                if let Some(c) = count.get_mut(w as usize) {
                    *c += 1;
                    if *c == 1 {
                        distinct += 1;
                        distinct64 += u32::from(wide(w));
                    }
                }
                while matches[r].0 - matches[l].0 >= LIMB_WINDOW {
                    let wl = matches[l].1.word;
                    if let Some(c) = count.get_mut(wl as usize) {
                        *c -= 1;
                        if *c == 0 {
                            distinct -= 1;
                            distinct64 -= u32::from(wide(wl));
                        }
                    }
                    l += 1;
                }
                if distinct >= u32::from(min.max(2)) && distinct64 >= need64.max(1) {
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
