//! Detection-kernel workloads (`suite = detect`), byte throughput, over seeded
//! synthetic firmware images (machine-code-like bytes, literal pools,
//! strings, erased/zero regions, high-entropy blobs, with database patterns
//! planted about every 64 KiB; see `pqbench_detect::synth`).
//!
//! * `scan.multi-pattern/pqbench/<size>`: the pqbench scanner, full built-in
//!   database (every layout), every hit;
//! * `scan.multi-pattern/aho-corasick/<size>`: the same pattern set in
//!   `aho-corasick` 1.x (DFA, overlapping matches: every hit), the peer;
//! * `scan.memchr/memchr/<size>`: one `memchr` pass over the same bytes,
//!   the memory-bandwidth ceiling;
//! * `scan.instruction-words/pqbench/<size>`: the instruction-encoded word
//!   kernel (`pqbench_detect::words`: every offset as a 32/64-bit word, every
//!   even offset decoded as Thumb-2 MOVW/MOVT), built-in word sets;
//! * `entropy.sliding/pqbench/<size>`: 256-byte windows every 128 bytes;
//! * `load.{elf,ihex,srec}/pqbench/<size>`: the loaders;
//! * `analyze.image/pqbench/<size>`: load + scan + words + entropy + evidence.
//!
//! The 64 MiB images exist only with `std` (host); the firmware gets the
//! small sizes, and the aho-corasick peer only where atomics exist (not on
//! thumbv6m). These synthetic images are the best case; the host also has
//! `…/realbin` workloads over real compiled code ([`realbin`]).

#[cfg(feature = "std")]
pub mod realbin;

use crate::{BenchId, StaticMetric, Throughput, Workload};
#[cfg(target_has_atomic = "ptr")]
use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, MatchKind};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::hint::black_box;
use pqbench_detect::analyze::Detector;
use pqbench_detect::entropy::SlidingEntropy;
use pqbench_detect::scan::Scanner;
use pqbench_detect::words::WordMatcher;
use pqbench_detect::{loader, sigdb, synth};

/// The peer the scanner is measured against: an aho-corasick DFA over the
/// database's patterns, reporting overlapping matches (every occurrence).
#[cfg(target_has_atomic = "ptr")]
fn database_dfa(db: &[sigdb::Signature]) -> Result<AhoCorasick, BuildError> {
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::Standard)
        .build(db.iter().map(|s| s.bytes))
}

fn size_label(len: usize) -> String {
    if len >= 1 << 20 {
        format!("{}MiB", len >> 20)
    } else {
        format!("{}KiB", len >> 10)
    }
}

