//! Analysis of a segment in chunks, with the same result as one pass over
//! the whole segment.
//!
//! A segment is cut at multiples of a chunk size that is a whole number of
//! entropy steps (and of 4 bytes, the AArch64 instruction size). Each chunk
//! *owns* the offsets `[start, end)` and reads a little past its end:
//!
//! * byte patterns: the kernel reports every occurrence inside the bytes it
//!   is given, so a chunk reads [`Detector::lookahead`] bytes past its end (at
//!   least the longest pattern minus one) and keeps the hits that start in
//!   what it owns;
//! * instruction-encoded words ([`crate::words::WordMatcher`]): a word is
//!   found at any offset from its bytes alone; a MOVW/MOVT pair is reported
//!   at the MOVW from the MOVT at most [`MOVW_MOVT_REACH`] bytes later, with
//!   the latest low-half write in between: the look-ahead covers the reach
//!   plus the 4-byte MOVT, and the chunk keeps the matches it owns. Chunks
//!   start at even offsets, so the kernel reads the same halfwords;
//! * entropy: windows start at multiples of the step from the segment start;
//!   a chunk computes the windows that start in what it owns (it reads up to
//!   `end - step + window`), and regions are merged across chunks with the
//!   rule that merges them across windows;
//! * public-key limbs ([`crate::words::LimbMatcher`]): their caps and the
//!   second pass around distinctive limbs are per segment; the chunks locate
//!   the distinctive limbs, and the kernel then runs on the spans around
//!   them ([`super::spans`]).
//!
//! The word hits kept per signature are the first [`MAX_WORD_HITS`] by
//! offset, which does not depend on the chunking either.
//!
//! `Detector::segment` runs the kernels of each chunk together (so a
//! chunk's bytes are read while they are resident) and reports the ranges
//! of the segment it has finished with ([`super::Release`]).

use super::spans::Located;
use super::{Detector, MAX_WORD_HITS, Release};
use crate::scan::Hit;
use crate::words::{MOVW_MOVT_REACH, WordMatch};
use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

/// Bytes a chunk reads past its end for a MOVW/MOVT pair that starts in it.
pub const PAIR_LOOKAHEAD: usize = MOVW_MOVT_REACH + 4;
/// Bytes a chunk reads past its end for the longest word (8 bytes).
pub const WORD_LOOKAHEAD: usize = 7;
/// Word matches a chunk buffers before it drops those beyond the per-word cap.
const COMPACT_AT: usize = 1 << 16;

/// One chunk of a segment (offsets in the segment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// First owned byte.
    pub start: usize,
    /// End of the owned bytes.
    pub end: usize,
    /// End of the bytes the pattern and word kernels read.
    pub read_end: usize,
    /// End of the bytes the entropy kernel reads.
    pub entropy_end: usize,
}

/// The chunks of one segment.
#[derive(Clone, Debug)]
pub struct Plan {
    /// In segment order; one chunk when the segment fits.
    pub chunks: Vec<Chunk>,
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Plan {
    /// Cuts `len` bytes into chunks of `size` bytes rounded up to a multiple
    /// of `align`, each reading `lookahead` bytes past its end for the
    /// pattern and word kernels and `entropy_tail` (`window - step`) for the
    /// entropy kernel.
    pub fn new(
        len: usize,
        size: usize,
        align: usize,
        lookahead: usize,
        entropy_tail: usize,
    ) -> Self {
        let align = align.max(1);
        let size = size.max(1).div_ceil(align).saturating_mul(align);
        let mut chunks = Vec::new();
        let mut start = 0usize;
        loop {
            let end = start.saturating_add(size).min(len);
            let (read_end, entropy_end) = if end == len {
                (len, len)
            } else {
                (
                    end.saturating_add(lookahead).min(len),
                    end.saturating_add(entropy_tail).min(len),
                )
            };
            chunks.push(Chunk {
                start,
                end,
                read_end,
                entropy_end,
            });
            if end == len {
                break;
            }
            start = end;
        }
        Plan { chunks }
    }
}

/// What one chunk found (offsets in the segment).
#[derive(Debug, Default)]
pub struct Part {
    /// Byte-pattern hits starting in the chunk.
    pub hits: Vec<Hit>,
    /// Word matches starting in the chunk, sorted, at most
    /// [`MAX_WORD_HITS`] per word signature.
    pub words: Vec<WordMatch>,
    /// High-entropy regions of the windows starting in the chunk.
    pub entropy: Vec<(usize, usize)>,
}

impl Detector {
    /// Bytes a chunk reads past its end for the pattern and word kernels.
    pub fn lookahead(&self) -> usize {
        self.longest
            .saturating_sub(1)
            .max(PAIR_LOOKAHEAD)
            .max(WORD_LOOKAHEAD)
    }

    /// Chunk boundaries are multiples of this: whole entropy steps, whole
    /// 4-byte instructions (and so halfwords).
    pub fn align(&self) -> usize {
        let step = self.entropy.step();
        step / gcd(step, 4) * 4
    }

