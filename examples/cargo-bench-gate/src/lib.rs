//! A crate with a function worth benchmarking: [`checksum`], a 64-bit
//! FNV-1a hash of a byte slice.
//!
//! Its `cargo bench` (`benches/checksum.rs`) runs on pqbench. For the
//! end-to-end gate test, setting [`SLOW_VAR`] (`CARGO_BENCH_GATE_SLOW=1`)
//! switches on a real regression: every byte is hashed twice, so
//! `checksum` takes about twice as long.

use std::sync::OnceLock;

/// Environment variable that switches on the deliberate slowdown
/// (any value but empty or `0`).
pub const SLOW_VAR: &str = "CARGO_BENCH_GATE_SLOW";

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// Whether [`SLOW_VAR`] is set (read once per process).
pub fn slow() -> bool {
    static SLOW: OnceLock<bool> = OnceLock::new();
    *SLOW.get_or_init(|| std::env::var(SLOW_VAR).is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// 64-bit FNV-1a of `data`. With [`SLOW_VAR`] set, the same value, computed
/// twice and checked (a "paranoid" second pass: the regression the gate
/// must catch).
pub fn checksum(data: &[u8]) -> u64 {
    let h = fnv(OFFSET, data);
    if slow() {
        // `black_box` keeps the compiler from reusing the first pass.
        let again = fnv(OFFSET, std::hint::black_box(data));
        assert_eq!(h, again, "FNV-1a is deterministic");
    }
    h
}

fn fnv(mut h: u64, data: &[u8]) -> u64 {
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(checksum(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(checksum(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(checksum(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
