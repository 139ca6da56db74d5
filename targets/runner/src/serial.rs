//! The serial transport: frames over a board's UART through a host tty (USB
//! CDC-ACM such as `/dev/ttyACM0`, or a USB-UART bridge such as
//! `/dev/ttyUSB0`), in raw mode at the board file's baud rate, with poll(2)
//! timeouts on both directions. Termios and poll come from `rustix` (no C
//! library, no libudev).
//!
//! A serial board is not power-cycled by the host: a session starts by
//! asking the running firmware to reset (a `Shutdown` request; see
//! [`crate::transport::SessionStart::Reset`]) and waiting for the hello of
//! the fresh boot.

use crate::Error;
use crate::board::{Board, TransportKind};
use crate::transport::{CANCEL_POLL, SessionStart, Transport};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::termios::{
    ControlModes, OptionalActions, QueueSelector, SpecialCodeIndex, tcflush, tcgetattr, tcsetattr,
};
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Environment variable naming the serial port of a `transport = "serial"`
/// board (overrides the board file's `serial.port`; the target spec
/// `board:<name>@<port>` overrides both).
pub const PORT_ENV: &str = "PQBENCH_SERIAL_PORT";

/// How long a write may wait for the port to accept bytes.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// The serial port to use for `board`: the target spec's `@<port>`, then
/// [`PORT_ENV`], then the one attached port whose USB id is in the board
/// file's `serial.usb`, then its `serial.port`.
pub fn port_of(board: &Board) -> Result<String, Error> {
    let spec = board
        .serial
        .as_ref()
        .ok_or_else(|| Error::Hardware(format!("board {} has no [serial] settings", board.name)))?;
    if let Some(p) = &spec.port_override {
        return Ok(p.clone());
    }
    if let Ok(p) = std::env::var(PORT_ENV)
        && !p.trim().is_empty()
    {
        return Ok(p.trim().to_string());
    }
    if let Some(p) = port_by_usb(&spec.usb, &crate::devices::serial_ports()) {
        return Ok(p);
    }
    spec.port.clone().ok_or_else(|| {
        Error::Hardware(format!(
            "board:{} has no serial port: give one with --target board:{}@/dev/ttyACM0, {PORT_ENV}=/dev/ttyACM0, or serial.port in its board file (`pqbench devices` lists attached boards)",
            board.name, board.name
        ))
    })
}

/// The only port among `ports` whose USB `VID:PID` is one of `ids` (none
/// when no id is given, or when several ports match).
fn port_by_usb(ids: &[String], ports: &[crate::devices::SerialPort]) -> Option<String> {
    let want: Vec<(u16, u16)> = ids
        .iter()
        .filter_map(|id| {
            let (v, p) = id.split_once(':')?;
            Some((
                u16::from_str_radix(v.trim(), 16).ok()?,
                u16::from_str_radix(p.trim(), 16).ok()?,
            ))
        })
        .collect();
    let mut hits = ports
        .iter()
        .filter(|p| p.usb.is_some_and(|u| want.contains(&u)));
    match (hits.next(), hits.next()) {
        (Some(p), None) => Some(p.path.clone()),
        _ => None,
    }
}

/// Opens the serial port of `board` (see [`port_of`]).
pub fn connect(board: &Board) -> Result<Box<dyn Transport>, Error> {
    if board.transport != TransportKind::Serial {
        return Err(Error::Hardware(format!(
            "board {} is not reached over a serial port",
            board.name
        )));
    }
    let baud = board.serial.as_ref().map(|s| s.baud).unwrap_or(115_200);
    Ok(Box::new(SerialTransport::open(&port_of(board)?, baud)?))
}

