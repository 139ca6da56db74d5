//! Decoding of a payload into a [`Message`].

use super::{Counter, DecodeError, ErrorCode, Message, tag};

/// Reads little-endian fields from a payload.
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
