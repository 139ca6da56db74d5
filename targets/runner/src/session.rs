//! The host side of the wire protocol: hello, list, run, calibrate, over any
//! [`Transport`]. Corrupted frames are counted and reported, never accepted.

use crate::Error;
use crate::transport::{SessionStart, Transport};
use pqbench_protocol::{
    Counter, ErrorCode, FrameDecoder, MAX_FRAME, MAX_PAYLOAD, Message, PROTOCOL_VERSION,
    encode_frame,
};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// What the firmware said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardInfo {
    /// Its protocol version.
    pub version: u16,
    /// Its counter.
    pub counter: Counter,
    /// Workloads in the firmware.
    pub workloads: u16,
    /// Workload stack bytes.
    pub stack_bytes: u32,
    /// Heap bytes.
    pub heap_bytes: u32,
    /// Memory profile it was linked for.
    pub profile: String,
    /// Cargo features of the build.
    pub features: String,
}

/// One workload of the firmware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadInfo {
    /// Index for [`Session::run`].
    pub index: u16,
    /// `suite/name/implementation/params`.
    pub id: String,
    /// 0 none, 1 bytes, 2 elements.
    pub throughput_kind: u8,
    /// Work per operation.
    pub throughput: u64,
}

/// An error the firmware reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardError {
    /// Kind.
    pub code: ErrorCode,
    /// Detail.
    pub message: String,
}

/// End of a run's `RunDone`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunDone {
    /// Stack high-water of setup, bytes.
    pub stack_setup_bytes: u32,
    /// Stack high-water of the timed operations, bytes.
    pub stack_run_bytes: u32,
    /// Peak heap, bytes.
    pub heap_peak_bytes: u32,
    /// Ticks of an empty timed region (subtracted).
    pub timer_overhead_ticks: u32,
}

/// Everything a run produced, even when it did not finish: samples already
/// received are kept.
#[derive(Clone, Debug, Default)]
pub struct RunRecord {
    /// Ticks per operation, in iteration order.
    pub ticks: Vec<u64>,
    /// Static metrics `(name, value, unit)`.
    pub metrics: Vec<(String, u64, String)>,
    /// Set when the run finished.
    pub done: Option<RunDone>,
    /// Set when the firmware reported an error.
    pub board_error: Option<BoardError>,
    /// Frames that failed their checksum or decoding, with the reason.
    pub corrupted_frames: Vec<String>,
}

/// The version of an undecodable frame that looks like a hello of another
/// protocol version.
fn other_hello_version(frame: &[u8]) -> Option<u16> {
    if frame.first() == Some(&0x02) && frame.len() >= 3 {
        let v = u16::from_le_bytes([frame[1], frame[2]]);
        (v != PROTOCOL_VERSION).then_some(v)
    } else {
        None
    }
}

/// A protocol session over a transport.
pub struct Session<T: Transport> {
    transport: T,
    decoder: Box<FrameDecoder>,
    pending: VecDeque<Result<Vec<u8>, String>>,
    /// Corrupted frames seen outside a run.
    pub stray_corruptions: Vec<String>,
}

impl<T: Transport> Session<T> {
    /// Wraps a transport.
    pub fn new(transport: T) -> Self {
        Session {
            transport,
            decoder: Box::new(FrameDecoder::new()),
            pending: VecDeque::new(),
            stray_corruptions: Vec::new(),
        }
    }

    /// The transport.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Sends one message.
    pub fn send(&mut self, msg: &Message<'_>) -> Result<(), Error> {
        let mut payload = [0u8; MAX_PAYLOAD];
        let n = msg
            .encode(&mut payload)
            .map_err(|e| Error::Protocol(format!("encoding {msg:?}: {e}")))?;
        let mut wire = [0u8; MAX_FRAME];
        let f = encode_frame(&payload[..n], &mut wire)
            .map_err(|e| Error::Protocol(format!("framing {msg:?}: {e}")))?;
        self.transport.send(&wire[..f])
    }

    /// The next frame payload (or why a frame was rejected).
    fn next_frame(
        &mut self,
        deadline: Instant,
        waiting_for: &str,
    ) -> Result<Result<Vec<u8>, String>, Error> {
        loop {
            if let Some(f) = self.pending.pop_front() {
                return Ok(f);
            }
            let bytes = self.transport.recv(deadline, waiting_for)?;
            for b in bytes {
                if let Some(r) = self.decoder.push(b) {
                    self.pending
                        .push_back(r.map(|p| p.to_vec()).map_err(|e| e.to_string()));
                }
            }
        }
    }

