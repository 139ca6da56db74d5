//! Chunked analysis equals whole-segment analysis (hits, findings,
//! high-entropy regions) at chunk sizes that cut patterns, MOVW/MOVT pairs,
//! words and entropy windows; with less overlap it does not.

use super::*;
use crate::words::{Mov16, encode_mov16, is_limb_set};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn put(img: &mut [u8], at: usize, bytes: &[u8]) {
    if let Some(d) = img.get_mut(at..at + bytes.len()) {
        d.copy_from_slice(bytes);
    }
}

/// A raw image of low-entropy filler with, near multiples of 128 (where
/// chunks are cut): byte patterns of the database, words of a 4-byte word
/// set as little-endian bytes and as MOVW/MOVT pairs (up to 60 bytes
/// apart), P-256 order limbs in `movabs`, and random (high-entropy) runs.
pub(crate) fn image(det: &Detector, seed: u64, len: usize) -> Vec<u8> {
    let mut r = Rng(seed | 1);
    let mut img: Vec<u8> = (0..len).map(|i| b"abcd"[i / 3 % 4]).collect();
    let pats: Vec<&[u8]> = det.db()[..det.patterns()]
        .iter()
        .map(|s| s.bytes)
        .filter(|b| b.len() >= 16)
        .collect();
    let set = crate::sigdb::builtin_word_sets()
        .into_iter()
        .find(|s| s.width == 4 && !is_limb_set(s) && s.len() >= 8)
        .expect("a 4-byte word set");
    let near_cut =
        |r: &mut Rng, back: usize| (r.below(len / 128) * 128 + 256).saturating_sub(r.below(back));
    for _ in 0..len / 2048 {
        let p = pats[r.below(pats.len())];
        let at = near_cut(&mut r, p.len());
        put(&mut img, at, p);
    }
    for _ in 0..len / 512 {
        let w = set.word_bytes(r.below(set.len()));
        let v = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        let at = near_cut(&mut r, 8);
        if r.below(2) == 0 {
            put(&mut img, at, w);
        } else {
            let rd = r.below(13) as u8;
            let at = at & !1;
            let lo = encode_mov16(Mov16 {
                top: false,
                rd,
                imm16: v as u16,
            });
            let hi = encode_mov16(Mov16 {
                top: true,
                rd,
                imm16: (v >> 16) as u16,
            });
            put(&mut img, at.saturating_sub(r.below(60)) & !1, &lo);
            put(&mut img, at + 4 + (r.below(28) * 2), &hi);
        }
    }
    for (k, v) in [
        0xf3b9_cac2_fc63_2551u64,
        0xbce6_faad_a717_9e84,
        0xccd1_c8aa_ee00_bc4f,
    ]
    .into_iter()
    .enumerate()
    {
        let at = near_cut(&mut r, 10) + 40 * k;
        put(&mut img, at, &[0x48, 0xb8]);
        put(&mut img, at + 2, &v.to_le_bytes());
    }
    // Shuffled permutations of the 256 byte values: every window of 256
    // bytes inside is well above the threshold (random bytes sit at it).
    for _ in 0..len / 8192 + 1 {
        let n = 200 + r.below(900);
        let at = near_cut(&mut r, 300);
        let mut noise = Vec::new();
        while noise.len() < n {
            let mut p: Vec<u8> = (0..=255).collect();
            for i in (1..256).rev() {
                p.swap(i, r.below(i + 1));
            }
            noise.extend(p);
        }
        put(&mut img, at, &noise[..n]);
    }
    img
}

fn run(det: &Detector, img: &[u8], chunk: usize, lookahead: usize, tail: usize) -> Analysis {
    let image = loader::load(img).expect("raw");
    det.analyze_with(&image, chunk, lookahead, tail, None)
}

fn same(a: &Analysis, b: &Analysis) -> bool {
    a.hits == b.hits && a.findings == b.findings && a.high_entropy == b.high_entropy
}

#[test]
fn chunked_analysis_equals_whole_segment_analysis() {
    let det = Detector::builtin();
    let (la, tail) = (det.lookahead(), det.entropy_tail());
    assert!(la >= det.longest - 1 && la >= chunks::PAIR_LOOKAHEAD);
    for seed in 1..=6u64 {
        let img = image(&det, seed * 0x9e37_79b9, 24 * 1024 + 37 * seed as usize);
        let whole = run(&det, &img, usize::MAX, la, tail);
        assert!(
            whole.hits.len() > 10,
            "seed {seed}: {} hits",
            whole.hits.len()
        );
        assert!(!whole.findings.is_empty(), "seed {seed}: no finding");
        assert!(
            whole.high_entropy.as_ref().is_some_and(|v| !v.is_empty()),
            "seed {seed}: no region"
        );
        let words = whole
            .hits
            .iter()
            .filter(|h| h.sig as usize >= det.patterns())
            .count();
        assert!(words > 0, "seed {seed}: no word hit");
        for chunk in [1, 128, 256, 384, 640, 1000, 4096, 10_000] {
            let c = run(&det, &img, chunk, la, tail);
            assert!(same(&whole, &c), "seed {seed}, chunk {chunk}");
        }
    }
}

