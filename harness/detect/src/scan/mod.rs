//! One-pass multi-pattern scanner.
//!
//! The scanner reads the data at one position every [`STRIDE`] bytes (a
//! *probe*) and tests the bytes there against two filters:
//!
//! * **long patterns** (at least [`LONG_PATTERN`] bytes) are anchored on
//!   8-byte grams: each pattern's *anchor window* is the `STRIDE + 7` bytes
//!   whose grams are rarest, and its `STRIDE` 8-byte grams are indexed;
//! * **short patterns** ([`MIN_PATTERN`] to `LONG_PATTERN - 1` bytes) are
//!   anchored the same way on 4-byte grams (`STRIDE + 3`-byte windows).
//!
//! Any occurrence of a pattern contains exactly one probe position inside its
//! anchor window, so a probe tests its 8-byte gram and its first 4 bytes in
//! two cache-resident Bloom filters and verifies the (rare) candidates against
//! the full pattern. Each occurrence is reported exactly once.
//!
//! Why two widths: real compiled code is full of common 4-byte grams (small
//! integers, instruction pairs, padding) that would pass a 4-byte filter, while
//! 8-byte grams of cryptographic constants almost never occur in code by
//! chance. Long patterns are nearly all of the database; the short ones are
//! mostly strings, rare in code. A gram of one repeated byte (a run) is
//! handled once per run: candidates are placed by the run's boundaries and the
//! probes inside the run are skipped.

#[cfg(test)]
mod tests;
mod tier;

use crate::sigdb::Signature;
use alloc::vec::Vec;
use tier::{Run, Tier, gram, is_run};

/// One occurrence of a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// Offset of the first byte in the scanned buffer.
    pub offset: usize,
    /// Index of the signature in the scanner's database.
    pub sig: u32,
}

/// Distance between probes.
pub const STRIDE: usize = 8;
/// Shortest pattern the scanner indexes (anchored on 4-byte grams).
pub const MIN_PATTERN: usize = STRIDE + 3;
/// Shortest pattern anchored on 8-byte grams.
pub const LONG_PATTERN: usize = STRIDE + 7;
/// Filter sizes in 64-bit words, one bit per gram (one multiplication and
/// one memory access per test): long 2^21 bits (256 KiB, about 0.6 % of
/// random grams pass), short 2^16 bits (8 KiB).
const LONG_WORDS: usize = 1 << 15;
const SHORT_WORDS: usize = 1 << 10;

/// A compiled pattern set.
#[derive(Clone, Debug)]
pub struct Scanner {
    patterns: Vec<&'static [u8]>,
    long: Tier<LONG_WORDS, 1>,
    short: Tier<SHORT_WORDS, 1>,
}

impl Scanner {
    /// Compiles `sigs`. Patterns shorter than [`MIN_PATTERN`] bytes, or made
    /// of one repeated byte, are never reported (the built-in database has
    /// none).
    pub fn new(sigs: &[Signature]) -> Self {
        let patterns: Vec<&'static [u8]> = sigs.iter().map(|s| s.bytes).collect();
        let indexed = || patterns.iter().enumerate().map(|(i, p)| (i as u32, *p));
        let long = Tier::new(
            8,
            STRIDE,
            indexed().filter(|(_, p)| p.len() >= LONG_PATTERN),
        );
        let short = Tier::new(
            4,
            STRIDE,
            indexed().filter(|(_, p)| (MIN_PATTERN..LONG_PATTERN).contains(&p.len())),
        );
        Scanner {
            patterns,
            long,
            short,
        }
    }

