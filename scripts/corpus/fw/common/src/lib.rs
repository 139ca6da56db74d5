//! Runtime glue shared by every corpus program: on bare-metal Cortex-M the
//! reset entry, a heap and a panic handler; on x86-64 Linux a plain `main`.
//! Each program provides `fn work(input: &[u8; 64]) -> [u8; 64]` and calls
//! [`fw_main!`]. Inputs go through `black_box` so the crypto is really linked.
#![no_std]

#[cfg(target_os = "none")]
pub use cortex_m_rt::entry;

#[cfg(target_os = "none")]
mod rt {
    use core::mem::MaybeUninit;
    use embedded_alloc::LlffHeap as Heap;

    #[global_allocator]
    static HEAP: Heap = Heap::empty();

    const HEAP_SIZE: usize = 96 * 1024;
    static mut HEAP_MEM: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];

    pub fn init() {
        // SAFETY: called once at reset, before any allocation.
        unsafe { HEAP.init(core::ptr::addr_of_mut!(HEAP_MEM) as usize, HEAP_SIZE) }
    }

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo) -> ! {
        loop {
            cortex_m::asm::nop();
        }
    }
}

/// Initialises the runtime (heap on bare metal).
pub fn init() {
    #[cfg(target_os = "none")]
    rt::init();
}

/// Device-specific input the program works on (a stand-in for data received
/// over a transport).
pub static INPUT: [u8; 64] = *b"pqbench corpus input: sensor frame 0001, nonce 7f3a9c, seq 42!!!";

/// The input, opaque to the optimiser.
pub fn input() -> [u8; 64] {
    core::hint::black_box(INPUT)
}

static mut SINK: u8 = 0;

/// Consumes the output so that it is computed.
pub fn output(out: &[u8]) {
    let mut acc = 0u8;
    for b in out {
        acc ^= *b;
    }
    // SAFETY: single-threaded program; volatile write to a private static.
    unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!(SINK), acc) }
}

/// Declares the program's entry point around `work`.
#[macro_export]
macro_rules! fw_main {
    ($work:path) => {
        #[cfg(target_os = "none")]
        #[$crate::entry]
        fn main() -> ! {
            $crate::init();
            loop {
                let i = $crate::input();
                let o = $work(&i);
                $crate::output(&o);
            }
        }
        #[cfg(not(target_os = "none"))]
        fn main() {
            let i = $crate::input();
            let o = $work(&i);
            $crate::output(&o);
        }
    };
}
