//! One image end to end: load, scan every segment (byte patterns and
//! instruction-encoded words), entropy, evidence. Large segments are
//! analysed in chunks, in parallel with the `std` feature ([`chunks`]);
//! [`Detector::analyze_releasing`] reports the ranges of the input it has
//! finished with (so that a caller can drop a mapped file's pages early).

pub mod chunks;
pub mod spans;
#[cfg(test)]
pub(crate) mod tests;

use crate::entropy::SlidingEntropy;
use crate::evidence::{self, FamilyFinding, Located};
use crate::loader::{self, Format, Image, LoadError, Segment};
use crate::scan::Scanner;
use crate::sigdb::{Signature, WordSet};
use crate::words::{Encoding, LimbMatcher, WordMatch, WordMatcher};
use alloc::borrow::Cow;
use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

/// Entropy window used for high-entropy regions (bytes).
pub const ENTROPY_WINDOW: usize = 256;
/// Most occurrences of one word signature ([`crate::words`]) kept per image.
pub const MAX_WORD_HITS: u32 = 256;
/// Bits per byte from which a window counts as high entropy (compressed,
/// encrypted or random data, key material).
pub const HIGH_ENTROPY: f32 = 7.2;
/// Bytes per chunk [`Detector::analyze`] splits a large segment into.
pub const CHUNK: usize = 4 << 20;

/// A hook called with ranges of the input (byte offsets) that the analysis
/// has finished with ([`Detector::analyze_releasing`]).
pub type Release<'a> = dyn Fn(Range<usize>) + Sync + 'a;

