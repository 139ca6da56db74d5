//! The exported functions (feature `export`): the registry of
//! `pqbench-workloads` as built here, behind the C ABI of the crate docs.
//!
//! No panic crosses the boundary: every function that runs workload code
//! catches unwinding and returns an error value instead.

use crate::{RUN_NULL, RUN_OK, RUN_PANICKED, SLOWDOWN_OK, SLOWDOWN_OUT_OF_RANGE};
use core::ffi::{c_char, c_void};
use pqbench_workloads::Workload;
use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The ids of the registry, NUL-terminated, built once.
fn ids() -> &'static [CString] {
    static IDS: OnceLock<Vec<CString>> = OnceLock::new();
    IDS.get_or_init(|| {
        pqbench_workloads::registry()
            .iter()
            // Ids are `suite/name/impl/params` without NUL; one with a NUL
            // would be exported empty (and match nothing).
            .map(|w| CString::new(w.id().to_string()).unwrap_or_default())
            .collect()
    })
}

/// The slowdown of this library in percent, as `f64` bits.
static SLOWDOWN_BITS: AtomicU64 = AtomicU64::new(0);
/// The cost of one `Instant::now()` in ns, as `f64` bits, measured when a
/// slowdown is set: the slowdown's own clock reads are taken off its spin.
static READ_NS_BITS: AtomicU64 = AtomicU64::new(0);

/// Mean cost of one `Instant::now()` (best of five rounds of 1000 reads).
fn read_cost_ns() -> f64 {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..1000 {
                core::hint::black_box(Instant::now());
            }
            t.elapsed().as_nanos() as f64 / 1000.0
        })
        .fold(f64::INFINITY, f64::min)
}

struct Handle {
    workload: Box<dyn Workload>,
}

/// [`crate::ABI_VERSION`].
#[unsafe(no_mangle)]
pub extern "C" fn pqbench_abi_version() -> u32 {
    crate::ABI_VERSION
}

/// How many workloads this library exports (0 when building the registry
/// panicked).
#[unsafe(no_mangle)]
pub extern "C" fn pqbench_workload_count() -> usize {
    catch_unwind(|| ids().len()).unwrap_or(0)
}

/// The id of workload `i`: a static NUL-terminated string, or null when `i`
/// is out of range.
#[unsafe(no_mangle)]
pub extern "C" fn pqbench_workload_id(i: usize) -> *const c_char {
    catch_unwind(|| ids().get(i).map_or(core::ptr::null(), |s| s.as_ptr()))
        .unwrap_or(core::ptr::null())
}

/// Workload `i`, set up from `seed` (untimed); null when `i` is out of
/// range, the workload cannot run here, or setup panicked. Free it with
/// [`pqbench_workload_free`].
#[unsafe(no_mangle)]
pub extern "C" fn pqbench_workload_new(i: usize, seed: u64) -> *mut c_void {
    let made = catch_unwind(|| {
        let mut w = pqbench_workloads::registry().into_iter().nth(i)?;
        if w.unavailable().is_some() {
            return None;
        }
        w.setup(seed);
        Some(Box::new(Handle { workload: w }))
    });
    match made {
        Ok(Some(h)) => Box::into_raw(h).cast(),
        _ => core::ptr::null_mut(),
    }
}

