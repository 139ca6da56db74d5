//! The messages exchanged between host and board, and their byte encoding
//! (a tag byte, then fields in little endian; strings as `u16` length + UTF-8).

/// Which counter a board measures with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// SysTick at the core clock, extended to 64 bits by its wrap interrupt.
    /// Under QEMU with `-icount shift=0` one tick is `1e9 / clock_hz`
    /// instructions.
    SysTick,
    /// DWT CYCCNT (cycles), extended to 64 bits.
    Dwt,
}

/// Why the board refused or failed a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The peers speak different protocol versions.
    VersionMismatch,
    /// No workload with that index.
    UnknownWorkload,
    /// A heap allocation failed: the workload does not fit the board's RAM.
    DoesNotFitHeap,
    /// The stack overflowed its region: the workload does not fit.
    DoesNotFitStack,
    /// The firmware panicked.
    Panic,
    /// A CPU fault (HardFault, BusFault, …) other than a stack overflow.
    Fault,
    /// A request the board could not parse.
    BadRequest,
    /// A frame the board received was corrupted.
    BadFrame,
}

impl ErrorCode {
    fn to_u8(self) -> u8 {
        match self {
            ErrorCode::VersionMismatch => 1,
            ErrorCode::UnknownWorkload => 2,
            ErrorCode::DoesNotFitHeap => 3,
            ErrorCode::DoesNotFitStack => 4,
            ErrorCode::Panic => 5,
            ErrorCode::Fault => 6,
            ErrorCode::BadRequest => 7,
            ErrorCode::BadFrame => 8,
        }
    }

    fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            1 => ErrorCode::VersionMismatch,
            2 => ErrorCode::UnknownWorkload,
            3 => ErrorCode::DoesNotFitHeap,
            4 => ErrorCode::DoesNotFitStack,
            5 => ErrorCode::Panic,
            6 => ErrorCode::Fault,
            7 => ErrorCode::BadRequest,
            8 => ErrorCode::BadFrame,
            _ => return None,
        })
    }

    /// True for the errors that mean "the workload does not fit the board".
    pub fn is_does_not_fit(self) -> bool {
        matches!(self, ErrorCode::DoesNotFitHeap | ErrorCode::DoesNotFitStack)
    }

    /// True when the board cannot continue after this error and must be reset.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            ErrorCode::DoesNotFitHeap
                | ErrorCode::DoesNotFitStack
                | ErrorCode::Panic
                | ErrorCode::Fault
        )
    }
}

/// Index value meaning "no workload" in [`Message::Error`].
pub const NO_INDEX: u16 = u16::MAX;

/// Throughput kinds in [`Message::WorkloadInfo`].
pub mod throughput {
    /// No throughput.
    pub const NONE: u8 = 0;
    /// Bytes per operation.
    pub const BYTES: u8 = 1;
    /// Elements per operation.
    pub const ELEMENTS: u8 = 2;
}

