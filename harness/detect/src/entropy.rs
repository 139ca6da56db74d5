//! Sliding-window Shannon entropy (bits per byte).

use alloc::vec::Vec;

/// Shannon entropy of `data` in bits per byte (0 for empty input).
pub fn shannon(data: &[u8]) -> f32 {
    if data.is_empty() {
        return 0.0;
    }
    let mut hist = [0u32; 256];
    for &b in data {
        hist[b as usize] += 1;
    }
    let n = data.len() as f32;
    hist.iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * libm::log2f(p)
        })
        .sum()
}

/// Number of stamps above `t` (stamps and `t` below 128).
#[inline(always)]
fn count_above(stamp: &[u8; 256], t: u8) -> usize {
    stamp
        .chunks_exact(128)
        .map(|half| {
            // At most 128 per half: fits the byte lanes.
            half.iter().fold(0u8, |c, &m| c + u8::from(m > t)) as usize
        })
        .sum()
}

/// Number of non-zero entries of a presence array (entries 0 or 1).
#[inline(always)]
fn count_marked(pres: &[u8; 256]) -> usize {
    pres.chunks_exact(128)
        .map(|half| half.iter().sum::<u8>() as usize)
        .sum()
}

/// Most step blocks per window for the presence-array shortcut
/// (`SlidingEntropy::for_each_distinct_ring`); the cost of a window grows
/// with its blocks, so longer windows use the stamps.
const MAX_RING_BLOCKS: usize = 4;

/// Incremental sliding-window entropy: `window` bytes, one value every `step`
/// bytes (windows start at 0, step, 2*step, ... while they fit).
pub struct SlidingEntropy {
    window: usize,
    step: usize,
    /// `c * log2(c)` for c in 0..=window, fixed point (16 fractional bits):
    /// integer adds keep the per-byte update short and drift-free.
    clogc: Vec<i64>,
    /// `log2(window)` and `1 / (window * 2^16)`, for [`Self::bits`].
    log_w: f32,
    inv_w: f32,
}

impl SlidingEntropy {
    /// A window of `window` bytes (>= 2) moved by `step` (>= 1) bytes.
    pub fn new(window: usize, step: usize) -> Self {
        let window = window.max(2);
        let clogc = (0..=window)
            .map(|c| {
                if c == 0 {
                    0
                } else {
                    libm::round(c as f64 * libm::log2(c as f64) * 65536.0) as i64
                }
            })
            .collect();
        SlidingEntropy {
            window,
            step: step.max(1),
            clogc,
            log_w: libm::log2f(window as f32),
            inv_w: 1.0 / (window as f32 * 65536.0),
        }
    }

    /// Window length in bytes.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Step between windows in bytes.
    pub fn step(&self) -> usize {
        self.step
    }

    /// Entropy of every window of `data`, in bits per byte.
    pub fn profile(&self, data: &[u8]) -> Vec<f32> {
        let mut out = Vec::new();
        self.for_each(data, |_, h| out.push(h));
        out
    }

    /// Calls `f(window_start, entropy)` for every window.
    pub fn for_each(&self, data: &[u8], mut f: impl FnMut(usize, f32)) {
        let w = self.window;
        if data.len() < w {
            return;
        }
        let mut hist = [0u32; 256];
        let mut s = 0i64; // sum of c log2 c, fixed point
        for &b in &data[..w] {
            let c = &mut hist[b as usize];
            s += self.clogc[*c as usize + 1] - self.clogc[*c as usize];
            *c += 1;
        }
        let mut start = 0;
        loop {
            f(start, self.bits(s));
            let next = start + self.step;
            if next + w > data.len() {
                break;
            }
            if self.step >= w {
                // Disjoint windows: rebuild.
                hist.iter_mut().for_each(|c| *c = 0);
                s = 0;
                for &b in &data[next..next + w] {
                    let c = &mut hist[b as usize];
                    s += self.clogc[*c as usize + 1] - self.clogc[*c as usize];
                    *c += 1;
                }
            } else {
                let leaving = &data[start..start + self.step];
                let entering = &data[start + w..start + w + self.step];
                for (&out, &inb) in leaving.iter().zip(entering) {
                    if out == inb {
                        continue; // same byte leaves and enters: no change
                    }
                    let (out, inb) = (out as usize, inb as usize);
                    let c = hist[out] as usize;
                    s += self.clogc[c - 1] - self.clogc[c];
                    hist[out] -= 1;
                    let c = hist[inb] as usize;
                    s += self.clogc[c + 1] - self.clogc[c];
                    hist[inb] += 1;
                }
            }
            start = next;
        }
    }

