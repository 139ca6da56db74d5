//! pqbench: benchmark and hardware-acceleration harness for post-quantum
//! cryptography and firmware crypto detection.
//!
//! Dependency direction: [`cli`] -> engine ([`runner`] scheduling every back
//! end, [`measure`], [`results`], [`report`], [`compare`] with its gate,
//! [`env`](mod@env)) -> back ends ([`target`]: host, Cortex-M via
//! `pqbench-targets`, TFLite/Edge TPU via `pqbench-accel`, each implementing
//! [`runner::Backend`]) -> `pqbench-workloads` / `pqbench-protocol`.
//!
//! Feature `full` (default) is the whole tool. Without it
//! (`default-features = false`) the crate is the engine plus [`bench`](mod@bench), the
//! library API for a crate's own `cargo bench` targets (`harness = false`).

#[cfg(feature = "full")]
pub mod ab;
pub mod bench;
#[cfg(feature = "full")]
pub mod cli;
pub mod compare;
pub mod env;
#[cfg(feature = "full")]
pub mod history;
pub mod import;
pub mod measure;
pub mod report;
pub mod results;
pub mod runner;
#[cfg(feature = "full")]
pub mod target;