/// Runs the operation of `handle` `iters` times. With a slowdown set
/// ([`pqbench_set_slowdown`]), busy CPU work lasting that share of the
/// call's time follows, inside the call.
///
/// # Safety
///
/// `handle` is null or a pointer from [`pqbench_workload_new`] of this
/// library not yet freed, used by one thread at a time.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pqbench_workload_run(handle: *mut c_void, iters: u64) -> i32 {
    if handle.is_null() {
        return RUN_NULL;
    }
    // SAFETY: by the contract above, `handle` came from `Box::into_raw` of a
    // `Handle` in `pqbench_workload_new`, is not freed, and no other thread
    // uses it, so a unique reference is sound.
    let h = unsafe { &mut *handle.cast::<Handle>() };
    let pct = f64::from_bits(SLOWDOWN_BITS.load(Ordering::Relaxed));
    let read_ns = f64::from_bits(READ_NS_BITS.load(Ordering::Relaxed));
    let ran = catch_unwind(AssertUnwindSafe(|| {
        let start = (pct > 0.0).then(Instant::now);
        for _ in 0..iters {
            h.workload.run();
        }
        if let Some(start) = start {
            // The work's share, less the reads this adds (the one ending
            // the work, the spin's last, on average half a spin step).
            let extra = start.elapsed().as_nanos() as f64 * pct / 100.0 - 2.5 * read_ns;
            let until = Instant::now() + Duration::from_nanos(extra.max(0.0) as u64);
            let mut x = 1u64;
            while Instant::now() < until {
                x = core::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005) | 1);
            }
        }
    }));
    if ran.is_ok() { RUN_OK } else { RUN_PANICKED }
}

/// Drops a workload; null is ignored.
///
/// # Safety
///
/// `handle` is null or a pointer from [`pqbench_workload_new`] of this
/// library not yet freed; it is invalid afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pqbench_workload_free(handle: *mut c_void) {
    if handle.is_null() {
        return;
    }
    // SAFETY: by the contract above, `handle` is the unfreed result of
    // `Box::into_raw` on a `Handle`; ownership comes back here once.
    let h = unsafe { Box::from_raw(handle.cast::<Handle>()) };
    // A panicking destructor must not unwind into the caller.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(h)));
}

/// Harness-validation knob, NOT for measurements: every
/// [`pqbench_workload_run`] of this library (only) is followed by busy CPU
/// work lasting `pct` % of its own time (less the knob's own clock reads,
/// whose cost is measured here). `0` turns it off. Returns
/// [`SLOWDOWN_OUT_OF_RANGE`] unless `0 <= pct <= 100`.
#[unsafe(no_mangle)]
pub extern "C" fn pqbench_set_slowdown(pct: f64) -> i32 {
    if !(0.0..=100.0).contains(&pct) {
        return SLOWDOWN_OUT_OF_RANGE;
    }
    if pct > 0.0 {
        let read = catch_unwind(read_cost_ns).unwrap_or(0.0);
        READ_NS_BITS.store(read.to_bits(), Ordering::Relaxed);
    }
    SLOWDOWN_BITS.store(pct.to_bits(), Ordering::Relaxed);
    SLOWDOWN_OK
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn ids_new_run_free_through_the_exported_functions() {
        let n = pqbench_workload_count();
        assert!(n > 0);
        assert!(pqbench_workload_id(n).is_null());
        assert!(pqbench_workload_new(n, 0).is_null());
        let ids: Vec<String> = (0..n)
            .map(|i| {
                // SAFETY: non-null ids are static NUL-terminated strings.
                unsafe { CStr::from_ptr(pqbench_workload_id(i)) }
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let i = ids
            .iter()
            .position(|s| s == "hash/sha256.digest/rustcrypto/1KiB")
            .unwrap();
        let h = pqbench_workload_new(i, 7);
        assert!(!h.is_null());
        // SAFETY: `h` is live and used by this thread only; null is allowed.
        unsafe {
            assert_eq!(pqbench_workload_run(h, 3), RUN_OK);
            assert_eq!(pqbench_workload_run(core::ptr::null_mut(), 1), RUN_NULL);
            pqbench_workload_free(h);
            pqbench_workload_free(core::ptr::null_mut());
        }
        assert_eq!(pqbench_set_slowdown(101.0), SLOWDOWN_OUT_OF_RANGE);
        assert_eq!(pqbench_set_slowdown(f64::NAN), SLOWDOWN_OUT_OF_RANGE);
        assert_eq!(pqbench_set_slowdown(0.0), SLOWDOWN_OK);
    }
}