/// An image of filler with `piece` placed at each cut `128 * (2k + 2) -
/// back` (a fresh piece per k).
fn at_cuts(pieces: &[(Vec<u8>, usize)]) -> Vec<u8> {
    let mut img: Vec<u8> = (0..128 * (2 * pieces.len() + 4))
        .map(|i| b"abcd"[i / 3 % 4])
        .collect();
    for (k, (p, back)) in pieces.iter().enumerate() {
        put(&mut img, 128 * (2 * k + 2) - back, p);
    }
    img
}

/// Negative controls: one byte less of look-ahead loses the longest
/// pattern ending one byte past a cut, one byte less than the pair needs
/// loses a MOVW/MOVT pair at the full reach across a cut, and one byte less
/// of entropy tail loses the last window of a chunk.
#[test]
fn one_byte_less_overlap_changes_the_result() {
    let det = Detector::builtin();
    let (la, tail) = (det.lookahead(), det.entropy_tail());
    let p = det.patterns();
    let kind = |a: &Analysis, word: bool| -> Vec<Located> {
        a.hits
            .iter()
            .copied()
            .filter(|h| (h.sig as usize >= p) == word)
            .collect()
    };
    // Byte patterns.
    let longest = det.db()[..p]
        .iter()
        .map(|s| s.bytes)
        .max_by_key(|b| b.len())
        .expect("patterns");
    assert_eq!(longest.len(), det.longest);
    let img = at_cuts(&[(longest.to_vec(), 1), (longest.to_vec(), 1)]);
    let whole = run(&det, &img, usize::MAX, la, tail);
    assert_eq!(kind(&whole, false).len(), 2);
    assert!(same(&whole, &run(&det, &img, 128, la, tail)));
    let short = run(&det, &img, 128, det.longest - 2, tail);
    assert_ne!(kind(&whole, false), kind(&short, false), "pattern hits");
    // MOVW 2 bytes before a cut, MOVT MOVW_MOVT_REACH bytes after it: it
    // ends 66 bytes past the cut (PAIR_LOOKAHEAD is 68, for odd cuts).
    let set = crate::sigdb::builtin_word_sets()
        .into_iter()
        .find(|s| s.width == 4 && !is_limb_set(s) && s.len() >= 8)
        .expect("a 4-byte word set");
    let pieces: Vec<(Vec<u8>, usize)> = (0..set.len())
        .map(|i| {
            let w = set.word_bytes(i);
            let v = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
            let rd = (i % 13) as u8;
            let mut b = encode_mov16(Mov16 {
                top: false,
                rd,
                imm16: v as u16,
            })
            .to_vec();
            b.extend([0xbf, 0x00].repeat(30)); // NOPs: the MOVT at the full reach
            b.extend(encode_mov16(Mov16 {
                top: true,
                rd,
                imm16: (v >> 16) as u16,
            }));
            (b, 2)
        })
        .collect();
    let img = at_cuts(&pieces);
    let whole = run(&det, &img, usize::MAX, la, tail);
    assert!(kind(&whole, true).len() >= usize::from(set.min_distinct));
    assert!(same(&whole, &run(&det, &img, 128, la, tail)));
    let short = run(&det, &img, 128, chunks::PAIR_LOOKAHEAD - 3, tail);
    assert_ne!(kind(&whole, true), kind(&short, true), "MOVW/MOVT pairs");
    // Entropy: a permutation of the 256 byte values across each cut.
    let perm: Vec<u8> = (0..=255u8).map(|b| b.wrapping_mul(167)).collect();
    let img = at_cuts(&[(perm.clone(), 128), (perm, 64)]);
    let whole = run(&det, &img, usize::MAX, la, tail);
    assert!(whole.high_entropy.as_ref().is_some_and(|v| !v.is_empty()));
    assert!(same(&whole, &run(&det, &img, 128, la, tail)));
    let short = run(&det, &img, 128, la, tail - 1);
    assert_ne!(whole.high_entropy, short.high_entropy, "entropy windows");
}

