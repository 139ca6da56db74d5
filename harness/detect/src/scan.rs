//! One-pass multi-pattern scanner.
//!
//! Every pattern is at least `stride + 3` bytes long. For each pattern the
//! scanner picks an *anchor window* of `stride + 3` bytes (the one whose
//! 4-byte grams are rarest) and indexes the `stride` grams that start in it.
//! Any occurrence of the pattern then contains exactly one position that is a
//! multiple of `stride` inside its anchor window, so the scan reads one
//! 4-byte gram every `stride` bytes, tests it in a cache-resident bitmap, and
//! verifies the (rare) candidates against the full pattern. Each occurrence is
//! reported exactly once.

use crate::sigdb::Signature;
use alloc::vec;
use alloc::vec::Vec;

/// One occurrence of a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// Offset of the first byte in the scanned buffer.
    pub offset: usize,
    /// Index of the signature in the scanner's database.
    pub sig: u32,
}

#[derive(Clone, Copy, Debug)]
struct Anchor {
    gram: u32,
    sig: u32,
    /// Offset of this gram in the pattern.
    delta: u32,
    /// For a run gram (one byte repeated): the run `[run_start, run_end)` of
    /// that byte in the pattern that contains this gram.
    run_start: u32,
    run_end: u32,
}

fn is_run(g: u32) -> bool {
    g == (g & 0xff).wrapping_mul(0x0101_0101)
}

/// A compiled pattern set.
#[derive(Clone, Debug)]
pub struct Scanner {
    patterns: Vec<&'static [u8]>,
    stride: usize,
    bitmap: alloc::boxed::Box<[u64; WORDS]>,
    /// Anchors grouped by bucket (`hash >> bucket_shift`); `heads[b]..heads[b+1]`.
    anchors: Vec<Anchor>,
    heads: Vec<u32>,
    bucket_shift: u32,
}

const MUL: u32 = 0x9e37_79b1;
const MUL2: u32 = 0x85eb_ca6b;
/// Distance between probes; patterns must be at least `STRIDE + 3` bytes.
pub const STRIDE: usize = 8;
/// Shortest pattern the scanner indexes.
pub const MIN_PATTERN: usize = STRIDE + 3;
const BITS: u32 = 20;
const SHIFT: u32 = 32 - BITS;
const WORDS: usize = 1 << (BITS - 6);

#[inline(always)]
fn gram_at(p: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([p[i], p[i + 1], p[i + 2], p[i + 3]])
}

/// Blocked Bloom filter position of a gram: a word and two bits in it
/// (one memory access per probe, false-positive rate ~ fill^2).
#[inline(always)]
fn bloom(g: u32) -> (usize, u64) {
    let w = (g.wrapping_mul(MUL) >> (SHIFT + 6)) as usize & (WORDS - 1);
    let h2 = g.wrapping_mul(MUL2);
    (w, (1u64 << (h2 >> 26)) | (1u64 << ((h2 >> 20) & 63)))
}

fn badness(g: u32) -> u32 {
    let b = g.to_le_bytes();
    let zeros = b.iter().filter(|&&x| x == 0).count() as u32;
    let ones = b.iter().filter(|&&x| x == 0xff).count() as u32;
    if b.iter().all(|&x| x == b[0]) {
        // Runs are handled once per run, but are very common.
        1000
    } else if zeros >= 2 {
        // Small integers, padding, relocations: the most common grams in code.
        40 * zeros + 4 * ones
    } else if ones >= 3 {
        12
    } else if b.iter().all(|x| x.is_ascii_graphic() || *x == b' ') {
        // Text is common in firmware; lower-case letters and spaces most.
        4 + b
            .iter()
            .filter(|x| x.is_ascii_lowercase() || **x == b' ')
            .count() as u32
    } else {
        1 + zeros + ones
    }
}

