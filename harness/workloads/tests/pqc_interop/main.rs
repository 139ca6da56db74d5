//! Cross-implementation correctness of the PQC workloads.
//!
//! * RustCrypto vs libcrux (feature `libcrux`): byte-identical keys,
//!   ciphertexts and deterministic ML-DSA signatures from the same seed; cross
//!   decapsulation and cross verification; implicit rejection agrees.
//! * PQClean (feature `pqclean`) vs RustCrypto (and libcrux when enabled):
//!   ciphertexts made by either side decapsulate to the same shared secret on
//!   the other; secret keys move between them in the FIPS encodings; hedged
//!   PQClean ML-DSA signatures verify in RustCrypto / libcrux and the
//!   deterministic RustCrypto ones verify in PQClean; PQClean's SPHINCS+
//!   (round 3.1) is shown *not* to be FIPS 205 SLH-DSA.
//! * liboqs (feature `liboqs`) vs RustCrypto: identical ML-KEM keys from the
//!   same seed, cross decapsulation, cross verification of ML-DSA.
//! * `fips205` (feature `fips205`) vs RustCrypto SLH-DSA (SHA2-128f,
//!   SHAKE-128f, SHA2-128s): identical keys from the same seeds, byte-identical
//!   deterministic signatures, cross verification, tampered signatures
//!   rejected, secret keys exchanged in the FIPS 205 encoding.
//! * AWS-LC (feature `aws-lc`, aws-lc-rs) vs RustCrypto ML-KEM: cross
//!   decapsulation both ways with keys moved in the FIPS 203 encodings,
//!   implicit rejection agrees, AWS-LC keys used by RustCrypto; the KAT
//!   test checks AWS-LC's decapsulation of the NIST record (aws-lc-rs has no
//!   seeded keygen or encapsulation).
//! * Known answers (always for RustCrypto, also for libcrux when enabled): the
//!   first NIST-format KAT record of ML-KEM-512/768/1024 and ML-DSA-44/65/87,
//!   generated with the NIST AES-256 CTR_DRBG exactly as PQClean's
//!   `test/crypto_{kem,sign}/nistkat.c` does, hashed with SHA-256 and compared
//!   with the `nistkat-sha256` value in PQClean's `META.yml` for the scheme.
//! * SLH-DSA round trips, sizes against the encodings, and every registered
//!   workload runs once.
//!
//! One module per pair of implementations (`libcrux_vs_rustcrypto`,
//! `pqclean_vs_rustcrypto`, `fips205_vs_rustcrypto`, `liboqs_vs_rustcrypto`),
//! `nist_kat` for the known answers (with the DRBG in `nist_drbg`); the SLH-DSA
//! round trip and the every-workload smoke test are here.
#![cfg(feature = "pqc")]

use pqbench_workloads::pqc::{rustcrypto as rc, sizes};
use pqbench_workloads::pqc_op::{bytes, rng10};

/// Seeds tried (one: debug builds of the crypto crates are slow; the
/// benches exercise many more).
#[cfg(any(
    feature = "libcrux",
    feature = "pqclean",
    feature = "liboqs",
    feature = "aws-lc"
))]
const SEEDS: [u64; 1] = [0xdead_beef];

#[cfg(feature = "aws-lc")]
mod aws_lc_vs_rustcrypto;
#[cfg(feature = "fips205")]
mod fips205_vs_rustcrypto;
#[cfg(feature = "libcrux")]
mod libcrux_vs_rustcrypto;
#[cfg(feature = "liboqs")]
mod liboqs_vs_rustcrypto;
mod nist_drbg;
mod nist_kat;
#[cfg(feature = "pqclean")]
mod pqclean_vs_rustcrypto;

#[test]
fn slh_dsa_128f_sign_verify_and_sizes() {
    use slh_dsa::signature::Keypair;
    let seed = 5u64;
    let sk = rc::slhdsa::sha2_128f::key_pair(seed);
    let vk = sk.verifying_key().to_bytes().to_vec();
    assert_eq!(vk.len() as u64, sizes::SLH_DSA_128F.public_key);
    assert_eq!(sk.to_bytes().len() as u64, sizes::SLH_DSA_128F.secret_key);
    let msg = bytes::<32>(&mut rng10(seed, 3));
    let sig = rc::slhdsa::sha2_128f::sign(&sk, &msg).expect("sign");
    assert_eq!(sig.len() as u64, sizes::SLH_DSA_128F.signature);
    assert!(rc::slhdsa::sha2_128f::verify(&vk, &msg, &sig));
    assert!(!rc::slhdsa::sha2_128f::verify(&vk, &msg[1..], &sig));
    // The SHAKE instance must not accept a SHA2 signature.
    assert!(!rc::slhdsa::shake_128f::verify(&vk, &msg, &sig));
}

/// Every registered PQC and classical workload sets up and runs once, and
/// reports the sizes of its scheme (quick ones only; RSA keygen is excluded).
#[test]
fn every_workload_runs_once_with_sizes() {
    #[allow(unused_mut)]
    let mut all = pqbench_workloads::pqc::workloads();
    #[cfg(feature = "classical")]
    all.extend(pqbench_workloads::classical::workloads());
    let mut n = 0;
    let mut impls = std::collections::BTreeSet::new();
    let mut ids = std::collections::BTreeSet::new();
    for mut w in all {
        let id = w.id();
        ids.insert(id.to_string());
        // SLH-DSA / SPHINCS+ signing and RSA private-key operations take
        // seconds in unoptimised test builds; the round trips above and the
        // benches cover them.
        if matches!(
            id.name.as_str(),
            "slh-dsa.sign" | "sphincsplus.sign" | "rsa.sign" | "rsa.decrypt"
        ) {
            continue;
        }
        w.setup(1);
        w.run();
        let m = w.static_metrics();
        assert!(
            m.iter()
                .any(|m| m.name == "public_key_bytes" && m.value > 0),
            "{id}"
        );
        impls.insert(id.implementation.clone());
        n += 1;
    }
    // 27 RustCrypto PQC workloads, minus the 3 skipped SLH-DSA signs.
    assert!(n >= 24, "only {n} workloads");
    assert!(impls.contains("rustcrypto"));
    #[cfg(feature = "libcrux")]
    assert!(impls.contains("libcrux"));
    #[cfg(feature = "pqclean")]
    assert!(impls.contains("pqclean"));
    #[cfg(feature = "liboqs")]
    assert!(impls.contains("liboqs"));
    #[cfg(feature = "aws-lc")]
    assert!(impls.contains("aws-lc"));
    #[cfg(feature = "fips205")]
    {
        assert!(impls.contains("fips205"));
        // All nine SLH-DSA ids of the second implementation are registered
        // (signing is skipped above but is registered too).
        for op in ["keygen", "sign", "verify"] {
            for p in ["sha2-128f", "shake-128f", "sha2-128s"] {
                let id = format!("pqc/slh-dsa.{op}/fips205/{p}");
                assert!(ids.contains(&id), "{id} missing");
            }
        }
    }
}