fn image(seed: u64, len: usize) -> Vec<u8> {
    synth::firmware(seed, len, &sigdb::builtin()).0
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kernel {
    Scan,
    AhoCorasick,
    Memchr,
    Words,
    Entropy,
    LoadElf,
    LoadIhex,
    LoadSrec,
    Analyze,
}

impl Kernel {
    fn name_impl(self) -> (&'static str, &'static str) {
        match self {
            Kernel::Scan => ("scan.multi-pattern", "pqbench"),
            Kernel::AhoCorasick => ("scan.multi-pattern", "aho-corasick"),
            Kernel::Memchr => ("scan.memchr", "memchr"),
            Kernel::Words => ("scan.instruction-words", "pqbench"),
            Kernel::Entropy => ("entropy.sliding", "pqbench"),
            Kernel::LoadElf => ("load.elf", "pqbench"),
            Kernel::LoadIhex => ("load.ihex", "pqbench"),
            Kernel::LoadSrec => ("load.srec", "pqbench"),
            Kernel::Analyze => ("analyze.image", "pqbench"),
        }
    }
}

enum State {
    Empty,
    Scan(Box<Scanner>),
    #[cfg(target_has_atomic = "ptr")]
    Ac(AhoCorasick),
    Words(WordMatcher),
    Entropy(SlidingEntropy),
    Analyze(Box<Detector>),
    Plain,
}

struct DetectWorkload {
    kernel: Kernel,
    len: usize,
    /// Input of the timed operation (image bytes or encoded file).
    input: Vec<u8>,
    state: State,
}

/// Encodes `data` as a minimal 32-bit little-endian ELF with one PT_LOAD segment.
fn to_elf(data: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(data.len() + 84);
    b.extend_from_slice(b"\x7fELF\x01\x01\x01\0\0\0\0\0\0\0\0\0");
    for v in [2u16, 40] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in [1u32, 0x0800_0001, 52, 0, 0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in [52u16, 32, 1, 40, 0, 0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    let n = data.len() as u32;
    for v in [1u32, 84, 0x0800_0000, 0x0800_0000, n, n, 5, 4] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(data);
    b
}

fn hex_byte(out: &mut Vec<u8>, v: u8) {
    const D: &[u8; 16] = b"0123456789ABCDEF";
    out.push(D[(v >> 4) as usize]);
    out.push(D[(v & 15) as usize]);
}

/// Encodes `data` at 0x0800_0000 as Intel HEX (16-byte records).
fn to_ihex(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 3);
    let mut upper = u32::MAX;
    for (k, chunk) in data.chunks(16).enumerate() {
        let addr = 0x0800_0000u32 + (k as u32) * 16;
        let mut rec = Vec::with_capacity(21);
        if addr >> 16 != upper {
            upper = addr >> 16;
            rec.extend_from_slice(&[2, 0, 0, 4, (upper >> 8) as u8, upper as u8]);
            emit_ihex(&mut out, &rec);
            rec.clear();
        }
        rec.extend_from_slice(&[chunk.len() as u8, (addr >> 8) as u8, addr as u8, 0]);
        rec.extend_from_slice(chunk);
        emit_ihex(&mut out, &rec);
    }
    out.extend_from_slice(b":00000001FF\n");
    out
}

fn emit_ihex(out: &mut Vec<u8>, rec: &[u8]) {
    out.push(b':');
    let mut sum = 0u8;
    for &v in rec {
        hex_byte(out, v);
        sum = sum.wrapping_add(v);
    }
    hex_byte(out, sum.wrapping_neg());
    out.push(b'\n');
}

/// Encodes `data` at 0x0800_0000 as S3 records (32 bytes each).
fn to_srec(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 3);
    for (k, chunk) in data.chunks(32).enumerate() {
        let addr = 0x0800_0000u32 + (k as u32) * 32;
        let mut rec = Vec::with_capacity(38);
        rec.push(chunk.len() as u8 + 5);
        rec.extend_from_slice(&addr.to_be_bytes());
        rec.extend_from_slice(chunk);
        out.extend_from_slice(b"S3");
        let mut sum = 0u8;
        for &v in &rec {
            hex_byte(&mut out, v);
            sum = sum.wrapping_add(v);
        }
        hex_byte(&mut out, !sum);
        out.push(b'\n');
    }
    out.extend_from_slice(b"S70508000000F2\n");
    out
}

impl Workload for DetectWorkload {
    fn id(&self) -> BenchId {
        let (name, imp) = self.kernel.name_impl();
        BenchId::new("detect", name, imp, &size_label(self.len))
    }

    fn setup(&mut self, seed: u64) {
        let img = image(seed, self.len);
        let db = sigdb::builtin();
        (self.input, self.state) = match self.kernel {
            Kernel::Scan => (img, State::Scan(Box::new(Scanner::new(&db)))),
            #[cfg(not(target_has_atomic = "ptr"))]
            Kernel::AhoCorasick => (img, State::Empty),
            #[cfg(target_has_atomic = "ptr")]
            Kernel::AhoCorasick => match database_dfa(&db) {
                Ok(ac) => (img, State::Ac(ac)),
                Err(_) => (img, State::Empty),
            },
            Kernel::Memchr => (img, State::Plain),
            Kernel::Words => (
                img,
                State::Words(WordMatcher::new(&sigdb::builtin_word_sets())),
            ),
            Kernel::Entropy => (img, State::Entropy(SlidingEntropy::new(256, 128))),
            Kernel::LoadElf => (to_elf(&img), State::Plain),
            Kernel::LoadIhex => (to_ihex(&img), State::Plain),
            Kernel::LoadSrec => (to_srec(&img), State::Plain),
            Kernel::Analyze => (
                to_elf(&img),
                State::Analyze(Box::new(Detector::with_word_sets(
                    db,
                    &sigdb::builtin_word_sets(),
                ))),
            ),
        };
    }

    fn run(&mut self) {
        let data = black_box(self.input.as_slice());
        match (&self.state, self.kernel) {
            (State::Scan(sc), _) => {
                black_box(sc.count(data));
            }
            #[cfg(target_has_atomic = "ptr")]
            (State::Ac(ac), _) => {
                black_box(ac.find_overlapping_iter(data).count());
            }
            (State::Words(w), _) => {
                let mut n = 0usize;
                w.scan(data, |_| n += 1);
                black_box(n);
            }
            (State::Entropy(e), _) => {
                let mut acc = 0.0f32;
                e.for_each(data, |_, h| acc += h);
                black_box(acc);
            }
            (State::Analyze(d), _) => {
                black_box(d.analyze(data).map(|a| a.findings.len()).ok());
            }
            (_, Kernel::Memchr) => {
                black_box(memchr::memchr_iter(0xa5, data).count());
            }
            (_, Kernel::LoadElf | Kernel::LoadIhex | Kernel::LoadSrec) => {
                black_box(loader::load(data).map(|i| i.len()).ok());
            }
            _ => {}
        }
    }

    fn throughput(&self) -> Option<Throughput> {
        // Loaders: bytes of the encoded file; others: image bytes.
        let n = match self.kernel {
            Kernel::LoadElf | Kernel::LoadIhex | Kernel::LoadSrec | Kernel::Analyze
                if !self.input.is_empty() =>
            {
                self.input.len()
            }
            _ => self.len,
        };
        Some(Throughput::Bytes(n as u64))
    }

    fn static_metrics(&self) -> Vec<StaticMetric> {
        let db = sigdb::builtin();
        let mut m = alloc::vec![
            StaticMetric {
                name: "signatures",
                value: db.len() as u64,
                unit: "patterns"
            },
            StaticMetric {
                name: "signature_bytes",
                value: db.iter().map(|s| s.bytes.len() as u64).sum(),
                unit: "bytes"
            },
        ];
        if let State::Scan(sc) = &self.state {
            m.push(StaticMetric {
                name: "index_bytes",
                value: sc.index_bytes() as u64,
                unit: "bytes",
            });
        }
        m
    }
}

/// Image sizes: 64 KiB and 1 MiB everywhere, 64 MiB on the host (`std`).
fn sizes() -> Vec<usize> {
    #[allow(unused_mut)]
    let mut v = alloc::vec![64 << 10, 1 << 20];
    #[cfg(feature = "std")]
    v.push(64 << 20);
    v
}

/// Every detection workload.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out: Vec<Box<dyn Workload>> = Vec::new();
    let mk = |kernel, len| -> Box<dyn Workload> {
        Box::new(DetectWorkload {
            kernel,
            len,
            input: Vec::new(),
            state: State::Empty,
        })
    };
    for len in sizes() {
        for k in [Kernel::Scan, Kernel::AhoCorasick, Kernel::Memchr] {
            // The aho-corasick peer needs atomics (not on thumbv6m).
            if k != Kernel::AhoCorasick || cfg!(target_has_atomic = "ptr") {
                out.push(mk(k, len));
            }
        }
    }
    for k in [
        Kernel::Words,
        Kernel::Entropy,
        Kernel::LoadElf,
        Kernel::LoadIhex,
        Kernel::LoadSrec,
        Kernel::Analyze,
    ] {
        out.push(mk(k, 1 << 20));
    }
    // Real compiled code (the fetched corpus), host only.
    #[cfg(feature = "std")]
    out.extend(realbin::workloads());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn encoders_round_trip_through_the_loaders() {
        let img = image(3, 5000);
        for enc in [to_elf, to_ihex, to_srec] {
            let bytes = enc(&img);
            let loaded = loader::load(&bytes).expect("encoded image loads");
            assert_eq!(loaded.segments.len(), 1);
            assert_eq!(loaded.segments[0].address, Some(0x0800_0000));
            assert_eq!(loaded.segments[0].data, img);
        }
    }

    #[test]
    fn ids_are_unique_and_scan_kernels_agree_on_small_images() {
        let all = workloads();
        let mut ids: Vec<String> = all.iter().map(|w| w.id().to_string()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        let db = sigdb::builtin();
        let (img, planted) = synth::firmware(5, 256 << 10, &db);
        let ours = Scanner::new(&db).count(&img);
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(db.iter().map(|s| s.bytes))
            .expect("ac");
        assert_eq!(ours, ac.find_overlapping_iter(&img[..]).count());
        assert!(ours >= planted.len() && !planted.is_empty());
    }
}
