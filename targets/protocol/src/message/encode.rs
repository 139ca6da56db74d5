//! Encoding of a [`Message`] into a payload buffer.

use super::{Counter, DecodeError, Message, tag};

/// Appends little-endian fields to a caller-provided buffer.
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

impl Message<'_> {
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
}
