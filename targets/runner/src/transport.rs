//! Byte links to a running firmware: QEMU (semihosting over the emulator's
//! stdin/stdout), a serial port ([`crate::serial`]) and, with the `probe`
//! feature, a debug probe (RTT).

use crate::Error;
use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How a session's first hello comes about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStart {
    /// The firmware was just started (QEMU process, probe reset) and says
    /// hello on its own.
    Boot,
    /// The board may have been running for a while (serial): the host asks
    /// the firmware to reset (`Shutdown`) and waits for the hello of the
    /// fresh boot, discarding anything older.
    Reset,
}

/// A byte link to one firmware session.
pub trait Transport: Send {
    /// Sends bytes to the firmware.
    fn send(&mut self, bytes: &[u8]) -> Result<(), Error>;

    /// Waits until `deadline` for bytes. `Ok(empty)` never happens: it is
    /// bytes, a [`Error::Timeout`] or [`Error::Closed`]. `waiting_for`
    /// names what the caller expects, for the error message.
    fn recv(&mut self, deadline: Instant, waiting_for: &str) -> Result<Vec<u8>, Error>;

    /// Ends the session (kills the emulator, resets the board).
    fn close(&mut self);

    /// How a session on this link begins.
    fn session_start(&self) -> SessionStart {
        SessionStart::Boot
    }

    /// Gives the link a cancel flag: once it is raised, a waiting
    /// [`Transport::recv`] ends the session and returns
    /// [`Error::Cancelled`] within [`CANCEL_POLL`]. The default ignores it
    /// (links that cannot be interrupted, e.g. a probe mid-reset).
    fn set_cancel(&mut self, cancel: Arc<AtomicBool>) {
        let _ = cancel;
    }
}

/// How often a waiting link looks at its cancel flag.
pub const CANCEL_POLL: Duration = Duration::from_millis(20);

/// Where QEMU is: `PQBENCH_QEMU` or `qemu-system-arm` on `PATH`.
pub fn qemu_program() -> String {
    std::env::var("PQBENCH_QEMU").unwrap_or_else(|_| "qemu-system-arm".to_string())
}

/// A QEMU process running the firmware; frames travel over semihosting on
/// its stdin/stdout. Killed when dropped.
pub struct QemuTransport {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Vec<u8>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    threads: Vec<JoinHandle<()>>,
    closed: bool,
    cancel: Option<Arc<AtomicBool>>,
}

impl QemuTransport {
    /// Starts `qemu-system-arm -M machine` with `elf`, deterministic
    /// instruction counting (`-icount shift=0`) and semihosting.
    pub fn start(machine: &str, cpu: Option<&str>, elf: &std::path::Path) -> Result<Self, Error> {
        let program = qemu_program();
        let mut cmd = Command::new(&program);
        cmd.args(["-M", machine]);
        if let Some(cpu) = cpu {
            cmd.args(["-cpu", cpu]);
        }
        cmd.args([
            "-nographic",
            "-monitor",
            "none",
            "-serial",
            "none",
            "-nodefaults",
            "-icount",
            "shift=0",
            "-semihosting-config",
            "enable=on,target=native",
            "-kernel",
        ])
        .arg(elf)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::ToolMissing {
                    tool: program.clone(),
                    hint: "install it with `apt-get install qemu-system-arm` (or run scripts/setup), or set PQBENCH_QEMU".into(),
                }
            } else {
                Error::io(format!("starting {program}"), e)
            }
        })?;
        crate::children::register(child.id());
        let stdin = child.stdin.take();
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| Error::Protocol("QEMU stdout not captured".into()))?;
        let mut stderr_pipe = child
            .stderr
            .take()
            .ok_or_else(|| Error::Protocol("QEMU stderr not captured".into()))?;
        let (tx, rx) = channel();
        let out_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match stdout.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let err_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            loop {
                match stderr_pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if let Ok(mut s) = sink.lock()
                            && s.len() < 64 * 1024
                        {
                            s.extend_from_slice(&buf[..n]);
                        }
                    }
                }
            }
        });
        Ok(QemuTransport {
            child,
            stdin,
            rx,
            stderr,
            threads: vec![out_thread, err_thread],
            closed: false,
            cancel: None,
        })
    }

    /// Exit status and the tail of QEMU's stderr, for error messages.
    fn detail(&mut self) -> String {
        let status = match self.child.try_wait() {
            Ok(Some(s)) => format!("QEMU exited with {s}"),
            _ => "QEMU still running".to_string(),
        };
        let err = self
            .stderr
            .lock()
            .map(|s| String::from_utf8_lossy(&s).trim().to_string())
            .unwrap_or_default();
        let tail: String = err
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" | ");
        if tail.is_empty() {
            status
        } else {
            format!("{status}; stderr: {tail}")
        }
    }
}

impl Transport for QemuTransport {
    fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let r = match self.stdin.as_mut() {
            Some(s) => s.write_all(bytes).and_then(|_| s.flush()),
            None => Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe)),
        };
        r.map_err(|_| Error::Closed {
            waiting_for: "the firmware to accept a request".into(),
            detail: self.detail(),
        })
    }

    fn recv(&mut self, deadline: Instant, waiting_for: &str) -> Result<Vec<u8>, Error> {
        let now = Instant::now();
        let wait = deadline.saturating_duration_since(now);
        let received = loop {
            if self
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::SeqCst))
            {
                self.close();
                return Err(Error::Cancelled {
                    waiting_for: waiting_for.to_string(),
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let slice = if self.cancel.is_some() {
                left.min(CANCEL_POLL)
            } else {
                left
            };
            match self.rx.recv_timeout(slice) {
                Err(RecvTimeoutError::Timeout) if !left.is_zero() && slice < left => continue,
                other => break other,
            }
        };
        match received {
            Ok(bytes) => Ok(bytes),
            Err(RecvTimeoutError::Timeout) => {
                let detail = self.detail();
                self.close();
                Err(Error::Timeout {
                    waiting_for: waiting_for.to_string(),
                    after: wait,
                    detail,
                })
            }
            Err(RecvTimeoutError::Disconnected) => {
                // Give QEMU a moment to report its exit status.
                let start = Instant::now();
                while start.elapsed() < Duration::from_millis(500) {
                    if let Ok(Some(_)) = self.child.try_wait() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(Error::Closed {
                    waiting_for: waiting_for.to_string(),
                    detail: self.detail(),
                })
            }
        }
    }

    fn set_cancel(&mut self, cancel: Arc<AtomicBool>) {
        self.cancel = Some(cancel);
    }

    fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
        crate::children::unregister(self.child.id());
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for QemuTransport {
    fn drop(&mut self) {
        self.close();
    }
}

impl Transport for Box<dyn Transport> {
    fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        (**self).send(bytes)
    }
    fn recv(&mut self, deadline: Instant, waiting_for: &str) -> Result<Vec<u8>, Error> {
        (**self).recv(deadline, waiting_for)
    }
    fn close(&mut self) {
        (**self).close()
    }
    fn session_start(&self) -> SessionStart {
        (**self).session_start()
    }
    fn set_cancel(&mut self, cancel: Arc<AtomicBool>) {
        (**self).set_cancel(cancel)
    }
}
