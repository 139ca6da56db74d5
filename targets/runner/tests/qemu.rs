//! End-to-end tests against real firmware in real QEMU.
//!
//! They build firmware (about a minute per target triple on a cold cache),
//! so they are `#[ignore]`d in `cargo test --workspace` and run by
//! `scripts/test.d/60-cortexm.sh` with `-- --ignored`.

use pqbench_targets::Error;
use pqbench_targets::board;
use pqbench_targets::runner::{Outcome, Prepared, RunConfig};
use pqbench_targets::session::Session;
use pqbench_targets::transport::QemuTransport;
use std::collections::BTreeSet;
use std::time::Duration;

fn families(f: &[&str]) -> BTreeSet<String> {
    f.iter().map(|s| s.to_string()).collect()
}

fn cfg() -> RunConfig {
    RunConfig {
        iterations: 3,
        repetitions: 2,
        seed: 7,
        timeout: Duration::from_secs(60),
        boot_timeout: Duration::from_secs(10),
        code_size: false,
    }
}

fn prepare(name: &str, fams: &[&str]) -> Prepared {
    let b = board::find(name).unwrap();
    Prepared::new(b, &families(fams), &cfg()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn an386_counts_are_deterministic_and_calibrated() {
    let p = prepare("mps2-an386", &["hash", "mlkem", "test-faults"]);
    // SysTick at 25 MHz under -icount shift=0: 40 instructions per tick.
    let ipt = p.measured_instructions_per_tick();
    assert!((ipt - 40.0).abs() < 0.5, "instructions per tick {ipt}");
    let c = cfg();
    for id in [
        "hash/sha256.digest/rustcrypto/1KiB",
        "pqc/ml-kem.keygen/rustcrypto/512",
    ] {
        let w = p.workloads.iter().find(|w| w.id == id).unwrap();
        let a = p.measure(w, &c);
        let b = p.measure(w, &c);
        assert_eq!(a.outcome, Outcome::Ok, "{id}");
        assert_eq!(a.sessions.len(), 2);
        let ta: Vec<u64> = a.sessions.iter().flat_map(|s| s.ticks.clone()).collect();
        let tb: Vec<u64> = b.sessions.iter().flat_map(|s| s.ticks.clone()).collect();
        assert_eq!(ta.len(), 6);
        assert!(ta.iter().all(|&t| t > 10), "{id}: {ta:?}");
        assert_eq!(ta, tb, "{id}: counts differ between runs");
        let done = a.sessions[0].done.unwrap();
        assert!(done.stack_run_bytes > 64, "{id}: stack {done:?}");
    }
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn faults_are_contained_and_reported() {
    let p = prepare("mps2-an386", &["hash", "mlkem", "test-faults"]);
    let mut c = cfg();
    c.timeout = Duration::from_secs(3);
    c.repetitions = 1;
    let find = |id: &str| {
        p.workloads
            .iter()
            .find(|w| w.id.starts_with(id))
            .unwrap()
            .clone()
    };

    let hang = p.measure(&find("test/hang.loop"), &c);
    match &hang.outcome {
        Outcome::Failed(m) => assert!(m.contains("timed out"), "{m}"),
        o => panic!("hang: {o:?}"),
    }
    let overflow = p.measure(&find("test/stack.overflow"), &c);
    match &overflow.outcome {
        Outcome::DoesNotFit(m) => assert!(m.contains("stack"), "{m}"),
        o => panic!("overflow: {o:?}"),
    }
    let heap = p.measure(&find("test/heap.exhaust"), &c);
    match &heap.outcome {
        Outcome::DoesNotFit(m) => {
            assert!(m.contains("allocation of 1073741824 bytes failed"), "{m}")
        }
        o => panic!("heap: {o:?}"),
    }
    c.iterations = 4;
    let corrupt = p.measure(&find("test/frame.corrupt"), &c);
    match &corrupt.outcome {
        Outcome::Failed(m) => assert!(m.contains("corrupted frame"), "{m}"),
        o => panic!("corrupt: {o:?}"),
    }
    // The first sample's frame is corrupted; the other three arrive intact.
    assert_eq!(corrupt.sessions[0].ticks.len(), 3);
    // After all that, a normal workload still runs.
    let ok = p.measure(&find("hash/sha256.digest/rustcrypto/1KiB"), &c);
    assert_eq!(ok.outcome, Outcome::Ok);
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn version_mismatch_and_dead_emulator_are_clear_errors() {
    let p = prepare("mps2-an386", &["hash", "mlkem", "test-faults"]);
    // The firmware refuses a host of another protocol version.
    let t = QemuTransport::start("mps2-an386", None, &p.image.elf).unwrap();
    let mut s = Session::new(t);
    s.hello(Duration::from_secs(10)).unwrap();
    s.send(&pqbench_protocol::Message::HostHello { version: 99 })
        .unwrap();
    let mut rec = Default::default();
    // The refusal arrives as an error frame in place of the expected reply.
    let r = s.run(0, 1, 1, Duration::from_secs(5), &mut rec);
    assert!(r.is_ok());
    let be = rec.board_error.expect("an error frame");
    assert_eq!(be.code, pqbench_protocol::ErrorCode::VersionMismatch);
    assert!(
        be.message.contains("rebuild the firmware"),
        "{}",
        be.message
    );
    s.shutdown();

    // A QEMU that dies at start (unknown machine) is reported with its stderr.
    let t = QemuTransport::start("no-such-machine", None, &p.image.elf).unwrap();
    let mut s = Session::new(t);
    match s.hello(Duration::from_secs(10)) {
        Err(Error::Closed { detail, .. }) => {
            assert!(detail.contains("exited"), "{detail}");
            assert!(detail.contains("unsupported machine"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}