/// Runs the board file's `serial.flash` command (if any) to put `elf` on the
/// board: `{elf}` and `{port}` in its arguments are replaced.
pub fn flash(board: &Board, elf: &std::path::Path) -> Result<(), Error> {
    let Some(spec) = board.serial.as_ref().filter(|s| !s.flash.is_empty()) else {
        return Ok(());
    };
    let port = port_of(board)?;
    let elf = elf.display().to_string();
    let args: Vec<String> = spec
        .flash
        .iter()
        .map(|a| a.replace("{elf}", &elf).replace("{port}", &port))
        .collect();
    let (program, rest) = args
        .split_first()
        .ok_or_else(|| Error::Hardware("empty serial.flash command".into()))?;
    let out = std::process::Command::new(program)
        .args(rest)
        .output()
        .map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                Error::ToolMissing {
                    tool: program.clone(),
                    hint: format!(
                        "board:{}'s serial.flash command needs it; install it or change the board file",
                        board.name
                    ),
                }
            } else {
                Error::io(format!("running {program}"), e)
            }
        })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(10).collect();
        return Err(Error::Hardware(format!(
            "flashing board:{} with `{}` failed ({}): {}",
            board.name,
            args.join(" "),
            out.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        )));
    }
    Ok(())
}

/// An open serial port in raw mode.
pub struct SerialTransport {
    file: Option<File>,
    port: String,
    cancel: Option<Arc<AtomicBool>>,
}

impl SerialTransport {
    /// Opens `port` (non-blocking, not as controlling terminal, exclusive),
    /// switches it to raw 8N1 at `baud` with the modem lines ignored, and
    /// discards whatever was waiting in its input buffer.
    pub fn open(port: &str, baud: u32) -> Result<Self, Error> {
        use rustix::fs::OFlags;
        let flags = OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(flags.bits() as i32)
            .open(port)
            .map_err(|e| match e.kind() {
                ErrorKind::NotFound => Error::Hardware(format!(
                    "no such serial port {port}; is the board plugged in? `pqbench devices` lists attached boards and probes (set the port with --target board:<name>@<port> or {PORT_ENV})"
                )),
                ErrorKind::PermissionDenied => Error::Hardware(format!(
                    "no permission to open the serial port {port}; add your user to its group (usually `dialout`: sudo usermod -aG dialout $USER, then log in again) or add a udev rule"
                )),
                _ => Error::io(format!("opening the serial port {port}"), e),
            })?;
        if !rustix::termios::isatty(&file) {
            return Err(Error::Hardware(format!(
                "{port} is not a serial port (not a terminal device)"
            )));
        }
        let term = |what: &str, e: rustix::io::Errno| {
            Error::io(
                format!("{what} of the serial port {port}"),
                std::io::Error::from(e),
            )
        };
        // Another process writing frames into the same port would corrupt
        // both sessions: ask for exclusive use.
        rustix::termios::ioctl_tiocexcl(&file).map_err(|e| term("locking (TIOCEXCL)", e))?;
        let mut t = tcgetattr(&file).map_err(|e| term("reading the settings", e))?;
        t.make_raw();
        t.control_modes |= ControlModes::CLOCAL | ControlModes::CREAD;
        t.control_modes -= ControlModes::CSTOPB | ControlModes::PARENB;
        t.special_codes[SpecialCodeIndex::VMIN] = 1;
        t.special_codes[SpecialCodeIndex::VTIME] = 0;
        t.set_speed(baud)
            .map_err(|e| term(&format!("setting {baud} baud"), e))?;
        tcsetattr(&file, OptionalActions::Now, &t).map_err(|e| term("applying the settings", e))?;
        tcflush(&file, QueueSelector::IFlush).map_err(|e| term("flushing the input", e))?;
        Ok(SerialTransport {
            cancel: None,
            file: Some(file),
            port: port.to_string(),
        })
    }

    /// The port's path.
    pub fn port(&self) -> &str {
        &self.port
    }

    fn gone(&self, waiting_for: &str, what: String) -> Error {
        Error::Closed {
            waiting_for: waiting_for.to_string(),
            detail: format!(
                "serial port {}: {what}; was the board unplugged or reset? `pqbench devices` shows what is attached",
                self.port
            ),
        }
    }

