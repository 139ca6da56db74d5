//! Tests of the word kernel: hand-assembled Thumb-2 instructions, the
//! pairing, and the matcher against a naive search.

use super::thumb::pairs_with;
use super::*;
use crate::sigdb::{Family, WordSet};
use alloc::vec;
use alloc::vec::Vec;

// Hand-assembled from the ARMv7-M ARM bit layout:
// movw r0, #0x7999: imm16 = 0111 1 001 10011001 -> imm4=7 i=1 imm3=1 imm8=0x99
//   hw1 = 11110 1 100100 0111 = 0xf647, hw2 = 0 001 0000 10011001 = 0x1099
// movt r0, #0x5a82: imm16 = 0101 1 010 10000010 -> imm4=5 i=1 imm3=2 imm8=0x82
//   hw1 = 11110 1 101100 0101 = 0xf6c5, hw2 = 0 010 0000 10000010 = 0x2082
// movw r12, #0x0300: imm4=0 i=0 imm3=3 imm8=0 -> 0xf240, 0x3c00
// movt r12, #0x0c0f: imm4=0 i=1 imm3=4 imm8=0x0f -> 0xf6c0, 0x4c0f
const MOVW_R0_7999: [u8; 4] = [0x47, 0xf6, 0x99, 0x10];
const MOVT_R0_5A82: [u8; 4] = [0xc5, 0xf6, 0x82, 0x20];
const MOVW_R12_0300: [u8; 4] = [0x40, 0xf2, 0x00, 0x3c];
const MOVT_R12_0C0F: [u8; 4] = [0xc0, 0xf6, 0x0f, 0x4c];

#[test]
fn decodes_hand_assembled_movw_movt() {
    let d = |b: [u8; 4]| {
        decode_mov16(
            u16::from_le_bytes([b[0], b[1]]),
            u16::from_le_bytes([b[2], b[3]]),
        )
    };
    let m = |top, rd, imm16| Some(Mov16 { top, rd, imm16 });
    assert_eq!(d(MOVW_R0_7999), m(false, 0, 0x7999));
    assert_eq!(d(MOVT_R0_5A82), m(true, 0, 0x5a82));
    assert_eq!(d(MOVW_R12_0300), m(false, 12, 0x0300));
    assert_eq!(d(MOVT_R12_0C0F), m(true, 12, 0x0c0f));
    // Bit 15 of the second halfword set: not MOVW (another encoding).
    assert_eq!(d([0x47, 0xf6, 0x99, 0x90]), None);
    // MOV.W (T2, modified immediate) and a 16-bit instruction are not MOVW.
    assert_eq!(d([0x4f, 0xf0, 0x01, 0x00]), None);
    assert_eq!(d([0x70, 0x47, 0x00, 0x00]), None);
    let e = |top, rd, imm16| encode_mov16(Mov16 { top, rd, imm16 });
    assert_eq!(e(false, 0, 0x7999), MOVW_R0_7999);
    assert_eq!(e(true, 0, 0x5a82), MOVT_R0_5A82);
    assert_eq!(e(false, 12, 0x0300), MOVW_R12_0300);
    assert_eq!(e(true, 12, 0x0c0f), MOVT_R12_0C0F);
}

#[test]
fn encode_decode_round_trip_every_immediate() {
    for imm16 in 0..=u16::MAX {
        for (top, rd) in [(false, 3u8), (true, 14)] {
            let b = encode_mov16(Mov16 { top, rd, imm16 });
            let got = decode_mov16(
                u16::from_le_bytes([b[0], b[1]]),
                u16::from_le_bytes([b[2], b[3]]),
            );
            assert_eq!(got, Some(Mov16 { top, rd, imm16 }));
        }
    }
}

