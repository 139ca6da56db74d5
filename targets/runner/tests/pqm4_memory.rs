//! Stack and code size like pqm4, on an emulated Cortex-M4 (`mps2-an386`):
//!
//! * `stack_call_bytes` (pqm4's definition: from the stack pointer at the
//!   call of PQClean's function) is at least the bytes of the arrays the C
//!   function itself declares on its stack (read from PQClean's source),
//!   at most the whole `run` figure (`stack_bytes`, which adds the Rust
//!   frames above the call, a few hundred bytes at most) and within the
//!   board's workload stack;
//! * `code_size_text_bytes` / `_data_` / `_bss_` (summed by the firmware's
//!   build script with the `object` crate) equal what binutils'
//!   `arm-none-eabi-size -t` — the tool pqm4's size benchmark runs — says
//!   for the same library archives.
//!
//! Builds firmware and runs QEMU, so `#[ignore]`d in `cargo test
//! --workspace`; run by `scripts/test.d/60-cortexm.sh` with `-- --ignored`.

use pqbench_targets::runner::{Outcome, Prepared, RunConfig};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;

fn cfg() -> RunConfig {
    RunConfig {
        iterations: 1,
        repetitions: 1,
        seed: 3,
        timeout: Duration::from_secs(60),
        boot_timeout: Duration::from_secs(10),
        code_size: false,
    }
}

/// `(metrics by name, stack_run_bytes)` of one session of workload `id`.
fn measure(p: &Prepared, id: &str) -> (Vec<(String, u64)>, u64) {
    let w = p
        .workloads
        .iter()
        .find(|w| w.id == id)
        .unwrap_or_else(|| panic!("{id} not in the firmware"));
    let m = p.measure(w, &cfg());
    assert_eq!(m.outcome, Outcome::Ok, "{id}");
    let s = &m.sessions[0];
    let metrics = s.metrics.iter().map(|(n, v, _)| (n.clone(), *v)).collect();
    let run = s.done.map(|d| u64::from(d.stack_run_bytes));
    (metrics, run.unwrap_or_else(|| panic!("{id}: no RunDone")))
}

fn get(metrics: &[(String, u64)], name: &str, id: &str) -> u64 {
    metrics
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("{id}: no {name}"))
}

/// Every `lib<name>.a` the firmware builds for `triple` left in the cache.
fn archives(triple: &str, name: &str) -> Vec<PathBuf> {
    let root = pqbench_targets::firmware::cache_dir()
        .unwrap()
        .join("build")
        .join(triple)
        .join(triple);
    let mut out = Vec::new();
    let dirs = |p: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(p)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    for profile in dirs(&root) {
        for build in dirs(&profile.join("build")) {
            let a = build.join("out").join(format!("lib{name}.a"));
            if a.is_file() {
                out.push(a);
            }
        }
    }
    out
}

/// `(text, data, bss)` from the totals line of `arm-none-eabi-size -t`.
fn binutils_size(archive: &Path) -> (u64, u64, u64) {
    let out = Command::new("arm-none-eabi-size")
        .arg("-t")
        .arg(archive)
        .output()
        .expect("arm-none-eabi-size (binutils-arm-none-eabi, scripts/setup.d/60-cortexm.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().expect("a totals line");
    let f: Vec<u64> = last
        .split_whitespace()
        .take(3)
        .map(|x| x.parse().expect("a number"))
        .collect();
    (f[0], f[1], f[2])
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn stack_and_size_follow_pqm4s_definitions() {
    let p = common::prepare_m4(&cfg());
    let b = p.board.clone();
    let ram_stack = u64::from(p.info.stack_bytes);
    // Arrays the C function declares on its own stack (PQClean clean):
    // ML-KEM-512 keygen (indcpa keypair): a[2] + e + pkpv + skpv polyvecs
    // of 2 × 512-byte polys = 10 polys; ML-DSA-44 sign: mat[4] (16 polys),
    // s1, y, z (3 × 4), t0, s2, w1, w0, h (5 × 4) and cp: 49 polys of 1 KiB.
    for (id, lib, floor) in [
        (
            "pqc/ml-kem.keygen/pqclean/512",
            "pqclean_mlkem_ml_kem_512",
            10 * 512,
        ),
        (
            "pqc/ml-dsa.sign/pqclean/44",
            "pqclean_mldsa_ml_dsa_44",
            49 * 1024,
        ),
    ] {
        let (m, run) = measure(&p, id);
        let call = get(&m, "stack_call_bytes", id);
        eprintln!("{id}: stack from the call {call}, of run() {run}, floor {floor}");
        assert!(call >= floor, "{id}: stack {call} < its own arrays {floor}");
        assert!(call <= run, "{id}: call {call} > run {run}");
        assert!(run - call < 512, "{id}: run {run} - call {call}: wrappers?");
        assert!(
            run < ram_stack,
            "{id}: {run} ≥ the stack region {ram_stack}"
        );

        let ours = (
            get(&m, "code_size_text_bytes", id),
            get(&m, "code_size_data_bytes", id),
            get(&m, "code_size_bss_bytes", id),
        );
        assert!(ours.0 > 1000, "{id}: implausible .text {}", ours.0);
        let found = archives(&b.triple, lib);
        assert!(
            !found.is_empty(),
            "{id}: no lib{lib}.a under the firmware cache"
        );
        eprintln!(
            "{id}: .text/.data/.bss {ours:?}, {} archive(s)",
            found.len()
        );
        for a in found {
            assert_eq!(ours, binutils_size(&a), "{id}: {}", a.display());
        }
        let keccak = get(&m, "code_size_fips202_text_bytes", id);
        let found = archives(&b.triple, "pqclean_fips202");
        assert_eq!(keccak, binutils_size(&found[0]).0, "fips202");
    }
}