#[test]
fn without_entropy_the_hits_and_findings_are_the_same() {
    let det = Detector::builtin();
    let plain = Detector::builtin().without_entropy();
    assert!(det.maps_entropy() && !plain.maps_entropy());
    for seed in 1..=4u64 {
        let img = image(&det, seed * 0x51_7cc1, 40 * 1024 + 11 * seed as usize);
        for chunk in [usize::MAX, 4096] {
            let full = det.analyze_chunked(&img, chunk).expect("raw");
            let fast = plain.analyze_chunked(&img, chunk).expect("raw");
            assert!(full.high_entropy.as_ref().is_some_and(|v| !v.is_empty()));
            assert_eq!(fast.high_entropy, None, "seed {seed}");
            assert!(!full.findings.is_empty(), "seed {seed}");
            assert_eq!(fast.hits, full.hits, "seed {seed}, chunk {chunk}");
            assert_eq!(fast.findings, full.findings, "seed {seed}, chunk {chunk}");
        }
    }
}

#[test]
fn plans_cover_the_segment_once_on_aligned_cuts() {
    for (len, size) in [
        (0, 5),
        (1, 128),
        (1000, 128),
        (1024, 256),
        (5000, 1),
        (77, usize::MAX),
    ] {
        let p = chunks::Plan::new(len, size, 128, 300, 128);
        let mut at = 0;
        for c in &p.chunks {
            assert_eq!(c.start, at);
            assert!(c.start % 128 == 0 && c.end <= len && c.read_end <= len);
            assert!(c.read_end >= c.end && c.entropy_end >= c.end);
            at = c.end;
        }
        assert_eq!(at, len);
    }
}

fn movabs(v: u64) -> Vec<u8> {
    let mut b = vec![0x48, 0xb8];
    b.extend(v.to_le_bytes());
    b
}

/// `MOVZ Xd, #v[15:0]` then three `MOVK`s, `gap` NOPs between them.
fn a64_mov(v: u64, rd: u32, gap: usize) -> Vec<u8> {
    let mut b = Vec::new();
    for hw in 0..4u32 {
        let op = if hw == 0 { 0xd280_0000u32 } else { 0xf280_0000 };
        let imm = ((v >> (16 * hw)) & 0xffff) as u32;
        b.extend((op | hw << 21 | imm << 5 | rd).to_le_bytes());
        for _ in 0..gap {
            b.extend(0xd503_201fu32.to_le_bytes());
        }
    }
    b
}

/// Public-key limbs in instructions at chunk cuts: P-256 order limbs as
/// `movabs` and as AArch64 MOVZ/MOVK sequences crossing cuts, trivial
/// limbs (`or rax, -1` every 60 bytes: the kernel keeps one per 64 bytes)
/// around them, in clusters that merge and one far from the others.
pub(crate) fn limb_image(seed: u64) -> Vec<u8> {
    let mut r = Rng(seed | 1);
    let len = 96 * 1024;
    let mut img: Vec<u8> = (0..len).map(|i| b"abcd"[i / 3 % 4]).collect();
    let limbs = [
        0xf3b9_cac2_fc63_2551u64,
        0xbce6_faad_a717_9e84,
        0xccd1_c8aa_ee00_bc4f,
    ];
    for base in [4096 + 4 * r.below(64), 13_000, 70_000 + 4 * r.below(256)] {
        let mut at = base;
        for (k, &v) in limbs.iter().enumerate() {
            let piece = if (k + base) % 2 == 0 {
                movabs(v)
            } else {
                a64_mov(v, k as u32, r.below(12))
            };
            put(&mut img, at & !3, &piece);
            at += 100 + r.below(300);
        }
        for k in 0..40 {
            put(&mut img, base + 1500 + 60 * k, &[0x48, 0x83, 0xc8, 0xff]);
        }
    }
    img
}

#[test]
fn limb_spans_equal_the_whole_segment_scan() {
    let det = Detector::builtin();
    let (la, tail) = (det.lookahead(), det.entropy_tail());
    let mov = |a: &Analysis| {
        a.hits
            .iter()
            .filter(|h| {
                det.db()[h.sig as usize].layout.ends_with("-mov-imm")
                    || det.db()[h.sig as usize].layout.starts_with("aarch64")
            })
            .count()
    };
    for seed in 1..=4u64 {
        let img = limb_image(seed);
        let whole = run(&det, &img, usize::MAX, la, tail);
        assert!(mov(&whole) >= 6, "seed {seed}: {} limb hits", mov(&whole));
        for chunk in [128, 640, 4096, 20_000] {
            let c = run(&det, &img, chunk, la, tail);
            assert!(same(&whole, &c), "seed {seed}, chunk {chunk}");
        }
    }
}

