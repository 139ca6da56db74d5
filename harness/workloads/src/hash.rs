//! Hash workloads: SHA-256 and SHA3-256 (RustCrypto) over firmware-sized
//! buffers, 1 KiB to 1 MiB, with byte throughput.
//!
//! Hashing is what a firmware scanner and most PQC schemes spend their time
//! in, so these double as a calibration of the machine.

use crate::{BenchId, Throughput, Workload, seeded_rng};
use alloc::boxed::Box;
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use core::hint::black_box;
use rand_core::RngCore;
use sha2::Digest;

/// Buffer sizes benchmarked, in bytes.
pub const SIZES: [usize; 3] = [1 << 10, 64 << 10, 1 << 20];

#[derive(Clone, Copy)]
enum Algo {
    Sha256,
    Sha3_256,
}

struct HashWorkload {
    algo: Algo,
    len: usize,
    input: Vec<u8>,
}

fn size_label(len: usize) -> alloc::string::String {
    if len >= 1 << 20 {
        format!("{}MiB", len >> 20)
    } else {
        format!("{}KiB", len >> 10)
    }
}

impl Workload for HashWorkload {
    fn id(&self) -> BenchId {
        let name = match self.algo {
            Algo::Sha256 => "sha256.digest",
            Algo::Sha3_256 => "sha3-256.digest",
        };
        BenchId::new("hash", name, "rustcrypto", &size_label(self.len))
    }

    fn setup(&mut self, seed: u64) {
        let mut rng = seeded_rng(seed, self.len as u64);
        self.input = vec![0; self.len + injected_extra_bytes(self.len)];
        rng.fill_bytes(&mut self.input);
    }

    fn run(&mut self) {
        let input = black_box(self.input.as_slice());
        match self.algo {
            Algo::Sha256 => {
                black_box(sha2::Sha256::digest(input));
            }
            Algo::Sha3_256 => {
                black_box(sha3::Sha3_256::digest(input));
            }
        }
    }

    fn throughput(&self) -> Option<Throughput> {
        Some(Throughput::Bytes(self.len as u64))
    }
}

/// Harness-validation knob, NOT for measurements: with the `std` feature,
/// the environment variable `PQBENCH_INJECT_SLOWDOWN_PCT` (a percentage,
/// e.g. `1` or `0.5`) makes every hash workload hash that many percent more
/// bytes than its id says, a real and proportional slowdown used by
/// `scripts/sensitivity/` to measure whether pqbench detects a 1 % or 2 %
/// regression. Unset (the normal case): 0.
fn injected_extra_bytes(len: usize) -> usize {
    #[cfg(feature = "std")]
    {
        let pct = std::env::var("PQBENCH_INJECT_SLOWDOWN_PCT")
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100.0)
            .unwrap_or(0.0);
        (len as f64 * pct / 100.0).round() as usize
    }
    #[cfg(not(feature = "std"))]
    {
        let _ = len;
        0
    }
}

/// All hash workloads, every algorithm at every size in [`SIZES`].
pub fn workloads() -> Vec<Box<dyn Workload>> {
    let mut out: Vec<Box<dyn Workload>> = Vec::new();
    for algo in [Algo::Sha256, Algo::Sha3_256] {
        for len in SIZES {
            out.push(Box::new(HashWorkload {
                algo,
                len,
                input: Vec::new(),
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_input_different_seed_different_input() {
        let mut a = HashWorkload {
            algo: Algo::Sha256,
            len: 1024,
            input: Vec::new(),
        };
        let mut b = HashWorkload {
            algo: Algo::Sha256,
            len: 1024,
            input: Vec::new(),
        };
        a.setup(7);
        b.setup(7);
        assert_eq!(a.input, b.input);
        b.setup(8);
        assert_ne!(a.input, b.input);
    }

    #[test]
    fn sha256_matches_known_answer() {
        // FIPS 180-2 example: SHA-256("abc").
        let d = sha2::Sha256::digest(b"abc");
        assert_eq!(
            d[..4],
            [0xba, 0x78, 0x16, 0xbf],
            "SHA-256(abc) must start ba7816bf"
        );
    }
}
