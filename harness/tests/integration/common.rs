//! Builders shared by the integration tests.

use pqbench::env::Environment;
use pqbench::results::{BenchResult, ResultsFile, write_atomic};
use std::path::{Path, PathBuf};

/// Deterministic pseudo-noise in [-1, 1) (xorshift64*).
pub struct Noise(pub u64);

impl Noise {
    /// The next value.
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let u = (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64;
        2.0 * u - 1.0
    }
}

/// Writes a complete results file `dir/name` holding `results` (default
/// environment) and returns its path.
pub fn results_file(dir: &Path, name: &str, results: Vec<BenchResult>) -> PathBuf {
    let mut f = ResultsFile::new(Environment::default());
    f.complete = true;
    f.results = results;
    let p = dir.join(name);
    write_atomic(&p, &f).unwrap();
    p
}

/// Runs the pqbench binary with `args`: its exit code (-1 when killed by a
/// signal) and its standard output followed by its standard error.
pub fn pqbench<I, S>(args: I) -> (i32, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}
