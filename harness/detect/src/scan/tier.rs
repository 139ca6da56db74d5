//! One tier of the scanner: the patterns anchored on grams of one width
//! (8 bytes for long patterns, 4 for short ones), a blocked Bloom filter of
//! their anchor grams and the anchors grouped by hash bucket.

use super::Hit;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

const MUL: u64 = 0x9e37_79b9_7f4a_7c15;
const FOLD: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// A 64-bit hash of a gram from one multiplication: the high and low halves
/// of the 128-bit product folded together, so every bit depends on every
/// bit of the gram.
#[inline(always)]
fn fold_hash(g: u64) -> u64 {
    let p = u128::from(g) * u128::from(FOLD);
    (p >> 64) as u64 ^ p as u64
}

/// Where one pattern is anchored: one of the `stride` grams of its anchor
/// window.
#[derive(Clone, Copy, Debug)]
struct Anchor {
    gram: u64,
    sig: u32,
    /// Offset of this gram in the pattern.
    delta: u32,
}

/// An anchor gram that is one byte repeated (a run), keyed by the byte and
/// the pattern byte that bounds the run: a run in the data places the
/// occurrence by its boundary, and the byte beyond the boundary must match.
#[derive(Clone, Copy, Debug)]
struct RunAnchor {
    /// [`run_key`] of the run byte, the bounding side and the byte beyond it.
    key: u32,
    sig: u32,
    /// Offset of the anchor gram in the pattern.
    delta: u32,
    /// The run `[run_start, run_end)` of that byte in the pattern that
    /// contains the anchor gram.
    run_start: u32,
    run_end: u32,
}

/// Key of a run of `byte` bounded on the left (`right == false`: the run
/// starts right after `beyond`) or on the right (the run ends right before
/// `beyond`).
fn run_key(byte: u8, right: bool, beyond: u8) -> u32 {
    (byte as u32) << 9 | (right as u32) << 8 | beyond as u32
}

/// The probe range a run covers: the run `[start, end)` of one byte in the
/// data, and the probes `first, first + stride, ..= last` inside it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Run {
    pub start: usize,
    pub end: usize,
    pub first: usize,
    pub last: usize,
}

/// Anchors of the patterns of one gram width, with a filter of `WORDS`
/// 64-bit words (a power of two; a compile-time size, so that the probe
/// needs no bounds check) setting `BITS` bits (1 or 2) per gram.
#[derive(Clone, Debug)]
pub(super) struct Tier<const WORDS: usize, const BITS: u32> {
    width: usize,
    stride: usize,
    bitmap: Box<[u64; WORDS]>,
    /// Anchors grouped by bucket ([`Self::bucket`]); `heads[b]..heads[b+1]`.
    anchors: Vec<Anchor>,
    /// Run anchors sorted by key.
    runs: Vec<RunAnchor>,
    /// Per byte: the shortest data run any run anchor of that byte needs
    /// (`u32::MAX`: none).
    run_min: [u32; 256],
    /// One bit per [`run_key`] of the run anchors: most runs in the data are
    /// rejected by one test, without a search.
    run_keys: Box<[u64]>,
    heads: Vec<u32>,
}

/// The gram of `width` bytes at `i` of `p`, little-endian.
#[inline(always)]
pub(super) fn gram(p: &[u8], i: usize, width: usize) -> u64 {
    let mut b = [0u8; 8];
    b[..width].copy_from_slice(&p[i..i + width]);
    u64::from_le_bytes(b)
}

/// True if the gram of `width` bytes is one byte repeated.
#[inline(always)]
pub(super) fn is_run(g: u64, width: usize) -> bool {
    let ones = if width == 8 {
        0x0101_0101_0101_0101
    } else {
        (1u64 << (8 * width)) / 0xff
    };
    g == (g & 0xff).wrapping_mul(ones)
}

/// How common a gram is in real code and data (lower is rarer): one byte
/// repeated (padding, fills), zero bytes (small integers, relocations,
/// alignment), all-ones bytes, and text (strings, lower case most).
fn badness(g: u64, width: usize) -> u32 {
    let b = &g.to_le_bytes()[..width];
    let zeros = b.iter().filter(|&&x| x == 0).count() as u32;
    let ones = b.iter().filter(|&&x| x == 0xff).count() as u32;
    let half = width as u32 / 2;
    if is_run(g, width) {
        1000
    } else if zeros >= half {
        40 * zeros + 4 * ones
    } else if ones > half {
        12 + ones
    } else if b.iter().all(|x| x.is_ascii_graphic() || *x == b' ') {
        4 + b
            .iter()
            .filter(|x| x.is_ascii_lowercase() || **x == b' ')
            .count() as u32
    } else {
        1 + zeros + ones
    }
}

