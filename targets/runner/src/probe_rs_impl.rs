// Included by `probe.rs` under the `probe` feature: flash with probe-rs,
// reset, then exchange frames over the firmware's RTT channels (up 0: board
// to host, down 0: host to board). A worker thread owns the probe session and
// polls RTT; the transport talks to it through channels, like the QEMU one.

use crate::Error;
use crate::board::Board;
use crate::transport::Transport;
use probe_rs::probe::list::Lister;
use probe_rs::rtt::{Rtt, ScanRegion};
use probe_rs::{Permissions, Session};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The address of the firmware's RTT control block, from its symbol table.
fn rtt_address(elf: &Path) -> Result<u64, Error> {
    use object::{Object, ObjectSymbol};
    let data =
        std::fs::read(elf).map_err(|e| Error::io(format!("reading {}", elf.display()), e))?;
    let file = object::File::parse(&*data)
        .map_err(|e| Error::Protocol(format!("{} is not an ELF image: {e}", elf.display())))?;
    file.symbols()
        .find(|s| s.name() == Ok("_SEGGER_RTT"))
        .map(|s| s.address())
        .ok_or_else(|| {
            Error::Hardware(format!(
                "{} has no _SEGGER_RTT symbol: it was not built with the link-rtt feature",
                elf.display()
            ))
        })
}

fn hw(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Hardware(format!("{what}: {e}"))
}

/// Opens the first probe, flashes `elf`, resets the core and attaches RTT.
fn open(board: &Board, elf: &Path) -> Result<(Session, Rtt), Error> {
    let spec = board
        .probe
        .as_ref()
        .ok_or_else(|| Error::Hardware(format!("board {} has no [probe] settings", board.name)))?;
    let lister = Lister::new();
    let probes = lister.list_all();
    let Some(info) = probes.first() else {
        return Err(Error::Hardware(format!(
            "no debug probe found for board:{} (expected USB {}); check the cable, `pqbench devices`, and USB permissions (udev rules)",
            board.name,
            spec.usb.join(" or ")
        )));
    };
    let probe = info.open().map_err(|e| hw("opening the debug probe", e))?;
    let mut session = probe
        .attach(spec.chip.as_str(), Permissions::default())
        .map_err(|e| hw(&format!("attaching to {}", spec.chip), e))?;
    probe_rs::flashing::download_file(&mut session, elf, probe_rs::flashing::FormatKind::Elf)
        .map_err(|e| hw(&format!("flashing {}", elf.display()), e))?;
    let addr = rtt_address(elf)?;
    let rtt = {
        let mut core = session.core(0).map_err(|e| hw("selecting core 0", e))?;
        core.reset().map_err(|e| hw("resetting the core", e))?;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match Rtt::attach_region(&mut core, &ScanRegion::Exact(addr)) {
                Ok(rtt) => break rtt,
                Err(e) if Instant::now() > deadline => {
                    return Err(hw("attaching to the firmware's RTT control block", e));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    };
    Ok((session, rtt))
}

/// A board behind a debug probe.
pub struct ProbeTransport {
    to_board: Sender<Vec<u8>>,
    from_board: Receiver<Result<Vec<u8>, String>>,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

/// Flashes `elf` to `board`, resets it and attaches to its RTT channels.
pub fn connect(board: &Board, elf: &Path) -> Result<Box<dyn Transport>, Error> {
    let (mut session, mut rtt) = open(board, elf)?;
    let (to_board, board_rx) = channel::<Vec<u8>>();
    let (host_tx, from_board) = channel::<Result<Vec<u8>, String>>();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = Arc::clone(&stop);
    let worker = std::thread::spawn(move || {
        let mut buf = vec![0u8; 4096];
        let mut outgoing: Vec<u8> = Vec::new();
        while !stop2.load(Ordering::Relaxed) {
            let mut core = match session.core(0) {
                Ok(c) => c,
                Err(e) => {
                    let _ = host_tx.send(Err(format!("probe lost the core: {e}")));
                    return;
                }
            };
            while let Ok(bytes) = board_rx.try_recv() {
                outgoing.extend_from_slice(&bytes);
            }
            if !outgoing.is_empty()
                && let Some(down) = rtt.down_channel(0)
            {
                match down.write(&mut core, &outgoing) {
                    Ok(n) => {
                        outgoing.drain(..n);
                    }
                    Err(e) => {
                        let _ = host_tx.send(Err(format!("RTT write failed: {e}")));
                        return;
                    }
                }
            }
            let mut got = 0;
            if let Some(up) = rtt.up_channel(0) {
                match up.read(&mut core, &mut buf) {
                    Ok(n) => got = n,
                    Err(e) => {
                        let _ = host_tx.send(Err(format!("RTT read failed: {e}")));
                        return;
                    }
                }
            }
            if got > 0 {
                if host_tx.send(Ok(buf[..got].to_vec())).is_err() {
                    return;
                }
            } else {
                drop(core);
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        // Leave the board in reset-and-run state for the next session.
        if let Ok(mut core) = session.core(0) {
            let _ = core.reset();
        }
    });
    Ok(Box::new(ProbeTransport {
        to_board,
        from_board,
        stop,
        worker: Some(worker),
    }))
}

impl Transport for ProbeTransport {
    fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.to_board
            .send(bytes.to_vec())
            .map_err(|_| Error::Closed {
                waiting_for: "the board to accept a request".into(),
                detail: "the probe worker stopped".into(),
            })
    }

    fn recv(&mut self, deadline: Instant, waiting_for: &str) -> Result<Vec<u8>, Error> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.from_board.recv_timeout(wait) {
            Ok(Ok(bytes)) => Ok(bytes),
            Ok(Err(detail)) => Err(Error::Closed {
                waiting_for: waiting_for.to_string(),
                detail,
            }),
            Err(RecvTimeoutError::Timeout) => {
                self.close();
                Err(Error::Timeout {
                    waiting_for: waiting_for.to_string(),
                    after: wait,
                    detail: "the board was reset".into(),
                })
            }
            Err(RecvTimeoutError::Disconnected) => Err(Error::Closed {
                waiting_for: waiting_for.to_string(),
                detail: "the probe worker stopped".into(),
            }),
        }
    }

    fn close(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

impl Drop for ProbeTransport {
    fn drop(&mut self) {
        self.close();
    }
}
