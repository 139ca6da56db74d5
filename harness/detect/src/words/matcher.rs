//! [`WordMatcher`]: the compiled word sets, the one-pass scan of a segment
//! and the qualification of matches by window.

use super::thumb::{Pairing, pairing_candidate};
use super::{Encoding, WINDOW, WordMatch};
use crate::sigdb::WordSet;
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

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
/// Buckets of [`WordMatcher::entries`] by gram hash (about one entry each).
const GRAM_BUCKET_BITS: u32 = 10;

/// Bucket of a gram: the high bits of a multiplicative hash.
#[inline(always)]
fn gram_bucket(g: u16) -> usize {
    (u32::from(g).wrapping_mul(0x9e37_79b1) >> (32 - GRAM_BUCKET_BITS)) as usize
}

/// The scan's first test, one entry per halfword: a byte each with `std`
/// (64 KiB; a plain load instead of a shift and a bit test: 5 % faster
/// end to end on the real-binary corpus), a bit each without (8 KiB, for
/// the firmware's RAM).
#[cfg(feature = "std")]
type HotTable = [bool; 1 << 16];
#[cfg(not(feature = "std"))]
type HotTable = [u64; BITMAP_WORDS];

/// The table holding `hot(h)` for every halfword `h`.
fn hot_table(hot: impl Fn(u16) -> bool) -> Box<HotTable> {
    #[cfg(feature = "std")]
    let mut t = Box::new([false; 1 << 16]);
    #[cfg(not(feature = "std"))]
    let mut t = Box::new([0u64; BITMAP_WORDS]);
    for h in 0..=u16::MAX {
        if hot(h) {
            #[cfg(feature = "std")]
            {
                t[usize::from(h)] = true;
            }
            #[cfg(not(feature = "std"))]
            set_bit(&mut t, h);
        }
    }
    t
}

#[inline(always)]
fn is_hot(t: &HotTable, h: u16) -> bool {
    #[cfg(feature = "std")]
    return t[usize::from(h)];
    #[cfg(not(feature = "std"))]
    bit(t, h)
}

/// Bytes weighted by how common they are in compiled code, about
/// `log2(frequency * 256)`: measured on 60 x86-64 Debian shared libraries and
/// the Thumb corpus images (zero alone is a quarter of all bytes; `0x48`
/// and `0xff` 3.4 %, `0x0f` 2.5 %, `0x89` 2.0 %, `0x01` 1.6 %, ...).
fn byte_commonness(b: u8) -> u32 {
    match b {
        0x00 => 6,
        0x48 | 0xff => 3,
        0x0f | 0x89 | 0x01 => 2,
        0x41 | 0x24 | 0x8b | 0x0e | 0x66 | 0x08 | 0x44 => 1,
        _ => 0,
    }
}

/// How common a 16-bit gram is in code and data (lower is rarer).
fn gram_badness(g: [u8; 2]) -> u32 {
    byte_commonness(g[0]) + byte_commonness(g[1]) + 4 * u32::from(g[0] == g[1])
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
/// even offset, tests it in a 64 Ki-entry table (the grams, plus the first
/// halfwords of the Thumb instructions the MOVW/MOVT pairing decodes), and
/// verifies the few candidates, so every occurrence is reported exactly once.
#[derive(Clone, Debug)]
pub struct WordMatcher {
    /// Grams and pairing candidates.
    hot: Box<HotTable>,
    grams: Box<[u64; BITMAP_WORDS]>,
    /// Sorted by (bucket, gram); `heads[b]..heads[b + 1]` is bucket `b`
    /// (a binary search over all entries was most of the verification).
    entries: Vec<GramEntry>,
    heads: Vec<u32>,
    /// 4-byte words by value, for MOVW/MOVT results: (value, set, word).
    values: Vec<(u32, u32, u32)>,
    /// (min_distinct, number of words) per set.
    sets: Vec<(u16, u32)>,
    /// Whether `MOVS` low-half writes are decoded (only when a word needs it).
    pub(super) movs: bool,
}

impl WordMatcher {
    /// Compiles `sets` (sets of widths other than 4 and 8, and the
    /// public-key limb sets of [`super::LimbMatcher`], are ignored).
    pub fn new(sets: &[WordSet]) -> Self {
        let mut grams = Box::new([0u64; BITMAP_WORDS]);
        let mut entries = Vec::new();
        let mut values = Vec::new();
        for (si, s) in sets.iter().enumerate() {
            if !matches!(s.width, 4 | 8) || super::is_limb_set(s) {
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
        entries.sort_by_key(|e| (gram_bucket(e.gram), e.gram, e.delta, e.set, e.word));
        let mut heads = vec![0u32; (1 << GRAM_BUCKET_BITS) + 1];
        for e in &entries {
            heads[gram_bucket(e.gram) + 1] += 1;
        }
        for b in 1..heads.len() {
            heads[b] += heads[b - 1];
        }
        values.sort_unstable();
        // `MOVS Rd, #imm8` (3% of all halfwords) matters only for words whose
        // low half is below 256: decoded only when a set has one.
        let movs = values.iter().any(|v| v.0 & 0xffff < 0x100);
        let hot =
            hot_table(|h| bit(&grams, h) || pairing_candidate(h) && (movs || h & 0xf800 != 0x2000));
        WordMatcher {
            hot,
            grams,
            entries,
            heads,
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
        let b = gram_bucket(gram);
        let (lo, hi) = (self.heads[b] as usize, self.heads[b + 1] as usize);
        for e in self.entries[lo..hi].iter().filter(|e| e.gram == gram) {
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

    /// True when no set has a word to look for: [`scan`](Self::scan) would
    /// report nothing (it still decodes MOVW/MOVT pairs), so callers skip it.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.values.is_empty()
    }

    /// Reports every word of every set found in `data`, as little-endian
    /// bytes at any offset or as a Thumb-2 MOVW/MOVT pair. One pass, one
    /// table probe per two bytes; never panics, allocates nothing.
    pub fn scan(&self, data: &[u8], mut f: impl FnMut(WordMatch)) {
        let mut pairing = Pairing::new(self.movs);
        let mut step = |i: usize, h: u16| {
            if bit(&self.grams, h) {
                self.verify(data, i, h, &mut f);
            }
            if pairing_candidate(h)
                && let Some((o, v)) = pairing.step(data, i, h)
            {
                self.value(o, v, &mut f);
            }
        };
        // Four halfwords at a time: most blocks of code have no hot one.
        let mut blocks = data.chunks_exact(8);
        let mut i = 0;
        for block in &mut blocks {
            let h = |k: usize| u16::from_le_bytes([block[2 * k], block[2 * k + 1]]);
            let hs = [h(0), h(1), h(2), h(3)];
            if hs.iter().any(|&h| is_hot(&self.hot, h)) {
                for (k, &h) in hs.iter().enumerate() {
                    if is_hot(&self.hot, h) {
                        step(i + 2 * k, h);
                    }
                }
            }
            i += 8;
        }
        for pair in blocks.remainder().chunks_exact(2) {
            let h = u16::from_le_bytes([pair[0], pair[1]]);
            if is_hot(&self.hot, h) {
                step(i, h);
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
