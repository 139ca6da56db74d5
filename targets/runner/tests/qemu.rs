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
    let p = prepare(
        "mps2-an386",
        &[
            "hash",
            "mlkem",
            "mlkem-pqclean",
            "mldsa-pqclean",
            "test-faults",
        ],
    );
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
    let p = prepare(
        "mps2-an386",
        &[
            "hash",
            "mlkem",
            "mlkem-pqclean",
            "mldsa-pqclean",
            "test-faults",
        ],
    );
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
fn cancel_kills_a_hanging_session_quickly() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let p = prepare(
        "mps2-an386",
        &[
            "hash",
            "mlkem",
            "mlkem-pqclean",
            "mldsa-pqclean",
            "test-faults",
        ],
    );
    let mut c = cfg();
    c.timeout = Duration::from_secs(60);
    let hang = p
        .workloads
        .iter()
        .find(|w| w.id.starts_with("test/hang.loop"))
        .unwrap()
        .clone();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let raiser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        flag.store(true, Ordering::SeqCst);
        std::time::Instant::now()
    });
    let (_, outcome) = p.session(&hang, &c, &cancel);
    let ended = std::time::Instant::now();
    let raised = raiser.join().unwrap();
    assert_eq!(outcome, Outcome::Cancelled);
    let latency = ended.saturating_duration_since(raised);
    assert!(
        latency < Duration::from_secs(1),
        "stopped {latency:?} after the flag"
    );
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn version_mismatch_and_dead_emulator_are_clear_errors() {
    let p = prepare(
        "mps2-an386",
        &[
            "hash",
            "mlkem",
            "mlkem-pqclean",
            "mldsa-pqclean",
            "test-faults",
        ],
    );
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

// ---------------------------------------------------------------------------
// The serial transport against QEMU's CMSDK UART on a pseudo-terminal: the
// `mps2plus-an386` board file (a real board reached over a serial port) with
// its port pointed at the pty, so the host side is exactly what a real board
// gets (termios, poll timeouts, reset handshake, image check).

use pqbench_targets::firmware;
use pqbench_targets::serial::SerialTransport;
use pqbench_targets::transport::{SessionStart, Transport};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::Instant;

/// QEMU running `elf` on `machine` with UART0 on a fresh pty. Killed when
/// dropped.
struct QemuPty {
    child: Child,
    pty: String,
}

impl QemuPty {
    fn start(machine: &str, elf: &std::path::Path) -> QemuPty {
        let mut child = Command::new(pqbench_targets::transport::qemu_program())
            .args([
                "-M",
                machine,
                "-nographic",
                "-monitor",
                "none",
                "-nodefaults",
            ])
            .args(["-icount", "shift=0", "-serial", "pty", "-kernel"])
            .arg(elf)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("qemu-system-arm");
        // QEMU names the pty on stdout or stderr ("char device redirected
        // to /dev/pts/N (label serial0)").
        let (tx, rx) = channel();
        for r in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(r).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("redirected to ").nth(1) {
                        let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_string());
                    }
                }
            });
        }
        let pty = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("QEMU did not name its pty");
        QemuPty { child, pty }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for QemuPty {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The serial board with its UART in QEMU: the board file as shipped, its
/// port pointed at the pty.
fn serial_board_on(pty: &str) -> board::Board {
    let mut b = board::find("mps2plus-an386").unwrap();
    assert_eq!(b.transport, board::TransportKind::Serial);
    b.serial.as_mut().unwrap().port_override = Some(pty.to_string());
    b
}

fn serial_image(fams: &[&str]) -> firmware::Image {
    let b = board::find("mps2plus-an386").unwrap();
    let features = firmware::features_for(&b, &families(fams));
    assert!(features.contains(&"link-uart".to_string()), "{features:?}");
    firmware::build(&b, &features).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn serial_transport_over_qemu_uart_pty_matches_the_qemu_transport() {
    let fams = [
        "hash",
        "mlkem",
        "mlkem-pqclean",
        "mldsa-pqclean",
        "test-faults",
    ];
    let image = serial_image(&fams);
    let mut qemu = QemuPty::start("mps2-an386", &image.elf);
    let c = cfg();
    let serial = Prepared::new(serial_board_on(&qemu.pty), &families(&fams), &c)
        .unwrap_or_else(|e| panic!("serial board on {}: {e}", qemu.pty));
    assert_eq!(
        serial.image.elf, image.elf,
        "the runner built another image"
    );
    assert!(serial.info.features.contains("link-uart"));
    let ipt = serial.measured_instructions_per_tick();
    assert!((ipt - 40.0).abs() < 0.5, "instructions per tick {ipt}");

    let emulated = prepare("mps2-an386", &fams);
    let ids: Vec<&str> = serial.workloads.iter().map(|w| w.id.as_str()).collect();
    let ids_q: Vec<&str> = emulated.workloads.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ids_q, "the two images list different workloads");
    for id in [
        "hash/sha256.digest/rustcrypto/1KiB",
        "pqc/ml-kem.keygen/rustcrypto/512",
    ] {
        let w = serial.workloads.iter().find(|w| w.id == id).unwrap();
        let s = serial.measure(w, &c);
        assert_eq!(s.outcome, Outcome::Ok, "{id} over serial");
        let q = emulated.measure(w, &c);
        assert_eq!(q.outcome, Outcome::Ok, "{id} over semihosting");
        let ts: Vec<u64> = s.sessions.iter().flat_map(|r| r.ticks.clone()).collect();
        let tq: Vec<u64> = q.sessions.iter().flat_map(|r| r.ticks.clone()).collect();
        assert_eq!(ts.len(), 6, "{id}: {ts:?}");
        assert_eq!(ts, tq, "{id}: serial and QEMU-transport counts differ");
        let (ds, dq) = (s.sessions[0].done.unwrap(), q.sessions[0].done.unwrap());
        assert_eq!(ds.stack_run_bytes, dq.stack_run_bytes, "{id}");
        assert_eq!(ds.heap_peak_bytes, dq.heap_peak_bytes, "{id}");
        eprintln!("{id}: serial {ts:?} = semihosting {tq:?} ticks");
    }

    // A fault over serial: reported, then the board resets and the next
    // session works.
    let mut short = cfg();
    short.repetitions = 1;
    let overflow = serial
        .workloads
        .iter()
        .find(|w| w.id.starts_with("test/stack.overflow"))
        .unwrap();
    match serial.measure(overflow, &short).outcome {
        Outcome::DoesNotFit(m) => assert!(m.contains("stack"), "{m}"),
        o => panic!("overflow over serial: {o:?}"),
    }
    let sha = serial
        .workloads
        .iter()
        .find(|w| w.id == "hash/sha256.digest/rustcrypto/1KiB")
        .unwrap();
    assert_eq!(serial.measure(sha, &short).outcome, Outcome::Ok);

    // The board goes away (QEMU killed = cable pulled): a clear error.
    qemu.kill();
    let gone = serial.measure(sha, &short);
    match &gone.outcome {
        Outcome::Failed(m) => assert!(
            m.contains("no such serial port") || m.contains("serial port"),
            "{m}"
        ),
        o => panic!("after unplug: {o:?}"),
    }
}

/// Kills QEMU after the `after`-th sample frame it delivers: the board
/// unplugged in the middle of a run, at a reproducible point.
struct UnplugAfter {
    inner: SerialTransport,
    qemu: QemuPty,
    decoder: Box<pqbench_protocol::FrameDecoder>,
    samples: usize,
    after: Option<usize>,
}

impl Transport for UnplugAfter {
    fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.inner.send(bytes)
    }
    fn recv(&mut self, deadline: Instant, waiting_for: &str) -> Result<Vec<u8>, Error> {
        let bytes = self.inner.recv(deadline, waiting_for)?;
        for &b in &bytes {
            if let Some(Ok(p)) = self.decoder.push(b)
                && matches!(
                    pqbench_protocol::Message::decode(p),
                    Ok(pqbench_protocol::Message::Sample { .. })
                )
            {
                self.samples += 1;
            }
        }
        if self.after.is_some_and(|n| self.samples >= n) {
            self.after = None;
            self.qemu.kill();
        }
        Ok(bytes)
    }
    fn close(&mut self) {
        self.inner.close()
    }
    fn session_start(&self) -> SessionStart {
        self.inner.session_start()
    }
}

