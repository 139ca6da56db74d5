//! One image end to end: load, scan every segment, entropy, evidence.

use crate::entropy::SlidingEntropy;
use crate::evidence::{self, FamilyFinding, Located};
use crate::loader::{self, Format, LoadError};
use crate::scan::Scanner;
use crate::sigdb::Signature;
use alloc::vec::Vec;

/// Entropy window used for high-entropy regions (bytes).
pub const ENTROPY_WINDOW: usize = 256;
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
    db: Vec<Signature>,
    scanner: Scanner,
    entropy: SlidingEntropy,
}

impl Detector {
    /// Compiles `db`.
    pub fn new(db: Vec<Signature>) -> Self {
        let scanner = Scanner::new(&db);
        Detector {
            db,
            scanner,
            entropy: SlidingEntropy::new(ENTROPY_WINDOW, ENTROPY_WINDOW / 2),
        }
    }

    /// The built-in database.
    pub fn builtin() -> Self {
        Self::new(crate::sigdb::builtin())
    }

    /// The database.
    pub fn db(&self) -> &[Signature] {
        &self.db
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
            for (s, e) in self.entropy.regions_above(&seg.data, HIGH_ENTROPY) {
                high_entropy.push((base.wrapping_add(s as u64), (e - s) as u64));
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