    /// Waits for `flags` on the port until `deadline`: `Ok(true)` when ready
    /// (or hung up / in error: the next read or write says which).
    fn wait(&self, flags: PollFlags, deadline: Instant) -> Result<bool, std::io::Error> {
        let Some(file) = self.file.as_ref() else {
            return Err(std::io::Error::from(ErrorKind::NotConnected));
        };
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            let ts = Timespec {
                tv_sec: left.as_secs().min(i64::MAX as u64) as i64,
                tv_nsec: i64::from(left.subsec_nanos()),
            };
            let mut fds = [PollFd::new(file, flags)];
            match poll(&mut fds, Some(&ts)) {
                Ok(0) => continue,
                Ok(_) => return Ok(true),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

impl Transport for SerialTransport {
    fn send(&mut self, mut bytes: &[u8]) -> Result<(), Error> {
        let waiting_for = "the board to accept a request";
        let deadline = Instant::now() + WRITE_TIMEOUT;
        while !bytes.is_empty() {
            let Some(file) = self.file.as_mut() else {
                return Err(self.gone(waiting_for, "closed".into()));
            };
            match file.write(bytes) {
                Ok(0) => return Err(self.gone(waiting_for, "write returned 0".into())),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    match self.wait(PollFlags::OUT, deadline) {
                        Ok(true) => {}
                        Ok(false) => {
                            return Err(Error::Timeout {
                                waiting_for: waiting_for.into(),
                                after: WRITE_TIMEOUT,
                                detail: format!(
                                    "the serial port {} did not take the bytes (flow control, or a board not reading)",
                                    self.port
                                ),
                            });
                        }
                        Err(e) => return Err(self.gone(waiting_for, format!("poll failed: {e}"))),
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(self.gone(waiting_for, format!("write failed: {e}"))),
            }
        }
        Ok(())
    }

    fn set_cancel(&mut self, cancel: Arc<AtomicBool>) {
        self.cancel = Some(cancel);
    }

    fn recv(&mut self, deadline: Instant, waiting_for: &str) -> Result<Vec<u8>, Error> {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        loop {
            if self
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::SeqCst))
            {
                // The board keeps running what it was asked; the next
                // session's reset request stops it.
                return Err(Error::Cancelled {
                    waiting_for: waiting_for.to_string(),
                });
            }
            let slice = match &self.cancel {
                Some(_) => deadline.min(Instant::now() + CANCEL_POLL),
                None => deadline,
            };
            match self.wait(PollFlags::IN, slice) {
                Ok(true) => {}
                Ok(false) if slice < deadline => continue,
                Ok(false) => {
                    return Err(Error::Timeout {
                        waiting_for: waiting_for.to_string(),
                        after: start.elapsed(),
                        detail: format!(
                            "nothing more from the serial port {}; a hung board is reset by the next session's reset request, or by its reset button",
                            self.port
                        ),
                    });
                }
                Err(e) => return Err(self.gone(waiting_for, format!("poll failed: {e}"))),
            }
            let Some(file) = self.file.as_mut() else {
                return Err(self.gone(waiting_for, "closed".into()));
            };
            match file.read(&mut buf) {
                Ok(0) => return Err(self.gone(waiting_for, "end of file".into())),
                Ok(n) => return Ok(buf[..n].to_vec()),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
                    // Readable by poll but nothing to read (a hang-up being
                    // reported): do not spin.
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(e) => return Err(self.gone(waiting_for, format!("read failed: {e}"))),
            }
        }
    }

    fn close(&mut self) {
        self.file = None;
    }

    fn session_start(&self) -> SessionStart {
        SessionStart::Reset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_port_says_so_and_what_to_do() {
        let e = SerialTransport::open("/dev/pqbench-no-such-tty", 115_200)
            .err()
            .expect("no such port");
        let s = e.to_string();
        assert!(
            s.contains("no such serial port /dev/pqbench-no-such-tty"),
            "{s}"
        );
        assert!(s.contains("is the board plugged in?"), "{s}");
        assert!(s.contains("`pqbench devices`"), "{s}");
    }

    #[test]
    fn a_port_is_found_by_usb_id_only_when_it_is_the_only_match() {
        use crate::devices::SerialPort;
        let port = |path: &str, usb| SerialPort {
            path: path.into(),
            usb,
        };
        let ports = [
            port("/dev/ttyACM0", Some((0x0483, 0x374e))),
            port("/dev/ttyUSB0", Some((0x0403, 0x6001))),
            port("/dev/ttyUSB1", Some((0x0403, 0x6001))),
            port("/dev/ttyAMA0", None),
        ];
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            port_by_usb(&ids(&["0483:374E"]), &ports).as_deref(),
            Some("/dev/ttyACM0")
        );
        // Two boards of the same kind: ambiguous, so none is picked.
        assert_eq!(port_by_usb(&ids(&["0403:6001"]), &ports), None);
        assert_eq!(port_by_usb(&ids(&[]), &ports), None);
        assert_eq!(port_by_usb(&ids(&["nonsense"]), &ports), None);
    }

    /// A pseudo-terminal pair: the master stands in for the board.
    fn pty() -> (File, String) {
        use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        (File::from(master), name.to_string_lossy().to_string())
    }

    #[test]
    fn bytes_travel_both_ways_and_silence_is_a_timeout() {
        let (mut board, port) = pty();
        let mut t = SerialTransport::open(&port, 115_200).unwrap();
        assert_eq!(t.session_start(), SessionStart::Reset);
        t.send(b"\x01\x02host").unwrap();
        let mut got = [0u8; 6];
        board.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"\x01\x02host");
        // Raw mode: 0x00, CR, LF, XON/XOFF and 0xff arrive unchanged.
        let frame = [0u8, b'\r', b'\n', 0x11, 0x13, 0xff, 0x03];
        board.write_all(&frame).unwrap();
        let mut rx = Vec::new();
        while rx.len() < frame.len() {
            rx.extend(
                t.recv(Instant::now() + Duration::from_secs(5), "test")
                    .unwrap(),
            );
        }
        assert_eq!(rx, frame);
        let start = Instant::now();
        match t.recv(Instant::now() + Duration::from_millis(200), "a sample") {
            Err(Error::Timeout { waiting_for, .. }) => assert_eq!(waiting_for, "a sample"),
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() >= Duration::from_millis(190));
    }

    #[test]
    fn a_raised_cancel_flag_ends_a_wait_quickly() {
        let (_board, port) = pty();
        let mut t = SerialTransport::open(&port, 115_200).unwrap();
        let cancel = Arc::new(AtomicBool::new(false));
        t.set_cancel(Arc::clone(&cancel));
        let flag = Arc::clone(&cancel);
        let raiser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            flag.store(true, Ordering::SeqCst);
            Instant::now()
        });
        let r = t.recv(Instant::now() + Duration::from_secs(30), "a sample");
        let ended = Instant::now();
        let raised = raiser.join().unwrap();
        assert!(matches!(r, Err(Error::Cancelled { .. })), "{r:?}");
        assert!(ended.saturating_duration_since(raised) < Duration::from_millis(500));
    }

    #[test]
    fn a_vanished_board_is_a_clear_error_naming_the_port() {
        let (board, port) = pty();
        let mut t = SerialTransport::open(&port, 115_200).unwrap();
        drop(board);
        match t.recv(Instant::now() + Duration::from_secs(5), "a sample") {
            Err(Error::Closed { detail, .. }) => {
                assert!(detail.contains(&format!("serial port {port}")), "{detail}");
                assert!(detail.contains("unplugged"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_file_that_is_not_a_tty_is_refused() {
        let e = SerialTransport::open("/dev/null", 115_200)
            .err()
            .expect("not a tty");
        assert!(e.to_string().contains("not a serial port"), "{e}");
    }

    #[test]
    fn the_port_comes_from_the_spec_then_the_environment_then_the_board_file() {
        let text = include_str!("../../boards/mps2plus-an386.toml");
        let mut b = Board::parse(text, "t").unwrap();
        // The environment is process-wide: this test only reads it.
        let env = std::env::var(PORT_ENV).ok();
        let expected = env.clone().unwrap_or_else(|| "/dev/ttyUSB0".into());
        assert_eq!(port_of(&b).unwrap(), expected);
        if let Some(s) = b.serial.as_mut() {
            s.port_override = Some("/dev/ttyACM7".into());
        }
        assert_eq!(port_of(&b).unwrap(), "/dev/ttyACM7");
        if env.is_none() {
            let mut none = Board::parse(text, "t").unwrap();
            if let Some(s) = none.serial.as_mut() {
                s.port = None;
            }
            let e = port_of(&none).unwrap_err().to_string();
            assert!(e.contains("has no serial port"), "{e}");
        }
    }
}
