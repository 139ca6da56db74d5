//! Cortex-M targets for pqbench: boards as data (`targets/boards/*.toml`),
//! firmware builds per board, the QEMU transport (semihosting over the
//! emulator's stdio, with timeouts), the debug-probe transport for real boards
//! (feature `probe`), the host side of the wire protocol, and USB discovery
//! for `pqbench devices`.

pub mod board;
pub mod devices;
mod error;
pub mod firmware;
pub mod probe;
pub mod runner;
pub mod session;
pub mod transport;

pub use board::Board;
pub use error::Error;
pub use runner::{Measured, Outcome, Prepared, RunConfig};