impl Scanner {
    /// Compiles `sigs`. Patterns shorter than [`MIN_PATTERN`] bytes, or made
    /// of one repeated byte, are never reported (the built-in database has
    /// none).
    pub fn new(sigs: &[Signature]) -> Self {
        let patterns: Vec<&'static [u8]> = sigs.iter().map(|s| s.bytes).collect();
        let stride = STRIDE;
        let win = MIN_PATTERN;
        // Choose anchor windows greedily, spreading grams.
        let mut uses: alloc::collections::BTreeMap<u32, u32> = alloc::collections::BTreeMap::new();
        let mut anchors = Vec::new();
        for (si, p) in patterns.iter().enumerate() {
            if p.len() < win {
                continue;
            }
            let mut best = (u32::MAX, 0usize);
            for a in 0..=p.len() - win {
                let cost: u32 = (0..stride)
                    .map(|j| {
                        let g = gram_at(p, a + j);
                        badness(g) + 4 * uses.get(&g).copied().unwrap_or(0)
                    })
                    .sum();
                if cost < best.0 {
                    best = (cost, a);
                }
            }
            for j in 0..stride {
                let d = best.1 + j;
                let g = gram_at(p, d);
                *uses.entry(g).or_insert(0) += 1;
                let (mut rs, mut re) = (d, d + 4);
                if is_run(g) {
                    while rs > 0 && p[rs - 1] == p[d] {
                        rs -= 1;
                    }
                    while re < p.len() && p[re] == p[d] {
                        re += 1;
                    }
                    if rs == 0 && re == p.len() {
                        continue; // a pattern of one repeated byte: not supported
                    }
                }
                anchors.push(Anchor {
                    gram: g,
                    sig: si as u32,
                    delta: d as u32,
                    run_start: rs as u32,
                    run_end: re as u32,
                });
            }
        }
        let mut bitmap = alloc::boxed::Box::new([0u64; WORDS]);
        let bucket_bits = BITS - 4;
        let bucket_shift = 32 - bucket_bits;
        for a in &anchors {
            let (w, m) = bloom(a.gram);
            bitmap[w] |= m;
        }
        anchors.sort_by_key(|a| {
            (
                a.gram.wrapping_mul(MUL) >> bucket_shift,
                a.gram,
                a.sig,
                a.delta,
            )
        });
        let mut heads = vec![0u32; (1 << bucket_bits) + 1];
        for a in &anchors {
            heads[(a.gram.wrapping_mul(MUL) >> bucket_shift) as usize + 1] += 1;
        }
        for i in 1..heads.len() {
            heads[i] += heads[i - 1];
        }
        Scanner {
            patterns,
            stride,
            bitmap,
            anchors,
            heads,
            bucket_shift,
        }
    }

    /// Distance between probed positions.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True if the scanner has no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Bytes of index memory (bitmap + anchors + bucket heads).
    pub fn index_bytes(&self) -> usize {
        self.bitmap.len() * 8
            + self.anchors.len() * core::mem::size_of::<Anchor>()
            + self.heads.len() * 4
    }

    /// Verifies the candidates of the probe at `i` (gram `g`) and returns the
    /// next probe position. A run gram (one byte repeated) is handled for the
    /// whole run at once: candidates are placed by the run's boundaries, and
    /// the probes inside the run are skipped.
    #[cold]
    #[inline(never)]
    fn verify(&self, data: &[u8], i: usize, g: u32, f: &mut impl FnMut(Hit)) -> usize {
        let s = self.stride;
        let b = (g.wrapping_mul(MUL) >> self.bucket_shift) as usize;
        let (lo, hi) = (self.heads[b] as usize, self.heads[b + 1] as usize);
        if !is_run(g) {
            for a in &self.anchors[lo..hi] {
                if a.gram != g {
                    continue;
                }
                let Some(start) = i.checked_sub(a.delta as usize) else {
                    continue;
                };
                let p = self.patterns[a.sig as usize];
                if data.get(start..start + p.len()) == Some(p) {
                    f(Hit {
                        offset: start,
                        sig: a.sig,
                    });
                }
            }
            return i + s;
        }
        let byte = g as u8;
        let word = u64::from_ne_bytes([byte; 8]);
        let mut re = i + 4;
        while let Some(chunk) = data
            .get(re..re + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            if u64::from_ne_bytes(chunk) != word {
                break;
            }
            re += 8;
        }
        while data.get(re) == Some(&byte) {
            re += 1;
        }
        let mut rs = i;
        while rs > 0 && data[rs - 1] == byte {
            rs -= 1;
        }
        // Probes i, i+s, ... whose gram lies inside the run are all covered here.
        let last = i + (re - 4 - i) / s * s;
        for a in &self.anchors[lo..hi] {
            if a.gram != g {
                continue;
            }
            let p = self.patterns[a.sig as usize];
            let start = if a.run_start > 0 {
                rs.checked_sub(a.run_start as usize)
            } else {
                re.checked_sub(a.run_end as usize)
            };
            let Some(start) = start else { continue };
            // Exactly one probe position lies in each occurrence's anchor window:
            // report only when that probe is one this run covers.
            let q = start + a.delta as usize;
            if q < i || q > last || !(q - i).is_multiple_of(s) {
                continue;
            }
            if data.get(start..start + p.len()) == Some(p) {
                f(Hit {
                    offset: start,
                    sig: a.sig,
                });
            }
        }
        last + s
    }