#[test]
fn pairs_need_the_same_register_and_order_within_reach() {
    let nop = [0x00, 0xbf]; // 16-bit NOP
    let mut code = Vec::new();
    code.extend_from_slice(&MOVW_R0_7999);
    code.extend_from_slice(&MOVW_R12_0300);
    code.extend_from_slice(&nop);
    code.extend_from_slice(&MOVT_R12_0C0F);
    code.extend_from_slice(&MOVT_R0_5A82);
    let mut got = Vec::new();
    movw_movt_pairs(&code, |o, v| got.push((o, v)));
    assert_eq!(got, [(4, 0x0c0f_0300), (0, 0x5a82_7999)]);
    // MOVT before MOVW: no pair; too far apart: no pair.
    let mut rev = MOVT_R0_5A82.to_vec();
    rev.extend_from_slice(&MOVW_R0_7999);
    got.clear();
    movw_movt_pairs(&rev, |o, v| got.push((o, v)));
    assert!(got.is_empty());
    let mut far = MOVW_R0_7999.to_vec();
    far.extend(core::iter::repeat_n(nop, MOVW_MOVT_REACH / 2).flatten());
    far.extend_from_slice(&MOVT_R0_5A82);
    movw_movt_pairs(&far, |o, v| got.push((o, v)));
    assert!(got.is_empty());
    // Unaligned (odd) offsets are not instruction starts.
    let mut odd = vec![0u8];
    odd.extend_from_slice(&code);
    movw_movt_pairs(&odd, |o, v| got.push((o, v)));
    assert!(got.is_empty());
}

#[test]
fn thumb_expand_imm_cases() {
    // ARMv7-M ARM A5.3.2 examples: 00 -> 0x000000XY, 01 -> 0x00XY00XY,
    // 10 -> 0xXY00XY00, 11 -> 0xXYXYXYXY, else 1bcdefgh rotated.
    assert_eq!(thumb_expand_imm(0x0ab), 0xab);
    assert_eq!(thumb_expand_imm(0x1ab), 0x00ab_00ab);
    assert_eq!(thumb_expand_imm(0x2ab), 0xab00_ab00);
    assert_eq!(thumb_expand_imm(0x3ab), 0xabab_abab);
    // rotation 8 (imm12 = 0100 0 0000000): 0x80 ror 8 = 0x8000_0000.
    assert_eq!(thumb_expand_imm(0x400), 0x8000_0000);
    // imm12 = 11110 1000000: 0xc0 ror 30 = 0x300; 11010 1000000: ror 26 = 0x3000.
    assert_eq!(thumb_expand_imm(0xf40), 0x300);
    assert_eq!(thumb_expand_imm(0xd40), 0x3000);
}

#[test]
fn movt_completes_mov_w_and_movs() {
    // Hand-assembled: `mov.w r4, #0x300` = f44f 7440 (T2, S=0, i=1
    // imm3=7 imm8=0x40: 0xc0 ror 30), later `movt r4, #0x0c0f` = f6c0 440f
    // (the bytes the thumbv7em -Os RustCrypto `aes` corpus image has for
    // that MOVT; its low half there is `movw r4, #0x300` = f240 3400).
    let mut code = vec![0x4f, 0xf4, 0x40, 0x74];
    code.extend_from_slice(&[0x00, 0xbf, 0x00, 0xbf]);
    code.extend_from_slice(&[0xc0, 0xf6, 0x0f, 0x44]);
    // movs r3, #0x99 = 2399; movt r3, #0x5a82 = f6c5 2382
    code.extend_from_slice(&[0x99, 0x23, 0xc5, 0xf6, 0x82, 0x23]);
    let mut got = Vec::new();
    movw_movt_pairs(&code, |o, v| got.push((o, v)));
    assert_eq!(got, [(0, 0x0c0f_0300), (12, 0x5a82_0099)]);
}

fn set(constant: &'static str, min: u16, width: u8, bytes: &'static [u8]) -> WordSet {
    WordSet {
        algorithm: "t",
        constant,
        family: Family::Sha,
        weight: 1000,
        min_distinct: min,
        width,
        bytes,
    }
}

#[test]
fn finds_words_in_every_encoding() {
    assert!(WordMatcher::new(&[]).is_empty());
    assert!(!WordMatcher::new(&crate::sigdb::builtin_word_sets()).is_empty());
    let sets = [
        set("k", 2, 4, &[0x99, 0x79, 0x82, 0x5a, 0x00, 0x03, 0x0f, 0x0c]),
        set("w", 1, 8, &[0x00, 0x00, 0x0f, 0x00, 0xff, 0x00, 0xf0, 0x00]),
    ];
    let m = WordMatcher::new(&sets);
    let mut img = vec![0x11u8; 7];
    img.extend_from_slice(&MOVW_R0_7999); // 7: odd, not decoded as Thumb
    img.push(0x22); // 11
    img.extend_from_slice(&MOVW_R12_0300); // 12
    img.extend_from_slice(&MOVT_R12_0C0F); // 16
    img.extend_from_slice(&[0x05, 0x99, 0x79, 0x82, 0x5a]); // 20: imm32 at 21
    img.extend_from_slice(&[0x48, 0xb8, 0, 0, 0x0f, 0, 0xff, 0, 0xf0, 0]); // movabs at 25
    img.extend_from_slice(&[0, 0, 0x0f, 0, 0xff, 0, 0xf0]); // truncated imm64
    let mut got = Vec::new();
    m.scan(&img, |x| got.push(x));
    got.sort();
    let w = |offset, set, word, encoding| WordMatch {
        offset,
        set,
        word,
        encoding,
    };
    assert_eq!(
        got,
        [
            w(12, 0, 1, Encoding::MovwMovt),
            w(21, 0, 0, Encoding::Le32),
            w(27, 1, 0, Encoding::Le64),
        ]
    );
}

