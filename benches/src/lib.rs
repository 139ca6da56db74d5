//! Shared helpers for the criterion and gungraun benches: both take their
//! workloads from [`pqbench_workloads::registry`], so `cargo bench` measures
//! exactly what `pqbench run` measures.

use pqbench_workloads::Workload;

/// Seed used by the benches (the `pqbench` default seed is also 0).
pub const SEED: u64 = 0;

/// Every workload the benches cover: the registry plus RSA key generation.
pub fn all_workloads() -> Vec<Box<dyn Workload>> {
    let mut all = pqbench_workloads::registry();
    all.extend(pqbench_workloads::classical::rsa_keygen_workloads());
    all
}

/// The workload with benchmark id `id`, set up with [`SEED`].
///
/// # Panics
/// If no registered workload has that id (bench code names fixed ids).
pub fn prepared(id: &str) -> Box<dyn Workload> {
    let mut w = all_workloads()
        .into_iter()
        .find(|w| w.id().to_string() == id)
        .unwrap_or_else(|| panic!("no workload with id {id}"));
    w.setup(SEED);
    w
}

/// Benchmarks timed by the gungraun instruction-count bench: one operation
/// per PQC scheme and the classical operations they replace.
pub const INSTRUCTION_COUNT_IDS: &[&str] = &[
    "pqc/ml-kem.keygen/rustcrypto/768",
    "pqc/ml-kem.encaps/rustcrypto/768",
    "pqc/ml-kem.decaps/rustcrypto/768",
    "pqc/ml-kem.encaps/libcrux/768",
    "pqc/ml-kem.decaps/libcrux/768",
    "pqc/ml-kem.encaps/pqclean/768",
    "pqc/ml-kem.decaps/pqclean/768",
    "pqc/ml-dsa.sign/rustcrypto/65",
    "pqc/ml-dsa.verify/rustcrypto/65",
    "pqc/ml-dsa.verify/libcrux/65",
    "pqc/ml-dsa.verify/pqclean/65",
    "pqc/slh-dsa.verify/rustcrypto/sha2-128f",
    "classical/x25519.dh/rustcrypto/-",
    "classical/ed25519.sign/rustcrypto/-",
    "classical/ed25519.verify/rustcrypto/-",
    "classical/ecdsa.sign/rustcrypto/p256",
    "classical/ecdsa.verify/rustcrypto/p256",
];

#[cfg(test)]
mod tests {
    #[test]
    fn instruction_count_ids_exist() {
        let ids: Vec<String> = super::all_workloads()
            .iter()
            .map(|w| w.id().to_string())
            .collect();
        for id in super::INSTRUCTION_COUNT_IDS {
            assert!(ids.iter().any(|i| i == id), "{id}");
        }
    }

    /// The gungraun bench lists its ids as literals (the attribute needs
    /// them); it must list exactly [`super::INSTRUCTION_COUNT_IDS`].
    #[test]
    fn gungraun_bench_lists_the_same_ids() {
        let src = include_str!("../benches/gungraun_instructions.rs");
        let listed = src.matches("\"pqc/").count() + src.matches("\"classical/").count();
        assert_eq!(listed, super::INSTRUCTION_COUNT_IDS.len());
        for id in super::INSTRUCTION_COUNT_IDS {
            assert!(
                src.contains(&format!("\"{id}\"")),
                "{id} missing from the gungraun bench"
            );
        }
    }
}
