//! Real-board test: runs only when `PQBENCH_BOARD` names an attached board,
//! with the `probe` feature for probe boards:
//!
//! ```text
//! PQBENCH_BOARD=nucleo-l4r5zi cargo test -p pqbench-targets --features probe --test hardware
//! PQBENCH_BOARD=mps2plus-an386 PQBENCH_SERIAL_PORT=/dev/ttyUSB0 cargo test -p pqbench-targets --test hardware
//! ```
//!
//! It flashes the firmware through the probe (or checks the serial board
//! runs the image), runs SHA-256 over 1 KiB and ML-KEM-768 keygen, and checks
//! cycle counts and stack marks.

use pqbench_targets::board::{self, TransportKind};
use pqbench_targets::runner::{Outcome, Prepared, RunConfig};
use std::collections::BTreeSet;
use std::time::Duration;

#[test]
fn attached_board_flashes_runs_and_reports_cycles() {
    let Ok(name) = std::env::var("PQBENCH_BOARD") else {
        eprintln!("PQBENCH_BOARD not set: no real board to test (set it to e.g. nucleo-l4r5zi)");
        return;
    };
    let b = board::find(&name).unwrap();
    assert_ne!(
        b.transport,
        TransportKind::Qemu,
        "{name} is not a real board"
    );
    if b.transport == TransportKind::ProbeRtt && !cfg!(feature = "probe") {
        panic!(
            "PQBENCH_BOARD={name} needs the probe feature: cargo test -p pqbench-targets --features probe --test hardware"
        );
    }
    let cfg = RunConfig {
        iterations: 3,
        repetitions: 1,
        seed: 1,
        timeout: Duration::from_secs(60),
        boot_timeout: Duration::from_secs(30),
        code_size: false,
    };
    let fams: BTreeSet<String> = ["hash", "mlkem"].iter().map(|s| s.to_string()).collect();
    let p = Prepared::new(b, &fams, &cfg).unwrap();
    for id in [
        "hash/sha256.digest/rustcrypto/1KiB",
        "pqc/ml-kem.keygen/rustcrypto/768",
    ] {
        let w = p.workloads.iter().find(|w| w.id == id).unwrap();
        let m = p.measure(w, &cfg);
        assert_eq!(m.outcome, Outcome::Ok, "{id}");
        let ticks = &m.sessions[0].ticks;
        assert_eq!(ticks.len(), 3);
        assert!(ticks.iter().all(|&t| t > 1000), "{id}: {ticks:?} cycles");
        assert!(m.sessions[0].done.is_some_and(|d| d.stack_run_bytes > 64));
        eprintln!("{name}: {id}: {ticks:?} cycles");
    }
}
