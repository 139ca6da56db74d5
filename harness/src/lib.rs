//! pqbench: benchmark and hardware-acceleration harness for post-quantum
//! cryptography and firmware crypto detection.
//!
//! Dependency direction: [`cli`] -> engine ([`measure`], [`results`],
//! [`report`], [`compare`] with its gate, [`env`](mod@env)) -> back ends ([`target`]: host,
//! Cortex-M via `pqbench-targets`, TFLite/Edge TPU via `pqbench-accel`) ->
//! `pqbench-workloads` / `pqbench-protocol`.

pub mod ab;
pub mod cli;
pub mod compare;
pub mod env;
pub mod measure;
pub mod report;
pub mod results;
pub mod target;