/// One protocol message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message<'a> {
    /// Host -> board: first message of a session.
    HostHello {
        /// The host's [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).
        version: u16,
    },
    /// Board -> host: sent at boot and in answer to [`Message::HostHello`].
    BoardHello {
        /// The firmware's protocol version.
        version: u16,
        /// The counter used for samples.
        counter: Counter,
        /// Core clock in Hz, or 0 when the firmware is shared between
        /// boards and the host takes the clock from the board file.
        clock_hz: u32,
        /// Number of workloads in the firmware.
        workloads: u16,
        /// Bytes of the workload (process) stack.
        stack_bytes: u32,
        /// Bytes of the heap.
        heap_bytes: u32,
        /// Board name the firmware was built for.
        board: &'a str,
        /// Cargo features of the firmware build.
        features: &'a str,
    },
    /// Host -> board: list the workloads.
    List,
    /// Board -> host: one workload of the list.
    WorkloadInfo {
        /// Index to use in [`Message::Run`].
        index: u16,
        /// `suite/name/implementation/params`.
        id: &'a str,
        /// One of [`throughput`]'s constants.
        throughput_kind: u8,
        /// Work per operation.
        throughput: u64,
    },
    /// Board -> host: end of the list.
    ListEnd {
        /// Number of workloads listed.
        count: u16,
    },
    /// Host -> board: set up workload `index` with `seed`, then run it
    /// `iterations` times, each timed on its own.
    Run {
        /// Workload index.
        index: u16,
        /// Seed for the inputs.
        seed: u64,
        /// Timed operations.
        iterations: u32,
    },
    /// Board -> host: one timed operation.
    Sample {
        /// Workload index.
        index: u16,
        /// 0-based iteration.
        iteration: u32,
        /// Counter ticks for that operation (timer overhead subtracted).
        ticks: u64,
    },
    /// Board -> host: a static metric of the workload (key size, …).
    Metric {
        /// Workload index.
        index: u16,
        /// `snake_case` name.
        name: &'a str,
        /// Value.
        value: u64,
        /// Unit, e.g. `bytes`.
        unit: &'a str,
    },
    /// Board -> host: the run finished.
    RunDone {
        /// Workload index.
        index: u16,
        /// Stack high-water mark of `setup`, bytes (stack painting).
        stack_setup_bytes: u32,
        /// Stack high-water mark over the timed operations, bytes.
        stack_run_bytes: u32,
        /// Peak heap use during setup and runs, bytes.
        heap_peak_bytes: u32,
        /// Ticks of an empty timed region (already subtracted from samples).
        timer_overhead_ticks: u32,
    },
    /// Host -> board: run a calibration loop of `loops` iterations with a
    /// known instruction count (see the firmware), timed.
    Calibrate {
        /// Loop iterations.
        loops: u32,
    },
    /// Board -> host: result of [`Message::Calibrate`].
    CalibrateDone {
        /// Loop iterations.
        loops: u32,
        /// Instructions the loop executes, by construction.
        instructions: u64,
        /// Ticks measured.
        ticks: u64,
    },
    /// Host -> board: end the session (QEMU exits, a real board resets).
    Shutdown,
    /// Either way: a failure.
    Error {
        /// What kind.
        code: ErrorCode,
        /// Workload index concerned, or [`NO_INDEX`].
        index: u16,
        /// Human-readable detail.
        message: &'a str,
    },
}

/// Why a payload is not a valid message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Unknown tag byte.
    UnknownTag(u8),
    /// The payload ends inside a field.
    Truncated,
    /// Bytes left after the message.
    TrailingBytes,
    /// A string field is not UTF-8.
    BadUtf8,
    /// A field has an invalid value.
    BadValue,
    /// The output buffer is too small (encoding).
    BufferTooSmall,
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeError::UnknownTag(t) => write!(f, "unknown message tag {t}"),
            DecodeError::Truncated => write!(f, "message truncated"),
            DecodeError::TrailingBytes => write!(f, "trailing bytes after message"),
            DecodeError::BadUtf8 => write!(f, "string field is not UTF-8"),
            DecodeError::BadValue => write!(f, "invalid field value"),
            DecodeError::BufferTooSmall => write!(f, "buffer too small"),
        }
    }
}

mod tag {
    pub const HOST_HELLO: u8 = 0x01;
    pub const BOARD_HELLO: u8 = 0x02;
    pub const LIST: u8 = 0x03;
    pub const WORKLOAD_INFO: u8 = 0x04;
    pub const LIST_END: u8 = 0x05;
    pub const RUN: u8 = 0x06;
    pub const SAMPLE: u8 = 0x07;
    pub const METRIC: u8 = 0x08;
    pub const RUN_DONE: u8 = 0x09;
    pub const CALIBRATE: u8 = 0x0A;
    pub const CALIBRATE_DONE: u8 = 0x0B;
    pub const SHUTDOWN: u8 = 0x0C;
    pub const ERROR: u8 = 0x7F;
}