    /// Byte ranges `[start, end)` where consecutive windows have entropy >=
    /// `threshold` (merged).
    ///
    /// Same windows and values as [`for_each`](Self::for_each), computed only
    /// where they can reach the threshold: a window's entropy is at most
    /// log2 of the number of distinct bytes in it, so windows with fewer than
    /// `2^threshold` distinct bytes (nearly all windows of code) are skipped
    /// after counting distinct bytes, and the others are computed exactly.
    pub fn regions_above(&self, data: &[u8], threshold: f32) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut push = |start: usize, h: f32| {
            if h >= threshold {
                let end = start + self.window;
                match out.last_mut() {
                    Some(last) if start <= last.1 => last.1 = end,
                    _ => out.push((start, end)),
                }
            }
        };
        // The shortcut needs whole step blocks per window, at most 64 of them
        // (byte stamps; up to MAX_RING_BLOCKS presence arrays, faster);
        // otherwise every window is computed.
        if !self.window.is_multiple_of(self.step) || self.window / self.step > 64 {
            self.for_each(data, push);
            return out;
        }
        let need = libm::ceilf(libm::exp2f(threshold)).max(0.0) as usize;
        let exact = |start: usize| push(start, self.entropy(&data[start..start + self.window]));
        if self.window / self.step <= MAX_RING_BLOCKS {
            self.for_each_distinct_ring(data, need, exact);
        } else {
            self.for_each_distinct(data, need, exact);
        }
        out
    }

    /// [`for_each_distinct`](Self::for_each_distinct) for windows of at
    /// most [`MAX_RING_BLOCKS`] step blocks, without stamps: each block
    /// marks its byte values in a fresh 256-byte presence array (one store
    /// per byte, eight bytes read at a time), and a window's distinct count
    /// is the number of values present in any of its blocks' arrays
    /// (sixteen at a time). The window ending at block `k` is counted only
    /// after block `k + 1` is marked, so its arrays are read long after
    /// their byte stores (a vector load right after byte stores to the same
    /// bytes waits for them to retire: the stamps' version spent an eighth
    /// of its time there). Ring of `per + 1` arrays: the one being marked
    /// and the window's; slots advance by counters (a `%` by the run-time
    /// ring size was a division per block).
    fn for_each_distinct_ring(&self, data: &[u8], need: usize, mut f: impl FnMut(usize)) {
        let (w, st) = (self.window, self.step);
        let per = w / st;
        if data.len() < w {
            return;
        }
        let blocks = (data.len() - w) / st + per;
        let ring = per + 1;
        let mut pres = [[0u8; 256]; MAX_RING_BLOCKS + 1];
        // The window whose first block is in slot `first`.
        let window = |pres: &[[u8; 256]; MAX_RING_BLOCKS + 1], first: usize| {
            let mut any = pres[first];
            let mut s = first;
            for _ in 1..per {
                s = if s + 1 == ring { 0 } else { s + 1 };
                for (a, &p) in any.iter_mut().zip(&pres[s]) {
                    *a |= p;
                }
            }
            count_marked(&any) >= need
        };
        // Slot of block k, and of block k - per (first of the window ending at k - 1).
        let (mut slot, mut first) = (0usize, 0usize);
        for (k, block) in data.chunks_exact(st).take(blocks).enumerate() {
            // Slot of block k - per - 1, in no window still to count.
            let marks = &mut pres[slot];
            *marks = [0u8; 256];
            let mut words = block.chunks_exact(8);
            for w8 in &mut words {
                let x = u64::from_le_bytes(w8.try_into().unwrap_or([0; 8]));
                for i in 0..8 {
                    marks[(x >> (8 * i)) as u8 as usize] = 1;
                }
            }
            for &b in words.remainder() {
                marks[b as usize] = 1;
            }
            slot = if slot + 1 == ring { 0 } else { slot + 1 };
            if k >= per {
                if window(&pres, first) {
                    f((k - per) * st);
                }
                first = if first + 1 == ring { 0 } else { first + 1 };
            }
        }
        if window(&pres, first) {
            f((blocks - per) * st);
        }
    }

    /// Calls `f(window_start)` for every window (of `for_each`) with at
    /// least `need` distinct byte values, in order. The window is a whole
    /// number `per` of step blocks: `stamp[b]` numbers the last block in
    /// which byte `b` occurred (relative to `base`, 1 for block `base`, 0
    /// for none), so after block `k` the window of blocks `k + 1 - per..=k`
    /// holds the bytes whose stamp is above `k + 1 - per - base`. Stamps are
    /// bytes kept below 128 by moving `base` forward (one comparison counts
    /// sixteen stamps in a vector register).
    fn for_each_distinct(&self, data: &[u8], need: usize, mut f: impl FnMut(usize)) {
        let (w, st) = (self.window, self.step);
        let per = w / st;
        if data.len() < w {
            return;
        }
        let mut stamp = [0u8; 256];
        let mut base = 0usize;
        let blocks = (data.len() - w) / st + per;
        for (k, block) in data.chunks_exact(st).take(blocks).enumerate() {
            if k - base >= 127 {
                // Keep the stamps of blocks still in a window, renumbered.
                let new_base = k + 1 - per;
                let shift = (new_base - base) as u8;
                for m in stamp.iter_mut() {
                    *m = m.saturating_sub(shift);
                }
                base = new_base;
            }
            let mark = (k - base + 1) as u8;
            for &b in block {
                stamp[b as usize] = mark;
            }
            if k + 1 >= per {
                let above = (k + 1 - per - base) as u8;
                if count_above(&stamp, above) >= need {
                    f((k + 1 - per) * st);
                }
            }
        }
    }

    /// Entropy of one window (`data.len() == window`), the same value
    /// [`for_each`](Self::for_each) computes incrementally.
    fn entropy(&self, data: &[u8]) -> f32 {
        let mut hist = [0u32; 256];
        for &b in data {
            hist[b as usize] += 1;
        }
        self.bits(hist.iter().map(|&c| self.clogc[c as usize]).sum())
    }

    /// Bits per byte of a window whose counts `c` sum `c log2 c` to `s`
    /// (fixed point): `log2(window) - s / window`.
    #[inline]
    fn bits(&self, s: i64) -> f32 {
        (self.log_w - s as f32 * self.inv_w).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(shannon(&[7u8; 100]), 0.0);
        let all: Vec<u8> = (0..=255u8).collect();
        assert!((shannon(&all) - 8.0).abs() < 1e-4);
        assert!((shannon(b"abab") - 1.0).abs() < 1e-6);
    }

    #[test]
    fn sliding_matches_direct_computation() {
        let mut x = 1u32;
        let data: Vec<u8> = (0..5000)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if i < 2000 {
                    (x >> 24) as u8 & 0x0f
                } else {
                    (x >> 24) as u8
                }
            })
            .collect();
        for (w, st) in [(256, 64), (256, 256), (512, 300), (64, 1)] {
            let se = SlidingEntropy::new(w, st);
            let prof = se.profile(&data);
            assert_eq!(prof.len(), (data.len() - w) / st + 1);
            for (k, h) in prof.iter().enumerate() {
                let d = shannon(&data[k * st..k * st + w]);
                assert!((h - d).abs() < 2e-3, "w={w} st={st} k={k}: {h} vs {d}");
            }
        }
        let regions = SlidingEntropy::new(256, 64).regions_above(&data, 7.0);
        assert!(!regions.is_empty() && regions[0].0 >= 1700, "{regions:?}");
    }

    /// The distinct-count shortcut gives exactly the regions of the plain
    /// per-window computation, on data mixing code-like, text and random
    /// stretches, for several windows, steps and thresholds.
    #[test]
    fn regions_above_equal_the_plain_computation() {
        let mut x = 0x9e37_79b9u32;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let mut data = Vec::new();
        while data.len() < 60_000 {
            let n = 50 + rnd() as usize % 900;
            match rnd() % 3 {
                0 => data.extend((0..n).map(|_| rnd() as u8)),
                1 => data.extend((0..n).map(|_| (rnd() % 40) as u8 + b'a')),
                _ => data.extend((0..n).map(|_| [0u8, 0x48, 0x89, 0xe5, 0xff][rnd() as usize % 5])),
            }
        }
        for (w, st) in [
            (256, 128),
            (256, 64),
            (256, 256),
            (512, 128),
            (64, 8),
            (300, 100),
        ] {
            let se = SlidingEntropy::new(w, st);
            for t in [0.0, 4.0, 6.5, 7.2, 7.5] {
                let mut want: Vec<(usize, usize)> = Vec::new();
                se.for_each(&data, |start, h| {
                    if h >= t {
                        match want.last_mut() {
                            Some(last) if start <= last.1 => last.1 = start + w,
                            _ => want.push((start, start + w)),
                        }
                    }
                });
                assert_eq!(se.regions_above(&data, t), want, "w={w} st={st} t={t}");
                assert!(t > 4.0 || !want.is_empty());
            }
        }
    }

    /// The regions of the plain per-window computation.
    fn plain_regions(se: &SlidingEntropy, data: &[u8], t: f32) -> Vec<(usize, usize)> {
        let mut want: Vec<(usize, usize)> = Vec::new();
        se.for_each(data, |start, h| {
            if h >= t {
                match want.last_mut() {
                    Some(last) if start <= last.1 => last.1 = start + se.window(),
                    _ => want.push((start, start + se.window())),
                }
            }
        });
        want
    }

    /// The presence-array path and the stamp path select the same windows
    /// for every distinct-count bound, window length in step blocks (1 to
    /// [`MAX_RING_BLOCKS`]), input length (shorter than a window up to a few
    /// blocks past, so the last window ends anywhere in a block) and start
    /// alignment; and `regions_above` equals the plain computation there.
    #[test]
    fn presence_arrays_equal_stamps_at_every_length_and_alignment() {
        let mut x = 0x2545_f491u32;
        let data: Vec<u8> = (0..4096)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                // Random stretches between repetitive ones.
                if (i / 300) % 2 == 0 {
                    x as u8
                } else {
                    (x % 23) as u8
                }
            })
            .collect();
        for (w, st) in [(256, 128), (64, 64), (96, 32), (128, 32), (48, 16)] {
            let se = SlidingEntropy::new(w, st);
            assert!(w / st <= MAX_RING_BLOCKS);
            let lens = (0..w + 3 * st + 2).chain([data.len() - 7, data.len()]);
            for len in lens {
                for off in [0, 1, 3, 8] {
                    let d = &data[off..off + len.min(data.len() - off)];
                    for need in [0, 1, 20, 40, 60, 100, 148, 256] {
                        let (mut a, mut b) = (Vec::new(), Vec::new());
                        se.for_each_distinct(d, need, |s| a.push(s));
                        se.for_each_distinct_ring(d, need, |s| b.push(s));
                        assert_eq!(a, b, "w={w} st={st} len={} off={off} need={need}", d.len());
                        if need == 0 && d.len() >= w {
                            assert_eq!(a.len(), (d.len() - w) / st + 1);
                        }
                    }
                    for t in [5.0, 6.0] {
                        assert_eq!(se.regions_above(d, t), plain_regions(&se, d, t));
                    }
                }
            }
        }
    }
}