    /// Bytes a chunk reads past its end for the entropy windows that start
    /// in it.
    pub fn entropy_tail(&self) -> usize {
        self.entropy.window().saturating_sub(self.entropy.step())
    }

    /// The chunking of a segment of `len` bytes at chunk size `size`.
    pub fn plan_for(&self, len: usize, size: usize) -> Plan {
        Plan::new(
            len,
            size,
            self.align(),
            self.lookahead(),
            self.entropy_tail(),
        )
    }

    /// Runs the pattern, word and entropy kernels on chunk `c` of `data`.
    pub(super) fn chunk(&self, data: &[u8], c: Chunk) -> Part {
        let mut part = Part::default();
        let (start, end) = (c.start, c.end);
        let Some(buf) = data.get(start..c.read_end) else {
            return part;
        };
        self.scanner.scan_with(buf, |h| {
            if start + h.offset < end {
                part.hits.push(Hit {
                    offset: start + h.offset,
                    sig: h.sig,
                });
            }
        });
        let mut words = Vec::new();
        if !self.words.is_empty() {
            self.words.scan(buf, |mut m| {
                if start + m.offset < end {
                    m.offset += start;
                    words.push(m);
                    if words.len() >= COMPACT_AT {
                        self.cap_words(&mut words);
                    }
                }
            });
        }
        self.cap_words(&mut words);
        part.words = words;
        if self.map_entropy
            && let Some(ent) = data.get(start..c.entropy_end)
        {
            part.entropy = self
                .entropy
                .regions_above(ent, super::HIGH_ENTROPY)
                .into_iter()
                .map(|(s, e)| (start + s, start + e))
                .collect();
        }
        part
    }

    /// Runs every kernel on the segment `data` in the chunks of `plan`: what
    /// each chunk found, and the limb kernel's matches. `done` is called
    /// with the ranges of `data` the analysis has finished with: each chunk
    /// once its kernels ran (when there is more than one), the limb spans
    /// and the bytes between them ([`Detector::limbs_around`]), then the
    /// whole segment. A range may still be read after
    /// it was reported (the look-ahead of the chunk before it, a limb span,
    /// the whole-segment limb pass): `done` may only drop bytes that a later
    /// read gets back unchanged.
    pub(super) fn segment(
        &self,
        data: &[u8],
        machine: Option<u16>,
        plan: &Plan,
        done: Option<&Release<'_>>,
    ) -> (Vec<Part>, Vec<WordMatch>) {
        let release = |r: Range<usize>| {
            if let Some(f) = done {
                f(r);
            }
        };
        let out = if self.limbs_split(machine, plan) {
            // Step 1 of the limb pass ([`super::spans`]) with the other
            // kernels, so the chunk can be released after both.
            let both = map(plan, |c| {
                let part = self.chunk(data, c);
                let limbs = self.locate_limbs(data, machine, c);
                release(c.start..c.end);
                (part, limbs)
            });
            let (parts, found): (Vec<Part>, Vec<Located>) = both.into_iter().unzip();
            (parts, self.limbs_around(data, machine, found, release))
        } else {
            let many = plan.chunks.len() > 1;
            join(
                || {
                    map(plan, |c| {
                        let part = self.chunk(data, c);
                        if many {
                            release(c.start..c.end);
                        }
                        part
                    })
                },
                || self.limbs_whole(data, machine),
            )
        };
        release(0..data.len());
        out
    }

    /// Sorts `words` and keeps the first [`MAX_WORD_HITS`] of each word
    /// signature.
    fn cap_words(&self, words: &mut Vec<WordMatch>) {
        words.sort_unstable();
        let mut seen = vec![0u32; self.db.len() - self.patterns];
        words.retain(|m| {
            match self
                .word_sig(m)
                .and_then(|s| seen.get_mut(s as usize - self.patterns))
            {
                Some(n) if *n < MAX_WORD_HITS => {
                    *n += 1;
                    true
                }
                _ => false,
            }
        });
    }
}

/// True when rayon has more than one thread to share work with: with one,
/// handing work to the pool only adds a wake-up per call (from a thread
/// outside the pool, e.g. `Detector::analyze` called by an application).
#[cfg(feature = "std")]
fn parallel() -> bool {
    rayon::current_num_threads() > 1
}

/// `f` over every chunk of `plan`, in order (in parallel with `std`).
pub(super) fn map<T: Send>(plan: &Plan, f: impl Fn(Chunk) -> T + Sync + Send) -> Vec<T> {
    map_slice(&plan.chunks, |&c| f(c))
}

/// `f` over every item of `items`, in order (in parallel with `std`).
pub(super) fn map_slice<I: Sync, T: Send>(
    items: &[I],
    f: impl Fn(&I) -> T + Sync + Send,
) -> Vec<T> {
    #[cfg(feature = "std")]
    if items.len() > 1 && parallel() {
        use rayon::prelude::*;
        return items.par_iter().map(f).collect();
    }
    items.iter().map(f).collect()
}

/// Runs `a` and `b` (in parallel with `std`).
pub(super) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(feature = "std")]
    if parallel() {
        return rayon::join(a, b);
    }
    (a(), b())
}