#[test]
#[ignore = "builds firmware and runs QEMU; run by scripts/test.d/60-cortexm.sh"]
fn serial_unplugged_mid_run_keeps_the_samples_and_says_so() {
    let fams = [
        "hash",
        "mlkem",
        "mlkem-pqclean",
        "mldsa-pqclean",
        "test-faults",
    ];
    let image = serial_image(&fams);
    let qemu = QemuPty::start("mps2-an386", &image.elf);
    let b = serial_board_on(&qemu.pty);
    let port = qemu.pty.clone();
    let inner = SerialTransport::open(&port, b.serial.as_ref().unwrap().baud).unwrap();
    let mut s = Session::new(UnplugAfter {
        inner,
        qemu,
        decoder: Box::new(pqbench_protocol::FrameDecoder::new()),
        samples: 0,
        after: None,
    });
    let info = s.hello(Duration::from_secs(20)).unwrap();
    assert!(info.features.contains("link-uart"), "{info:?}");
    let list = s.list(Duration::from_secs(10)).unwrap();
    let w = list
        .iter()
        .find(|w| w.id == "hash/sha256.digest/rustcrypto/1KiB")
        .unwrap();
    s.transport_mut().after = Some(3);
    let mut rec = Default::default();
    let r = s.run(w.index, 1, 100_000, Duration::from_secs(60), &mut rec);
    match r {
        Err(Error::Closed { detail, .. }) => {
            assert!(detail.contains(&format!("serial port {port}")), "{detail}");
            assert!(detail.contains("unplugged"), "{detail}");
            eprintln!("unplugged mid-run: {detail}");
        }
        other => panic!("expected the port to close, got {other:?}"),
    }
    assert!(
        rec.ticks.len() >= 3,
        "samples before the unplug: {:?}",
        rec.ticks
    );
    assert!(rec.ticks.iter().all(|&t| t > 100), "{:?}", rec.ticks);
    assert!(rec.done.is_none());

    // And a port that is not there at all.
    let mut missing = serial_board_on("/dev/pqbench-no-such-tty");
    missing.name = "mps2plus-an386".into();
    match Prepared::new(missing, &families(&fams), &cfg()) {
        Err(e) => {
            let m = e.to_string();
            assert!(
                m.contains("no such serial port /dev/pqbench-no-such-tty"),
                "{m}"
            );
            assert!(
                m.contains("is the board plugged in? `pqbench devices`"),
                "{m}"
            );
        }
        Ok(_) => panic!("a missing port must be an error"),
    }
}

