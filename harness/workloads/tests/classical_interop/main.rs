//! Cross-implementation correctness of the classical workloads: RustCrypto
//! against the production libraries that are enabled (features `openssl`,
//! `ring`, `aws-lc`), on the seeded keys the workloads use.
//!
//! * ECDSA P-256 (and P-384 where offered): every implementation's signature
//!   verifies under every other; a changed message is rejected by all.
//! * Ed25519 and RSA PKCS#1 v1.5 (deterministic): byte-identical signatures
//!   from the same key, verified across.
//! * ECDH P-256 / P-384, X25519: the same shared secret from the same keys;
//!   ring (ephemeral keys only) agrees with the others on its own key.
//! * RSA-OAEP / SHA-256: ciphertexts of each decrypt under the others.
//! * The production rows are registered under the ids of the RustCrypto ones.
#![cfg(all(
    feature = "classical",
    any(feature = "openssl", feature = "ring", feature = "aws-lc")
))]

mod ecc;
mod rsa_ops;

use pqbench_workloads::classical::seeded;

/// Seed of the keys checked (the benches use others; keys are seeded alike).
const SEED: u64 = 0x5eed_0001;

/// Production implementations registered for `name/params`, besides RustCrypto.
fn production_impls(name: &str, params: &str) -> std::collections::BTreeSet<String> {
    pqbench_workloads::classical::workloads()
        .iter()
        .map(|w| w.id())
        .filter(|id| id.name == name && id.params == params && id.implementation != "rustcrypto")
        .map(|id| id.implementation.clone())
        .collect()
}

#[test]
fn production_rows_are_registered_with_the_rustcrypto_ids() {
    let ids: std::collections::BTreeSet<String> = pqbench_workloads::classical::workloads()
        .iter()
        .map(|w| w.id().to_string())
        .collect();
    let mut want = Vec::new();
    #[cfg(feature = "openssl")]
    want.extend([
        "classical/ecdsa.sign/openssl/p256",
        "classical/ecdsa.verify/openssl/p384",
        "classical/ecdh.dh/openssl/p256",
        "classical/x25519.dh/openssl/-",
        "classical/ed25519.sign/openssl/-",
        "classical/rsa.decrypt/openssl/3072",
    ]);
    #[cfg(feature = "ring")]
    want.extend([
        "classical/ecdsa.verify/ring/p256",
        "classical/ed25519.verify/ring/-",
        "classical/rsa.sign/ring/2048",
    ]);
    #[cfg(feature = "aws-lc")]
    want.extend([
        "classical/ecdsa.sign/aws-lc/p384",
        "classical/ecdh.dh/aws-lc/p256",
        "classical/x25519.dh/aws-lc/-",
        "classical/rsa.encrypt/aws-lc/2048",
    ]);
    for id in want {
        assert!(ids.contains(id), "{id} missing");
    }
    // Every production (name, params) exists in RustCrypto too, or is P-384.
    for id in &ids {
        let p: Vec<&str> = id.split('/').collect();
        if p[2] != "rustcrypto" && p[3] != "p384" {
            let rc = format!("{}/{}/rustcrypto/{}", p[0], p[1], p[3]);
            assert!(ids.contains(&rc), "{id} has no RustCrypto twin {rc}");
        }
    }
    assert!(!production_impls("ecdsa.sign", "p256").is_empty());
}

/// Every production workload sets up and runs once (RSA private-key
/// operations included: they are fast in the C libraries).
#[test]
fn every_production_workload_runs_once() {
    let mut n = 0;
    for mut w in pqbench_workloads::classical::workloads() {
        if w.id().implementation == "rustcrypto" {
            continue;
        }
        w.setup(SEED);
        w.run();
        n += 1;
    }
    assert!(n > 0);
    let _ = seeded::raw32(SEED, 0);
}
