//! The public-key limb kernel ([`LimbMatcher::scan`]) on a large segment,
//! in parallel, with the result of one call on the whole segment.
//!
//! That kernel keeps per segment the first [`MAX_WIDE_HITS`] distinctive
//! limbs of each limb (in decode order), then decodes only the windows
//! around them for the trivial limbs (`-1`, `2^51 - 1`, ...), at most one
//! per 64 bytes per limb. So its result depends only on where the
//! distinctive limbs are:
//!
//! 1. every chunk is scanned (in parallel) with enough bytes past its end
//!    for the instructions that start in it (a `movabs`, an AArch64
//!    `MOVZ`/`MOVK` sequence: the read extends while the last 64 bytes hold
//!    a move-wide or logical-immediate instruction), and the distinctive
//!    limbs starting in the chunk are located;
//! 2. none: the whole-segment call reports nothing either;
//! 3. a limb found [`MAX_WIDE_HITS`] times or more: its cap would bind, so
//!    the segment is scanned whole (exact, one thread);
//! 4. else the distinctive limbs are grouped into clusters more than
//!    `2 * MARGIN` bytes apart and each cluster is scanned on its own span
//!    (from `MARGIN` before its first limb, 4-byte aligned, to `MARGIN`
//!    after its last, extended like in 1): the same windows, decoded from
//!    the same offsets, and no window of one cluster reaches another.
//!
//! `MARGIN` is twice what the kernel decodes around a distinctive limb
//! ([`DECODE_MARGIN`]). The tests compare the result with the whole-segment
//! call at chunk sizes that cut limb sequences.
//!
//! RISC-V segments are decoded whole, on one thread: the RV64 sweep takes
//! its instruction boundaries from where it starts, so a span started
//! elsewhere could see other instructions.

use super::Detector;
use super::chunks::Plan;
use crate::words::imm64::distinctive;
use crate::words::limbs::{DECODE_MARGIN, EM_RISCV, MAX_WIDE_HITS};
use crate::words::{WordMatch, is_limb_set};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// Bytes scanned around a cluster of distinctive limbs.
pub const MARGIN: usize = 2 * DECODE_MARGIN;

/// True for an AArch64 move-wide (`MOVZ`/`MOVN`/`MOVK`) or logical
/// immediate (`ORR` ...) instruction word: what a value sequence is made of.
fn a64_move(w: u32) -> bool {
    matches!(w & 0x1f80_0000, 0x1280_0000 | 0x1200_0000)
}

/// `end`, moved on by 64 bytes while the 64 bytes before it hold an
/// instruction that a sequence crossing `end` could continue.
fn extend(data: &[u8], mut end: usize) -> usize {
    let len = data.len();
    while end < len {
        let from = end.saturating_sub(64) & !3;
        let tail = data.get(from..end).unwrap_or_default();
        let live = tail
            .chunks_exact(4)
            .any(|c| a64_move(u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        if !live {
            break;
        }
        end = end.saturating_add(64).min(len);
    }
    end
}

impl Detector {
    /// True when match `m` is a distinctive limb.
    fn is_wide(&self, m: &WordMatch) -> bool {
        self.sets
            .get(m.set as usize)
            .filter(|s| is_limb_set(s))
            .and_then(|s| s.word(m.word as usize))
            .is_some_and(distinctive)
    }

    /// The limb kernel's matches on `data` (offsets in `data`), as one call
    /// on the whole of it would report them, using the chunks of `plan`.
    pub(super) fn limbs_spanned(
        &self,
        data: &[u8],
        machine: Option<u16>,
        plan: &Plan,
    ) -> Vec<WordMatch> {
        let whole = || {
            let mut v = Vec::new();
            self.limbs.scan(data, machine, |m| v.push(m));
            v
        };
        if self.limbs.is_empty() || plan.chunks.len() < 2 || machine == Some(EM_RISCV) {
            return whole();
        }
        // 1. Distinctive limbs per chunk: (offset, set, word), and whether
        // the chunk's own cap bound (then limbs may be missing from it).
        let found = super::chunks::map(plan, |c| {
            let end = extend(data, c.end.saturating_add(16).min(data.len()));
            let mut v = Vec::new();
            let mut seen: BTreeMap<(u32, u32), u32> = BTreeMap::new();
            if let Some(buf) = data.get(c.start..end) {
                self.limbs.scan(buf, machine, |m| {
                    if self.is_wide(&m) {
                        *seen.entry((m.set, m.word)).or_insert(0) += 1;
                        if c.start + m.offset < c.end {
                            v.push((c.start + m.offset, m.set, m.word));
                        }
                    }
                });
            }
            (v, seen.values().any(|&n| n >= MAX_WIDE_HITS))
        });
        if found.iter().any(|(_, capped)| *capped) {
            return whole();
        }
        let mut wide: Vec<(usize, u32, u32)> = found.into_iter().flat_map(|(v, _)| v).collect();
        wide.sort_unstable();
        // 2. None.
        if wide.is_empty() {
            return Vec::new();
        }
        // 3. A cap that binds.
        let mut per_limb: BTreeMap<(u32, u32), u32> = BTreeMap::new();
        for &(_, s, w) in &wide {
            let n = per_limb.entry((s, w)).or_insert(0);
            *n += 1;
            if *n >= MAX_WIDE_HITS {
                return whole();
            }
        }
        // 4. Clusters, their spans (merged when they meet), scanned.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for &(o, _, _) in &wide {
            let a = o.saturating_sub(MARGIN) & !3;
            let b = extend(data, o.saturating_add(MARGIN).min(data.len()));
            match spans.last_mut() {
                Some(last) if a <= last.1.saturating_add(MARGIN) => last.1 = last.1.max(b),
                _ => spans.push((a, b)),
            }
        }
        let span_plan = Plan {
            chunks: spans
                .iter()
                .map(|&(a, b)| super::chunks::Chunk {
                    start: a,
                    end: b,
                    read_end: b,
                    entropy_end: b,
                })
                .collect(),
        };
        super::chunks::map(&span_plan, |c| {
            let mut v = Vec::new();
            if let Some(buf) = data.get(c.start..c.end) {
                self.limbs.scan(buf, machine, |mut m| {
                    m.offset += c.start;
                    v.push(m);
                });
            }
            v
        })
        .into_iter()
        .flatten()
        .collect()
    }
}
