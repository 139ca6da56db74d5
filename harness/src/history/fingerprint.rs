//! A stable machine fingerprint from a results file's environment.

use crate::env::Environment;
use sha2::{Digest, Sha256};

/// SHA-256 (hex) of the hardware-and-platform facts that do not change
/// between runs on one machine: CPU model, logical and physical cores,
/// architecture, OS and target triple. Hostname (random on CI runners),
/// kernel (updated), compiler and time are left out.
pub fn fingerprint(env: &Environment) -> String {
    let facts = [
        env.cpu_model.clone().unwrap_or_default(),
        env.logical_cores.map(|c| c.to_string()).unwrap_or_default(),
        env.physical_cores
            .map(|c| c.to_string())
            .unwrap_or_default(),
        env.arch.clone().unwrap_or_default(),
        env.os.clone().unwrap_or_default(),
        env.target_triple.clone().unwrap_or_default(),
    ];
    let mut h = Sha256::new();
    for f in facts {
        h.update(f.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize())
}

/// The machine key of a file: the user's name when given, else `fp-` and
/// the first 12 hex digits of the fingerprint.
pub fn machine_key(name: Option<&str>, fingerprint: &str) -> String {
    match name {
        Some(n) => n.to_string(),
        None => format!("fp-{}", &fingerprint[..12.min(fingerprint.len())]),
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
