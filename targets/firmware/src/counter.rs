//! The 64-bit counter samples are measured with.
//!
//! * `counter-systick`: SysTick at the core clock, 24 bits, extended by its
//!   wrap interrupt. Under QEMU with `-icount shift=0` it advances
//!   deterministically with retired instructions (the host converts ticks to
//!   instructions with the board's clock).
//! * `counter-dwt`: DWT CYCCNT (cycles), 32 bits, extended by sampling it in
//!   the SysTick interrupt (every 2^24 cycles, so no wrap is missed).

use core::sync::atomic::{AtomicU32, Ordering};
use cortex_m::peripheral::syst::SystClkSource;
use pqbench_protocol::Counter;

const RELOAD: u32 = 0x00FF_FFFF;
#[cfg(not(feature = "counter-dwt"))]
const ICSR: *const u32 = 0xE000_ED04 as *const u32;
#[cfg(not(feature = "counter-dwt"))]
const PENDSTSET: u32 = 1 << 26;
#[cfg(not(feature = "counter-dwt"))]
const SYST_CVR: *const u32 = 0xE000_E018 as *const u32;

static WRAPS: AtomicU32 = AtomicU32::new(0);
#[cfg(feature = "counter-dwt")]
static LAST_CYC: AtomicU32 = AtomicU32::new(0);

/// The counter this build uses.
pub const KIND: Counter = if cfg!(feature = "counter-dwt") {
    Counter::Dwt
} else {
    Counter::SysTick
};

/// Starts SysTick (and the DWT cycle counter when used).
pub fn init(mut syst: cortex_m::peripheral::SYST) {
    #[cfg(feature = "counter-dwt")]
    {
        // SAFETY: enabling trace and the cycle counter at boot; no other
        // code touches DCB/DWT.
        unsafe {
            let mut p = cortex_m::Peripherals::steal();
            p.DCB.enable_trace();
            p.DWT.set_cycle_count(0);
            p.DWT.enable_cycle_counter();
        }
    }
    syst.set_clock_source(SystClkSource::Core);
    syst.set_reload(RELOAD);
    syst.clear_current();
    syst.enable_interrupt();
    syst.enable_counter();
}

#[cortex_m_rt::exception]
fn SysTick() {
    #[cfg(feature = "counter-dwt")]
    {
        let c = cortex_m::peripheral::DWT::cycle_count();
        if c < LAST_CYC.load(Ordering::Relaxed) {
            WRAPS.store(WRAPS.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        }
        LAST_CYC.store(c, Ordering::Relaxed);
    }
    #[cfg(not(feature = "counter-dwt"))]
    WRAPS.store(WRAPS.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

/// The current count.
#[inline(never)]
pub fn now() -> u64 {
    cortex_m::interrupt::free(|_| {
        #[cfg(feature = "counter-dwt")]
        {
            let c = cortex_m::peripheral::DWT::cycle_count();
            let mut hi = WRAPS.load(Ordering::Relaxed);
            if c < LAST_CYC.load(Ordering::Relaxed) {
                hi += 1;
            }
            (u64::from(hi) << 32) | u64::from(c)
        }
        #[cfg(not(feature = "counter-dwt"))]
        {
            // SAFETY: reads of the SysTick current-value and ICSR registers.
            let mut v = unsafe { SYST_CVR.read_volatile() };
            let mut wraps = WRAPS.load(Ordering::Relaxed);
            // A wrap whose interrupt is pending (masked by us) counts too;
            // re-read the value so it is certainly after that wrap.
            // SAFETY: ICSR and SYST_CVR are always-mapped, read-only-on-read
            // System Control Space registers of every Cortex-M core; a
            // volatile read has no side effect on them.
            if unsafe { ICSR.read_volatile() } & PENDSTSET != 0 {
                // SAFETY: as above (SysTick current-value register).
                v = unsafe { SYST_CVR.read_volatile() };
                wraps += 1;
            }
            u64::from(wraps) * (u64::from(RELOAD) + 1) + u64::from(RELOAD - v)
        }
    })
}

/// Restarts SysTick's count at a tick boundary, so that what a timed region
/// measures does not depend on where in a tick it starts (under QEMU: on how
/// long the firmware waited for the host). Writing the current-value
/// register clears it; the counter reloads on the next tick, and the wait
/// for that reload keeps a reading from ever seeing the cleared value.
/// No-op with the DWT cycle counter.
#[inline(never)]
pub fn rephase() {
    #[cfg(not(feature = "counter-dwt"))]
    // SAFETY: SysTick current-value register: any write clears it (the
    // reload value and the wrap interrupt are unchanged).
    unsafe {
        (SYST_CVR as *mut u32).write_volatile(0);
        while SYST_CVR.read_volatile() == 0 {}
    }
}

/// Runs a loop of `loops` iterations of two instructions each (`subs`,
/// `bne`) and returns (instructions executed by construction, ticks).
pub fn calibrate(loops: u32) -> (u64, u64) {
    let n = loops.max(1);
    rephase();
    let t0 = now();
    // SAFETY: a register-only countdown loop.
    unsafe {
        core::arch::asm!(
            "2:",
            "subs {n}, #1",
            "bne 2b",
            n = inout(reg) n => _,
            options(nomem, nostack)
        );
    }
    let t1 = now();
    (2 * u64::from(n), t1 - t0)
}
