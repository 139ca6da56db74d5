//! `randombytes` for PQClean: served from coins the workload drew from the
//! host's seed in `setup`, so PQClean's keygen, encapsulation and (hedged)
//! signing are deterministic on the board — the same seed gives the same
//! keys, ciphertexts and signatures, and with them the same counts.
//!
//! Serving is a copy (no generator runs inside the timed operation), like
//! pqm4's `randombytes` reading a hardware RNG. When the coins run out they
//! are served again from the start.

use core::cell::RefCell;
use cortex_m::interrupt::{Mutex, free};

/// Most coins one operation needs (ML-KEM keygen: `d ‖ z`).
pub const MAX: usize = 64;

struct Coins {
    buf: [u8; MAX],
    len: usize,
    pos: usize,
}

static COINS: Mutex<RefCell<Coins>> = Mutex::new(RefCell::new(Coins {
    buf: [0; MAX],
    len: 0,
    pos: 0,
}));

/// Makes `bytes` (at most [`MAX`]) the coins of the next PQClean calls,
/// served from the first byte on.
pub fn load(bytes: &[u8]) {
    free(|cs| {
        let mut c = COINS.borrow(cs).borrow_mut();
        let n = bytes.len().min(MAX);
        c.buf[..n].copy_from_slice(&bytes[..n]);
        c.len = n;
        c.pos = 0;
    });
}

/// Serves the next `out.len()` coins.
fn fill(out: &mut [u8]) {
    free(|cs| {
        let mut c = COINS.borrow(cs).borrow_mut();
        for b in out.iter_mut() {
            if c.pos >= c.len {
                c.pos = 0;
            }
            *b = if c.len == 0 { 0 } else { c.buf[c.pos] };
            c.pos += 1;
        }
    });
}

/// PQClean's `randombytes` (`PQCRYPTO_RUST_randombytes` after the
/// `pqcrypto-internals` header's rename). Always succeeds.
#[unsafe(no_mangle)]
pub extern "C" fn PQCRYPTO_RUST_randombytes(buf: *mut u8, n: usize) -> i32 {
    if buf.is_null() || n == 0 {
        return 0;
    }
    // SAFETY: PQClean passes a writable buffer of `n` bytes it owns for the
    // duration of the call; nothing else aliases it meanwhile.
    let out = unsafe { core::slice::from_raw_parts_mut(buf, n) };
    fill(out);
    0
}