struct Writer<'b> {
    buf: &'b mut [u8],
    at: usize,
}

impl Writer<'_> {
    fn bytes(&mut self, b: &[u8]) -> Result<(), DecodeError> {
        let end = self.at + b.len();
        self.buf
            .get_mut(self.at..end)
            .ok_or(DecodeError::BufferTooSmall)?
            .copy_from_slice(b);
        self.at = end;
        Ok(())
    }
    fn u8(&mut self, v: u8) -> Result<(), DecodeError> {
        self.bytes(&[v])
    }
    fn u16(&mut self, v: u16) -> Result<(), DecodeError> {
        self.bytes(&v.to_le_bytes())
    }
    fn u32(&mut self, v: u32) -> Result<(), DecodeError> {
        self.bytes(&v.to_le_bytes())
    }
    fn u64(&mut self, v: u64) -> Result<(), DecodeError> {
        self.bytes(&v.to_le_bytes())
    }
    /// Strings longer than `u16::MAX` or the buffer are cut at a char boundary.
    fn str(&mut self, s: &str) -> Result<(), DecodeError> {
        let room = self
            .buf
            .len()
            .saturating_sub(self.at + 2)
            .min(u16::MAX as usize);
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.u16(n as u16)?;
        self.bytes(&s.as_bytes()[..n])
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let s = self
            .buf
            .get(self.at..self.at + n)
            .ok_or(DecodeError::Truncated)?;
        self.at += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.bytes(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, DecodeError> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn str(&mut self) -> Result<&'a str, DecodeError> {
        let n = self.u16()? as usize;
        core::str::from_utf8(self.bytes(n)?).map_err(|_| DecodeError::BadUtf8)
    }
}

