//! pqbench: benchmark and hardware-acceleration harness for post-quantum
//! cryptography and firmware crypto detection.
//!
//! Dependency direction: [`cli`] -> engine ([`runner`] scheduling every back
//! end, [`measure`], [`results`], [`report`], [`compare`] with its gate,
//! [`env`](mod@env)) -> back ends ([`target`]: host, Cortex-M via
//! `pqbench-targets`, TFLite/Edge TPU via `pqbench-accel`, each implementing
//! [`runner::Backend`]) -> `pqbench-workloads` / `pqbench-protocol`.

pub mod ab;
pub mod cli;
pub mod compare;
pub mod env;
pub mod history;
pub mod import;
pub mod measure;
pub mod report;
pub mod results;
pub mod runner;
pub mod target;
