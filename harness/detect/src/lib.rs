//! Firmware crypto-detection kernels (`no_std` + `alloc`; `std` adds the
//! database generator and `std::error::Error` impls).
//!
//! * [`loader`]: raw binary, ELF (32/64-bit, LE/BE), PE, Mach-O, Intel HEX,
//!   Motorola S-record into memory [`Segment`](loader::Segment)s with load
//!   addresses (borrowing the input's bytes where they are stored verbatim);
//!   malformed input is an error, never a panic or an unbounded allocation.
//! * [`sigdb`]: the signature database, generated from canonical constants
//!   in every memory layout libraries use.
//! * [`scan`]: one-pass multi-pattern scanner reporting every hit.
//! * [`words`]: constants encoded in instructions (Thumb-2 MOVW/MOVT pairs,
//!   x86 `imm32`/`imm64` operands, literal-pool words).
//! * [`entropy`]: sliding-window Shannon entropy.
//! * [`evidence`]: combination of hits into findings with confidence.
//! * `report` (feature `std`): file scanning in parallel (files mapped,
//!   large segments in chunks, see [`analyze::chunks`]), the JSON report,
//!   the CycloneDX 1.6 CBOM and the evaluation against labelled images.
#![no_std]
// `unsafe` only where `report::input` maps a file (memmap2).
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod analyze;
pub mod entropy;
pub mod evidence;
pub mod loader;
#[cfg(feature = "std")]
pub mod report;
pub mod scan;
pub mod sigdb;
pub mod synth;
pub mod words;

/// The Cargo features this crate was compiled with (`pqbench` records them
/// in every results file).
pub const ENABLED_FEATURES: &[&str] = if cfg!(feature = "std") { &["std"] } else { &[] };