/// Negative control: the limb kernel called per chunk and the results
/// concatenated (what the spans avoid) differs from the whole-segment call;
/// and a sequence crossing a cut is found only when the owning chunk reads
/// on to its end (fails with `extend` disabled).
#[test]
fn limb_kernel_per_chunk_differs() {
    let det = Detector::builtin();
    let img = limb_image(3);
    let mut whole = Vec::new();
    det.limbs.scan(&img, None, |m| whole.push(m));
    let plan = det.plan_for(img.len(), 128);
    let mut naive = Vec::new();
    for c in &plan.chunks {
        det.limbs.scan(&img[c.start..c.read_end], None, |mut m| {
            m.offset += c.start;
            if m.offset < c.end {
                naive.push(m);
            }
        });
    }
    whole.sort_unstable();
    naive.sort_unstable();
    assert_ne!(whole, naive);
    let mut spanned = det.limbs_spanned(&img, None, &plan);
    spanned.sort_unstable();
    assert_eq!(whole, spanned);
    // A lone MOVZ/MOVK sequence that starts 8 bytes before a cut and ends
    // 180 bytes after it: the chunk that owns it must read on to its end.
    let mut img: Vec<u8> = (0..8192).map(|i| b"abcd"[i / 3 % 4]).collect();
    put(&mut img, 4096 - 8, &a64_mov(0xf3b9_cac2_fc63_2551, 3, 15));
    let mut whole = Vec::new();
    det.limbs.scan(&img, None, |m| whole.push(m));
    assert!(!whole.is_empty());
    let spanned = det.limbs_spanned(&img, None, &det.plan_for(img.len(), 128));
    assert_eq!(whole, spanned);
}

/// Intel HEX text of `data` (16-byte data records from address 0).
fn ihex(data: &[u8]) -> Vec<u8> {
    let mut t = alloc::string::String::new();
    for (k, rec) in data.chunks(16).enumerate() {
        let a = (k * 16) as u16;
        let mut b = vec![rec.len() as u8, (a >> 8) as u8, a as u8, 0];
        b.extend_from_slice(rec);
        let sum = b.iter().fold(0u8, |s, &x| s.wrapping_add(x));
        b.push(sum.wrapping_neg());
        t.push(':');
        for x in b {
            t += &alloc::format!("{x:02X}");
        }
        t.push('\n');
    }
    t += ":00000001FF\n";
    t.into_bytes()
}

/// The ranges the release hook gets: inside the segments' bytes in the
/// input (an ELF segment at offset 120, and its string table), each chunk
/// of the segment (when there is more than one), each whole segment; none
/// for a decoded segment (Intel HEX); and the analysis is the one without
/// the hook.
#[cfg(feature = "std")]
#[test]
fn releases_name_the_chunks_of_borrowed_segments() {
    use std::sync::Mutex;
    let det = Detector::builtin();
    let mut payload = image(&det, 7, 40 * 1024);
    payload.extend(limb_image(2));
    let elf = crate::loader::tests::tiny_elf(true, true, 0x8000_0000, &payload);
    let segs = segments_in(&elf);
    let seg = segs[0].clone();
    assert_eq!(seg, 120..120 + payload.len());
    for chunk in [1024, 4096, usize::MAX] {
        let seen = Mutex::new(Vec::new());
        let hooked = det
            .analyze_releasing(&elf, chunk, &|r| seen.lock().expect("lock").push(r))
            .expect("elf");
        let plain = det.analyze_chunked(&elf, chunk).expect("elf");
        assert!(same(&hooked, &plain), "chunk {chunk}");
        assert!(plain.hits.len() > 10 && !plain.findings.is_empty());
        let seen = seen.into_inner().expect("lock");
        let out: Vec<_> = seen
            .iter()
            .filter(|r| !segs.iter().any(|s| s.start <= r.start && r.end <= s.end))
            .collect();
        assert!(out.is_empty(), "chunk {chunk}: {out:?} outside {segs:?}");
        assert!(segs.iter().all(|s| seen.contains(s)), "chunk {chunk}");
        let plan = det.plan_for(payload.len(), chunk);
        let inside = seen
            .iter()
            .filter(|r| seg.start <= r.start && r.end <= seg.end);
        if plan.chunks.len() == 1 {
            assert_eq!(inside.count(), 1);
        }
        for c in plan.chunks.iter().filter(|_| plan.chunks.len() > 1) {
            let r = seg.start + c.start..seg.start + c.end;
            assert!(seen.contains(&r), "chunk {chunk}: {r:?} not released");
        }
    }
    let hex = ihex(&payload[..4096]);
    let calls = Mutex::new(0);
    let a = det
        .analyze_releasing(&hex, 1024, &|_| *calls.lock().expect("lock") += 1)
        .expect("ihex");
    assert_eq!(a.format, loader::Format::IntelHex);
    assert_eq!(a.bytes, 4096);
    assert_eq!(calls.into_inner().expect("lock"), 0);
}

/// Where the segments of `elf` lie in it.
#[cfg(feature = "std")]
fn segments_in(elf: &[u8]) -> Vec<core::ops::Range<usize>> {
    let img = loader::load(elf).expect("elf");
    img.segments
        .iter()
        .map(|s| {
            let at = offset_in(elf, s).expect("borrowed");
            at..at + s.data.len()
        })
        .collect()
}
