//! One image end to end: load, scan every segment (byte patterns and
//! instruction-encoded words), entropy, evidence.

use crate::entropy::SlidingEntropy;
use crate::evidence::{self, FamilyFinding, Located};
use crate::loader::{self, Format, LoadError};
use crate::scan::Scanner;
use crate::sigdb::{Signature, WordSet};
use crate::words::{Encoding, LimbMatcher, WordMatch, WordMatcher};
use alloc::vec;
use alloc::vec::Vec;

/// Entropy window used for high-entropy regions (bytes).
pub const ENTROPY_WINDOW: usize = 256;
/// Most occurrences of one word signature ([`crate::words`]) kept per image.
pub const MAX_WORD_HITS: u32 = 256;
/// Bits per byte from which a window counts as high entropy (compressed,
/// encrypted or random data, key material).
pub const HIGH_ENTROPY: f32 = 7.2;

/// The result of analysing one image.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Format the image was read as.
    pub format: Format,
    /// ELF machine, when known.
    pub machine: Option<u16>,
    /// Number of segments.
    pub segments: usize,
    /// Bytes scanned (all segments).
    pub bytes: u64,
    /// Every hit, located.
    pub hits: Vec<Located>,
    /// Findings per family (only those reaching the threshold).
    pub findings: Vec<FamilyFinding>,
    /// High-entropy regions `(offset, length)`, offsets as in [`Located`].
    pub high_entropy: Vec<(u64, u64)>,
}

/// A database compiled once and used for many images.
pub struct Detector {
    /// Byte patterns, then one signature per (word set, word, encoding).
    db: Vec<Signature>,
    patterns: usize,
    scanner: Scanner,
    words: WordMatcher,
    limbs: LimbMatcher,
    /// The word sets (the limb rule reads their words).
    sets: Vec<WordSet>,
    /// Index in `db` of the first signature of each word set.
    word_sigs: Vec<u32>,
    word_encs: Vec<&'static [Encoding]>,
    entropy: SlidingEntropy,
}

impl Detector {
    /// Compiles the byte patterns `db` (no word sets).
    pub fn new(db: Vec<Signature>) -> Self {
        Self::with_word_sets(db, &[])
    }

    /// Compiles the byte patterns `db` and the word sets `sets`
    /// ([`crate::words`]). Each word of a set becomes a signature of the
    /// database (after the patterns) per encoding it is looked for in, with
    /// the set's algorithm, constant, family and weight, so that evidence
    /// treats it like any other constant.
    pub fn with_word_sets(mut db: Vec<Signature>, sets: &[WordSet]) -> Self {
        let patterns = db.len();
        let scanner = Scanner::new(&db);
        let mut word_sigs = Vec::with_capacity(sets.len());
        for s in sets {
            word_sigs.push(db.len() as u32);
            for i in 0..s.len() {
                for enc in Encoding::for_set(s) {
                    db.push(Signature {
                        algorithm: s.algorithm,
                        constant: s.constant,
                        family: s.family,
                        layout: enc.layout(),
                        weight: s.weight,
                        bytes: s.word_bytes(i),
                    });
                }
            }
        }
        Detector {
            db,
            patterns,
            scanner,
            words: WordMatcher::new(sets),
            limbs: LimbMatcher::new(sets),
            sets: sets.to_vec(),
            word_sigs,
            word_encs: sets.iter().map(Encoding::for_set).collect(),
            entropy: SlidingEntropy::new(ENTROPY_WINDOW, ENTROPY_WINDOW / 2),
        }
    }

    /// The built-in database and word sets.
    pub fn builtin() -> Self {
        Self::with_word_sets(crate::sigdb::builtin(), &crate::sigdb::builtin_word_sets())
    }

    /// The database: the byte patterns, then the word signatures.
    pub fn db(&self) -> &[Signature] {
        &self.db
    }

    /// Number of byte patterns (the first entries of [`db`](Self::db)).
    pub fn patterns(&self) -> usize {
        self.patterns
    }

    /// The compiled word sets.
    pub fn words(&self) -> &WordMatcher {
        &self.words
    }

    /// Signature index of a word match.
    fn word_sig(&self, m: &WordMatch) -> Option<u32> {
        let base = *self.word_sigs.get(m.set as usize)?;
        let encs = *self.word_encs.get(m.set as usize)?;
        let e = encs.iter().position(|&e| e == m.encoding)?;
        Some(base + m.word * encs.len() as u32 + e as u32)
    }

    /// The compiled scanner.
    pub fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    /// Loads `bytes` (format detected) and analyses it.
    pub fn analyze(&self, bytes: &[u8]) -> Result<Analysis, LoadError> {
        let image = loader::load(bytes)?;
        let mut hits = Vec::new();
        let mut high_entropy = Vec::new();
        let mut words = Vec::new();
        let mut limbs = Vec::new();
        let mut per_word = vec![0u32; self.db.len() - self.patterns];
        let mut total = 0u64;
        for seg in &image.segments {
            total += seg.data.len() as u64;
            let base = seg.file_offset.or(seg.address).unwrap_or(0);
            self.scanner.scan_with(&seg.data, |h| {
                hits.push(Located {
                    sig: h.sig,
                    offset: base.wrapping_add(h.offset as u64),
                    address: seg.address.map(|a| a.wrapping_add(h.offset as u64)),
                })
            });
            // Keep at most MAX_WORD_HITS occurrences per word signature:
            // evidence needs distinct words, and a crafted image repeating
            // one word must not grow memory beyond the input's size.
            let mut keep = |m: WordMatch, out: &mut Vec<_>| {
                let Some(seen) = self
                    .word_sig(&m)
                    .and_then(|sig| per_word.get_mut(sig as usize - self.patterns))
                else {
                    return;
                };
                if *seen >= MAX_WORD_HITS {
                    return;
                }
                *seen += 1;
                let at = m.offset as u64;
                out.push((
                    base.wrapping_add(at),
                    m,
                    seg.address.map(|a| a.wrapping_add(at)),
                ))
            };
            self.words.scan(&seg.data, |m| keep(m, &mut words));
            // The limb kernel bounds its own hits (see `LimbMatcher::scan`).
            self.limbs.scan(&seg.data, image.machine, |m| {
                let at = m.offset as u64;
                limbs.push((
                    base.wrapping_add(at),
                    m,
                    seg.address.map(|a| a.wrapping_add(at)),
                ))
            });
            for (s, e) in self.entropy.regions_above(&seg.data, HIGH_ENTROPY) {
                high_entropy.push((base.wrapping_add(s as u64), (e - s) as u64));
            }
        }
        let limbs = self.limbs.qualify(&self.sets, limbs);
        for (offset, m, address) in self.words.qualify(words).into_iter().chain(limbs) {
            if let Some(sig) = self.word_sig(&m) {
                hits.push(Located {
                    sig,
                    offset,
                    address,
                });
            }
        }
        hits.sort_by_key(|h| (h.offset, h.sig));
        let findings = evidence::combine(&self.db, &hits);
        Ok(Analysis {
            format: image.format,
            machine: image.machine,
            segments: image.segments.len(),
            bytes: total,
            hits,
            findings,
            high_entropy,
        })
    }
}