impl<'a> Message<'a> {
    /// Encodes into `buf`; returns the length used. Strings that do not fit
    /// are shortened (error messages can be long), everything else must fit.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, DecodeError> {
        let mut w = Writer { buf, at: 0 };
        match *self {
            Message::HostHello { version } => {
                w.u8(tag::HOST_HELLO)?;
                w.u16(version)?;
            }
            Message::BoardHello {
                version,
                counter,
                clock_hz,
                workloads,
                stack_bytes,
                heap_bytes,
                board,
                features,
            } => {
                w.u8(tag::BOARD_HELLO)?;
                w.u16(version)?;
                w.u8(match counter {
                    Counter::SysTick => 0,
                    Counter::Dwt => 1,
                })?;
                w.u32(clock_hz)?;
                w.u16(workloads)?;
                w.u32(stack_bytes)?;
                w.u32(heap_bytes)?;
                w.str(board)?;
                w.str(features)?;
            }
            Message::List => w.u8(tag::LIST)?,
            Message::WorkloadInfo {
                index,
                id,
                throughput_kind,
                throughput,
            } => {
                w.u8(tag::WORKLOAD_INFO)?;
                w.u16(index)?;
                w.u8(throughput_kind)?;
                w.u64(throughput)?;
                w.str(id)?;
            }
            Message::ListEnd { count } => {
                w.u8(tag::LIST_END)?;
                w.u16(count)?;
            }
            Message::Run {
                index,
                seed,
                iterations,
            } => {
                w.u8(tag::RUN)?;
                w.u16(index)?;
                w.u64(seed)?;
                w.u32(iterations)?;
            }
            Message::Sample {
                index,
                iteration,
                ticks,
            } => {
                w.u8(tag::SAMPLE)?;
                w.u16(index)?;
                w.u32(iteration)?;
                w.u64(ticks)?;
            }
            Message::Metric {
                index,
                name,
                value,
                unit,
            } => {
                w.u8(tag::METRIC)?;
                w.u16(index)?;
                w.u64(value)?;
                w.str(name)?;
                w.str(unit)?;
            }
            Message::RunDone {
                index,
                stack_setup_bytes,
                stack_run_bytes,
                heap_peak_bytes,
                timer_overhead_ticks,
            } => {
                w.u8(tag::RUN_DONE)?;
                w.u16(index)?;
                w.u32(stack_setup_bytes)?;
                w.u32(stack_run_bytes)?;
                w.u32(heap_peak_bytes)?;
                w.u32(timer_overhead_ticks)?;
            }
            Message::Calibrate { loops } => {
                w.u8(tag::CALIBRATE)?;
                w.u32(loops)?;
            }
            Message::CalibrateDone {
                loops,
                instructions,
                ticks,
            } => {
                w.u8(tag::CALIBRATE_DONE)?;
                w.u32(loops)?;
                w.u64(instructions)?;
                w.u64(ticks)?;
            }
            Message::Shutdown => w.u8(tag::SHUTDOWN)?,
            Message::Error {
                code,
                index,
                message,
            } => {
                w.u8(tag::ERROR)?;
                w.u8(code.to_u8())?;
                w.u16(index)?;
                w.str(message)?;
            }
        }
        Ok(w.at)
    }

    /// Decodes one message from a whole payload.
    pub fn decode(payload: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader {
            buf: payload,
            at: 0,
        };
        let msg = match r.u8()? {
            tag::HOST_HELLO => Message::HostHello { version: r.u16()? },
            tag::BOARD_HELLO => Message::BoardHello {
                version: r.u16()?,
                counter: match r.u8()? {
                    0 => Counter::SysTick,
                    1 => Counter::Dwt,
                    _ => return Err(DecodeError::BadValue),
                },
                clock_hz: r.u32()?,
                workloads: r.u16()?,
                stack_bytes: r.u32()?,
                heap_bytes: r.u32()?,
                board: r.str()?,
                features: r.str()?,
            },
            tag::LIST => Message::List,
            tag::WORKLOAD_INFO => {
                let index = r.u16()?;
                let throughput_kind = r.u8()?;
                let throughput = r.u64()?;
                Message::WorkloadInfo {
                    index,
                    throughput_kind,
                    throughput,
                    id: r.str()?,
                }
            }
            tag::LIST_END => Message::ListEnd { count: r.u16()? },
            tag::RUN => Message::Run {
                index: r.u16()?,
                seed: r.u64()?,
                iterations: r.u32()?,
            },
            tag::SAMPLE => Message::Sample {
                index: r.u16()?,
                iteration: r.u32()?,
                ticks: r.u64()?,
            },
            tag::METRIC => {
                let index = r.u16()?;
                let value = r.u64()?;
                Message::Metric {
                    index,
                    value,
                    name: r.str()?,
                    unit: r.str()?,
                }
            }
            tag::RUN_DONE => Message::RunDone {
                index: r.u16()?,
                stack_setup_bytes: r.u32()?,
                stack_run_bytes: r.u32()?,
                heap_peak_bytes: r.u32()?,
                timer_overhead_ticks: r.u32()?,
            },
            tag::CALIBRATE => Message::Calibrate { loops: r.u32()? },
            tag::CALIBRATE_DONE => Message::CalibrateDone {
                loops: r.u32()?,
                instructions: r.u64()?,
                ticks: r.u64()?,
            },
            tag::SHUTDOWN => Message::Shutdown,
            tag::ERROR => Message::Error {
                code: ErrorCode::from_u8(r.u8()?).ok_or(DecodeError::BadValue)?,
                index: r.u16()?,
                message: r.str()?,
            },
            t => return Err(DecodeError::UnknownTag(t)),
        };
        if r.at != payload.len() {
            return Err(DecodeError::TrailingBytes);
        }
        Ok(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FrameDecoder, MAX_FRAME, MAX_PAYLOAD, encode_frame};

    fn all() -> [Message<'static>; 14] {
        [
            Message::Shutdown,
            Message::HostHello { version: 1 },
            Message::BoardHello {
                version: 1,
                counter: Counter::SysTick,
                clock_hz: 25_000_000,
                workloads: 6,
                stack_bytes: 65536,
                heap_bytes: 1 << 20,
                board: "mps2-an386",
                features: "hash,pqc",
            },
            Message::List,
            Message::WorkloadInfo {
                index: 3,
                id: "hash/sha256.digest/rustcrypto/1KiB",
                throughput_kind: throughput::BYTES,
                throughput: 1024,
            },
            Message::ListEnd { count: 6 },
            Message::Run {
                index: 2,
                seed: 0xDEAD_BEEF_0123_4567,
                iterations: 10,
            },
            Message::Sample {
                index: 2,
                iteration: 9,
                ticks: u64::MAX - 1,
            },
            Message::Metric {
                index: 2,
                name: "public_key_bytes",
                value: 1184,
                unit: "bytes",
            },
            Message::RunDone {
                index: 2,
                stack_setup_bytes: 100,
                stack_run_bytes: 2000,
                heap_peak_bytes: 3000,
                timer_overhead_ticks: 1,
            },
            Message::Calibrate { loops: 1000 },
            Message::CalibrateDone {
                loops: 1000,
                instructions: 3000,
                ticks: 75,
            },
            Message::Error {
                code: ErrorCode::DoesNotFitHeap,
                index: 2,
                message: "allocation of 1048576 bytes failed",
            },
            Message::Error {
                code: ErrorCode::VersionMismatch,
                index: NO_INDEX,
                message: "ü non-ascii ok",
            },
        ]
    }

    #[test]
    fn every_message_round_trips_through_a_frame() {
        for m in all() {
            let mut payload = [0u8; MAX_PAYLOAD];
            let n = m.encode(&mut payload).unwrap();
            let mut wire = [0u8; MAX_FRAME];
            let f = encode_frame(&payload[..n], &mut wire).unwrap();
            let mut dec = FrameDecoder::new();
            let mut seen = 0;
            for &b in &wire[..f] {
                if let Some(r) = dec.push(b) {
                    assert_eq!(Message::decode(r.unwrap()), Ok(m));
                    seen += 1;
                }
            }
            assert_eq!(seen, 1);
        }
    }

    #[test]
    fn truncated_and_padded_payloads_are_rejected() {
        for m in all() {
            let mut payload = [0u8; MAX_PAYLOAD];
            let n = m.encode(&mut payload).unwrap();
            for cut in 0..n {
                assert!(
                    Message::decode(&payload[..cut]).is_err(),
                    "{m:?} cut at {cut}"
                );
            }
            assert_eq!(
                Message::decode(&payload[..n + 1]),
                Err(DecodeError::TrailingBytes)
            );
        }
        assert_eq!(Message::decode(&[0x55]), Err(DecodeError::UnknownTag(0x55)));
        assert_eq!(
            Message::decode(&[0x7F, 99, 0, 0, 0, 0]),
            Err(DecodeError::BadValue)
        );
        assert_eq!(
            Message::decode(&[0x7F, 1, 0, 0, 1, 0, 0xFF]),
            Err(DecodeError::BadUtf8)
        );
    }

    #[test]
    fn long_error_messages_are_shortened_to_fit() {
        let long = "é".repeat(1000);
        let m = Message::Error {
            code: ErrorCode::Panic,
            index: 0,
            message: &long,
        };
        let mut payload = [0u8; MAX_PAYLOAD];
        let n = m.encode(&mut payload).unwrap();
        assert_eq!(n % 2, 0, "cut inside a 2-byte char: {n}");
        match Message::decode(&payload[..n]).unwrap() {
            Message::Error { message, .. } => {
                assert!(message.len() > 400 && long.starts_with(message))
            }
            other => panic!("{other:?}"),
        }
    }
}
