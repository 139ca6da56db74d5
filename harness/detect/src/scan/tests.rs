//! Exactness of the scanner against a naive search.

use super::*;
use crate::sigdb::{self, Family};
use alloc::vec;

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
        sig(
            b"\xff\xff\xff\xff\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff",
        ),
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

/// Long (8-byte-gram) and short (4-byte-gram) patterns with byte runs of
/// every length around the gram widths, planted at every alignment in data
/// made of runs, against a naive search.
#[test]
fn both_tiers_with_runs_match_naive_search_at_every_alignment() {
    let sigs = [
        // long, anchored inside or across runs
        sig(b"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\x02"),
        sig(b"\x05\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
        sig(b"\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"),
        sig(b"\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x09"),
        sig(b"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"),
        // short
        sig(b"\0\0\0\0\0\0\0\0\0\0\x03"),
        sig(b"\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x08"),
        sig(b"abcdefghijkl"),
    ];
    let sc = Scanner::new(&sigs);
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..400 {
        let mut data = alloc::vec![0u8; round % 17];
        while data.len() < 700 {
            match rnd() % 6 {
                0 => data.extend(core::iter::repeat_n(0u8, (rnd() % 40) as usize)),
                1 => data.extend(core::iter::repeat_n(0xffu8, (rnd() % 20) as usize)),
                2 => data.extend(core::iter::repeat_n(7u8, (rnd() % 30) as usize)),
                3 => data.extend_from_slice(sigs[(rnd() % sigs.len() as u64) as usize].bytes),
                4 => data.push([1u8, 2, 3, 5, 8, 9][(rnd() % 6) as usize]),
                _ => data.extend((0..rnd() % 9).map(|_| rnd() as u8)),
            }
        }
        assert_eq!(sc.scan(&data), naive(&sigs, &data), "round {round}");
        // Every suffix: the tail probes (fewer than 8 bytes left) too.
        for cut in data.len() - 20..data.len() {
            assert_eq!(sc.scan(&data[..cut]), naive(&sigs, &data[..cut]));
        }
    }
}

/// The built-in database against aho-corasick (overlapping matches), every
/// signature planted at each of the 8 alignments modulo the stride, in data
/// mixing zero runs, text and random bytes.
#[test]
fn builtin_db_matches_aho_corasick_at_every_alignment() {
    let db = sigdb::builtin();
    let sc = Scanner::new(&db);
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(db.iter().map(|s| s.bytes))
        .unwrap();
    let mut x = 0x2545_f491u32;
    for align in 0..STRIDE {
        let mut data = alloc::vec![0u8; align];
        for (k, s) in db.iter().enumerate() {
            match k % 3 {
                0 => data.extend(core::iter::repeat_n(0u8, 8 + k % 13)),
                1 => data.extend_from_slice(b"the quick brown fox "),
                _ => data.extend((0..k % 29).map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })),
            }
            let pad = (STRIDE - data.len() % STRIDE + align) % STRIDE;
            data.extend(core::iter::repeat_n(0u8, pad));
            data.extend_from_slice(s.bytes);
        }
        let mut want: Vec<Hit> = ac
            .find_overlapping_iter(&data[..])
            .map(|m| Hit {
                offset: m.start(),
                sig: m.pattern().as_u32(),
            })
            .collect();
        want.sort_unstable();
        let got = sc.scan(&data);
        assert_eq!(got.len(), want.len(), "alignment {align}");
        assert_eq!(got, want, "alignment {align}");
        assert!(
            got.len() >= db.len(),
            "alignment {align}: {} hits",
            got.len()
        );
    }
}