#[test]
#[ignore = "builds firmware; run by scripts/test.d/60-cortexm.sh"]
fn code_size_per_workload_is_a_subset_of_its_family_image() {
    use pqbench_targets::codesize;
    let b = board::find("mps2-an386").unwrap();
    let build = |fams: &[&str]| {
        firmware::build(&b, &firmware::features_for(&b, &families(fams)))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let mlkem = build(&["mlkem"]);
    let empty = build(&["none"]);
    let per = codesize::per_constructor(&mlkem.elf)
        .unwrap()
        .expect("a workload table");
    // Table order: keygen, encaps, decaps x 512, 768, 1024.
    assert_eq!(per.len(), 9, "{per:?}");
    let family = mlkem.size.flash_code - empty.size.flash_code;
    let sum: u64 = per.iter().map(|c| c.bytes).sum();
    for (k, c) in per.iter().enumerate() {
        assert!(c.bytes > 1_000, "entry {k}: {c:?}");
        let run = c.run_bytes.expect("a run method");
        assert!(run > 500 && run <= c.bytes, "entry {k}: {c:?}");
        // Each workload's code is part of what the family adds.
        assert!(c.bytes <= family, "entry {k}: {c:?} > family {family}");
    }
    // The family's workloads share code, but together they are the family.
    assert!(family <= sum, "family {family} > sum {sum}");
    // Decapsulation's setup generates keys and encapsulates: it needs more
    // code than key generation alone.
    assert!(per[6].bytes > per[0].bytes, "{:?} vs {:?}", per[6], per[0]);
    eprintln!("ML-KEM family adds {family} B; per workload: {per:?}");
}
