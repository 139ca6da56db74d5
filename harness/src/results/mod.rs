//! Results file format v1: types, (de)serialisation, atomic I/O.
//!
//! Described for humans in `results/README.md` and for machines in
//! `results/schema-v1.json`. Every back end (host, QEMU, board, TFLite, Edge
//! TPU) produces [`BenchResult`]s in this one format so that `show`,
//! `compare` and `gate` work unchanged across targets.

mod types;

pub use types::*;
