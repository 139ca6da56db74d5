//! The byte link to the host: ARM semihosting (QEMU), SEGGER RTT (real
//! boards through a debug probe) or a UART (boards reached over a serial
//! port, and QEMU's UART on a pty in the tests). Frames are built here from
//! protocol messages.

use core::sync::atomic::{AtomicBool, Ordering};
use pqbench_protocol::{MAX_FRAME, MAX_PAYLOAD, Message, encode_frame};

/// Set by the `test-faults` corrupt-frame workload: the next frame sent has
/// one byte flipped, so the host's CRC check must catch it.
pub static CORRUPT_NEXT: AtomicBool = AtomicBool::new(false);

struct Buffers {
    payload: [u8; MAX_PAYLOAD],
    wire: [u8; MAX_FRAME],
}

static mut BUFFERS: Buffers = Buffers {
    payload: [0; MAX_PAYLOAD],
    wire: [0; MAX_FRAME],
};

/// Encodes and sends one message. Runs with interrupts masked so that the
/// shared buffers are never used twice at once (the fault handlers send too).
pub fn send(msg: &Message<'_>) {
    cortex_m::interrupt::free(|_| {
        // SAFETY: single core, interrupts masked: no other reference to
        // BUFFERS exists while this one lives (fault handlers that also
        // send run only after this returns or never return here).
        let bufs = unsafe { &mut *core::ptr::addr_of_mut!(BUFFERS) };
        let Ok(n) = msg.encode(&mut bufs.payload) else {
            return;
        };
        let Ok(f) = encode_frame(&bufs.payload[..n], &mut bufs.wire) else {
            return;
        };
        // Interrupts are masked here: load + store is atomic enough (and
        // Armv6-M has no swap).
        let corrupt = CORRUPT_NEXT.load(Ordering::Relaxed);
        CORRUPT_NEXT.store(false, Ordering::Relaxed);
        if corrupt && f > 2 {
            bufs.wire[f / 2] ^= 0x20;
            if bufs.wire[f / 2] == 0 {
                bufs.wire[f / 2] = 0x55;
            }
        }
        imp::write(&bufs.wire[..f]);
    });
}

/// Blocks until one byte arrives from the host.
pub fn read_byte() -> u8 {
    imp::read_byte()
}

/// Opens the link.
pub fn init() {
    imp::init();
}

/// Ends the session: QEMU exits with `code` (semihosting); a board reached
/// over RTT or a UART resets, and says hello again after the reset.
pub fn exit(code: u32) -> ! {
    imp::exit(code)
}

#[cfg(feature = "link-semihosting")]
mod imp {
    use core::sync::atomic::{AtomicU32, Ordering};

    const SYS_OPEN: u32 = 0x01;
    const SYS_WRITE: u32 = 0x05;
    const SYS_READ: u32 = 0x06;
    const SYS_EXIT: u32 = 0x18;
    const SYS_EXIT_EXTENDED: u32 = 0x20;
    const ADP_STOPPED_APPLICATION_EXIT: u32 = 0x20026;

    static STDIN: AtomicU32 = AtomicU32::new(u32::MAX);
    static STDOUT: AtomicU32 = AtomicU32::new(u32::MAX);

    fn call(op: u32, args: &[u32]) -> i32 {
        let r: i32;
        // SAFETY: `bkpt 0xab` is the semihosting trap; QEMU (or a debugger)
        // reads `args` (valid for the call) and returns a value in r0.
        unsafe {
            core::arch::asm!(
                "bkpt #0xab",
                inout("r0") op => r,
                in("r1") args.as_ptr(),
                options(nostack)
            );
        }
        r
    }

    pub fn init() {
        let tt = b":tt\0";
        let rd = call(SYS_OPEN, &[tt.as_ptr() as u32, 0, 3]);
        let wr = call(SYS_OPEN, &[tt.as_ptr() as u32, 4, 3]);
        STDIN.store(rd as u32, Ordering::Relaxed);
        STDOUT.store(wr as u32, Ordering::Relaxed);
    }

    pub fn write(mut bytes: &[u8]) {
        let h = STDOUT.load(Ordering::Relaxed);
        while !bytes.is_empty() {
            let left = call(SYS_WRITE, &[h, bytes.as_ptr() as u32, bytes.len() as u32]);
            if left < 0 {
                return;
            }
            let done = bytes.len() - (left as usize).min(bytes.len());
            if done == 0 {
                return;
            }
            bytes = &bytes[done..];
        }
    }

    pub fn read_byte() -> u8 {
        let h = STDIN.load(Ordering::Relaxed);
        let mut b = [0u8; 1];
        loop {
            let left = call(SYS_READ, &[h, b.as_mut_ptr() as u32, 1]);
            if left == 0 {
                return b[0];
            }
            if left < 0 || left == 1 {
                // End of input: the host is gone.
                exit(2);
            }
        }
    }

