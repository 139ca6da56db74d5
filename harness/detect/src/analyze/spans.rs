//! The public-key limb kernel ([`LimbMatcher::scan`](crate::words::LimbMatcher::scan)) on a large segment,
//! in parallel, with the result of one call on the whole segment.
//!
//! That kernel keeps per segment the first [`MAX_WIDE_HITS`] distinctive
//! limbs of each limb (in decode order), then decodes only the windows
//! around them for the trivial limbs (`-1`, `2^51 - 1`, ...), at most one
//! per 64 bytes per limb. So its result depends only on where the
//! distinctive limbs are:
//!
//! 1. every chunk is scanned (in parallel, with the other kernels of the
//!    chunk: `Detector::segment`) with enough bytes past its end for the
//!    instructions that start in it (a `movabs`, an AArch64
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
use super::chunks::{Chunk, Plan};
use crate::words::imm64::distinctive;
use crate::words::limbs::{DECODE_MARGIN, EM_RISCV, MAX_WIDE_HITS};
use crate::words::{WordMatch, is_limb_set};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::ops::Range;

/// Bytes scanned around a cluster of distinctive limbs.
pub const MARGIN: usize = 2 * DECODE_MARGIN;

/// What step 1 found in one chunk.
#[derive(Debug, Default)]
pub(super) struct Located {
    /// Distinctive limbs starting in the chunk: (offset, set, word).
    wide: Vec<(usize, u32, u32)>,
    /// The kernel's own cap bound in the chunk (limbs may be missing).
    capped: bool,
}

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

    /// True when the limb kernel is run on the spans around the distinctive
    /// limbs the chunks of `plan` locate; else it is run on the whole
    /// segment (no limb sets, one chunk, RISC-V).
    pub(super) fn limbs_split(&self, machine: Option<u16>, plan: &Plan) -> bool {
        !self.limbs.is_empty() && plan.chunks.len() >= 2 && machine != Some(EM_RISCV)
    }

    /// The limb kernel on the whole of `data`.
    pub(super) fn limbs_whole(&self, data: &[u8], machine: Option<u16>) -> Vec<WordMatch> {
        let mut v = Vec::new();
        self.limbs.scan(data, machine, |m| v.push(m));
        v
    }

    /// Step 1 on chunk `c` of `data`: the distinctive limbs starting in it.
    pub(super) fn locate_limbs(&self, data: &[u8], machine: Option<u16>, c: Chunk) -> Located {
        let end = extend(data, c.end.saturating_add(16).min(data.len()));
        let mut wide = Vec::new();
        let mut seen: BTreeMap<(u32, u32), u32> = BTreeMap::new();
        if let Some(buf) = data.get(c.start..end) {
            self.limbs.scan(buf, machine, |m| {
                if self.is_wide(&m) {
                    *seen.entry((m.set, m.word)).or_insert(0) += 1;
                    if c.start + m.offset < c.end {
                        wide.push((c.start + m.offset, m.set, m.word));
                    }
                }
            });
        }
        Located {
            wide,
            capped: seen.values().any(|&n| n >= MAX_WIDE_HITS),
        }
    }

    /// Steps 2 to 4: the limb kernel's matches on `data` (offsets in
    /// `data`), as one call on the whole of it would report them, from what
    /// step 1 located in every chunk. `done` is called with the bytes
    /// between the spans as they are found, and with each span once it is
    /// scanned, with the bytes between it and the spans next to it (from the
    /// segment's start for the first, to its end for the last).
    pub(super) fn limbs_around(
        &self,
        data: &[u8],
        machine: Option<u16>,
        found: Vec<Located>,
        done: impl Fn(Range<usize>) + Sync + Send,
    ) -> Vec<WordMatch> {
        if found.iter().any(|l| l.capped) {
            return self.limbs_whole(data, machine);
        }
        let mut wide: Vec<(usize, u32, u32)> = found.into_iter().flat_map(|l| l.wide).collect();
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
                return self.limbs_whole(data, machine);
            }
        }
        // 4. Clusters, their spans (merged when they meet), scanned.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for &(o, _, _) in &wide {
            let a = o.saturating_sub(MARGIN) & !3;
            let b = extend(data, o.saturating_add(MARGIN).min(data.len()));
            match spans.last_mut() {
                Some(last) if a <= last.1.saturating_add(MARGIN) => last.1 = last.1.max(b),
                _ => {
                    // No span reads the bytes before this one: a read of
                    // `extend` mapped the whole cached folio around it, which
                    // can reach into them.
                    done(spans.last().map_or(0, |s| s.1)..a);
                    spans.push((a, b));
                }
            }
        }
        // Each span is reported done with the bytes between it and its
        // neighbours (none of which another span reads): a fault maps the
        // whole cached folio around a page, which can reach past the span.
        let spans: Vec<(usize, usize, Range<usize>)> = spans
            .iter()
            .enumerate()
            .map(|(k, &(a, b))| {
                let from = k
                    .checked_sub(1)
                    .and_then(|j| spans.get(j))
                    .map_or(0, |s| s.1);
                let to = spans.get(k + 1).map_or(data.len(), |s| s.0);
                (a, b, from..to)
            })
            .collect();
        super::chunks::map_slice(&spans, |(a, b, free)| {
            let mut v = Vec::new();
            if let Some(buf) = data.get(*a..*b) {
                self.limbs.scan(buf, machine, |mut m| {
                    m.offset += *a;
                    v.push(m);
                });
            }
            done(free.clone());
            v
        })
        .into_iter()
        .flatten()
        .collect()
    }

    /// The limb kernel's matches on `data` (offsets in `data`), as one call
    /// on the whole of it would report them, using the chunks of `plan`
    /// (steps 1 to 4 on their own; [`Detector::segment`] runs step 1 with
    /// the other kernels of each chunk).
    #[cfg(test)]
    pub(super) fn limbs_spanned(
        &self,
        data: &[u8],
        machine: Option<u16>,
        plan: &Plan,
    ) -> Vec<WordMatch> {
        if !self.limbs_split(machine, plan) {
            return self.limbs_whole(data, machine);
        }
        let found = super::chunks::map(plan, |c| self.locate_limbs(data, machine, c));
        self.limbs_around(data, machine, found, |_| {})
    }
}
