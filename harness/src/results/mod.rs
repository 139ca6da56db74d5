//! Results file format v1: types, (de)serialisation, atomic I/O.
//!
//! Described for humans in `results/README.md` and for machines in
//! `results/schema-v1.json`. Every back end (host, QEMU, board, TFLite, Edge
//! TPU) produces [`BenchResult`]s in this one format so that `show`,
//! `compare` and `gate` work unchanged across targets.

mod determinism;
mod error;
mod histogram;
mod io;
mod merge;
pub mod nonfinite;
mod summary;
mod types;

pub use determinism::{Determinism, classify as classify_determinism};
pub use error::ResultsError;
pub use histogram::{
    SIGNIFICANT_DIGITS, build_histogram, decode_histogram, encode, encode_histogram,
};
pub use io::{load, parse, supported_major, write_atomic, write_atomic_with, write_json_atomic};
pub use merge::{DuplicateError, MergeSummary, Prefer, machine_label, merge};
pub use summary::{quantile_sorted, summarize};
pub use types::*;