    /// Waits for the firmware's hello (sent at boot), then exchanges hellos.
    /// A version mismatch is an error, whichever side notices it.
    ///
    /// On a link whose board may have been running for a while
    /// ([`SessionStart::Reset`], serial), the firmware is first asked to
    /// reset, and everything it sent before the fresh boot's hello is
    /// dropped.
    pub fn hello(&mut self, timeout: Duration) -> Result<BoardInfo, Error> {
        let deadline = Instant::now() + timeout;
        match self.transport.session_start() {
            SessionStart::Boot => {
                self.expect_hello(deadline)?;
            }
            SessionStart::Reset => self.reset_board(deadline)?,
        }
        self.send(&Message::HostHello {
            version: PROTOCOL_VERSION,
        })?;
        self.expect_hello(deadline)
    }

    /// How long to wait for the answer to one synchronisation request
    /// before sending another.
    const SYNC_RETRY: Duration = Duration::from_millis(400);

    /// Asks the firmware to reset, then brings the link in step with the
    /// fresh boot.
    ///
    /// Over a serial line the host cannot tell a hello of the new boot from
    /// one of the old, and bytes in flight when the board resets are lost.
    /// So after the reset request the host sends `Calibrate` requests with
    /// a distinct loop count each (a nonce; a few hundred instructions of
    /// work) until the answer to the latest one arrives with a hello before
    /// it: everything older has then been received and dropped, and the
    /// board said hello since the reset request (the fresh boot's hello;
    /// an answer without any hello means the request was lost, and it is
    /// sent again).
    fn reset_board(&mut self, deadline: Instant) -> Result<(), Error> {
        let waiting_for = "the firmware's hello after a reset request";
        let timeout = |after: Duration, detail: String| Error::Timeout {
            waiting_for: waiting_for.into(),
            after,
            detail: format!(
                "{detail}; is the pqbench firmware running on the board? (serial boards are flashed by pqbench only when their board file has a flash command)"
            ),
        };
        let start = Instant::now();
        let mut nonce: u32 = 0;
        let mut saw_hello = false;
        let mut resets = 0u32;
        // A lone delimiter ends any partial frame in the firmware's decoder
        // (an empty frame is ignored), so the request is read whole.
        self.transport.send(&[0])?;
        self.send(&Message::Shutdown)?;
        loop {
            nonce += 1;
            self.transport.send(&[0])?;
            self.send(&Message::Calibrate { loops: nonce })?;
            let retry = (Instant::now() + Self::SYNC_RETRY).min(deadline);
            loop {
                let frame = match self.next_frame(retry, waiting_for) {
                    Ok(Ok(f)) => f,
                    Ok(Err(e)) => {
                        self.stray_corruptions.push(e);
                        continue;
                    }
                    Err(Error::Timeout { detail, .. }) => {
                        if Instant::now() >= deadline {
                            return Err(timeout(start.elapsed(), detail));
                        }
                        break;
                    }
                    Err(e) => return Err(e),
                };
                match Message::decode(&frame) {
                    Ok(Message::BoardHello { .. }) => saw_hello = true,
                    Ok(Message::CalibrateDone { loops, .. }) if loops == nonce => {
                        if saw_hello {
                            *self.decoder = FrameDecoder::new();
                            self.pending.clear();
                            return Ok(());
                        }
                        // Answered without rebooting: the reset request
                        // was lost; ask again.
                        resets += 1;
                        if resets > 3 {
                            return Err(Error::Protocol(
                                "the board answers but does not reset when asked; is it running this pqbench firmware?".into(),
                            ));
                        }
                        self.transport.send(&[0])?;
                        self.send(&Message::Shutdown)?;
                        break;
                    }
                    // Anything else is older output (answers to earlier
                    // requests, the error a lone delimiter may cause).
                    Ok(_) => {}
                    Err(_) => {
                        if let Some(v) = other_hello_version(&frame) {
                            return Err(Error::VersionMismatch {
                                firmware: v,
                                host: PROTOCOL_VERSION,
                            });
                        }
                    }
                }
            }
        }
    }

    fn expect_hello(&mut self, deadline: Instant) -> Result<BoardInfo, Error> {
        loop {
            let frame = match self.next_frame(deadline, "the firmware's hello")? {
                Ok(f) => f,
                Err(e) => {
                    self.stray_corruptions.push(e);
                    continue;
                }
            };
            match Message::decode(&frame) {
                Ok(Message::BoardHello {
                    version,
                    counter,
                    workloads,
                    stack_bytes,
                    heap_bytes,
                    board,
                    features,
                    ..
                }) => {
                    if version != PROTOCOL_VERSION {
                        return Err(Error::VersionMismatch {
                            firmware: version,
                            host: PROTOCOL_VERSION,
                        });
                    }
                    return Ok(BoardInfo {
                        version,
                        counter,
                        workloads,
                        stack_bytes,
                        heap_bytes,
                        profile: board.to_string(),
                        features: features.to_string(),
                    });
                }
                Ok(Message::Error {
                    code: ErrorCode::VersionMismatch,
                    message,
                    ..
                }) => {
                    return Err(Error::Protocol(format!(
                        "the firmware refused this host: {message}"
                    )));
                }
                Ok(other) => {
                    return Err(Error::Protocol(format!(
                        "expected the firmware's hello, got {other:?}"
                    )));
                }
                Err(e) => {
                    // A message from a newer firmware may not even decode:
                    // report that as the version problem it most likely is.
                    if let Some(v) = other_hello_version(&frame) {
                        return Err(Error::VersionMismatch {
                            firmware: v,
                            host: PROTOCOL_VERSION,
                        });
                    }
                    return Err(Error::Protocol(format!("undecodable hello: {e}")));
                }
            }
        }
    }

