//! The heap: a linked-list allocator over the RAM left between `.bss` and the
//! handler stack, wrapped to record the peak use and failed allocations
//! (a failed allocation means "does not fit", not a crash).

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};
use embedded_alloc::LlffHeap;

/// Bytes kept free at the top of RAM for the handler (main) stack.
pub const HANDLER_STACK: usize = 2 * 1024;

struct Tracked {
    inner: LlffHeap,
    used: AtomicUsize,
    peak: AtomicUsize,
    failed: AtomicUsize,
    size: AtomicUsize,
}

#[global_allocator]
static HEAP: Tracked = Tracked {
    inner: LlffHeap::empty(),
    used: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
    failed: AtomicUsize::new(0),
    size: AtomicUsize::new(0),
};

// SAFETY: delegates to LlffHeap (itself a correct GlobalAlloc) and only adds
// bookkeeping in atomics.
unsafe impl GlobalAlloc for Tracked {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract.
        let p = unsafe { self.inner.alloc(layout) };
        if p.is_null() {
            self.failed.store(layout.size().max(1), Ordering::Relaxed);
        } else {
            let used = self.used.load(Ordering::Relaxed) + layout.size();
            self.used.store(used, Ordering::Relaxed);
            if used > self.peak.load(Ordering::Relaxed) {
                self.peak.store(used, Ordering::Relaxed);
            }
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded contract.
        unsafe { self.inner.dealloc(ptr, layout) };
        let used = self
            .used
            .load(Ordering::Relaxed)
            .saturating_sub(layout.size());
        self.used.store(used, Ordering::Relaxed);
    }
}

unsafe extern "C" {
    static __sheap: u8;
    static _stack_start: u8;
}

/// Gives the allocator the RAM between the end of `.bss` and the handler stack.
pub fn init() {
    // Linker symbols; only their addresses are used.
    let (start, end) = (
        core::ptr::addr_of!(__sheap) as usize,
        core::ptr::addr_of!(_stack_start) as usize - HANDLER_STACK,
    );
    let size = end.saturating_sub(start);
    // SAFETY: called once at boot; [start, end) is unused RAM owned by nobody else.
    unsafe { HEAP.inner.init(start, size) };
    HEAP.size.store(size, Ordering::Relaxed);
}

/// Heap size in bytes.
pub fn size() -> usize {
    HEAP.size.load(Ordering::Relaxed)
}

/// Bytes allocated now.
pub fn used() -> usize {
    HEAP.used.load(Ordering::Relaxed)
}

/// Starts a new peak measurement from the current use.
pub fn reset_peak() {
    HEAP.peak.store(used(), Ordering::Relaxed);
}

/// Peak bytes allocated since [`reset_peak`].
pub fn peak() -> usize {
    HEAP.peak.load(Ordering::Relaxed)
}

/// The size of the allocation that failed, if one did.
pub fn failed_allocation() -> Option<usize> {
    match HEAP.failed.load(Ordering::Relaxed) {
        0 => None,
        n => Some(n),
    }
}
