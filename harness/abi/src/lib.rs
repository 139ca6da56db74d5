//! The pqbench workload registry behind a versioned C ABI.
//!
//! `pqbench ab --in-process` loads two builds of this crate's shared library
//! (`cargo build --release -p pqbench-abi` in the baseline's and in the
//! candidate's tree: `target/release/libpqbench_abi.so`) into one process
//! and alternates their workloads sample by sample. This module is the ABI
//! description both sides agree on: [`ABI_VERSION`], the symbol names and
//! the function types. With the `export` feature (default) the crate also
//! exports the functions (module `export`); pqbench depends on it without that
//! feature, for the description only.
//!
//! The exported functions, all `extern "C"`:
//!
//! | symbol | type | meaning |
//! |---|---|---|
//! | `pqbench_abi_version` | `fn() -> u32` | [`ABI_VERSION`] of the build |
//! | `pqbench_workload_count` | `fn() -> usize` | workloads exported |
//! | `pqbench_workload_id` | `fn(usize) -> *const c_char` | id `i`, NUL-terminated, static; null when out of range |
//! | `pqbench_workload_new` | `fn(usize, u64) -> *mut c_void` | workload `i`, set up from the seed (untimed); null on error |
//! | `pqbench_workload_run` | `fn(*mut c_void, u64) -> i32` | runs the operation `iters` times; [`RUN_OK`] or an error code |
//! | `pqbench_workload_free` | `fn(*mut c_void)` | drops a workload |
//! | `pqbench_set_slowdown` | `fn(f64) -> i32` | harness-validation knob: `pct` % of extra CPU work per run call in this library only |
#![cfg_attr(not(feature = "export"), forbid(unsafe_code))]

use core::ffi::{c_char, c_void};

#[cfg(feature = "export")]
pub mod export;

/// Bumped by hand on any change of the exported functions' meaning.
const ABI_MAJOR: u32 = if cfg!(feature = "abi-test-mismatch") {
    0x7fff
} else {
    1
};

/// The signatures of the exported functions, hashed into [`ABI_VERSION`]:
/// editing one here changes the version, so a library and a pqbench built
/// from different descriptions refuse each other.
pub const SIGNATURES: &str = "pqbench_abi_version()->u32;\
pqbench_workload_count()->usize;\
pqbench_workload_id(usize)->*const c_char;\
pqbench_workload_new(usize,u64)->*mut c_void;\
pqbench_workload_run(*mut c_void,u64)->i32;\
pqbench_workload_free(*mut c_void);\
pqbench_set_slowdown(f64)->i32";

/// 32-bit FNV-1a of `s` (compile time).
pub const fn fnv1a(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u32;
        h = h.wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

/// The ABI version: [`ABI_MAJOR`] in the high 16 bits, the low 16 bits of
/// the FNV-1a hash of [`SIGNATURES`] in the low ones.
pub const ABI_VERSION: u32 = (ABI_MAJOR << 16) | (fnv1a(SIGNATURES) & 0xffff);

/// Symbol of `pqbench_abi_version` (NUL-terminated, as `dlsym` wants).
pub const SYM_VERSION: &[u8] = b"pqbench_abi_version\0";
/// Symbol of `pqbench_workload_count`.
pub const SYM_COUNT: &[u8] = b"pqbench_workload_count\0";
/// Symbol of `pqbench_workload_id`.
pub const SYM_ID: &[u8] = b"pqbench_workload_id\0";
/// Symbol of `pqbench_workload_new`.
pub const SYM_NEW: &[u8] = b"pqbench_workload_new\0";
/// Symbol of `pqbench_workload_run`.
pub const SYM_RUN: &[u8] = b"pqbench_workload_run\0";
/// Symbol of `pqbench_workload_free`.
pub const SYM_FREE: &[u8] = b"pqbench_workload_free\0";
/// Symbol of `pqbench_set_slowdown`.
pub const SYM_SLOWDOWN: &[u8] = b"pqbench_set_slowdown\0";

/// Type of `pqbench_abi_version`.
pub type VersionFn = unsafe extern "C" fn() -> u32;
/// Type of `pqbench_workload_count`.
pub type CountFn = unsafe extern "C" fn() -> usize;
/// Type of `pqbench_workload_id`.
pub type IdFn = unsafe extern "C" fn(usize) -> *const c_char;
/// Type of `pqbench_workload_new`.
pub type NewFn = unsafe extern "C" fn(usize, u64) -> *mut c_void;
/// Type of `pqbench_workload_run`.
pub type RunFn = unsafe extern "C" fn(*mut c_void, u64) -> i32;
/// Type of `pqbench_workload_free`.
pub type FreeFn = unsafe extern "C" fn(*mut c_void);
/// Type of `pqbench_set_slowdown`.
pub type SlowdownFn = unsafe extern "C" fn(f64) -> i32;

/// `pqbench_workload_run`: the operations ran.
pub const RUN_OK: i32 = 0;
/// `pqbench_workload_run`: the workload panicked (caught in the library).
pub const RUN_PANICKED: i32 = 1;
/// `pqbench_workload_run`: a null handle.
pub const RUN_NULL: i32 = 2;

/// `pqbench_set_slowdown`: accepted.
pub const SLOWDOWN_OK: i32 = 0;
/// `pqbench_set_slowdown`: not in `[0, 100]`.
pub const SLOWDOWN_OUT_OF_RANGE: i32 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_signatures() {
        // FNV-1a reference values (the published test vectors).
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(ABI_VERSION & 0xffff, fnv1a(SIGNATURES) & 0xffff);
        assert_ne!(fnv1a(SIGNATURES), fnv1a(&SIGNATURES[1..]));
        #[cfg(not(feature = "abi-test-mismatch"))]
        assert_eq!(ABI_VERSION >> 16, 1);
    }
}
