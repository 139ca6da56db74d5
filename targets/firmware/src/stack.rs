//! Stack high-water marks by painting: fill the unused part of the workload
//! stack with a pattern, run, and find the deepest word that changed.
//!
//! Two figures per timed operation: from the session's frame (everything the
//! workload's `run` uses, wrappers included), and — for workloads that mark
//! the call of a foreign function with [`mark_call`] — from the stack pointer
//! at that call, which is pqm4's definition (stack pointer at the call of the
//! scheme's function minus the deepest word written; the caller's buffers are
//! not on that stack).

use core::sync::atomic::{AtomicUsize, Ordering};

const PAINT: u32 = 0xC5AC_CE55;
/// Bytes below the current stack pointer left unpainted (the painter's own
/// frame and interrupt margin).
const MARGIN: usize = 64;

unsafe extern "C" {
    static _pstack_bottom: u32;
    static _pstack_top: u32;
}

/// Lowest address of the workload stack.
pub fn bottom() -> usize {
    // Linker-defined symbol; only its address is used.
    core::ptr::addr_of!(_pstack_bottom) as usize
}

/// Highest address (initial stack pointer) of the workload stack.
pub fn top() -> usize {
    // Linker-defined symbol; only its address is used.
    core::ptr::addr_of!(_pstack_top) as usize
}

/// The current stack pointer.
#[inline(always)]
pub fn sp() -> usize {
    let sp: usize;
    // SAFETY: reads the stack pointer register.
    unsafe { core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack)) };
    sp
}

/// Paints the free stack below the caller; returns the stack pointer the
/// high-water mark is measured from.
#[inline(never)]
pub fn paint() -> usize {
    let here = sp();
    let end = (here - MARGIN) & !3;
    let mut p = bottom();
    while p < end {
        // SAFETY: [bottom, sp - MARGIN) is unused stack memory of the
        // workload stack, word aligned.
        unsafe { (p as *mut u32).write_volatile(PAINT) };
        p += 4;
    }
    here
}

/// Bytes of stack used below `base` since the last [`paint`].
#[inline(never)]
pub fn used_below(base: usize) -> u32 {
    let end = (base - MARGIN) & !3;
    let mut p = bottom();
    while p < end {
        // SAFETY: reads within the workload stack region.
        if unsafe { (p as *const u32).read_volatile() } != PAINT {
            break;
        }
        p += 4;
    }
    base.saturating_sub(p) as u32
}

/// Stack pointer at the last marked call (0: none since [`clear_call`]).
static CALL_SP: AtomicUsize = AtomicUsize::new(0);

/// Records the current stack pointer as the call site of the measured
/// function. Inlined, so it reads the frame of the function that makes the
/// call: Rust frames do not move after the prologue, so this is the stack
/// pointer at the call instruction (stack-passed arguments sit above it, in
/// the caller's frame, as in pqm4).
#[inline(always)]
#[cfg_attr(
    not(any(feature = "mlkem-pqclean", feature = "mldsa-pqclean")),
    allow(dead_code, reason = "only the PQClean workloads call C")
)]
pub fn mark_call() {
    CALL_SP.store(sp(), Ordering::Relaxed);
}

/// Forgets the last marked call.
pub fn clear_call() {
    CALL_SP.store(0, Ordering::Relaxed);
}

/// Bytes of stack used below the marked call site since the [`paint`] that
/// returned `base` (which must be above the call site), if a call was marked.
pub fn used_below_call(base: usize) -> Option<u32> {
    let call = CALL_SP.load(Ordering::Relaxed);
    if call == 0 || call > base {
        return None;
    }
    let deepest = base - used_below(base) as usize;
    Some(call.saturating_sub(deepest) as u32)
}
