//! Combination of hits into findings with a confidence score.
//!
//! Per algorithm and per family, each distinct canonical constant counts once
//! with the largest weight among its hits (so the many layouts of one constant
//! do not add up). Strong signatures (weight >= [`STRONG_WEIGHT`]) add their
//! weight; weak ones together add at most [`WEAK_CAP`], which is below the
//! finding threshold: weak signals alone (AES, CRC, a lone short constant, an
//! OID) can never make a finding, in particular not a public-key one.

use crate::sigdb::{Family, STRONG_WEIGHT, Signature};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// Score (per mille) a finding needs.
pub const THRESHOLD: u32 = 1000;
/// Largest total contribution of weak signatures.
pub const WEAK_CAP: u32 = 400;

/// A hit located in an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located {
    /// Signature index in the database.
    pub sig: u32,
    /// Offset in the input file when known, else in the segment.
    pub offset: u64,
    /// Load address when known.
    pub address: Option<u64>,
}

/// Evidence for one algorithm.
#[derive(Clone, Debug, PartialEq)]
pub struct AlgorithmFinding {
    /// Algorithm name (from the database).
    pub algorithm: &'static str,
    /// Its family.
    pub family: Family,
    /// Combined score, per mille.
    pub score: u32,
    /// `1 - exp(-score/1000)`.
    pub confidence: f32,
    /// Distinct constants seen.
    pub constants: Vec<&'static str>,
    /// Every hit for this algorithm.
    pub hits: Vec<Located>,
}

/// Evidence for one family: a finding when `score >= THRESHOLD`.
#[derive(Clone, Debug, PartialEq)]
pub struct FamilyFinding {
    /// The family.
    pub family: Family,
    /// Combined score over its algorithms, per mille.
    pub score: u32,
    /// `1 - exp(-score/1000)`.
    pub confidence: f32,
    /// Algorithms that contributed, strongest first.
    pub algorithms: Vec<AlgorithmFinding>,
}

fn confidence(score: u32) -> f32 {
    1.0 - libm::expf(-(score as f32) / 1000.0)
}

fn combine_score<'a>(it: impl Iterator<Item = (&'a str, u16)>) -> (u32, Vec<&'a str>) {
    let mut best: BTreeMap<&str, u16> = BTreeMap::new();
    for (c, w) in it {
        let e = best.entry(c).or_insert(0);
        *e = (*e).max(w);
    }
    let strong: u32 = best
        .values()
        .filter(|&&w| w >= STRONG_WEIGHT)
        .map(|&w| u32::from(w))
        .sum();
    let weak: u32 = best
        .values()
        .filter(|&&w| w < STRONG_WEIGHT)
        .map(|&w| u32::from(w))
        .sum();
    (strong + weak.min(WEAK_CAP), best.into_keys().collect())
}

/// Combines hits into family findings (only families reaching [`THRESHOLD`]),
/// in [`Family::ALL`] order.
pub fn combine(db: &[Signature], hits: &[Located]) -> Vec<FamilyFinding> {
    let mut by_alg: BTreeMap<(Family, &'static str), Vec<Located>> = BTreeMap::new();
    for h in hits {
        if let Some(s) = db.get(h.sig as usize) {
            by_alg.entry((s.family, s.algorithm)).or_default().push(*h);
        }
    }
    let sig = |h: &Located| db.get(h.sig as usize);
    let mut out = Vec::new();
    for fam in Family::ALL {
        let (fscore, _) = combine_score(
            by_alg
                .iter()
                .filter(|((f, _), _)| *f == fam)
                .flat_map(|(_, hs)| hs.iter().filter_map(sig).map(|s| (s.constant, s.weight))),
        );
        if fscore < THRESHOLD {
            continue;
        }
        let mut algorithms: Vec<AlgorithmFinding> = by_alg
            .iter()
            .filter(|((f, _), _)| *f == fam)
            .map(|(&(family, algorithm), hs)| {
                let (score, constants) =
                    combine_score(hs.iter().filter_map(sig).map(|s| (s.constant, s.weight)));
                AlgorithmFinding {
                    algorithm,
                    family,
                    score,
                    confidence: confidence(score),
                    constants,
                    hits: hs.clone(),
                }
            })
            .collect();
        algorithms.sort_by(|a, b| b.score.cmp(&a.score).then(a.algorithm.cmp(b.algorithm)));
        out.push(FamilyFinding {
            family: fam,
            score: fscore,
            confidence: confidence(fscore),
            algorithms,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(alg: &'static str, constant: &'static str, family: Family, weight: u16) -> Signature {
        Signature {
            algorithm: alg,
            constant,
            family,
            layout: "le",
            weight,
            bytes: b"0123456789a",
        }
    }

    fn hit(sig: u32) -> Located {
        Located {
            sig,
            offset: 0,
            address: None,
        }
    }

    #[test]
    fn weak_signals_never_make_a_finding() {
        let db = [
            s("rsa", "oid.rsaEncryption", Family::Rsa, 400),
            s("rsa", "pkcs1.pub-2048", Family::Rsa, 400),
            s("curve25519", "a24", Family::Ecc, 200),
            s("aes", "aes.rcon", Family::Aes, 300),
        ];
        let hits: Vec<Located> = (0..4).flat_map(|i| [hit(i), hit(i), hit(i)]).collect();
        assert!(combine(&db, &hits).is_empty());
    }

    #[test]
    fn layouts_of_one_constant_count_once_and_strong_evidence_adds_up() {
        let db = [
            s("p-256", "p-256.p", Family::Ecc, 1000),
            s("p-256", "p-256.p", Family::Ecc, 1000),
            s("p-256", "p-256.b", Family::Ecc, 1000),
            s("ecdsa", "oid.prime256v1", Family::Ecc, 400),
            s("aes", "aes.sbox", Family::Aes, 1000),
        ];
        let f = combine(&db, &[hit(0), hit(1)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].score, 1000);
        let f = combine(&db, &[hit(0), hit(1), hit(2), hit(3), hit(4)]);
        assert_eq!(
            f.iter().map(|x| x.family).collect::<Vec<_>>(),
            [Family::Ecc, Family::Aes]
        );
        assert_eq!(f[0].score, 2400);
        assert_eq!(f[0].algorithms[0].algorithm, "p-256");
        assert!(f[0].confidence > f[1].confidence);
    }
}