    pub fn exit(code: u32) -> ! {
        if code == 0 {
            let r: i32;
            // SAFETY: semihosting SYS_EXIT; on AArch32 the reason code itself
            // is passed in r1 (not a pointer).
            unsafe {
                core::arch::asm!("bkpt #0xab", inout("r0") SYS_EXIT => r,
                    in("r1") ADP_STOPPED_APPLICATION_EXIT, options(nostack));
            }
            let _ = r;
        } else {
            // SYS_EXIT_EXTENDED takes a pointer to {reason, exit code}.
            call(SYS_EXIT_EXTENDED, &[ADP_STOPPED_APPLICATION_EXIT, code]);
        }
        loop {
            cortex_m::asm::wfi();
        }
    }
}

#[cfg(all(feature = "link-rtt", not(feature = "link-semihosting")))]
mod imp {
    use rtt_target::{ChannelMode, DownChannel, UpChannel};

    static mut UP: Option<UpChannel> = None;
    static mut DOWN: Option<DownChannel> = None;

    pub fn init() {
        let channels = rtt_target::rtt_init! {
            up: { 0: { size: 2048, mode: ChannelMode::BlockIfFull, name: "pqbench" } }
            down: { 0: { size: 256, name: "pqbench" } }
        };
        // SAFETY: called once at boot before any other use of the channels.
        unsafe {
            *core::ptr::addr_of_mut!(UP) = Some(channels.up.0);
            *core::ptr::addr_of_mut!(DOWN) = Some(channels.down.0);
        }
    }

    pub fn write(bytes: &[u8]) {
        // SAFETY: single core; `send` calls this with interrupts masked.
        if let Some(up) = unsafe { (*core::ptr::addr_of_mut!(UP)).as_mut() } {
            let mut rest = bytes;
            while !rest.is_empty() {
                let n = up.write(rest);
                rest = &rest[n..];
            }
        }
    }

    pub fn read_byte() -> u8 {
        let mut b = [0u8; 1];
        loop {
            // SAFETY: single core; only the thread-mode session loop reads.
            if let Some(down) = unsafe { (*core::ptr::addr_of_mut!(DOWN)).as_mut() }
                && down.read(&mut b) == 1
            {
                return b[0];
            }
        }
    }

    pub fn exit(_code: u32) -> ! {
        cortex_m::peripheral::SCB::sys_reset()
    }
}

#[cfg(all(
    feature = "link-uart",
    not(feature = "link-semihosting"),
    not(feature = "link-rtt")
))]
mod imp {
    //! Arm CMSDK APB UART, polled: no interrupts, no clock or pin setup (the
    //! MPS2/MPS2+/MPS3 FPGA images and QEMU's models of them).

    mod cfg {
        include!(concat!(env!("OUT_DIR"), "/uart.rs"));
    }

    const DATA: *mut u32 = cfg::BASE as *mut u32;
    const STATE: *mut u32 = (cfg::BASE + 0x04) as *mut u32;
    const CTRL: *mut u32 = (cfg::BASE + 0x08) as *mut u32;
    const BAUDDIV: *mut u32 = (cfg::BASE + 0x10) as *mut u32;
    const TX_FULL: u32 = 1 << 0;
    const RX_FULL: u32 = 1 << 1;
    const RX_OVERRUN: u32 = 1 << 3;
    const TX_EN: u32 = 1 << 0;
    const RX_EN: u32 = 1 << 1;

    pub fn init() {
        // SAFETY: the UART's registers (address from the board file); only
        // this module touches them.
        unsafe {
            BAUDDIV.write_volatile(cfg::BAUDDIV);
            CTRL.write_volatile(TX_EN | RX_EN);
        }
    }

    fn wait_tx_free() {
        // SAFETY: UART status register read.
        while unsafe { STATE.read_volatile() } & TX_FULL != 0 {}
    }

    pub fn write(bytes: &[u8]) {
        for &b in bytes {
            wait_tx_free();
            // SAFETY: UART data register write (the transmit buffer is free).
            unsafe { DATA.write_volatile(u32::from(b)) };
        }
    }

    pub fn read_byte() -> u8 {
        loop {
            // SAFETY: UART status and data register accesses.
            let state = unsafe { STATE.read_volatile() };
            if state & RX_OVERRUN != 0 {
                // A byte was lost: the frame's CRC catches it; clear the flag.
                // SAFETY: write-one-to-clear of the overrun flag.
                unsafe { STATE.write_volatile(RX_OVERRUN) };
            }
            if state & RX_FULL != 0 {
                // SAFETY: as above.
                return unsafe { DATA.read_volatile() } as u8;
            }
        }
    }

    pub fn exit(_code: u32) -> ! {
        // Let the last byte leave the shift register (10 bit times) before
        // the reset, so the host gets the whole final frame.
        wait_tx_free();
        cortex_m::asm::delay(20 * cfg::BAUDDIV);
        cortex_m::peripheral::SCB::sys_reset()
    }
}
