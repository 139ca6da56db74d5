//! pqbench firmware: runs pqbench workloads on a Cortex-M core and streams
//! results to the host over the pqbench wire protocol.
//!
//! Boot: heap, counter and link are set up on the main stack, then thread
//! mode switches to the process stack (PSP) at the bottom of RAM, where every
//! workload runs. Handlers keep the main stack, so a workload that overflows
//! its stack faults cleanly and is reported as "does not fit".

#![no_std]
#![no_main]

extern crate alloc;

mod counter;
mod faults;
mod heap;
mod link;
mod session;
mod stack;
mod workloads;

use cortex_m_rt::entry;

#[entry]
fn main() -> ! {
    heap::init();
    let Some(p) = cortex_m::Peripherals::take() else {
        link::exit(4)
    };
    counter::init(p.SYST);
    link::init();
    let top = stack::top();
    let bottom = stack::bottom();
    let _ = bottom;
    #[cfg(armv8m)]
    // SAFETY: sets the hardware limit of the process stack to its region's
    // bottom (plus room for an exception frame), before switching to it.
    unsafe {
        core::arch::asm!("msr psplim, {0}", in(reg) bottom + 128, options(nomem, nostack));
    }
    // SAFETY: switches thread mode to the process stack, whose region is
    // reserved by the linker script, and never returns to this frame.
    unsafe {
        core::arch::asm!(
            "msr psp, {top}",
            "msr control, {t}",
            "isb",
            "bl {entry}",
            top = in(reg) top,
            t = in(reg) 2u32,
            entry = sym session::run,
            options(noreturn)
        );
    }
}