    /// The firmware's workload list.
    pub fn list(&mut self, timeout: Duration) -> Result<Vec<WorkloadInfo>, Error> {
        let deadline = Instant::now() + timeout;
        self.send(&Message::List)?;
        let mut out = Vec::new();
        loop {
            let frame = match self.next_frame(deadline, "the workload list")? {
                Ok(f) => f,
                Err(e) => {
                    return Err(Error::Protocol(format!(
                        "corrupted frame in the workload list: {e}"
                    )));
                }
            };
            match Message::decode(&frame) {
                Ok(Message::WorkloadInfo {
                    index,
                    id,
                    throughput_kind,
                    throughput,
                }) => out.push(WorkloadInfo {
                    index,
                    id: id.to_string(),
                    throughput_kind,
                    throughput,
                }),
                Ok(Message::ListEnd { count }) => {
                    if usize::from(count) != out.len() {
                        return Err(Error::Protocol(format!(
                            "the firmware listed {} workloads but announced {count}",
                            out.len()
                        )));
                    }
                    return Ok(out);
                }
                Ok(other) => {
                    return Err(Error::Protocol(format!(
                        "unexpected {other:?} in the workload list"
                    )));
                }
                Err(e) => return Err(Error::Protocol(format!("bad list message: {e}"))),
            }
        }
    }

    /// Runs the calibration loop: `(instructions by construction, ticks)`.
    pub fn calibrate(&mut self, loops: u32, timeout: Duration) -> Result<(u64, u64), Error> {
        let deadline = Instant::now() + timeout;
        self.send(&Message::Calibrate { loops })?;
        loop {
            let frame = match self.next_frame(deadline, "the calibration result")? {
                Ok(f) => f,
                Err(e) => {
                    self.stray_corruptions.push(e);
                    continue;
                }
            };
            match Message::decode(&frame) {
                Ok(Message::CalibrateDone {
                    instructions,
                    ticks,
                    ..
                }) => return Ok((instructions, ticks)),
                Ok(other) => {
                    return Err(Error::Protocol(format!(
                        "unexpected {other:?} during calibration"
                    )));
                }
                Err(e) => return Err(Error::Protocol(format!("bad calibration message: {e}"))),
            }
        }
    }

    /// Runs workload `index` `iterations` times with `seed`. Samples and
    /// metrics land in `record` as they arrive, so they survive a later
    /// timeout or crash (the `Err` then says what ended the run).
    pub fn run(
        &mut self,
        index: u16,
        seed: u64,
        iterations: u32,
        timeout: Duration,
        record: &mut RunRecord,
    ) -> Result<(), Error> {
        let deadline = Instant::now() + timeout;
        self.send(&Message::Run {
            index,
            seed,
            iterations,
        })?;
        loop {
            let waiting_for = format!(
                "workload {index} (sample {} of {iterations})",
                record.ticks.len() + 1
            );
            let frame = match self.next_frame(deadline, &waiting_for)? {
                Ok(f) => f,
                Err(e) => {
                    record.corrupted_frames.push(e);
                    continue;
                }
            };
            let msg = match Message::decode(&frame) {
                Ok(m) => m,
                Err(e) => {
                    record
                        .corrupted_frames
                        .push(format!("undecodable message: {e}"));
                    continue;
                }
            };
            match msg {
                Message::Sample {
                    index: i, ticks, ..
                } if i == index => record.ticks.push(ticks),
                Message::Metric {
                    index: i,
                    name,
                    value,
                    unit,
                } if i == index => record
                    .metrics
                    .push((name.to_string(), value, unit.to_string())),
                Message::RunDone {
                    index: i,
                    stack_setup_bytes,
                    stack_run_bytes,
                    heap_peak_bytes,
                    timer_overhead_ticks,
                } if i == index => {
                    record.done = Some(RunDone {
                        stack_setup_bytes,
                        stack_run_bytes,
                        heap_peak_bytes,
                        timer_overhead_ticks,
                    });
                    return Ok(());
                }
                Message::Error { code, message, .. } => {
                    record.board_error = Some(BoardError {
                        code,
                        message: message.to_string(),
                    });
                    return Ok(());
                }
                other => {
                    record
                        .corrupted_frames
                        .push(format!("unexpected message during the run: {other:?}"));
                }
            }
        }
    }

    /// Asks the firmware to end the session, then closes the transport.
    pub fn shutdown(mut self) {
        let _ = self.send(&Message::Shutdown);
        std::thread::sleep(Duration::from_millis(20));
        self.transport.close();
    }
}
