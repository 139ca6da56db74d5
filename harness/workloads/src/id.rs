//! Stable benchmark identifiers: `suite/name/implementation/params`.

use alloc::string::{String, ToString};
use core::fmt;
use core::str::FromStr;

/// A benchmark's stable identity, used as the key everywhere (results files,
/// comparisons, gates, firmware workload tables).
///
/// Conventions:
/// * `suite`: `hash`, `detect`, `pqc`, `classical`, `tflite`;
/// * `name`: `<scheme-or-kernel>.<operation>` such as `ml-kem.encaps`,
///   `x25519.dh`, `sha256.digest`, `scan.multi-pattern`;
/// * `implementation`: where the code comes from, such as `rustcrypto`,
///   `libcrux`, `pqbench`, `aho-corasick`;
/// * `params`: the parameter set or input size, such as `768`, `sha2-128f`,
///   `p256`, `64KiB`.
///
/// No part may be empty or contain `/`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BenchId {
    /// Benchmark suite (family of workloads).
    pub suite: String,
    /// Kernel or scheme plus operation.
    pub name: String,
    /// Implementation (crate or library).
    pub implementation: String,
    /// Parameter set or input size.
    pub params: String,
}

/// Why a string is not a valid [`BenchId`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseBenchIdError {
    input: String,
}

impl fmt::Display for ParseBenchIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "benchmark id {:?} is not of the form suite/name/implementation/params (four non-empty parts)",
            self.input
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ParseBenchIdError {}

impl BenchId {
    /// Builds an id from its four parts.
    pub fn new(suite: &str, name: &str, implementation: &str, params: &str) -> Self {
        Self {
            suite: suite.to_string(),
            name: name.to_string(),
            implementation: implementation.to_string(),
            params: params.to_string(),
        }
    }
}

impl fmt::Display for BenchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}",
            self.suite, self.name, self.implementation, self.params
        )
    }
}

impl FromStr for BenchId {
    type Err = ParseBenchIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseBenchIdError {
            input: s.to_string(),
        };
        let mut parts = s.split('/');
        let mut next = || parts.next().filter(|p| !p.is_empty()).ok_or_else(err);
        let id = BenchId::new(next()?, next()?, next()?, next()?);
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_string_form() {
        let id = BenchId::new("pqc", "ml-kem.encaps", "rustcrypto", "768");
        let s = id.to_string();
        assert_eq!(s, "pqc/ml-kem.encaps/rustcrypto/768");
        assert_eq!(s.parse::<BenchId>(), Ok(id));
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in ["", "a/b/c", "a/b/c/d/e", "a//c/d", "a/b/c/"] {
            assert!(bad.parse::<BenchId>().is_err(), "{bad:?} accepted");
        }
    }
}
