//! What happens when a workload does not fit or breaks: allocation failures,
//! panics and CPU faults are reported to the host as protocol errors, then
//! the session ends (QEMU exits, a real board resets) so the host can start
//! a fresh one for the remaining workloads.

use crate::{heap, link, stack};
use core::fmt::Write;
use core::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use pqbench_protocol::{ErrorCode, Message, NO_INDEX};

/// Index of the workload being set up or run, or [`NO_INDEX`].
pub static CURRENT: AtomicU16 = AtomicU16::new(NO_INDEX);
static REPORTING: AtomicBool = AtomicBool::new(false);

/// A fixed-size text buffer for messages built without allocation.
pub struct Text {
    buf: [u8; 200],
    len: usize,
}

impl Text {
    /// An empty buffer.
    pub const fn new() -> Self {
        Self {
            buf: [0; 200],
            len: 0,
        }
    }
    /// The text written so far (cut at a character boundary when full).
    pub fn as_str(&self) -> &str {
        match core::str::from_utf8(&self.buf[..self.len]) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(&self.buf[..e.valid_up_to()]).unwrap_or(""),
        }
    }
}

impl Write for Text {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

fn report_and_exit(code: ErrorCode, message: &str) -> ! {
    // Load then store (Armv6-M has no atomic swap); single core, and a
    // nested report can only come from this handler path.
    let first = !REPORTING.load(Ordering::Relaxed);
    REPORTING.store(true, Ordering::Relaxed);
    if first {
        link::send(&Message::Error {
            code,
            index: CURRENT.load(Ordering::Relaxed),
            message,
        });
    }
    link::exit(3)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut t = Text::new();
    if let Some(size) = heap::failed_allocation() {
        let _ = write!(
            t,
            "allocation of {size} bytes failed: heap has {} bytes, {} in use",
            heap::size(),
            heap::used()
        );
        report_and_exit(ErrorCode::DoesNotFitHeap, t.as_str());
    }
    let _ = write!(t, "panic: {}", info.message());
    if let Some(loc) = info.location() {
        let _ = write!(t, " at {}:{}", loc.file(), loc.line());
    }
    report_and_exit(ErrorCode::Panic, t.as_str())
}

const CFSR: *const u32 = 0xE000_ED28 as *const u32;
const HFSR: *const u32 = 0xE000_ED2C as *const u32;
/// CFSR bits meaning "the fault happened while pushing onto the stack"
/// (MSTKERR, STKERR) or "stack limit reached" (STKOF, Armv8-M).
const STACK_FAULT_BITS: u32 = (1 << 4) | (1 << 12) | (1 << 20);

#[cortex_m_rt::exception(trampoline = false)]
unsafe fn HardFault() -> ! {
    // Runs on the main (handler) stack, so it works even when the workload
    // stack is exhausted.
    let psp = cortex_m::register::psp::read() as usize;
    // SAFETY: architectural fault status registers.
    #[cfg(not(armv6m))]
    let (cfsr, hfsr) = unsafe { (CFSR.read_volatile(), HFSR.read_volatile()) };
    #[cfg(armv6m)]
    let (cfsr, hfsr) = {
        let _ = (CFSR, HFSR);
        (0u32, 0u32)
    };
    let mut t = Text::new();
    if cfsr & STACK_FAULT_BITS != 0 || psp < stack::bottom() + 64 {
        let _ = write!(
            t,
            "stack overflow: the workload needs more than the {} bytes of stack (CFSR {cfsr:#010x})",
            stack::top() - stack::bottom()
        );
        report_and_exit(ErrorCode::DoesNotFitStack, t.as_str());
    }
    let pc = if psp >= stack::bottom() && psp + 32 <= stack::top() {
        // SAFETY: the exception frame pushed on the (valid) process stack.
        unsafe { ((psp + 24) as *const u32).read_volatile() }
    } else {
        0
    };
    let _ = write!(
        t,
        "HardFault at pc {pc:#010x} (CFSR {cfsr:#010x}, HFSR {hfsr:#010x})"
    );
    report_and_exit(ErrorCode::Fault, t.as_str())
}