impl<const WORDS: usize, const BITS: u32> Tier<WORDS, BITS> {
    /// log2 of the filter's size in words.
    const WORD_BITS: u32 = WORDS.trailing_zeros();
    /// log2 of the number of anchor buckets (one per two filter words).
    const BUCKET_BITS: u32 = Self::WORD_BITS - 1;

    /// Indexes `patterns` (signature index, bytes; each at least
    /// `stride + width - 1` bytes) on grams of `width` bytes probed every
    /// `stride` bytes.
    pub(super) fn new(
        width: usize,
        stride: usize,
        patterns: impl Iterator<Item = (u32, &'static [u8])>,
    ) -> Self {
        let win = stride + width - 1;
        // Choose anchor windows greedily: the rarest grams, spread so that no
        // gram anchors many patterns.
        let mut uses: BTreeMap<u64, u32> = BTreeMap::new();
        let mut anchors = Vec::new();
        let mut runs = Vec::new();
        let mut grams = Vec::new();
        for (si, p) in patterns {
            if p.len() < win {
                continue;
            }
            // The cost of each gram once, then of each window (its `stride`
            // grams), the first cheapest window winning.
            let costs: Vec<u32> = (0..=p.len() - width)
                .map(|k| {
                    let g = gram(p, k, width);
                    badness(g, width) + 4 * uses.get(&g).copied().unwrap_or(0)
                })
                .collect();
            let mut best = (u32::MAX, 0usize);
            for a in 0..=p.len() - win {
                let cost: u32 = costs[a..a + stride].iter().sum();
                if cost < best.0 {
                    best = (cost, a);
                }
            }
            for j in 0..stride {
                let d = best.1 + j;
                let g = gram(p, d, width);
                *uses.entry(g).or_insert(0) += 1;
                if !is_run(g, width) {
                    anchors.push(Anchor {
                        gram: g,
                        sig: si,
                        delta: d as u32,
                    });
                    grams.push(g);
                    continue;
                }
                let (mut rs, mut re) = (d, d + width);
                while rs > 0 && p[rs - 1] == p[d] {
                    rs -= 1;
                }
                while re < p.len() && p[re] == p[d] {
                    re += 1;
                }
                let key = if rs > 0 {
                    run_key(p[d], false, p[rs - 1])
                } else if re < p.len() {
                    run_key(p[d], true, p[re])
                } else {
                    continue; // a pattern of one repeated byte: not supported
                };
                runs.push(RunAnchor {
                    key,
                    sig: si,
                    delta: d as u32,
                    run_start: rs as u32,
                    run_end: re as u32,
                });
                grams.push(g);
            }
        }
        runs.sort_by_key(|r| (r.key, r.sig, r.delta));
        let mut run_min = [u32::MAX; 256];
        let mut run_keys = vec![0u64; (1 << 17) / 64].into_boxed_slice();
        for r in &runs {
            let byte = (r.key >> 9) as usize;
            run_min[byte] = run_min[byte].min(r.run_end - r.run_start);
            run_keys[r.key as usize / 64] |= 1 << (r.key % 64);
        }
        // On the heap directly: the long tier's filter is 128 KiB, more than
        // a Cortex-M stack.
        let mut bitmap: Box<[u64; WORDS]> = match vec![0u64; WORDS].into_boxed_slice().try_into() {
            Ok(b) => b,
            Err(_) => unreachable!("a boxed slice of WORDS words"),
        };
        for g in grams {
            let (w, m) = Self::bloom(g);
            bitmap[w] |= m;
        }
        anchors.sort_by_key(|a| (Self::bucket(a.gram), a.gram, a.sig, a.delta));
        let mut heads = vec![0u32; (1 << Self::BUCKET_BITS) + 1];
        for a in &anchors {
            heads[Self::bucket(a.gram) + 1] += 1;
        }
        for i in 1..heads.len() {
            heads[i] += heads[i - 1];
        }
        Tier {
            width,
            stride,
            bitmap,
            anchors,
            heads,
            runs,
            run_min,
            run_keys,
        }
    }

    /// Blocked Bloom filter position of a gram: a word and `BITS` bits in
    /// it (one memory access per probe; false-positive rate ~ fill^BITS).
    /// One bit needs one 64-bit multiplication (the product's high bits);
    /// two bits take both halves of a 128-bit product.
    #[inline(always)]
    fn bloom(g: u64) -> (usize, u64) {
        if BITS == 1 {
            let h = g.wrapping_mul(MUL) >> (64 - Self::WORD_BITS - 6);
            ((h >> 6) as usize, 1u64 << (h & 63))
        } else {
            let h = fold_hash(g);
            let w = (h >> (64 - Self::WORD_BITS)) as usize;
            (w, (1u64 << (h & 63)) | (1u64 << ((h >> 6) & 63)))
        }
    }

    #[inline(always)]
    fn bucket(g: u64) -> usize {
        (g.wrapping_mul(MUL) >> (64 - Self::BUCKET_BITS)) as usize
    }

    /// True if `g` may be an anchor gram (false positives, no false negatives).
    #[inline(always)]
    pub(super) fn filter(&self, g: u64) -> bool {
        let (w, m) = Self::bloom(g);
        self.bitmap[w] & m == m
    }

    /// Bytes of index memory (bitmap + anchors + bucket heads).
    pub(super) fn index_bytes(&self) -> usize {
        self.bitmap.len() * 8
            + self.anchors.len() * core::mem::size_of::<Anchor>()
            + self.runs.len() * core::mem::size_of::<RunAnchor>()
            + self.heads.len() * 4
    }

    fn bucket_anchors(&self, g: u64) -> impl Iterator<Item = &Anchor> {
        let b = Self::bucket(g);
        let (lo, hi) = (self.heads[b] as usize, self.heads[b + 1] as usize);
        self.anchors[lo..hi].iter().filter(move |a| a.gram == g)
    }

    /// Reports the occurrences anchored on the (non-run) gram `g` at probe `i`.
    pub(super) fn verify(
        &self,
        patterns: &[&[u8]],
        data: &[u8],
        i: usize,
        g: u64,
        f: &mut impl FnMut(Hit),
    ) {
        for a in self.bucket_anchors(g) {
            let Some(start) = i.checked_sub(a.delta as usize) else {
                continue;
            };
            let p = patterns[a.sig as usize];
            if data.get(start..start + p.len()) == Some(p) {
                f(Hit {
                    offset: start,
                    sig: a.sig,
                });
            }
        }
    }

    /// Reports the occurrences anchored on a run gram inside `run` (the
    /// data's maximal run of one byte) at any probe of `run`: each occurrence
    /// is placed by the run's boundary and reported once, by the one probe of
    /// its anchor window.
    pub(super) fn verify_run(
        &self,
        patterns: &[&[u8]],
        data: &[u8],
        run: Run,
        f: &mut impl FnMut(Hit),
    ) {
        let byte = data[run.first];
        if ((run.end - run.start) as u64) < u64::from(self.run_min[byte as usize]) {
            return;
        }
        let left = run
            .start
            .checked_sub(1)
            .map(|k| (run_key(byte, false, data[k]), run.start));
        let right = data
            .get(run.end)
            .map(|&b| (run_key(byte, true, b), run.end));
        for (key, edge) in left.into_iter().chain(right) {
            if self.run_keys[key as usize / 64] >> (key % 64) & 1 == 0 {
                continue;
            }
            let lo = self.runs.partition_point(|r| r.key < key);
            for r in self.runs[lo..].iter().take_while(|r| r.key == key) {
                let p = patterns[r.sig as usize];
                let bound = if r.run_start > 0 {
                    r.run_start
                } else {
                    r.run_end
                };
                let Some(start) = edge.checked_sub(bound as usize) else {
                    continue;
                };
                let q = start + r.delta as usize;
                if q < run.first || q > run.last || !(q - run.first).is_multiple_of(self.stride) {
                    continue;
                }
                if data.get(start..start + p.len()) == Some(p) {
                    f(Hit {
                        offset: start,
                        sig: r.sig,
                    });
                }
            }
        }
    }

    /// True if some pattern of this tier is anchored on a run of `byte`.
    pub(super) fn has_runs(&self, byte: u8) -> bool {
        self.run_min[byte as usize] != u32::MAX
    }

    /// Gram width in bytes.
    pub(super) fn width(&self) -> usize {
        self.width
    }
}