    #[inline(always)]
    fn filter(&self, g: u32) -> bool {
        let (w, m) = bloom(g);
        self.bitmap[w] & m == m
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
            let g = |k: usize| u32::from_le_bytes([c[k], c[k + 1], c[k + 2], c[k + 3]]);
            let (g0, g1, g2, g3) = (g(0), g(STRIDE), g(2 * STRIDE), g(3 * STRIDE));
            if self.filter(g0) | self.filter(g1) | self.filter(g2) | self.filter(g3) {
                // Slow path for this block: probe sequentially (a run may skip ahead).
                let end = i + BLOCK;
                while i < end {
                    let g = gram_at(data, i);
                    i = if self.filter(g) {
                        self.verify(data, i, g, &mut f)
                    } else {
                        i + STRIDE
                    };
                }
                continue;
            }
            i += BLOCK;
        }
        while i + 4 <= data.len() {
            let g = gram_at(data, i);
            i = if self.filter(g) {
                self.verify(data, i, g, &mut f)
            } else {
                i + STRIDE
            };
        }
    }

    /// Diagnostic: `(probes, bitmap hits, distinct hit grams with counts)` on
    /// `data` (the most frequent 10 grams), to tune the database.
    pub fn probe_stats(&self, data: &[u8]) -> (usize, usize, Vec<(u32, usize)>) {
        let mut probes = 0;
        let mut hits = 0;
        let mut grams: alloc::collections::BTreeMap<u32, usize> =
            alloc::collections::BTreeMap::new();
        let mut i = 0;
        while i + 4 <= data.len() {
            probes += 1;
            let g = gram_at(data, i);
            if self.filter(g) {
                hits += 1;
                *grams.entry(g).or_insert(0) += 1;
            }
            i += self.stride;
        }
        let mut top: Vec<(u32, usize)> = grams.into_iter().collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigdb::{self, Family};

    fn naive(sigs: &[Signature], data: &[u8]) -> Vec<Hit> {
        let mut out = Vec::new();
        for (i, s) in sigs.iter().enumerate() {
            for o in 0..data.len() {
                if data[o..].starts_with(s.bytes) {
                    out.push(Hit {
                        offset: o,
                        sig: i as u32,
                    });
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn sig(bytes: &'static [u8]) -> Signature {
        Signature {
            algorithm: "t",
            constant: "t",
            family: Family::Aes,
            layout: "raw",
            weight: 1000,
            bytes,
        }
    }

    #[test]
    fn finds_every_occurrence_at_every_alignment_like_a_naive_search() {
        let sigs = [
            sig(b"hello world!"),
            sig(b"abcdefghijk"),
            sig(b"\0\0\0\0\0\0\0\0\0\0\x01"),
            sig(b"abcabcabcabcabc"),
        ];
        let sc = Scanner::new(&sigs);
        assert_eq!(sc.stride(), 8);
        for shift in 0..20 {
            let mut data = vec![0u8; shift];
            data.extend_from_slice(b"xxhello world!abcdefghijkabcabcabcabcabcabc");
            data.extend_from_slice(&[0u8; 13]);
            data.push(1);
            data.extend_from_slice(b"hello world!");
            assert_eq!(sc.scan(&data), naive(&sigs, &data), "shift {shift}");
        }
    }

    #[test]
    fn patterns_with_byte_runs_in_run_heavy_data_match_naive_search() {
        let sigs = [
            sig(b"\xff\xff\xff\xff\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff"),
            sig(b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07"),
            sig(b"\x07\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
            sig(b"\x01\x02\xff\xff\xff\xff\xff\xff\x03\x04\x05"),
            sig(b"\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\x00"),
        ];
        let sc = Scanner::new(&sigs);
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..300 {
            let mut data = Vec::new();
            while data.len() < 600 {
                match rnd() % 5 {
                    0 => data.extend(core::iter::repeat_n(0u8, (rnd() % 40) as usize)),
                    1 => data.extend(core::iter::repeat_n(0xffu8, (rnd() % 40) as usize)),
                    2 => data.extend_from_slice(sigs[(rnd() % 5) as usize].bytes),
                    3 => data.push([1u8, 2, 3, 7, 0xfe][(rnd() % 5) as usize]),
                    _ => data.extend((0..rnd() % 9).map(|_| rnd() as u8)),
                }
            }
            assert_eq!(sc.scan(&data), naive(&sigs, &data));
        }
    }

    #[test]
    fn builtin_db_matches_naive_search_on_planted_patterns() {
        let db = sigdb::builtin();
        assert!(db.len() > 500, "database has {} signatures", db.len());
        let sc = Scanner::new(&db);
        // Plant every 7th signature at a varying alignment in pseudo-random data.
        let mut x = 0x1234_5678u32;
        let mut data: Vec<u8> = (0..40_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let mut pos = 3;
        for s in db.iter().step_by(7) {
            if pos + s.bytes.len() >= data.len() {
                break;
            }
            data[pos..pos + s.bytes.len()].copy_from_slice(s.bytes);
            pos += s.bytes.len() + 13;
        }
        let got = sc.scan(&data);
        assert_eq!(got, naive(&db, &data));
        assert!(got.len() >= db.len() / 7 - 5);
    }
}