    /// Distance between probed positions.
    pub fn stride(&self) -> usize {
        STRIDE
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True if the scanner has no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Bytes of index memory (filters + anchors + bucket heads, both tiers).
    pub fn index_bytes(&self) -> usize {
        self.long.index_bytes() + self.short.index_bytes()
    }

    /// The two filters at probe `i`: `(8-byte gram passes, 4-byte gram
    /// passes)`; the 8-byte gram only where 8 bytes remain.
    #[inline(always)]
    fn filters(&self, data: &[u8], i: usize) -> (bool, bool) {
        let long = data.len() - i >= 8 && self.long.filter(gram(data, i, 8));
        (long, self.short.filter(gram(data, i, 4)))
    }

    /// Verifies the candidates of the probe at `i` (whose filters passed as
    /// `long`/`short`) and returns the next probe position.
    #[cold]
    #[inline(never)]
    fn verify(
        &self,
        data: &[u8],
        i: usize,
        long: bool,
        short: bool,
        f: &mut impl FnMut(Hit),
    ) -> usize {
        let g4 = gram(data, i, 4);
        let g8 = (data.len() - i >= 8).then(|| gram(data, i, 8));
        if g8.is_some_and(|g| is_run(g, 8)) {
            // Both grams are runs of the same byte: handle the whole run
            // (a filter pass for a byte no pattern is anchored on is a false
            // positive).
            if !self.long.has_runs(data[i]) && !self.short.has_runs(data[i]) {
                return i + STRIDE;
            }
            let run = self.run_at(data, i);
            if long {
                self.long.verify_run(&self.patterns, data, run, f);
            }
            if short {
                self.short.verify_run(&self.patterns, data, run, f);
            }
            return run.last + STRIDE;
        }
        if let (true, Some(g8)) = (long, g8) {
            self.long.verify(&self.patterns, data, i, g8, f);
        }
        if short {
            if is_run(g4, 4) {
                // The run ends before the next probe: this probe covers it.
                let run = Run {
                    last: i,
                    ..self.run_at(data, i)
                };
                self.short.verify_run(&self.patterns, data, run, f);
            } else {
                self.short.verify(&self.patterns, data, i, g4, f);
            }
        }
        i + STRIDE
    }

    /// The run of `data[i]` around `i`, and the probes from `i` whose 8-byte
    /// gram lies inside it.
    fn run_at(&self, data: &[u8], i: usize) -> Run {
        let byte = data[i];
        let word = u64::from_ne_bytes([byte; 8]);
        // Eight bytes at a time: the first differing byte ends the run.
        let mut end = i + 1;
        loop {
            match data
                .get(end..end + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
            {
                Some(chunk) => {
                    let diff = u64::from_le_bytes(chunk) ^ word;
                    if diff != 0 {
                        end += diff.trailing_zeros() as usize / 8;
                        break;
                    }
                    end += 8;
                }
                None => {
                    while data.get(end) == Some(&byte) {
                        end += 1;
                    }
                    break;
                }
            }
        }
        let mut start = i;
        loop {
            match start
                .checked_sub(8)
                .and_then(|s| data.get(s..start))
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
            {
                Some(chunk) => {
                    let diff = u64::from_le_bytes(chunk) ^ word;
                    if diff != 0 {
                        start -= diff.leading_zeros() as usize / 8;
                        break;
                    }
                    start -= 8;
                }
                None => {
                    while start > 0 && data[start - 1] == byte {
                        start -= 1;
                    }
                    break;
                }
            }
        }
        let width = self.long.width();
        let last = if end - i >= width {
            i + (end - width - i) / STRIDE * STRIDE
        } else {
            i
        };
        Run {
            start,
            end,
            first: i,
            last,
        }
    }

    /// Calls `f` for every occurrence of every pattern in `data`.
    #[inline]
    pub fn scan_with(&self, data: &[u8], mut f: impl FnMut(Hit)) {
        const BLOCK: usize = 4 * STRIDE;
        let mut i = 0usize;
        // Main loop: four probes per 32-byte block, no bounds checks.
        while let Some(chunk) = data.get(i..i + BLOCK) {
            let Ok(c) = <&[u8; BLOCK]>::try_from(chunk) else {
                break;
            };
            // Bit k of `long`/`short`: probe k passed that tier's filter.
            let (mut long, mut short) = (0u32, 0u32);
            for k in 0..4 {
                let g = u64::from_le_bytes(c[8 * k..8 * k + 8].try_into().unwrap_or_default());
                long |= u32::from(self.long.filter(g)) << k;
                short |= u32::from(self.short.filter(g & 0xffff_ffff)) << k;
            }
            if long | short != 0 {
                // Slow path for this block: verify the passing probes (a run
                // may skip ahead, past later probes of the block).
                let mut next = i;
                let mut pass = long | short;
                while pass != 0 {
                    let k = pass.trailing_zeros();
                    pass &= pass - 1;
                    let at = i + k as usize * STRIDE;
                    if at >= next {
                        next =
                            self.verify(data, at, long >> k & 1 != 0, short >> k & 1 != 0, &mut f);
                    }
                }
                i = next.max(i + BLOCK);
                continue;
            }
            i += BLOCK;
        }
        while i + 4 <= data.len() {
            let (long, short) = self.filters(data, i);
            i = if long || short {
                self.verify(data, i, long, short, &mut f)
            } else {
                i + STRIDE
            };
        }
    }

    /// Diagnostic: `(probes, filter passes, the 10 most frequent passing
    /// grams with counts)` on `data` (8-byte grams; short-tier passes as their
    /// 4-byte gram), to tune the database.
    pub fn probe_stats(&self, data: &[u8]) -> (usize, usize, Vec<(u64, usize)>) {
        let mut probes = 0;
        let mut hits = 0;
        let mut grams: alloc::collections::BTreeMap<u64, usize> =
            alloc::collections::BTreeMap::new();
        let mut i = 0;
        while i + 4 <= data.len() {
            probes += 1;
            let (long, short) = self.filters(data, i);
            if long || short {
                hits += 1;
                let g = if long {
                    gram(data, i, 8)
                } else {
                    gram(data, i, 4)
                };
                *grams.entry(g).or_insert(0) += 1;
            }
            i += STRIDE;
        }
        let mut top: Vec<(u64, usize)> = grams.into_iter().collect();
        top.sort_by_key(|&(_, n)| core::cmp::Reverse(n));
        top.truncate(10);
        (probes, hits, top)
    }

    /// Every occurrence in `data`, sorted by offset.
    pub fn scan(&self, data: &[u8]) -> Vec<Hit> {
        let mut out = Vec::new();
        self.scan_with(data, |h| out.push(h));
        out.sort_unstable();
        out
    }

    /// Number of occurrences in `data`.
    pub fn count(&self, data: &[u8]) -> usize {
        let mut n = 0;
        self.scan_with(data, |_| n += 1);
        n
    }
}