#[test]
fn movs_is_decoded_when_a_word_needs_it() {
    let sets = [set("k", 1, 4, &[0x99, 0x00, 0x82, 0x5a])];
    let m = WordMatcher::new(&sets);
    assert!(m.movs);
    // movs r3, #0x99 = 2399; movt r3, #0x5a82 = f6c5 2382
    let code = [0x00, 0xbf, 0x99, 0x23, 0xc5, 0xf6, 0x82, 0x23];
    let mut got = Vec::new();
    m.scan(&code, |w| got.push((w.offset, w.encoding)));
    assert_eq!(got, [(2, Encoding::MovwMovt)]);
}

#[test]
fn qualify_needs_enough_distinct_words_in_one_window() {
    let sets = [set(
        "k",
        3,
        4,
        &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    )];
    let m = WordMatcher::new(&sets);
    let at = |pos: u64, word: u32| {
        (
            pos,
            WordMatch {
                offset: pos as usize,
                set: 0,
                word,
                encoding: Encoding::Le32,
            },
            (),
        )
    };
    // Word 0 three times: one distinct word, not enough.
    assert!(m.qualify(vec![at(0, 0), at(8, 0), at(16, 0)]).is_empty());
    // Three distinct words, but spread over more than one window.
    assert!(
        m.qualify(vec![at(0, 0), at(WINDOW, 1), at(2 * WINDOW, 2)])
            .is_empty()
    );
    // Three distinct words in a window, a fourth far away is dropped.
    let got = m.qualify(vec![at(5 * WINDOW, 3), at(100, 2), at(0, 0), at(50, 1)]);
    assert_eq!(
        got.iter().map(|(p, _, _)| *p).collect::<Vec<_>>(),
        [0, 50, 100]
    );
    // An unknown set index is never reported.
    let mut bad = at(0, 0);
    bad.1.set = 7;
    assert!(m.qualify(vec![bad, bad, bad]).is_empty());
}

#[test]
fn scan_equals_a_naive_search_at_every_alignment() {
    // The symmetric word sets (limb sets are `LimbMatcher`'s).
    let sets: Vec<WordSet> = crate::sigdb::builtin_word_sets()
        .into_iter()
        .filter(|s| !is_limb_set(s))
        .collect();
    let m = WordMatcher::new(&sets);
    let mut x = 0x853c_49e6_748f_ea9bu64;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut data: Vec<u8> = (0..20_000).map(|_| rnd() as u8).collect();
    // Plant words of every set at every alignment, some overlapping.
    for k in 0..400 {
        let s = &sets[k % sets.len()];
        let w = s.word_bytes(rnd() as usize % s.len());
        let at = (rnd() as usize % (data.len() - 8)) & !7 | (k % 8);
        data[at..at + w.len()].copy_from_slice(w);
    }
    // And MOVW/MOVT pairs of 4-byte words.
    for k in 0..50 {
        let s = &sets[k % 6];
        let v = s.word(rnd() as usize % s.len()).unwrap_or(0) as u32;
        let at = (rnd() as usize % (data.len() - 16)) & !1;
        let lo = encode_mov16(Mov16 {
            top: false,
            rd: 2,
            imm16: v as u16,
        });
        let hi = encode_mov16(Mov16 {
            top: true,
            rd: 2,
            imm16: (v >> 16) as u16,
        });
        data[at..at + 4].copy_from_slice(&lo);
        data[at + 4..at + 8].copy_from_slice(&hi);
    }
    let mut got = Vec::new();
    m.scan(&data, |w| got.push(w));
    got.sort();
    let mut want = Vec::new();
    for o in 0..data.len() {
        for (si, s) in sets.iter().enumerate() {
            for wi in 0..s.len() {
                let b = s.word_bytes(wi);
                if data.get(o..o + b.len()) == Some(b) {
                    let encoding = if b.len() == 8 {
                        Encoding::Le64
                    } else {
                        Encoding::Le32
                    };
                    want.push(WordMatch {
                        offset: o,
                        set: si as u32,
                        word: wi as u32,
                        encoding,
                    });
                }
            }
        }
    }
    // No built-in word has a low half below 256: MOVS is not decoded.
    assert!(!m.movs);
    pairs_with(&data, false, |o, v| {
        for (si, s) in sets.iter().enumerate().filter(|(_, s)| s.width == 4) {
            for wi in 0..s.len() {
                if s.word(wi) == Some(u64::from(v)) {
                    want.push(WordMatch {
                        offset: o,
                        set: si as u32,
                        word: wi as u32,
                        encoding: Encoding::MovwMovt,
                    });
                }
            }
        }
    });
    want.sort();
    assert!(want.len() >= 400, "{}", want.len());
    assert_eq!(got, want);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let sets = crate::sigdb::builtin_word_sets();
    let m = WordMatcher::new(&sets);
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for len in 0..300 {
        let buf: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Bias towards MOVW/MOVT opcode bytes.
                if x.is_multiple_of(5) { 0xf2 } else { x as u8 }
            })
            .collect();
        let mut all = Vec::new();
        m.scan(&buf, |w| all.push((w.offset as u64, w, ())));
        for (_, w, _) in &all {
            assert!(w.offset < buf.len());
        }
        let _ = m.qualify(all);
    }
}

