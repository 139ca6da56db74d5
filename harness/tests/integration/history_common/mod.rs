//! Synthetic results files for the history tests and the ingest benchmark.
#![allow(dead_code)]

use pqbench::env::Environment;
use pqbench::results::{BenchResult, ProcessSamples, Recording, ResultsFile, Unit};
use std::path::{Path, PathBuf};

/// Deterministic noise: xorshift64* mapped to a standard normal.
pub struct Noise(pub u64);
impl Noise {
    pub fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// A fixed environment of one machine, at run `k` (commit `c{k}`, one
/// hour apart from 2026-01-01).
pub fn environment(machine_cpu: &str, k: usize) -> Environment {
    let mut env = Environment::capture();
    env.cpu_model = Some(machine_cpu.to_string());
    env.logical_cores = Some(8);
    env.physical_cores = Some(4);
    env.git_commit = Some(format!("c{k:04}"));
    env.git_dirty = Some(false);
    let t = 1_767_225_600 + 3600 * k as u64;
    env.unix_time = Some(t);
    let (d, h) = (k / 24, k % 24);
    let (month, day) = (1 + d / 28, 1 + d % 28);
    env.time = Some(format!("2026-{month:02}-{day:02}T{h:02}:00:00Z"));
    env
}

/// A measured result: `procs` replications x `samples` samples around
/// `center` (replication offset sd 0.5 %, sample noise sd 2 %).
pub fn result(id: &str, center: f64, procs: usize, samples: usize, seed: u64) -> BenchResult {
    let mut n = Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let processes = (0..procs)
        .map(|_| {
            let offset = 0.005 * n.normal();
            ProcessSamples {
                samples: (0..samples)
                    .map(|_| (center * (offset + 0.02 * n.normal()).exp()).round())
                    .collect(),
            }
        })
        .collect();
    BenchResult::measured(
        id.into(),
        "host".into(),
        Unit::Ns,
        Recording::SingleOp,
        1,
        processes,
    )
    .unwrap()
}

/// Run `k` of a series: `benches` benchmarks, the first one at `center`.
pub fn file(cpu: &str, k: usize, center: f64, benches: usize, samples: usize) -> ResultsFile {
    let mut f = ResultsFile::new(environment(cpu, k));
    f.complete = true;
    for b in 0..benches {
        let id = format!("hash/sha256.digest/rustcrypto/{b}KiB");
        let c = if b == 0 {
            center
        } else {
            1000.0 * (b + 1) as f64
        };
        f.results
            .push(result(&id, c, 3, samples, (k * 1000 + b) as u64 + 1));
    }
    f
}

/// Writes `file` to `dir/name`.
pub fn write(dir: &Path, name: &str, file: &ResultsFile) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string(file).unwrap()).unwrap();
    p
}