/// Offset of the bytes of `seg` in `input` when it borrows them from it.
fn offset_in(input: &[u8], seg: &Segment<'_>) -> Option<usize> {
    let Cow::Borrowed(d) = &seg.data else {
        return None;
    };
    let at = (d.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
    (at.checked_add(d.len())? <= input.len()).then_some(at)
}

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
    /// High-entropy regions `(offset, length)`, offsets as in [`Located`];
    /// `None` when the detector does not map them
    /// ([`Detector::without_entropy`]).
    pub high_entropy: Option<Vec<(u64, u64)>>,
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
    /// Whether the high-entropy regions are mapped ([`Self::without_entropy`]).
    map_entropy: bool,
    /// Longest byte pattern (bytes).
    longest: usize,
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
        let longest = db.iter().map(|s| s.bytes.len()).max().unwrap_or(0);
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
            map_entropy: true,
            longest,
        }
    }

    /// The same detector without the high-entropy map: the entropy kernel
    /// does not run (about a third of the kernels' time on real code). The
    /// map feeds no finding, so hits and findings are unchanged;
    /// [`Analysis::high_entropy`] is `None`.
    pub fn without_entropy(mut self) -> Self {
        self.map_entropy = false;
        self
    }

    /// Whether [`Analysis::high_entropy`] is computed.
    pub fn maps_entropy(&self) -> bool {
        self.map_entropy
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

    /// Loads `bytes` (format detected) and analyses it, segments larger
    /// than [`CHUNK`] in pieces ([`analyze_chunked`](Self::analyze_chunked)).
    pub fn analyze(&self, bytes: &[u8]) -> Result<Analysis, LoadError> {
        self.analyze_chunked(bytes, CHUNK)
    }

    /// Loads `bytes` and analyses it, each segment in chunks of about
    /// `chunk` bytes (rounded up to whole entropy steps; `usize::MAX`: whole
    /// segments), in parallel with the `std` feature. The result is the same
    /// for every chunk size (see [`chunks`]).
    pub fn analyze_chunked(&self, bytes: &[u8], chunk: usize) -> Result<Analysis, LoadError> {
        let image = loader::load(bytes)?;
        Ok(self.analyze_image(&image, chunk))
    }

    /// [`analyze_chunked`](Self::analyze_chunked), calling `release` with
    /// the ranges of `bytes` (offsets) the analysis has finished with: each
    /// chunk of a segment borrowed from `bytes` (raw, ELF, PE, Mach-O) once
    /// its kernels ran, the spans of the public-key limb pass and the bytes
    /// between them, then each whole segment; nothing for decoded segments
    /// (Intel HEX, S-record).
    /// The result is the same as without. A range may be read again after
    /// it was reported (the look-ahead of the chunk before it, a limb span,
    /// a whole-segment limb pass, another segment over the same bytes):
    /// `release` may only drop what a later read gets back unchanged, such
    /// as the pages of a read-only file mapping.
    pub fn analyze_releasing(
        &self,
        bytes: &[u8],
        chunk: usize,
        release: &Release<'_>,
    ) -> Result<Analysis, LoadError> {
        let image = loader::load(bytes)?;
        Ok(self.analyze_with(
            &image,
            chunk,
            self.lookahead(),
            self.entropy_tail(),
            Some((bytes, release)),
        ))
    }

    /// Analyses a loaded image, in chunks of about `chunk` bytes.
    pub fn analyze_image(&self, image: &Image<'_>, chunk: usize) -> Analysis {
        self.analyze_with(image, chunk, self.lookahead(), self.entropy_tail(), None)
    }

    /// [`analyze_image`](Self::analyze_image) with the bytes each chunk
    /// reads past its end given (tests show that less than
    /// [`lookahead`](Self::lookahead) or [`entropy_tail`](Self::entropy_tail)
    /// changes the result), and the input the image was loaded from with
    /// the hook to call with the ranges of it the analysis has finished with.
    fn analyze_with(
        &self,
        image: &Image<'_>,
        chunk: usize,
        lookahead: usize,
        entropy_tail: usize,
        release: Option<(&[u8], &Release<'_>)>,
    ) -> Analysis {
        let mut hits = Vec::new();
        let mut high_entropy: Vec<(u64, u64)> = Vec::new();
        let mut words = Vec::new();
        let mut limbs = Vec::new();
        // Keep at most MAX_WORD_HITS occurrences per word signature (the
        // first by offset, segments in file order): evidence needs distinct
        // words, and a crafted image repeating one word must not grow
        // memory beyond the input's size.
        let mut per_word = vec![0u32; self.db.len() - self.patterns];
        let mut total = 0u64;
        for seg in &image.segments {
            let data: &[u8] = &seg.data;
            total += data.len() as u64;
            let base = seg.file_offset.or(seg.address).unwrap_or(0);
            let at = |o: usize| {
                let o = o as u64;
                (base.wrapping_add(o), seg.address.map(|a| a.wrapping_add(o)))
            };
            let plan = chunks::Plan::new(data.len(), chunk, self.align(), lookahead, entropy_tail);
            // Ranges of the segment, as ranges of the input.
            let done = release.and_then(|(input, f)| {
                let b = offset_in(input, seg)?;
                Some(move |r: Range<usize>| f(b + r.start..b + r.end))
            });
            let done = done.as_ref().map(|d| d as &Release<'_>);
            // The limb kernel's caps and second pass are per segment: it
            // runs on the spans around distinctive limbs ([`spans`]).
            let (parts, seg_limbs) = self.segment(data, image.machine, &plan, done);
            let mut open: Option<(usize, usize)> = None;
            for part in parts {
                for h in part.hits {
                    let (offset, address) = at(h.offset);
                    hits.push(Located {
                        sig: h.sig,
                        offset,
                        address,
                    });
                }
                for m in part.words {
                    let Some(seen) = self
                        .word_sig(&m)
                        .and_then(|sig| per_word.get_mut(sig as usize - self.patterns))
                    else {
                        continue;
                    };
                    if *seen < MAX_WORD_HITS {
                        *seen += 1;
                        let (pos, address) = at(m.offset);
                        words.push((pos, m, address));
                    }
                }
                // Regions continue across chunks exactly as across windows.
                for (s, e) in part.entropy {
                    match &mut open {
                        Some(last) if s <= last.1 => last.1 = last.1.max(e),
                        _ => {
                            if let Some((s, e)) = open.replace((s, e)) {
                                high_entropy.push((at(s).0, (e - s) as u64));
                            }
                        }
                    }
                }
            }
            if let Some((s, e)) = open {
                high_entropy.push((at(s).0, (e - s) as u64));
            }
            for m in seg_limbs {
                let (pos, address) = at(m.offset);
                limbs.push((pos, m, address));
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
        Analysis {
            format: image.format,
            machine: image.machine,
            segments: image.segments.len(),
            bytes: total,
            hits,
            findings,
            high_entropy: self.map_entropy.then_some(high_entropy),
        }
    }
}