/// The `movabs` search finds exactly the `movabs` instructions the full
/// x86-64 decoder reports, with the same values, at every offset (data
/// dense in REX.W prefixes and `0xb8..=0xbf` bytes, every length so that
/// pairs straddle the eight-byte words and the tail).
#[test]
fn movabs_search_equals_the_full_decoder() {
    use super::imm64::{x86_64_imm64, x86_64_values};
    let mut x = 0x1234_5678_9abc_def1u64;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for len in 0..300 {
        let data: Vec<u8> = (0..len)
            .map(|_| match rnd() % 4 {
                0 => 0x48 + (rnd() % 8) as u8,
                1 => 0xb8 + (rnd() % 8) as u8,
                _ => rnd() as u8,
            })
            .collect();
        let mut want = Vec::new();
        x86_64_values(&data, |i, v| {
            if data[i] & 0xf8 == 0x48 && data[i + 1] & 0xf8 == 0xb8 {
                want.push((i, v));
            }
        });
        let mut got = Vec::new();
        x86_64_imm64(&data, |i, v| got.push((i, v)));
        assert_eq!(got, want, "len {len}");
        assert!(len < 100 || !got.is_empty());
    }
}

/// Skipping the instructions that are neither move-wide nor logical
/// immediates gives the values of decoding every instruction, on code dense
/// in MOVZ/MOVN/MOVK/ORR forms of both widths, at every length.
#[test]
fn aarch64_prefilter_equals_decoding_every_instruction() {
    use super::imm64::{aarch64_step, aarch64_values};
    let mut x = 0x0bad_5eed_1234_5678u64;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let ops = [
        0xd280_0000u32,
        0x9280_0000,
        0x5280_0000,
        0x1280_0000,
        0xf280_0000,
        0x7280_0000,
        0xb200_03e0,
        0xb280_03e0,
    ];
    let mut total = 0;
    for len in (0..400).step_by(4).chain([3, 9, 402]) {
        let data: Vec<u8> = (0..len / 4)
            .flat_map(|_| {
                let r = rnd() as u32;
                let w = match rnd() % 3 {
                    0 => ops[(rnd() % 8) as usize] | (r & 0x007f_ffe7) | (rnd() % 4) as u32,
                    1 => r,
                    _ => r & 0xe07f_ffff | 0x1280_0000,
                };
                w.to_le_bytes()
            })
            .chain((0..len % 4).map(|_| 0u8))
            .collect();
        let mut want = Vec::new();
        let mut regs = [None; 32];
        for (k, c) in data.chunks_exact(4).enumerate() {
            let w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            aarch64_step(&mut regs, 4 * k, w, &mut |o, v| want.push((o, v)));
        }
        let mut got = Vec::new();
        aarch64_values(&data, |o, v| got.push((o, v)));
        assert_eq!(got, want, "len {len}");
        total += got.len();
    }
    assert!(total > 1000, "{total} values");
}
