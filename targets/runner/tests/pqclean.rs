//! PQClean's C on an emulated Cortex-M4 computes what the host computes from
//! the same seed: the firmware's `pqc/ml-kem.*/pqclean/*` workloads report a
//! `check_digest` (first four bytes, little endian, of SHA3-256 of the
//! encapsulation key for keygen, of the shared secret for encaps and decaps),
//! which must equal the value from the host's RustCrypto ML-KEM on the
//! host's seeded inputs (the key pair and message the host's PQClean
//! workloads load). The `pqc/ml-dsa.*/pqclean/*` workloads likewise: SHAKE256
//! of the public key (`tr`) for keygen, the deterministic signature of the
//! second seeded message for sign and verify, against RustCrypto's ML-DSA.
//! Counts are deterministic run to run.
//!
//! Builds firmware and runs QEMU, so `#[ignore]`d in `cargo test
//! --workspace`; run by `scripts/test.d/60-cortexm.sh` with `-- --ignored`.

use pqbench_targets::runner::{Outcome, Prepared, RunConfig};
use pqbench_workloads::pqc::op::{bytes, rng10};
use pqbench_workloads::pqc::rustcrypto::{messages, mldsa, mlkem};
use sha3::digest::{ExtendableOutput, Update, XofReader};
use sha3::{Digest, Sha3_256, Shake256};
use std::time::Duration;

mod common;

fn cfg(seed: u64) -> RunConfig {
    RunConfig {
        iterations: 2,
        repetitions: 1,
        seed,
        timeout: Duration::from_secs(60),
        boot_timeout: Duration::from_secs(10),
        code_size: false,
    }
}

fn first4(b: &[u8]) -> u64 {
    u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Host values `(keygen, encaps = decaps)` for one parameter set and seed.
fn expected(level: u16, seed: u64) -> (u64, u64) {
    let m = bytes::<32>(&mut rng10(seed, 0x4b45_4d01));
    macro_rules! set {
        ($p:ident) => {{
            let dk = mlkem::$p::key_pair(seed);
            let ek = mlkem::$p::ek_bytes(&dk);
            let (_, ss) = mlkem::$p::encaps(dk.encapsulation_key(), m);
            (first4(&Sha3_256::digest(&ek)), first4(&ss))
        }};
    }
    match level {
        512 => set!(p512),
        768 => set!(p768),
        _ => set!(p1024),
    }
}

/// Host values `(keygen, sign = verify)` of ML-DSA for one parameter set and seed.
fn expected_dsa(level: u16, seed: u64) -> (u64, u64) {
    let msgs = messages(seed, 0x4453_4101);
    macro_rules! set {
        ($p:ident) => {{
            let sk = mldsa::$p::key_pair(seed);
            let vk = mldsa::$p::vk_bytes(&sk);
            let mut tr = [0u8; 4];
            let mut x = Shake256::default();
            x.update(&vk);
            x.finalize_xof().read(&mut tr);
            let sig = mldsa::$p::sign(&sk, &msgs[1]).expect("deterministic signature");
            (first4(&tr), first4(&sig))
        }};
    }
    match level {
        44 => set!(p44),
        65 => set!(p65),
        _ => set!(p87),
    }
}

/// The board's `check_digest` of workload `id` for `seed`, and its counts.
fn board_check(p: &Prepared, id: &str, seed: u64) -> (u64, Vec<u64>) {
    let w = p
        .workloads
        .iter()
        .find(|w| w.id == id)
        .unwrap_or_else(|| panic!("{id} not in the firmware"));
    let m = p.measure(w, &cfg(seed));
    assert_eq!(m.outcome, Outcome::Ok, "{id}");
    let s = &m.sessions[0];
    let check = s
        .metrics
        .iter()
        .find(|(n, _, _)| n == "check_digest")
        .map(|(_, v, _)| *v)
        .unwrap_or_else(|| panic!("{id}: no check_digest"));
    (check, s.ticks.clone())
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn pqclean_on_the_m4_matches_the_host_and_counts_are_deterministic() {
    let p = common::prepare_m4(&cfg(7));
    let seed = 7;
    for level in [512u16, 768, 1024] {
        let (kg, ss) = expected(level, seed);
        for (op, want) in [("keygen", kg), ("encaps", ss), ("decaps", ss)] {
            let id = format!("pqc/ml-kem.{op}/pqclean/{level}");
            let (got, ticks) = board_check(&p, &id, seed);
            assert_eq!(got, want, "{id}: board {got:#x}, host {want:#x}");
            assert!(ticks.iter().all(|&t| t > 1000), "{id}: {ticks:?}");
            assert!(ticks.windows(2).all(|w| w[0] == w[1]), "{id}: {ticks:?}");
        }
    }
    for level in [44u16, 65, 87] {
        let (kg, sig) = expected_dsa(level, seed);
        for (op, want) in [("keygen", kg), ("sign", sig), ("verify", sig)] {
            let id = format!("pqc/ml-dsa.{op}/pqclean/{level}");
            let (got, ticks) = board_check(&p, &id, seed);
            assert_eq!(got, want, "{id}: board {got:#x}, host {want:#x}");
            assert!(ticks.iter().all(|&t| t > 1000), "{id}: {ticks:?}");
        }
    }
    // Deterministic across QEMU launches; and the check depends on the seed
    // (a different seed gives a different key, so the comparison can fail).
    let id = "pqc/ml-kem.keygen/pqclean/768";
    let (a, ta) = board_check(&p, id, seed);
    let (b, tb) = board_check(&p, id, seed);
    assert_eq!((a, &ta), (b, &tb), "{id}: differs between launches");
    let (other, _) = board_check(&p, id, seed + 1);
    assert_ne!(other, a, "{id}: check_digest does not depend on the seed");
    assert_eq!(other, expected(768, seed + 1).0, "{id}: seed {}", seed + 1);
}
